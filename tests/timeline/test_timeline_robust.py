"""The retrodiction over Monte-Carlo draws: reproducible, consistent with the nominal run."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli.main import app
from accord.timeline import LoadedTimeline, TimelineResult
from accord.timeline.retro import retrodict
from accord.timeline.robust import judge_rounds, robust_retrodiction


def test_judged_rounds_score_like_the_full_run(
    iran: LoadedTimeline, iran_result: TimelineResult
) -> None:
    quick = retrodict(judge_rounds(iran.rounds))
    assert quick.scores == iran_result.retrodiction.scores


def test_same_seed_same_draws(iran: LoadedTimeline) -> None:
    a = robust_retrodiction(iran, draws=3, seed=7)
    b = robust_retrodiction(iran, draws=3, seed=7)
    assert a.hits == b.hits
    assert a.inputs > 0 and a.scored == 7
    for share in a.round_hit_share.values():
        assert all(0.0 <= v <= 1.0 for v in share.values())
    assert robust_retrodiction(iran, draws=0).hits == {"seats": [], "members": []}


def test_cli_draws_in_json() -> None:
    out = CliRunner().invoke(app, ["timeline", "--model", "compromise", "--draws", "2", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["robustness"]["draws"] == 2
    assert len(data["robustness"]["hits"]["seats"]) == 2
