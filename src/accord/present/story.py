"""The story a `JobResult` tells: five answers made of sentences with typed values.

The story is data, not markup (issue 14 §5): a `Sentence` is a run of plain text and `Value`s
(a number, an option label, a party, a verdict); the terminal, the HTML report, the JSON
summary and notebooks render the same sentences in their own way (`accord.present.render`).
Every sentence is computed from the result; none is written per scenario. Headings are true:
"Why the talks stall" only when they do (no zone, or every tabled proposal refused).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from accord.present.calendar import round_when
from accord.present.format import issue_value, months, number, percent, signed_utility, utility

Kind = Literal["number", "label", "party", "good", "bad", "note"]


@dataclass(frozen=True)
class Value:
    """A typed value inside a sentence: its text, its kind and the raw value it shows."""

    text: str
    kind: Kind = "number"
    raw: float | str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return {"text": self.text, "kind": self.kind, "value": self.raw}


Part = str | Value


@dataclass(frozen=True)
class Sentence:
    """Plain text and typed values, in reading order. A ``detail`` sentence is left out of
    one-screen summaries (the report's top box, the terminal) and shown in the sections."""

    parts: tuple[Part, ...]
    detail: bool = False

    @property
    def text(self) -> str:
        """The sentence as plain text."""
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)


