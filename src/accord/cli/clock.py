"""`accord breakout` (months to one weapon's worth of 90 % uranium) and `accord clock` (who gains
from delay): thin commands over `accord.nuclear` and `accord.clocks`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.common import SCENARIO_HELP, console, load_scenario, print_json, user_errors
from accord.errors import InputError, Problem
from accord.present.breakout import breakout_assumptions
from accord.present.format import number

STATE_HELP = "a built-in programme state (feb-2013, may-2013, jcpoa) or a YAML state file"


def register(app: typer.Typer) -> None:
    """Add `breakout` and `clock` to `app`."""
    app.command()(breakout)
    app.command()(clock)


def _read_state(source: str) -> Any:
    from accord.nuclear import builtin_state, builtin_state_names, state_from_dict

    if source in builtin_state_names():
        return builtin_state(source)
    path = Path(source)
    if not path.is_file():
        raise InputError(
            Problem(
                f"not a built-in state ({', '.join(builtin_state_names())}) nor a readable file",
                (),
                source,
            )
        )
    if path.stat().st_size > 1_000_000:
        raise InputError(Problem("a state file is at most 1 MB", (), str(path)))
    from accord.io.native import parse  # bounded: depth, aliases and size checked first

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(Problem(f"not a UTF-8 text file ({e.reason})", file=str(path))) from None
    data = parse(text, str(path))
    try:
        return state_from_dict(data, name=path.stem)
    except InputError as e:
        raise e.located(str(path)) from None


def _split(text: str, option: str) -> tuple[str, str]:
    if "=" not in text:
        raise InputError(Problem("expected KEY=VALUE", (option,), text))
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def _number(text: str, option: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(Problem("expected a number", (option,), text)) from None


def _apply_options(state: Any, stocks: list[str], machines: list[str], mass_unit: str) -> Any:
    from dataclasses import replace

    from accord.nuclear import MACHINE_SWU, U_IN_UF6, Machine, parse_assay

    if mass_unit not in ("uf6", "u"):
        raise InputError(Problem("expected uf6 or u", ("--mass-unit",), mass_unit))
    for text in stocks:
        key, value = _split(text, "--stock")
        assay = parse_assay(key if key.endswith("%") else _number(key, "--stock"), ("--stock",))
        kg = _number(value, "--stock")
        if kg < 0:
            raise InputError(Problem("a stock is ≥ 0 kg", ("--stock",), text))
        state = state.with_stock(assay, kg * U_IN_UF6 if mass_unit == "uf6" else kg)
    for text in machines:
        mtype, value = _split(text, "--machines")
        rate_text = None
        if "@" in value:
            value, rate_text = value.split("@", 1)
        operating_text, _, installed_text = value.partition("/")
        operating = _number(operating_text, "--machines")
        installed = _number(installed_text, "--machines") if installed_text else operating
        rate = _number(rate_text, "--machines") if rate_text else MACHINE_SWU.get(mtype)
        if rate is None:
            raise InputError(
                Problem(
                    f"give SWU/yr for a type other than {sorted(MACHINE_SWU)} as TYPE=N@SWU",
                    ("--machines",),
                    text,
                )
            )
        if not 0 <= operating <= installed or rate < 0:
            raise InputError(
                Problem("expected 0 ≤ operating ≤ installed and SWU/yr ≥ 0", ("--machines",), text)
            )
        kept = tuple(m for m in state.machines if m.type != mtype)
        state = replace(
            state, machines=(*kept, Machine(mtype, int(installed), int(operating), rate))
        )
    return state


def breakout(
    state: str | None = typer.Argument(None, help=STATE_HELP),
    stock: list[str] = typer.Option(
        [],
        "--stock",
        help="ASSAY=KG, e.g. 20%=182 or 0.035=6900 (kg UF6 unless --mass-unit u); repeatable",
    ),
    machines: list[str] = typer.Option(
        [],
        "--machines",
        help="TYPE=OPERATING, optionally /INSTALLED and @SWU per machine, e.g. IR-1=9700/16200 "
        "or IR-6=100@8; repeatable",
    ),
    mass_unit: str = typer.Option("uf6", "--mass-unit", help="unit of --stock masses: uf6 or u"),
    capacity: float | None = typer.Option(None, "--capacity", help="SWU/yr, overrides machines"),
    target: str = typer.Option("isis", "--target", help="isis: 25 kg of 90 %; sq: 25 kg U-235"),
    tails: float | None = typer.Option(
        None,
        "--tails",
        help="one tails assay for every step (fraction; default 0.3/0.4/0.5 % by feed)",
    ),
    reconfigure: float = typer.Option(
        0.5,
        "--reconfigure",
        help="months added per step for reconfiguring cascades (0: naive breakout)",
    ),
    basis: str = typer.Option("operating", "--basis", help="count operating or installed machines"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Breakout months of an enrichment programme, by feed path, with the SWU and feed of each step.

    With no state and no options, compares the built-in states.
    """
    from accord.nuclear import ProgrammeState, builtin_state, builtin_state_names
    from accord.nuclear import breakout as compute

    with user_errors():
        if basis not in ("operating", "installed"):
            raise InputError(Problem("expected operating or installed", ("--basis",), basis))
        if target not in ("isis", "sq"):
            raise InputError(Problem("expected isis or sq", ("--target",), target))
        kw: dict[str, Any] = {
            "target": target,
            "tails": tails,
            "reconfigure_months": reconfigure,
            "basis": basis,
            "capacity": capacity,
        }
        if state is None and not (stock or machines or capacity is not None):
            results = [compute(builtin_state(n), **kw) for n in builtin_state_names()]
            if as_json:
                print_json([r.to_dict() for r in results])
                return
            _print_comparison(results)
            return
        st = _read_state(state) if state is not None else ProgrammeState("custom", label="options")
        st = _apply_options(st, stock, machines, mass_unit)
        result = compute(st, **kw)
    if as_json:
        print_json({"state": st.to_dict(), "breakout": result.to_dict()})
        return
    _print_breakout(st, result)


