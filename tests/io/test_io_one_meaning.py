"""One meaning per number: the same case written by hand in every format it fits compiles to
identical arrays and gives identical forecasts for every model in `accord.forecast.MODELS`.

Two cases (invented numbers): a stakeholder table (one issue on 0–100, status quo 0) in the
table formats, and a negotiation domain (options with explicit utilities, reservations) in the
domain formats. DEU holds no capabilities, so it joins the table case with equal capabilities.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import accord
from accord.forecast import MODELS
from accord.io import read
from accord.scenario import Compiled, Scenario

NAMES = ["north", "south", "east", "west", "centre"]
POS = [0, 25, 40, 70, 100]
SAL = [80, 40, 60, 90, 50]  # on 0–100
CAP = [10, 20, 30, 15, 25]


def _yaml(caps: list[int]) -> str:
    actors = "".join(
        f"  - id: {n}\n    capability: {c}\n    positions: {{tax: {p}}}\n"
        f"    salience: {{tax: {s / 100:g}}}\n"
        for n, p, s, c in zip(NAMES, POS, SAL, caps, strict=True)
    )
    return (
        "meta: {title: one}\nissues:\n  - {id: tax, scale: [0, 100], status_quo: 0}\n"
        f"actors:\n{actors}"
    )


def table_files(tmp: Path, caps: list[int]) -> dict[str, Path]:
    """The table case in each table format, written as each tool writes it."""
    rows = list(zip(NAMES, POS, SAL, caps, strict=True))
    files = {
        "one.yaml": _yaml(caps),
        "one.csv": "case_id,issue_id,actor_id,actor_name,capability,position,salience\n"
        + "".join(f"one,tax,{n},,{c},{p},{s}\n" for n, p, s, c in rows),
        "one.issues.csv": "case_id,issue_id,scale_min,scale_max,status_quo\none,tax,0,100,0\n",
        "bdm.csv": "Actor,Capability,Position,Salience\n"
        + "".join(f"{n},{c},{p},{s / 100:g}\n" for n, p, s, c in rows),
        "ktab.csv": "one,,5,1\nActor,Description,Influence,Pos1,Sal1\n"
        + "".join(f"{n},,{c},{p},{s}\n" for n, p, s, c in rows),
        "one.ktab.xml": "<Scenario><name>one</name><desc/><prngSeed>0</prngSeed>"
        "<Dimensions><dName>tax</dName></Dimensions><Actors>"
        + "".join(
            f"<Actor><name>{n}</name><description/><capability>{c}</capability>"
            f"<Position><dCoord>{p}</dCoord></Position><Salience><dSal>{s}</dSal></Salience>"
            "</Actor>"
            for n, p, s, c in rows
        )
        + "</Actors></Scenario>",
        "decide.csv": "".join(f"'#A'\t'{n}'\t'{n}'\t''\n" for n in NAMES)
        + "'#P'\t'tax'\t'tax'\t''\n'#M'\t'tax'\t0\n'#M'\t'tax'\t100\n"
        + "".join(f"'#D'\t'{n}'\t'tax'\t{p}\t{s / 100:g}\t{c}\n" for n, p, s, c in rows),
    }
    if len(set(caps)) == 1:
        files["eu.deu.csv"] = (
            "prnrnmc;isnrnmc;"
            + ";".join(f"p{n}" for n in NAMES)
            + ";"
            + ";".join(f"s{n}" for n in NAMES)
            + ";rp;out\n1;1;"
            + ";".join(str(p) for p in POS)
            + ";"
            + ";".join(str(s) for s in SAL)
            + ";0;999\n"
        )
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    return {n: tmp / n for n in files if not n.endswith(".issues.csv")}


UTIL = {  # party → issue → option → utility (max 1, min 0 on every issue)
    "alpha": {"berths": [0.0, 0.4, 1.0], "fee": [1.0, 0.5, 0.0]},
    "beta": {"berths": [1.0, 0.6, 0.0], "fee": [0.0, 0.3, 1.0]},
    "gamma": {"berths": [0.0, 1.0, 0.2], "fee": [0.0, 1.0, 0.7]},
}
WEIGHT = {"alpha": [0.6, 0.4], "beta": [0.25, 0.75], "gamma": [0.5, 0.5]}
OPTIONS = {"berths": ["two", "four", "six"], "fee": ["low", "mid", "high"]}
RESERVATION_BID = {"berths": "four", "fee": "mid"}


def _reservation(party: str) -> float:
    return sum(
        w * UTIL[party][i][OPTIONS[i].index(RESERVATION_BID[i])]
        for w, i in zip(WEIGHT[party], OPTIONS, strict=True)
    )


def domain_files(tmp: Path) -> dict[str, Path]:
    """The domain case in GENIUS, GeniusWeb, score-table and YAML form."""
    genius = tmp / "harbour.genius"
    web = tmp / "harbour.geniusweb"
    genius.mkdir()
    web.mkdir()
    issues = "".join(
        f'<issue index="{k + 1}" name="{i}" type="discrete">'
        + "".join(f'<item index="{j + 1}" value="{o}"/>' for j, o in enumerate(opts))
        + "</issue>"
        for k, (i, opts) in enumerate(OPTIONS.items())
    )
    (genius / "domain.xml").write_text(
        f'<negotiation_template><utility_space><objective index="0" name="harbour">{issues}'
        "</objective></utility_space></negotiation_template>",
        encoding="utf-8",
    )
    scores = ["party,issue,option,points"]
    yaml_actors = []
    for p, table in UTIL.items():
        body = "".join(
            f'<issue index="{k + 1}" name="{i}" type="discrete">'
            + "".join(
                f'<item index="{j + 1}" value="{o}" evaluation="{10 * u:g}"/>'
                for j, (o, u) in enumerate(zip(OPTIONS[i], table[i], strict=True))
            )
            + "</issue>"
            for k, i in enumerate(OPTIONS)
        )
        weights = "".join(f'<weight index="{k + 1}" value="{w}"/>' for k, w in enumerate(WEIGHT[p]))
        res = _reservation(p)
        (genius / f"{p}.xml").write_text(
            f'<utility_space><reservation value="{res!r}"/><objective index="0" name="harbour">'
            f"{body}{weights}</objective></utility_space>",
            encoding="utf-8",
        )
        profile = {
            "LinearAdditiveUtilitySpace": {
                "domain": {
                    "name": "harbour",
                    "issuesValues": {i: {"values": o} for i, o in OPTIONS.items()},
                },
                "name": p,
                "issueUtilities": {
                    i: {
                        "discreteutils": {
                            "valueUtilities": dict(zip(OPTIONS[i], table[i], strict=True))
                        }
                    }
                    for i in OPTIONS
                },
                "issueWeights": dict(zip(OPTIONS, WEIGHT[p], strict=True)),
                "reservationBid": {"issuevalues": RESERVATION_BID},
            }
        }
        (web / f"{p}.json").write_text(json.dumps(profile), encoding="utf-8")
        for i, w in zip(OPTIONS, WEIGHT[p], strict=True):
            for o, u in zip(OPTIONS[i], table[i], strict=True):
                scores.append(f"{p},{i},{o},{100 * w * u!r}")
        scores.append(f"{p},minimum total,,{100 * res!r}")
        best = {i: OPTIONS[i][int(np.argmax(table[i]))] for i in OPTIONS}
        utils = ", ".join(
            f"{i}: {{{', '.join(f'{o}: {u}' for o, u in zip(OPTIONS[i], table[i], strict=True))}}}"
            for i in OPTIONS
        )
        yaml_actors.append(
            f"  - id: {p}\n    capability: 1\n    positions: {best}\n"
            f"    salience: {dict(zip(OPTIONS, WEIGHT[p], strict=True))}\n"
            f"    utilities: {{{utils}}}\n    reservation: {res!r}\n"
        )
    (tmp / "harbour.scores.csv").write_text("\n".join(scores) + "\n", encoding="utf-8")
    issues_yaml = "".join(
        f"  - {{id: {i}, options: [{', '.join(o)}], status_quo: {o[0]}}}\n"
        for i, o in OPTIONS.items()
    )
    (tmp / "harbour.yaml").write_text(
        "meta: {title: harbour}\nissues:\n" + issues_yaml + "actors:\n" + "".join(yaml_actors),
        encoding="utf-8",
    )
    return {
        n: tmp / n
        for n in ("harbour.yaml", "harbour.genius", "harbour.geniusweb", "harbour.scores.csv")
    }


ARRAYS = (
    "position",
    "salience",
    "weight",
    "capability",
    "exponent",
    "reservation",
    "risk",
    "discount",
)


def assert_same_arrays(a: Compiled, b: Compiled, what: str) -> None:
    for name in ("lo", "hi", "n_options", "status_quo"):
        assert np.allclose(
            getattr(a, name), getattr(b, name), rtol=0, atol=1e-12, equal_nan=True
        ), (
            what,
            name,
        )
    for name in ARRAYS:
        x, y = getattr(a.actors, name), getattr(b.actors, name)
        assert np.allclose(x, y, rtol=0, atol=1e-12, equal_nan=True), (what, name, x, y)
    assert a.actors.tables.keys() == b.actors.tables.keys(), what
    for k, t in a.actors.tables.items():
        assert np.allclose(t, b.actors.tables[k], rtol=0, atol=1e-12), (what, "tables", k)


def forecasts(s: Scenario) -> dict[str, object]:
    c = accord.compile(s)
    out: dict[str, object] = {}
    for name in MODELS.names():
        try:
            out[name] = MODELS.create(name).forecast(c, seed=0).point
        except accord.AccordError as e:  # a model may refuse a case; it must refuse it alike
            out[name] = type(e).__name__
    return out


def assert_same_forecasts(a: dict[str, object], b: dict[str, object], what: str) -> None:
    assert a.keys() == b.keys()
    for name, x in a.items():
        y = b[name]
        if isinstance(x, str) or isinstance(y, str):
            assert x == y, (what, name)
        else:
            assert np.allclose(x, y, rtol=0, atol=1e-9), (what, name, x, y)  # type: ignore[arg-type]


@pytest.mark.parametrize("caps", [CAP, [1] * 5], ids=["capabilities", "equal-with-deu"])
def test_table_case_means_the_same_in_every_table_format(tmp_path: Path, caps: list[int]) -> None:
    files = table_files(tmp_path, caps)
    scenarios = {name: read(p) for name, p in files.items()}
    base = scenarios.pop("one.yaml")
    cb, fb = accord.compile(base), forecasts(base)
    assert len(scenarios) == (6 if len(set(caps)) == 1 else 5)
    for name, s in scenarios.items():
        assert [a.label for a in s.actors] == NAMES, name
        assert_same_arrays(cb, accord.compile(s), name)
        assert_same_forecasts(fb, forecasts(s), name)


def test_domain_case_means_the_same_in_every_domain_format(tmp_path: Path) -> None:
    files = domain_files(tmp_path)
    scenarios = {name: read(p) for name, p in files.items()}
    base = scenarios.pop("harbour.yaml")
    cb, fb = accord.compile(base), forecasts(base)
    for name, s in scenarios.items():
        assert s.actor_ids == list(UTIL), name
        assert_same_arrays(cb, accord.compile(s), name)
        assert_same_forecasts(fb, forecasts(s), name)