@dataclass(frozen=True)
class Answer:
    """One of the mission's questions, answered in a few sentences under a true heading."""

    key: str
    heading: str
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        """The answer as one plain-text paragraph (without its heading)."""
        return " ".join(s.text for s in self.sentences)

    @property
    def summary(self) -> tuple[Sentence, ...]:
        """The sentences of a one-screen summary (details left out)."""
        return tuple(s for s in self.sentences if not s.detail)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: heading, plain text and the typed values."""
        return {
            "key": self.key,
            "heading": self.heading,
            "text": self.text,
            "values": [
                p.to_dict() for s in self.sentences for p in s.parts if isinstance(p, Value)
            ],
        }


def S(*parts: Part) -> Sentence:
    """Shorthand for a sentence."""
    return Sentence(tuple(parts))


def D(*parts: Part) -> Sentence:
    """Shorthand for a detail sentence (sections only, not the summary)."""
    return Sentence(tuple(parts), detail=True)


def _join(items: Sequence[Sequence[Any]], sep: str = ", ") -> list[Part]:
    out: list[Part] = []
    for k, it in enumerate(items):
        if k:
            out.append(sep)
        out.extend(it)
    return out


def _outcome(r: Any, units: Any) -> list[Part]:
    """``Maximum enrichment level 5 %; Fordow suspended; …`` from issue-unit values."""
    return _join(
        [
            [f"{i.label} ", Value(issue_value(i, float(v), unit=True), "label", float(v))]
            for i, v in zip(r.scenario.issues, units, strict=True)
        ],
        "; ",
    )


def stalled(r: Any) -> bool:
    """Whether the talks stall: no agreement zone, or every tabled proposal is refused."""
    a = r.analysis
    return bool(a.zone_empty or (a.proposals and all(p.refused_by for p in a.proposals)))


def _why(r: Any) -> Answer:
    a, c = r.analysis, r.compiled
    seat = dict(zip(c.seats.ids, c.seats.labels, strict=True))
    grid = f"{a.space_size:,} packages on the grid ({a.resolution} points per continuous issue)"
    out: list[Sentence] = []
    if a.zone_empty:
        by = [
            [Value(seat[p], "party"), " ", Value(utility(g), "number", float(g))]
            for p, g in zip(a.gap.parties, a.gap.minimax_by_party, strict=True)
            if g > 0
        ]
        out.append(
            S(
                Value("No agreement zone", "bad"),
                f": none of the {grid} leaves every seat at least as well off as no deal.",
            )
        )
        out.append(
            S(
                "The smallest total concession that opens one is ",
                Value(utility(a.gap.total), "number", float(a.gap.total)),
                " utility, shared as evenly as possible: ",
                *_join(by),
                ".",
            )
        )
    else:
        out.append(
            S(
                "An agreement zone ",
                Value("exists", "good"),
                ": ",
                Value(percent(a.zone_share), "number", float(a.zone_share)),
                f" of the {grid} leave every seat better off than no deal, so the quarrel "
                "is over who gets the surplus, not whether there is one.",
            )
        )
    for p in a.proposals:
        out += _verdict(r, p, seat)
    heading = "Why the talks stall" if stalled(r) else "Is there a deal to be had?"
    return Answer("why", heading, tuple(out))


def _verdict(r: Any, p: Any, seat: dict[str, str]) -> list[Sentence]:
    """A tabled proposal's verdict: who refuses it and why (short of no deal, red lines), and
    the members of an accepting seat who would each refuse it (a `weighted` bloc)."""
    if not p.refused_by:
        out = [S(f"{p.label}: ", Value("accepted by every seat", "good"), ".")]
    else:
        who = [[Value(seat.get(x, x), "party")] for x in p.refused_by]
        worst = float(np.min(p.margins))
        short: list[Part] = (
            [" (short of its no-deal utility by ", Value(utility(-worst), "number", -worst), ")"]
            if worst < -1e-9
            else []
        )
        out = [S(f"{p.label}: ", Value("refused", "bad"), " by ", *_join(who), *short, ".")]
    c = r.compiled
    actor = dict(zip(c.actors.ids, c.actors.labels, strict=True))
    lines: dict[tuple[str, str | None], list[str]] = {}
    for owner, text, by in p.broken_lines():
        lines.setdefault((text, by), []).append(actor.get(owner, owner))
    if lines:
        said = [
            [f"{text} of {', '.join(owners)}", *([" (by ", Value(by, "number"), ")"] if by else [])]
            for (text, by), owners in lines.items()
        ]
        out.append(D("Red lines it breaks: ", *_join(said, "; "), "."))
    for j, sid in enumerate(c.seats.ids):
        members = [c.actors.ids[m] for m in c.seat_members[j]]
        against = [m for m in members if not p.actor_accepts.get(m, True)]
        if sid in p.accepted_by and len(members) > 1 and against:
            out.append(
                D(
                    f"{seat[sid]} as a whole accepts {p.label}, but its members ",
                    *_join([[Value(actor[m], "party")] for m in against]),
                    " would each refuse it.",
                )
            )
    return out


def _package(r: Any) -> Answer | None:
    a, c = r.analysis, r.compiled
    seat = dict(zip(c.seats.ids, c.seats.labels, strict=True))
    nash = a.solutions.get("nash")
    if nash is None:
        if not a.packages:
            return None
        p0 = a.packages[0]
        return Answer(
            "package",
            "The package needing the least concession",
            (S(*_outcome(r, p0.units), "."),),
        )
    gains = [
        [Value(seat[p], "party"), " ", Value(signed_utility(g), "number", float(g))]
        for p, g in zip(nash.parties, nash.gains, strict=True)
    ]
    out = [
        S(
            f"The Nash bargaining point on the same grid of {r.analysis.space_size:,}: ",
            *_outcome(r, nash.units),
            ".",
        ),
        S("Gains over no deal: ", *_join(gains), "."),
    ]
    bo = r.breakout.get("Nash package")
    if bo is not None:
        now = r.breakout.get("status quo now")
        exact = now is not None and months(bo) == months(now)
        shown = f"{bo:.2f} months (no deal: {now:.2f})" if exact else months(bo)
        out.append(S("It means a breakout time of ", Value(shown, "number", bo), "."))
    return Answer("package", "A package that could close the gap", tuple(out))


def _time(r: Any) -> Answer | None:
    if r.clock is None:
        return None
    t = r.clock
    moves = [
        [Value(lab, "party"), " ", Value(signed_utility(d), "number", float(d))]
        for lab, d in zip(t.seat_labels, t.change(), strict=True)
    ]
    seat = dict(zip(r.compiled.seats.ids, r.compiled.seats.labels, strict=True))
    gainers = [seat.get(g, g) for g in t.leverage_gainers()]
    out = [
        S(
            f"Over {t.times[-1]:g} {t.unit}s of no deal the seats' utilities move by ",
            *_join(moves),
            ".",
        )
    ]
    if gainers:
        out.append(
            S(
                *_join([[Value(g, "party")] for g in gainers], " and "),
                " gains from delay: its no-deal position worsens least.",
            )
        )
    else:
        out.append(S("No seat gains from delay."))
    for tt, e in t.zone_events():
        out.append(S(f"The agreement zone {e} at {tt:g} {t.unit}s."))
    now = r.breakout.get("status quo now")
    later = next((v for k, v in r.breakout.items() if k.startswith("status quo after")), None)
    if now is not None and later is not None:
        out.append(
            S(
                "Breakout time with no deal: ",
                Value(months(now), "number", now),
                " now, ",
                Value(months(later), "number", later),
                f" after {t.times[-1]:g} {t.unit}s.",
            )
        )
    return Answer("time", "What time does to the gap", tuple(out))


def _end(r: Any) -> Answer:
    out: list[Sentence] = []
    names = [n for n in ("compromise", "bdm", "ktab") if n in r.forecasts]
    if names:
        first = r.forecasts[names[0]]
        out.append(S(f"{MODEL_NAMES[names[0]]}: ", *_outcome(r, first.point), "."))
        base = [
            issue_value(i, float(v)) for i, v in zip(r.scenario.issues, first.point, strict=True)
        ]
    for name in names[1:]:
        f = r.forecasts[name]
        differ = [
            k
            for k, (i, v) in enumerate(zip(r.scenario.issues, f.point, strict=True))
            if issue_value(i, float(v)) != base[k]
        ]
        if not differ:
            out.append(D(f"{MODEL_NAMES[name]} agrees on every issue."))
            continue
        issues = r.scenario.issues
        kept = _join(
            [
                [
                    f"{issues[k].label} ",
                    Value(issue_value(issues[k], float(f.point[k]), unit=True), "label"),
                ]
                for k in differ
            ],
            "; ",
        )
        out.append(S(f"{MODEL_NAMES[name]} differs on ", *kept, "."))
    if r.talks is not None:
        out.append(session_sentence(r))
    return Answer("end", "Where bargaining is heading", tuple(out))


MODEL_NAMES = {
    "compromise": "Compromise model",
    "median": "Weighted median",
    "nash": "Nash (issue by issue)",
    "bdm": "Bueno de Mesquita expected utility",
    "exchange": "Stokman exchange",
    "ktab": "KTAB",
}


def session_sentence(r: Any) -> Sentence:
    """How the simulated session ends, on the calendar: "No deal" when the agreement is the
    status quo itself."""
    ses = r.talks.session
    who = ", ".join(sorted(set(ses.strategies)))
    clocks = " with the scenario's clocks running" if r.scenario.clocks else ""
    if ses.agreement and not r.talks.status_quo_deal:
        return S(
            f"A simulated session ({who}{clocks}) ",
            Value("agrees", "good"),
            f" in {round_when(r.scenario, ses.round)}.",
        )
    if ses.agreement:
        return S(
            f"A simulated session ({who}{clocks}) ends in ",
            Value("no deal", "bad"),
            f": in {round_when(r.scenario, ses.round)} the seats settle on the status quo.",
        )
    return S(
        f"A simulated session ({who}{clocks}) ends ",
        Value("without agreement", "bad"),
        f" ({ses.reason}) after {round_when(r.scenario, ses.played)}.",
    )


def _sure(r: Any) -> Answer | None:
    out: list[Sentence] = []
    if r.montecarlo is not None:
        mc = r.montecarlo
        out.append(S(f"{mc.draws:,} Monte-Carlo draws over {len(mc.params)} uncertain inputs."))
        out.append(D("They varied ", varied_text(mc.params), "."))
        zp = r.zone_probability
        if zp is not None:
            out.append(
                S(
                    "An agreement zone exists in ",
                    Value(percent(zp), "number", zp),
                    " of the draws.",
                )
            )
        out.extend(_collapsed(r))
    out.extend(_stopping(r))
    if not out:
        return None
    return Answer("sure", "How sure are we", tuple(out))


def _collapsed(r: Any) -> list[Sentence]:
    """One sentence: which models' forecasts of which issues did not move in any draw, and
    which inputs were fixed (issue 16 §3: a collapsed interval says so, and why)."""
    groups = []
    for name, d in r.draws().items():
        flat = [
            r.scenario.issues[k].label
            for k in range(d.shape[1])
            if len({issue_value(r.scenario.issues[k], float(v)) for v in d[:, k]}) == 1
        ]
        if flat:
            groups.append(f"{MODEL_NAMES.get(name, name)} on {', '.join(flat)}")
    if not groups:
        return []
    varied_positions = any("positions" in p.path for p in r.montecarlo.params)
    why = (
        "these forecasts land on the same actor's position or option in every draw"
        if varied_positions
        else "the actors' positions were fixed, and these forecasts land on the same "
        "position or option in every draw"
    )
    return [
        D(
            Value(f"No spread across {r.montecarlo.draws:,} draws", "note"),
            f" for {'; '.join(groups)}: {why}.",
        )
    ]


def _stopping(r: Any) -> list[Sentence]:
    """How far BDM's stopping rule alone moves its forecast."""
    f, free = r.forecasts.get("bdm"), r.sensitivity.get("bdm")
    if f is None or free is None:
        return []
    moved = [
        f"{i.label} {issue_value(i, float(a), unit=True)} → {issue_value(i, float(b), unit=True)}"
        for i, a, b in zip(r.scenario.issues, f.point, free.point, strict=True)
        if issue_value(i, float(a)) != issue_value(i, float(b))
    ]
    if not moved:
        return []
    return [
        S(
            f"BDM's stopping rule ended it after {f.rounds} rounds; run for all {free.rounds}, "
            "its forecast moves: ",
            Value("; ".join(moved), "label"),
            ".",
        )
    ]


