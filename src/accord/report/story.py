"""The story a `JobResult` tells, in sentences: the answers at the top of the report and of
the terminal summary. Every sentence is computed from the result; none is written per scenario.
"""

from __future__ import annotations

import numpy as np

from accord.job import JobResult


def _pct(x: float) -> str:
    return f"{100 * x:.2g} %" if 0 < x < 0.01 else f"{100 * x:.0f} %"


def _outcome_text(outcome: dict[str, str], labels: dict[str, str]) -> str:
    return "; ".join(f"{labels.get(k, k)}: {v}" for k, v in outcome.items())


def answers(r: JobResult) -> list[str]:
    """Five short paragraphs: why stalled, what package, time, where it ends, how sure."""
    s, a, c = r.scenario, r.analysis, r.compiled
    labels = {i.id: i.label for i in s.issues}
    seat_label = dict(zip(c.seats.ids, c.seats.labels, strict=True))
    out: list[str] = []

    # 1. Why stalled.
    refused = [p for p in a.proposals if p.refused_by]
    if a.zone_empty:
        by = ", ".join(
            f"{seat_label[p]} {g:.3f}"
            for p, g in zip(a.gap.parties, a.gap.minimax_by_party, strict=True)
            if g > 0
        )
        first = (
            f"<b>Why the talks stall:</b> <span class='verdict-bad'>no agreement zone</span>"
            f" — no package on the grid gives every seat at least its no-deal utility. "
            f"The smallest total concession that opens one is {a.gap.total:.3f} utility "
            f"(shared as evenly as possible: {by})."
        )
    else:
        first = (
            f"<b>Why the talks stall:</b> an agreement zone "
            f"<span class='verdict-good'>exists</span> ({_pct(a.zone_share)} of the "
            f"{a.space_size:,} packages on the grid leave every seat better off than no "
            f"deal), so the stalemate is about who gets the surplus, not its absence."
        )
    for p in refused:
        who = ", ".join(seat_label.get(x, x) for x in p.refused_by)
        worst = float(np.min(p.margins))
        short = f" (short of its no-deal utility by {-worst:.3f})" if worst < -1e-9 else ""
        first += f" {p.label}: refused by {who}{short}."
        lines: dict[tuple[str, str], list[str]] = {}
        for owner, text, amount in p.broken:
            lines.setdefault((text, f"{amount:.3g}"), []).append(owner)
        if lines:
            said = [f"{x} of {', '.join(w)} (by {y})" for (x, y), w in lines.items()]
            first += f" Red lines it breaks: {'; '.join(said)}."
    for p in a.proposals:
        for j, seat in enumerate(c.seats.ids):
            members = [c.actors.ids[m] for m in c.seat_members[j]]
            against = [m for m in members if not p.actor_accepts.get(m, True)]
            if seat in p.accepted_by and len(members) > 1 and against:
                first += (
                    f" {p.label}: {seat_label[seat]} as a whole would gain "
                    f"{float(p.margins[j]):.3f}, but its members {', '.join(against)} "
                    "would each refuse it."
                )
    out.append(first)

    # 2. What package.
    nash = a.solutions.get("nash")
    if nash is not None:
        gains = ", ".join(
            f"{seat_label[p]} +{g:.3f}" for p, g in zip(nash.parties, nash.gains, strict=True)
        )
        bo = r.breakout.get("Nash package")
        now = r.breakout.get("status quo now")
        extra = f" It implies a breakout time of {bo:.1f} months." if bo else ""
        if bo and now and f"{bo:.1f}" == f"{now:.1f}":
            extra = f" It implies a breakout time of {bo:.2f} months (no deal: {now:.2f})."
        out.append(
            f"<b>A package that closes the gap</b> (the Nash bargaining point): "
            f"{_outcome_text(nash.outcome, labels)}. Gains over no deal: {gains}.{extra}"
        )
    elif a.packages:
        p0 = a.packages[0]
        out.append(f"<b>The least-concession package:</b> {_outcome_text(p0.outcome, labels)}.")

    # 3. Time.
    if r.clock is not None:
        t = r.clock
        change = t.change()
        moves = ", ".join(f"{lab} {d:+.3f}" for lab, d in zip(t.seat_labels, change, strict=True))
        gainers = [seat_label.get(g, g) for g in t.leverage_gainers()]
        gain_txt = (
            (f"{' and '.join(gainers)} gains from delay (its no-deal position worsens least)")
            if gainers
            else "no seat gains from delay"
        )
        events = t.zone_events()
        ev = "; ".join(f"the zone {e} at {tt:g} {t.unit}s" for tt, e in events)
        sentence = (
            f"<b>What time does:</b> over {t.times[-1]:g} {t.unit}s the no-deal "
            f"utilities move by {moves}; {gain_txt}."
        )
        if ev:
            sentence += f" {ev[0].upper()}{ev[1:]}."
        now = r.breakout.get("status quo now")
        later_key = next((k for k in r.breakout if k.startswith("status quo after")), None)
        if now is not None and later_key and r.breakout[later_key] is not None:
            sentence += (
                f" Breakout time with no deal: {now:.1f} months now, "
                f"{r.breakout[later_key]:.1f} after {t.times[-1]:g} {t.unit}s."
            )
        out.append(sentence)

    # 4. Where it ends.
    parts = []
    for name in ("compromise", "bdm", "ktab"):
        f = r.forecasts.get(name)
        if f is not None:
            shown = ", ".join(
                f"{s.issues[k].id} {s.issues[k].show(float(v))}" for k, v in enumerate(f.point)
            )
            parts.append(f"{name}: {shown}")
    talk = ""
    if r.talks is not None:
        ses = r.talks.session
        if ses.agreement:
            talk = (
                f" A simulated session ({', '.join(ses.strategies)}) agrees in round {ses.round}."
            )
        else:
            talk = (
                f" A simulated session ({', '.join(ses.strategies)}) ends without agreement"
                f" ({ses.reason})."
            )
    out.append("<b>Where bargaining is heading:</b> " + "; ".join(parts) + "." + talk)

    # 5. How sure.
    if r.montecarlo is not None:
        zp = r.zone_probability
        z = f" An agreement zone exists in {_pct(zp)} of them." if zp is not None else ""
        out.append(
            f"<b>How sure:</b> {r.montecarlo.draws:,} Monte-Carlo draws over the "
            f"{len(r.montecarlo.params)} uncertain inputs the scenario declares.{z} "
            "Forecast intervals are in the table below."
        )
    return out
