"""`accord timeline`: a negotiation round by round, and whether accord would have seen the deal."""

from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from accord.cli.common import console, err_console, print_json, user_errors

TIMELINE_HELP = "a built-in timeline (see `accord list scenarios`) or a timeline file"


def register(app: typer.Typer) -> None:
    """Add `accord timeline` to `app`."""
    app.command()(timeline)


def timeline(
    source: str = typer.Argument("iran-2012-2015", help=TIMELINE_HELP),
    model: list[str] | None = typer.Option(
        None,
        "--model",
        "-m",
        help="forecast model, repeatable or comma-separated (default: compromise, median, nash, "
        "bdm)",
    ),
    draws: int = typer.Option(
        0,
        "--draws",
        min=0,
        help="Monte-Carlo draws of the base's uncertain inputs for the hit table",
    ),
    seed: int = typer.Option(0, "--seed", help="root seed of the draws"),
    as_json: bool = typer.Option(False, "--json", help="every figure, machine-readable"),
) -> None:
    """Zone, gap, verdicts, breakout and forecasts round by round, with the retrodiction."""
    from accord.timeline import load_timeline, run_timeline

    with user_errors():
        loaded = load_timeline(source)
        given = ",".join(model or ["compromise,median,nash,bdm"])
        names = tuple(m.strip() for m in given.split(",") if m.strip())
        with err_console.status("evaluating the rounds") as status:

            def progress(done: int, total: int) -> None:
                status.update(f"evaluated {done} of {total} rounds")

            result = run_timeline(loaded, models=names, progress=progress)
            robust = None
            if draws:
                from accord.timeline.robust import robust_retrodiction

                def drawn(done: int, total: int) -> None:
                    status.update(f"retrodiction: draw {done} of {total}")

                robust = robust_retrodiction(loaded, draws, seed, progress=drawn)
    if as_json:
        out = result.to_dict()
        if robust is not None:
            out["robustness"] = robust.to_dict()
        print_json(out)
        return
    first, last = result.rounds[0], result.rounds[-1]
    console.print(f"[bold]{result.title}[/]")
    seats = " and ".join(first.seats.values())
    console.print(
        f"{len(result.rounds)} steps, {first.date} to {last.date}. At the table: {seats}. "
        "Clocks run between the rounds; each round changes only what its sources record."
    )
    console.print(_rounds_table(result.rounds))
    console.print(_packages_table(result.rounds))
    red = _red_lines_table(result.rounds)
    if red is not None:
        console.print(red)
    console.print(_forecast_table(result.rounds, names))
    console.print(_hit_table(result.retrodiction))
    _hit_rates(result.retrodiction)
    if robust is not None:
        _robustness(robust)
    console.print(
        "[dim]Margins: utility of the package minus the no-deal utility (0–1 scale); a party "
        "accepts at ≥ 0 when it breaks none of its red lines; a bloc decides by its rule "
        "(consensus: every member). Breakout: months to 25 kg of 90 % uranium "
        "(docs/breakout.md). The forecast models work issue by issue on positions and "
        "saliences and ignore no-deal utilities and red lines.[/]"
    )


def _months(m: float | None) -> str:
    return "—" if m is None else f"{m:.1f}"


def _rounds_table(rounds: Any) -> Table:
    t = Table(title="Round by round", title_justify="left")
    seat_ids = list(rounds[0].seats)
    t.add_column("date")
    t.add_column("round")
    t.add_column("recorded")
    t.add_column("zone", justify="right")
    t.add_column("offer\ngap", justify="right")
    for s in seat_ids:
        t.add_column(f"{_short(rounds[0].seats[s])}\nno deal", justify="right")
    t.add_column("breakout,\nno deal", justify="right")
    for r in rounds:
        happened = r.outcome or ("event" if r.kind == "event" else "—")
        zone = "none" if r.zone_empty else f"{r.zone_share:.0%}"
        gap = "—" if r.offer_gap is None else f"{r.offer_gap:.2f}"
        utils = [f"{r.no_deal[s]:.3f}" if s in r.no_deal else "—" for s in seat_ids]
        t.add_row(
            _date(r.date), r.label, happened, zone, gap, *utils, _months(r.status_quo_breakout)
        )
    t.caption = (
        "zone: share of the outcome grid every seat prefers to no deal. offer gap: mean distance "
        "(0–1 of each issue's range) between the packages the two sides tabled. no deal: each "
        "seat's utility of no deal (0–1), after the clocks. breakout: months, no deal."
    )
    t.caption_justify = "left"
    return t


def _date(iso: str) -> str:
    import datetime as dt

    return dt.date.fromisoformat(iso).strftime("%b %Y")


def _short(label: str) -> str:
    """A label without its parenthesis: 'P5+1 (chair EU/Ashton)' → 'P5+1'."""
    return label.split(" (")[0]