def _months(x: float | None) -> str:
    return "—" if x is None or not np.isfinite(x) else f"{x:.1f}"


def _spans(times: list[float], step: float) -> str:
    spans: list[list[float]] = []
    for t in times:
        if spans and t - spans[-1][1] <= step * 1.0001:
            spans[-1][1] = t
        else:
            spans.append([t, t])
    return ", ".join(f"{a:g}" if a == b else f"{a:g}–{b:g}" for a, b in spans)


def _value(x: float) -> str:
    return number(x)


def _print_comparison(results: list[Any]) -> None:
    from accord.nuclear import builtin_state

    t = Table(title="Breakout of the built-in programme states (fastest path)")
    for col in ("state", "date", "SWU/yr", "fastest path", "SWU", "months"):
        t.add_column(col, justify="right" if col in ("SWU/yr", "SWU", "months") else "left")
    for r in results:
        f = r.fastest
        t.add_row(
            r.state,
            builtin_state(r.state).date or "",
            f"{r.capacity_swu_per_year:,.0f}",
            f.name if f else "—",
            f"{f.swu:,.0f}" if f else "—",
            _months(r.months),
        )
    console.print(t)
    r0 = results[0]
    console.print(
        f"target {r0.target} ({r0.product_kg_u:.2f} kg U at 90 %); "
        f"+{r0.reconfigure_months:g} months per step for reconfiguring cascades. "
        "`accord breakout NAME` shows every path."
    )


def _print_breakout(st: Any, r: Any) -> None:
    from accord.nuclear.breakout import TARGET_LABEL, assay_label

    console.print(f"[bold]Breakout of {st.name}[/]" + (f" — {st.label}" if st.label else ""))
    stocks = ", ".join(f"{s.kg_u:,.1f} kg U at {assay_label(s.assay)}" for s in st.stocks)
    console.print(f"stocks: {stocks or 'none'}")
    console.print(
        f"capacity: {r.capacity_swu_per_year:,.0f} SWU/yr ({r.basis} machines)"
        + "".join(
            f"; {m.type} {m.operating:,}/{m.installed:,} × {m.swu_per_year:g}" for m in st.machines
        )
    )
    console.print(f"target: {TARGET_LABEL[r.target]} = {r.product_kg_u:.2f} kg U at 90 %")
    t = Table(title="Breakout months by feed path")
    for col in ("path", "SWU", "naive months", "months", "note"):
        t.add_column(col, justify="left" if col in ("path", "note") else "right")
    for p in r.paths:
        t.add_row(
            p.name,
            f"{p.swu:,.0f}" if p.steps else "—",
            _months(p.naive_months),
            _months(p.months),
            p.note,
        )
    console.print(t)
    s = Table(title="Steps")
    for col in ("path", "step", "feed", "product", "tails", "feed kg U", "product kg U", "SWU"):
        s.add_column(col, justify="left" if col == "path" else "right")
    for p in r.paths:
        for k, stp in enumerate(p.steps):
            s.add_row(
                p.name,
                str(k + 1),
                assay_label(stp.xf),
                assay_label(stp.xp),
                f"{stp.xt * 100:.2f} %",
                f"{stp.feed:,.1f}",
                f"{stp.product:,.1f}",
                f"{stp.swu:,.0f}",
            )
    console.print(s)
    f = r.fastest
    if f is not None:
        console.print(
            f"fastest: {f.name}, {_months(f.months)} months (+{r.reconfigure_months:g}"
            " per step for reconfiguring cascades; --reconfigure 0 for naive)"
        )


