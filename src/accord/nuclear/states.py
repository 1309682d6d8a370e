"""Programme states: the built-in ones (``states.yaml``, each number sourced) and user-written ones.

A state is written as a mapping::

    label: "my estimate"
    stocks:                       # assay as a fraction (0.035) or a string ("3.5%")
      - {assay: 0.1975, kg_uf6: 182}
      - {assay: "3.5%", kg_u: 4690}
    machines:                     # swu_per_year defaults by type: IR-1 0.75, IR-2m 4.0
      - {type: IR-1, installed: 16200, operating: 9700}
      - {type: IR-6, installed: 100, operating: 100, swu_per_year: 8}
    natural_kg_u: null            # natural uranium available (null: unlimited)

`state_from_dict` validates it and names every bad field (``InputError``); masses in UF6 are
converted with the uranium mass fraction 0.676.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from accord.errors import InputError, Path, Problem, UnknownNameError
from accord.nuclear.breakout import MACHINE_SWU, Machine, ProgrammeState, Stock
from accord.nuclear.enrichment import U_IN_UF6


@cache
def _builtin() -> dict[str, Any]:
    text = (resources.files("accord.nuclear") / "states.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return dict(data["states"])


def builtin_state_names() -> list[str]:
    """Names of the built-in programme states."""
    return list(_builtin())


def builtin_state(name: str) -> ProgrammeState:
    """The built-in programme state called ``name`` (``feb-2013``, ``may-2013``, ``jcpoa``)."""
    states = _builtin()
    if name not in states:
        raise UnknownNameError("programme state", name, states)
    return state_from_dict(states[name], name=name)


def parse_assay(value: Any, path: Path) -> float:
    """An assay as a fraction from ``0.035`` or ``"3.5%"``."""
    x: Any = value
    if isinstance(value, str):
        text = value.strip()
        try:
            x = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise InputError(
                Problem("expected an assay such as 0.035 or '3.5%'", path, value)
            ) from None
    if isinstance(x, bool) or not isinstance(x, int | float) or not 0 < x < 1:
        raise InputError(
            Problem("an assay is a fraction in (0, 1), e.g. 0.035, or '3.5%'", path, value)
        )
    return float(x)


def state_from_dict(data: Any, name: str = "custom") -> ProgrammeState:
    """Validate a state mapping (see the module docstring) and build a `ProgrammeState`."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError(
            Problem("a programme state is a mapping with stocks and machines", (), data)
        )
    known = {"label", "date", "stocks", "machines", "natural_kg_u", "name", "notes"}
    for key in data:
        if key not in known:
            problems.append(Problem(f"unknown field; expected one of {sorted(known)}", (key,)))
    stocks: list[Stock] = []
    for k, entry in enumerate(data.get("stocks") or []):
        path: Path = ("stocks", k)
        if not isinstance(entry, dict):
            problems.append(Problem("expected {assay, kg_uf6 | kg_u}", path, entry))
            continue
        try:
            assay = parse_assay(entry.get("assay"), (*path, "assay"))
        except InputError as e:
            problems.extend(e.problems)
            continue
        has_uf6, has_u = "kg_uf6" in entry, "kg_u" in entry
        if has_uf6 == has_u:
            problems.append(Problem("give exactly one of kg_uf6 or kg_u", path, entry))
            continue
        key = "kg_uf6" if has_uf6 else "kg_u"
        mass = _nonnegative(entry[key], (*path, key), problems)
        if mass is not None:
            kg = mass * U_IN_UF6 if has_uf6 else mass
            stocks.append(Stock(assay, kg, entry.get("source")))
    machines: list[Machine] = []
    for k, entry in enumerate(data.get("machines") or []):
        path = ("machines", k)
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            problems.append(
                Problem("expected {type, installed, operating, swu_per_year}", path, entry)
            )
            continue
        mtype = entry["type"]
        swu = entry.get("swu_per_year", MACHINE_SWU.get(mtype))
        if swu is None:
            problems.append(
                Problem(
                    f"swu_per_year is needed for a machine type other than {sorted(MACHINE_SWU)}",
                    (*path, "swu_per_year"),
                )
            )
            continue
        rate = _nonnegative(swu, (*path, "swu_per_year"), problems)
        operating = _nonnegative(entry.get("operating", 0), (*path, "operating"), problems)
        installed = _nonnegative(
            entry.get("installed", operating or 0), (*path, "installed"), problems
        )
        if rate is None or operating is None or installed is None:
            continue
        if operating > installed:
            problems.append(
                Problem("more machines operating than installed", (*path, "operating"), operating)
            )
            continue
        machines.append(Machine(mtype, int(installed), int(operating), rate, entry.get("source")))
    natural = data.get("natural_kg_u")
    if natural is not None:
        natural = _nonnegative(natural, ("natural_kg_u",), problems)
    InputError.collect(problems)
    date = data.get("date")
    return ProgrammeState(
        name=str(data.get("name") or name),
        stocks=tuple(sorted(stocks, key=lambda s: s.assay)),
        machines=tuple(machines),
        label=str(data.get("label") or ""),
        date=None if date is None else str(date),
        natural_kg_u=natural,
    )


def _nonnegative(value: Any, path: Path, problems: list[Problem]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        problems.append(Problem("expected a number ≥ 0", path, value))
        return None
    return float(value)