def varied_text(params: Any) -> str:
    """What a Monte-Carlo varied, counted by kind: ``66 saliences, 11 capabilities, …``; says
    so when positions stayed fixed (the scenario marks none uncertain)."""
    kinds: dict[str, int] = {}
    for p in params:
        kind = p.path[2] if p.path[0] == "actors" else p.path[-1]
        kinds[str(kind)] = kinds.get(str(kind), 0) + 1
    names = {
        "salience": ("salience", "saliences"),
        "capability": ("capability", "capabilities"),
        "positions": ("position", "positions"),
        "status_quo": ("status-quo value", "status-quo values"),
        "rate": ("clock rate", "clock rates"),
        "round_length": ("round length", "round lengths"),
        "reservation": ("reservation value", "reservation values"),
        "risk": ("risk attitude", "risk attitudes"),
        "discount": ("discount factor", "discount factors"),
    }
    text = ", ".join(
        f"{n} {names.get(k, (k, k))[n != 1]}" for k, n in sorted(kinds.items(), key=lambda t: -t[1])
    )
    if "positions" not in kinds:
        text += "; actors' positions stayed fixed (the scenario marks none uncertain)"
    return text or "nothing"


def story(r: Any) -> tuple[Answer, ...]:
    """The answers of a `JobResult` in reading order (questions the result can't answer are
    left out rather than answered with an empty sentence)."""
    parts = (_why(r), _package(r), _time(r), _end(r), _sure(r))
    return tuple(p for p in parts if p is not None)


__all__ = ["Answer", "Sentence", "Value", "number", "story"]
