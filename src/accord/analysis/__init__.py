"""Outcome-space analysis: Pareto frontier, bargaining solutions, agreement zone, gap, packages.

>>> import accord
>>> from accord.analysis import analyze
>>> a = analyze(accord.load("teaching-trade"))
>>> a.zone_empty
False
"""

from __future__ import annotations

from accord.analysis.analyze import SOLUTIONS, Analysis, Package, analyze
from accord.analysis.bargaining import (
    agreement_mask,
    egalitarian_point,
    kalai_smorodinsky_point,
    nash_point,
    utilitarian_point,
)
from accord.analysis.gap import Gap, concessions, gap, package_ranking
from accord.analysis.pareto import dominated_by, pareto_frontier
from accord.analysis.proposals import ProposalVerdict, check_proposal
from accord.analysis.search import additive_frontier

__all__ = [
    "SOLUTIONS",
    "Analysis",
    "Gap",
    "Package",
    "ProposalVerdict",
    "additive_frontier",
    "agreement_mask",
    "analyze",
    "check_proposal",
    "concessions",
    "dominated_by",
    "egalitarian_point",
    "gap",
    "kalai_smorodinsky_point",
    "nash_point",
    "package_ranking",
    "pareto_frontier",
    "utilitarian_point",
]
