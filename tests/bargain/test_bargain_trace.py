"""The lazily built trace against eager references, and what a trace must survive.

`run_session` keeps a session's trace as columns and builds the `Step` records when the trace
is first read (`trace_steps`). These properties rebuild every step eagerly, the way the
session loop recorded them round by round before, and require the same records: for two
time-dependent seats from an independent plain-Python session (the vectorised path), and for
any line-up from the loop itself with an eager recorder.
"""

from __future__ import annotations

import pickle
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.bargain import Step, domain_from_utilities, random_domain, run_session
from accord.bargain.domain import Domain
from accord.bargain.protocols import SingleText, _State, make_protocol
from accord.bargain.session import LazySteps, Session
from accord.results import jsonable

TOL = 1e-12
exponents = st.floats(min_value=0.05, max_value=8.0, allow_nan=False)


def with_issues(d: Domain) -> Domain:
    """`d` with issue units, so that steps carry issue values rather than indices."""
    top = np.maximum(d.levels.max(axis=0), 1)
    k = d.levels.shape[1]
    return replace(
        d,
        outcomes=d.levels / top,
        issue_ids=tuple(f"i{j}" for j in range(k)),
        lo=np.linspace(0.0, 1.0, k),
        hi=np.linspace(10.0, 30.0, k),
    )


def make_domain(seed: int, n: int, res: float, coarse: bool, issues: bool) -> Domain:
    """A random bilateral domain; `coarse` rounds utilities to tenths, so that outcomes tie."""
    d = random_domain(n, 2, reservation=res, seed=seed)
    if coarse:
        u = np.round(d.utility, 1)
        d = domain_from_utilities(u, d.reservation, levels=d.levels)
    return with_issues(d) if issues else d


def eager_step(d: Domain, r: int, t: float, proposer: str, offer: int, responses: tuple) -> Step:
    """One step as the loop recorded it before traces were lazy: every field from `d`."""
    return Step(
        round=r,
        t=t,
        proposer=proposer,
        offer=offer,
        responses=responses,
        utility=tuple(float(x) for x in d.utility[offer]),
        reservation=tuple(float(x) for x in d.reservation),
        pareto_distance=float(d.pareto_distance[offer]),
        nash_distance=float(d.nash_distance[offer]),
        offer_units=d.to_units(offer),
    )


def norm(steps: object) -> list[Step]:
    """The steps with NaN distances (no Nash point) as None, so that equal traces compare
    equal (NaN ≠ NaN)."""
    out = []
    for x in steps:  # type: ignore[attr-defined]
        nd = None if x.nash_distance != x.nash_distance else x.nash_distance
        out.append(x._replace(nash_distance=nd))
    return out


def at_least(column: list[float], target: float) -> int:
    """Least utility ≥ target, lowest index among ties; the best (highest index) if none."""
    ok = [(u, i) for i, u in enumerate(column) if u >= target - 1e-12]
    if not ok:
        top = max(column)
        return max(i for i, u in enumerate(column) if u == top)
    return min(ok)[1]


def reference(d: Domain, e: tuple[float, float], rounds: int) -> tuple[list[Step], int | None]:
    """Faratin time-dependent seats under AC_next, seat 0 first, in plain Python with eager
    steps: (the trace, the agreement round or None)."""
    cols = [d.utility[:, a].tolist() for a in range(2)]
    res = [float(x) for x in d.reservation]
    span = max(rounds - 1, 1)
    times = [min(1.0, r / span) if rounds > 1 else 1.0 for r in range(rounds + 1)]

    def bid(a: int, r: int) -> int:
        best = max(cols[a])
        low = min(res[a], best)
        return at_least(cols[a], low + (best - low) * (1.0 - times[r] ** (1.0 / e[a])))

    steps: list[Step] = []
    offer = bid(0, 0)
    for r in range(rounds):
        p, q = r % 2, 1 - r % 2
        nxt = bid(q, r + 1)
        yes = cols[q][offer] >= res[q] - TOL and cols[q][offer] >= cols[q][nxt] - TOL
        answers = (None, yes) if p == 0 else (yes, None)
        steps.append(eager_step(d, r, times[r], d.ids[p], offer, answers))
        if yes and cols[p][offer] >= res[p] - TOL:
            return steps, r
        offer = nxt
    return steps, None


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 150),
    e0=exponents,
    e1=exponents,
    rounds=st.integers(1, 80),
    res=st.floats(0.0, 0.6),
    coarse=st.booleans(),
    issues=st.booleans(),
)
def test_the_vectorised_trace_is_the_eager_reference(
    seed: int, n: int, e0: float, e1: float, rounds: int, res: float, coarse: bool, issues: bool
) -> None:
    d = make_domain(seed, n, res, coarse, issues)
    if d.hopeless:
        return  # a seat walks away before the first offer: no trace (tested elsewhere)
    lineup = [("linear", {"e": e0}), ("linear", {"e": e1})]
    s = run_session(d, lineup, rounds=rounds)  # type: ignore[arg-type]
    assert isinstance(s.steps, LazySteps) and s.steps._steps is None
    steps, agreed = reference(d, (e0, e1), rounds)
    assert s.round == agreed and len(s.steps) == len(steps)
    assert s.outcome == (steps[-1].offer if agreed is not None else None)
    assert norm(s.steps) == norm(steps)
    assert [type(x) for x in s.steps] == [Step] * len(steps)


