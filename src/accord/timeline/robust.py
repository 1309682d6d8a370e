"""How robust is the hit table? The retrodiction over Monte-Carlo draws of the uncertain inputs.

Every uncertain number of the base scenario (saliences, capabilities, clock rates, red-line
thresholds, metric weights: `accord.experiments.uncertain`) is drawn, the rounds are rebuilt
on the drawn base (`accord.timeline.load.rebuild`), and only the tabled packages are judged in
each round — the zone and forecasts are not needed for the hit table, so a draw costs the
timeline's compile and one `decide` per package. Draw *i* uses ``run_rng(seed, i)``
(`accord.seeding`), so the result does not depend on how the draws are run.

The overlays' own numbers stay as written: they are the round-by-round record, and the few
that carry a range would be drawn only if the base held them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.proposals import check_proposal, normalise_offer
from accord.experiments.uncertain import perturb, uncertain_numbers
from accord.results import jsonable
from accord.scenario import compile
from accord.seeding import run_rng
from accord.timeline.build import RoundState
from accord.timeline.load import LoadedTimeline, rebuild
from accord.timeline.retro import RULES, Retrodiction, retrodict
from accord.timeline.run import Verdict, verdict_of

MAX_DRAWS = 10_000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class JudgedRound:
    """A round with only its tabled packages judged: what the hit table needs."""

    id: str
    label: str
    date: str
    kind: str
    outcome: str | None
    agreed: str | None
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True, eq=False)
class RobustRetrodiction:
    """Hits per draw under both rules, and how often each scored round was a hit."""

    draws: int
    seed: int
    inputs: int
    hits: dict[str, list[int]]
    scored: int
    round_hit_share: dict[str, dict[str, float]]

    def share_of_draws(self, rule: str, at_least: int) -> float:
        """Share of draws with at least `at_least` hits under `rule`."""
        return float(np.mean(np.asarray(self.hits[rule]) >= at_least)) if self.draws else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record."""
        return jsonable(
            {
                "draws": self.draws,
                "seed": self.seed,
                "uncertain_inputs": self.inputs,
                "scored": self.scored,
                "hits": self.hits,
                "mean_hit_rate": {
                    r: float(np.mean(h)) / self.scored if self.scored and h else None
                    for r, h in self.hits.items()
                },
                "round_hit_share": self.round_hit_share,
            }
        )


def judge_rounds(rounds: tuple[RoundState, ...]) -> tuple[JudgedRound, ...]:
    """Each round's tabled packages judged by every seat and member (no zone, no forecasts)."""
    out = []
    for st in rounds:
        s = st.scenario
        c = compile(s)
        issues = {i.id: i for i in s.issues}
        verdicts = []
        for p in s.proposals:
            x = normalise_offer(c, issues, p.outcome)
            v = check_proposal(c, c.seats, x, np.empty((0, c.seats.n)), id=p.id, label=p.label)
            verdicts.append(verdict_of(s, c, v, breakout=False))
        r = st.round
        out.append(
            JudgedRound(
                r.id, r.label, r.date.isoformat(), r.kind, r.outcome, r.agreed, tuple(verdicts)
            )
        )
    return tuple(out)


def robust_retrodiction(
    loaded: LoadedTimeline, draws: int = 100, seed: int = 0, progress: Progress | None = None
) -> RobustRetrodiction:
    """The hit table over `draws` Monte-Carlo draws of the base scenario's uncertain inputs."""
    if not 0 <= draws <= MAX_DRAWS:
        from accord.errors import LimitError

        raise LimitError("Monte-Carlo draws of the retrodiction", draws, MAX_DRAWS)
    params = uncertain_numbers(loaded.base)
    hits: dict[str, list[int]] = {r: [] for r in RULES}
    per_round: dict[str, dict[str, int]] = {}
    scored = 0
    for i in range(draws):
        rng = run_rng(seed, i)
        u = rng.random(len(params))
        values = [float(p.ppf(ui)) for p, ui in zip(params, u, strict=True)]
        drawn = rebuild(loaded, perturb(loaded.base, params, values))
        retro: Retrodiction = retrodict(judge_rounds(drawn.rounds))
        scored = len(retro.scores)
        for rule in RULES:
            hits[rule].append(retro.hits(rule))
        for sc in retro.scores:
            counts = per_round.setdefault(sc.round, {r: 0 for r in RULES})
            for rule in RULES:
                counts[rule] += int(getattr(sc, f"hit_{rule}"))
        if progress is not None:
            progress(i + 1, draws)
    share = {rid: {r: n / draws for r, n in counts.items()} for rid, counts in per_round.items()}
    return RobustRetrodiction(draws, seed, len(params), hits, scored, share)