def clock(
    scenario: str = typer.Argument("almaty-2013", help=SCENARIO_HELP),
    months: float = typer.Option(12, "--months", help="horizon, in --unit"),
    unit: str = typer.Option("month", "--unit", help="day, week, month, quarter or year"),
    step: float = typer.Option(1.0, "--step", help="time step, in --unit"),
    target: str = typer.Option("isis", "--target", help="breakout target: isis or sq"),
    reconfigure: float = typer.Option(0.5, "--reconfigure", help="breakout months per step"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Who gains from delay: each seat's no-deal utility over time, the agreement zone, and the
    breakout months of the status quo and of each proposal."""
    from accord.clocks import breakout_months, has_breakout_metric, proposal_units, timeline

    with user_errors():
        if target not in ("isis", "sq"):
            raise InputError(Problem("expected isis or sq", ("--target",), target))
        s = load_scenario(scenario)
        bkw: dict[str, Any] = {"target": target, "reconfigure_months": reconfigure}
        tl = timeline(s, months, unit=unit, step=step, breakout_kw=bkw)
        packages: dict[str, float | None] = {}
        if has_breakout_metric(s):
            packages = {
                p.id: breakout_months(s, proposal_units(s, p.id), **bkw) for p in s.proposals
            }
    if as_json:
        print_json({**tl.to_dict(), "proposal_breakout_months": packages})
        return
    _print_clock(s, tl, packages)


def _print_clock(s: Any, tl: Any, packages: dict[str, float | None]) -> None:
    console.print(
        f"[bold]{tl.title}[/]: the clocks over {tl.times[-1]:g} {tl.unit}(s)"
        + (
            f" (scenario time unit: {tl.scenario_unit}, converted)"
            if tl.unit != tl.scenario_unit
            else ""
        )
    )
    moving = [
        k
        for k in range(len(tl.issue_ids))
        if not np.allclose(tl.status_quo[:, k], tl.status_quo[0, k])
    ]
    has_breakout = bool(np.isfinite(tl.breakout_months).any())
    t = Table(title="No-deal utility of each seat (reservation) over time")
    t.add_column(tl.unit, justify="right")
    seat_name = {a.id: a.label for a in s.actors} | {b.id: b.label for b in s.blocs}
    for k in moving:
        issue = s.issue(tl.issue_ids[k])
        t.add_column(
            escape(f"{issue.label} ({issue.unit})" if issue.unit else issue.label), justify="right"
        )
    for sid in tl.seat_ids:
        t.add_column(escape(seat_name.get(sid, sid)), justify="right")
    t.add_column("zone margin", justify="right")
    if has_breakout:
        t.add_column("breakout (months)", justify="right")
    n = len(tl.times)
    every = max(1, int(np.ceil(n / 25)))
    for i in range(n):
        if i % every and i != n - 1:
            continue
        row = [
            f"{tl.times[i]:g}",
            *(_value(tl.status_quo[i, k]) for k in moving),
            *(f"{x:.3f}" for x in tl.reservations[i]),
            f"{tl.zone_slack[i]:+.3f}",
        ]
        if has_breakout:
            row.append(_months(tl.breakout_months[i]))
        t.add_row(*row)
    console.print(t)
    events = tl.zone_events()
    state = "open" if tl.zone_open[0] else "closed"
    console.print(
        f"agreement zone: {state} at t = 0"
        + "".join(f"; {e} at {tt:g}" for tt, e in events)
        + ("" if events else f", {state} throughout")
    )
    console.print(
        "zone margin: what the worst-off seat gains over no deal at the package best for it "
        f"(below zero: no agreement zone), over {tl.grid_outcomes:,} packages on the grid"
    )
    for pid in tl.proposal_ids:
        window = tl.proposal_window(pid)
        name = escape(s.proposal(pid).label)
        if not window:
            console.print(f"{name}: some seat refuses it throughout")
        elif len(window) == len(tl.times):
            console.print(f"{name}: every seat accepts it throughout")
        else:
            spans = _spans(window, float(tl.times[1] - tl.times[0]))
            console.print(f"{name}: every seat accepts it at {tl.unit}s {spans}")
    for when_, text in tl.red_line_events():
        console.print(
            f"red line crossed by the no-deal path at {tl.unit} {when_:g}: {escape(text)}"
        )
    console.print("[bold]Who gains from delay[/]")
    best = tl.best_wait()
    for j, (sid, label) in enumerate(zip(tl.seat_ids, tl.seat_labels, strict=True)):
        d = tl.change()[j]
        when, lev = best[sid]
        verdict = (
            f"gains leverage by waiting until {tl.unit} {when:g} ({lev:+.3f} against the others)"
            if lev > 1e-9
            else "gains no leverage by waiting"
        )
        console.print(
            f"  {label}: no-deal utility {tl.reservations[0, j]:.3f} → "
            f"{tl.reservations[-1, j]:.3f} ({d:+.3f}); {verdict}"
        )
    if packages:
        console.print(
            "[bold]Breakout months each package means[/] "
            "(issues recognised by id: enrichment_level, stockpile_20, stockpile_leu, capacity)"
        )
        for pid, m in packages.items():
            console.print(f"  {escape(s.proposal(pid).label)}: {_months(m)} months")
        console.print(
            f"  status quo: {_months(tl.breakout_months[0])} months now, "
            f"{_months(tl.breakout_months[-1])} after {tl.times[-1]:g} {tl.unit}(s)"
        )
        note = breakout_assumptions(s)
        if note:
            console.print(f"  [dim]{escape(note)}[/]")