class EagerState(_State):
    """The loop's state with the eager recorder the loop had before traces were lazy: each
    recorded round's step built from the domain field by field."""

    def trace_of(self) -> tuple[Step, ...]:
        out = []
        rows = zip(self.offers, self.proposers, self.responses, strict=True)
        for r, (offer, proposer, responses) in enumerate(rows):
            row = tuple(self._res[min(r, self.R)])
            step = eager_step(self.domain, r, self.time(r), proposer, offer, responses)
            out.append(step._replace(reservation=row))
        return tuple(out)


LINEUPS = ["boulware", "conceder", "frequency", "tft-relative", "random", "nash-seeker"]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 120),
    parties=st.integers(2, 4),
    protocol=st.sampled_from(["alternating", "multilateral", "mediated"]),
    picks=st.lists(st.sampled_from(LINEUPS), min_size=4, max_size=4),
    rounds=st.integers(1, 60),
    res=st.floats(0.0, 0.5),
    discount=st.sampled_from([None, 0.9]),
    issues=st.booleans(),
    moving=st.booleans(),
)
def test_the_loop_trace_is_its_eager_record(
    seed: int,
    n: int,
    parties: int,
    protocol: str,
    picks: list[str],
    rounds: int,
    res: float,
    discount: float | None,
    issues: bool,
    moving: bool,
) -> None:
    if protocol == "alternating":
        parties = 2
    d = random_domain(n, parties, reservation=res, seed=seed)
    d = with_issues(d) if issues else d
    lineup = picks[:parties]
    p = make_protocol(protocol, discount=discount)
    at = (lambda r: d.reservation + 0.004 * r) if moving else None  # the no-deal point rises
    lazy = p._play(_State(p, d, lineup, rounds, seed, at, True))
    eager = p._play(EagerState(p, d, lineup, rounds, seed, at, True))
    assert norm(lazy.steps) == norm(eager.steps) and len(lazy.steps) == len(eager.steps)
    assert repr(lazy.to_dict()) == repr(eager.to_dict())
    again = run_session(d, lineup, p, rounds=rounds, seed=seed, reservation_at=at)
    assert repr(again.to_dict()) == repr(eager.to_dict())


def test_a_session_pickles_and_serialises_as_before() -> None:
    d = with_issues(random_domain(300, 2, seed=5, reservation=0.1))
    for lineup in (["boulware", "linear"], ["frequency", "boulware"]):
        s = run_session(d, lineup, rounds=90)
        again = pickle.loads(pickle.dumps(s))
        assert isinstance(again.steps, tuple) and again.steps == s.steps
        assert again.to_dict() == s.to_dict()
        assert again.to_frame().equals(s.to_frame())
        assert pickle.loads(pickle.dumps(s.steps[3])) == s.steps[3]


def test_a_step_reads_as_a_record_and_cannot_be_changed() -> None:
    s = run_session(random_domain(200, 2, seed=2), ["boulware", "conceder"], rounds=30)
    first = s.steps[0]
    assert (first.round, first.proposer, first.responses[0]) == (0, "p0", None)
    assert first._asdict()["offer"] == first.offer == s.to_dict()["trace"][0]["offer"]
    record = jsonable(first)  # a record, as when Step was a dataclass
    assert list(record) == list(Step._fields) and record["responses"] == [None, False]
    try:
        first.offer = 3  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("a step must be immutable")


def test_the_mediator_trace_names_the_mediator() -> None:
    d = random_domain(200, 3, seed=1, reservation=0.1)
    s: Session = SingleText().run(d, ["boulware", "linear", "conceder"], rounds=20)
    assert {x.proposer for x in s.steps} == {"mediator"}
    assert all(x.responses.count(None) == 0 for x in s.steps)
