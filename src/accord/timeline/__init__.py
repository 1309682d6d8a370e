"""Negotiations as a timeline of rounds: overlays, clocks between rounds, retrodiction.

>>> from accord.timeline import load_timeline, run_timeline
>>> tl = load_timeline("iran-2012-2015")
>>> [r.round.id for r in tl.rounds][:2]
['istanbul-2012', 'baghdad-2012']

- `model`: the format (``accord-timeline/1``): `Timeline`, `Round`, `Overlay`;
- `overlay`: `apply_overlay`, only the named fields change;
- `build`: one scenario per round, clocks run between rounds, deals put in force;
- `load`: reading files and the built-in timelines;
- `run`: every engine on every round (`run_timeline`); `retro`: the hit table.
"""

from accord.timeline.build import RoundState, build_rounds, months_between
from accord.timeline.load import (
    LoadedTimeline,
    builtin_timeline_names,
    is_timeline_file,
    load_timeline,
    read_timeline,
    rebuild,
    timeline_scenario,
)
from accord.timeline.model import Overlay, Round, Timeline
from accord.timeline.overlay import apply_overlay
from accord.timeline.retro import Retrodiction, Score, retrodict
from accord.timeline.run import RoundResult, TimelineResult, Verdict, evaluate_round, run_timeline

__all__ = [
    "LoadedTimeline",
    "Overlay",
    "Retrodiction",
    "Round",
    "RoundResult",
    "RoundState",
    "Score",
    "Timeline",
    "TimelineResult",
    "Verdict",
    "apply_overlay",
    "build_rounds",
    "builtin_timeline_names",
    "evaluate_round",
    "is_timeline_file",
    "load_timeline",
    "months_between",
    "read_timeline",
    "rebuild",
    "retrodict",
    "run_timeline",
    "timeline_scenario",
]