def _packages_table(rounds: Any) -> Table:
    t = Table(
        title="Packages tabled: who accepts (margin over no deal), each bloc by its rule",
        title_justify="left",
    )
    seat_ids = list(rounds[0].seats)
    t.add_column("round")
    t.add_column("package")
    for s in seat_ids:
        t.add_column(_short(rounds[0].seats[s]), justify="right")
    t.add_column("members\nrefusing")
    t.add_column("red lines broken")
    t.add_column("breakout", justify="right")
    for r in rounds:
        for v in r.verdicts:
            cells = [_margin(v.seat_margin.get(s), v.seat_accepts.get(s)) for s in seat_ids]
            refusing = ", ".join(v.members_refusing) or "none"
            t.add_row(
                r.label,
                _short(v.label),
                *cells,
                refusing,
                _broken(v.red_lines_broken),
                _months(v.breakout_months),
            )
    return t


def _broken(broken: Any) -> str:
    """Red lines a package breaks, grouped: 'us, uk: enrichment_level <= 5 (by 15)'."""
    groups: dict[tuple[str, float], list[str]] = {}
    for actor, text, by in broken:
        groups.setdefault((text, round(by, 3)), []).append(actor)
    return "; ".join(f"{', '.join(a)}: {txt} (by {by:g})" for (txt, by), a in groups.items())


def _margin(m: float | None, accepts: bool | None = None) -> str:
    if m is None:
        return "—"
    ok = m >= -1e-9 if accepts is None else accepts
    return f"yes {m:+.3f}" if ok else f"[red]no {m:+.3f}[/]"


def _red_lines_table(rounds: Any) -> Table | None:
    """One row per red line that binds the zone in some round: where, and how much it excludes."""
    rows: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for r in rounds:
        for f in r.red_lines:
            rows.setdefault((f["actor"], f["red_line"]), []).append(
                (r.label, int(f["packages_excluded"]))
            )
    if not rows:
        return None
    t = Table(
        title="Red lines that bind the zone (keep packages every seat would otherwise accept out)",
        title_justify="left",
    )
    for col in ("actor", "red line", "binds in", "packages kept out"):
        t.add_column(col)
    n = len(rounds)
    for (actor, text), seen in rows.items():
        kept = ", ".join(f"{k:,}" for _, k in seen)
        t.add_row(_short(actor), text, f"{len(seen)} of {n} rounds", kept)
    return t


def _forecast_table(rounds: Any, names: tuple[str, ...]) -> Table:
    t = Table(
        title="What the forecast models say: would every seat accept the forecast?",
        title_justify="left",
    )
    t.add_column("round")
    for n in names:
        t.add_column(n)
    for r in rounds:
        cells = []
        for n in names:
            f = r.forecasts.get(n)
            if f is None:
                cells.append("—")
                continue
            refused = [_short(r.seats[s]) for s, ok in f["seat_accepts"].items() if not ok]
            verdict = "all accept" if not refused else "no: " + ", ".join(refused)
            cells.append(f"{verdict}, {_months(f['breakout_months'])} mo")
        t.add_row(r.label, *cells)
    return t


def _hit_table(retro: Any) -> Table:
    t = Table(title="Retrodiction: did accord's verdict match what happened?", title_justify="left")
    for col in ("round", "recorded", "accord, by seats", "", "accord, by members", ""):
        t.add_column(col)
    for s in retro.scores:
        t.add_row(
            s.label,
            s.outcome,
            s.said_seats,
            _hit(s.hit_seats),
            s.said_members,
            _hit(s.hit_members),
        )
    t.caption = (
        "A round without a deal is a hit when no tabled package is acceptable to all; a deal "
        "is a hit when the agreed package is acceptable to all."
    )
    t.caption_justify = "left"
    return t


def _hit(ok: bool) -> str:
    return "[green]hit[/]" if ok else "[red]miss[/]"


def _hit_rates(retro: Any) -> None:
    n = len(retro.scores)
    for rule, how in (
        ("seats", "every seat (weighted blocs)"),
        ("members", "every member (consensus)"),
    ):
        rate = retro.rate(rule)
        shown = "—" if rate is None else f"{rate:.0%}"
        console.print(f"Hit rate, acceptance by {how}: {retro.hits(rule)} of {n} ({shown}).")
    if retro.unscored:
        skipped = ", ".join(f"{r} ({why})" for r, why in retro.unscored)
        console.print(f"Not scored: {skipped}.")


def _robustness(r: Any) -> None:
    n = r.scored
    console.print(
        f"Over {r.draws} Monte-Carlo draws of the base's {r.inputs} uncertain inputs "
        f"(seed {r.seed}):"
    )
    for rule in ("seats", "members"):
        hits = r.hits[rule]
        mean = sum(hits) / len(hits) if hits else 0.0
        console.print(
            f"  by {rule}: mean {mean:.1f} of {n} hits; "
            f"{n - 1}+ hits in {r.share_of_draws(rule, n - 1):.0%} of draws"
        )
    shares = ", ".join(
        f"{rid} {s['seats']:.0%}/{s['members']:.0%}" for rid, s in r.round_hit_share.items()
    )
    console.print(f"  share of draws each round is a hit (seats/members): {shares}")
