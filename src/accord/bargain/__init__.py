"""Bargaining simulation: protocols, strategies, sessions and traces, tournaments.

>>> import accord
>>> from accord.bargain import domain_from_compiled, run_session
>>> d = domain_from_compiled(accord.compile(accord.load("teaching-trade")))
>>> s = run_session(d, ["conceder", "boulware"], rounds=50)
>>> s.agreement
True
"""

from __future__ import annotations

from accord.bargain.acceptance import parse_acceptance
from accord.bargain.batched import Batch, time_dependent_batch
from accord.bargain.domain import (
    Domain,
    domain_from_compiled,
    domain_from_utilities,
    pareto_indices,
    random_domain,
)
from accord.bargain.protocols import PROTOCOLS, Protocol, make_protocol, run_session
from accord.bargain.rules import Rule
from accord.bargain.session import Session, Step
from accord.bargain.strategies import STRATEGIES, Strategy, make_strategy
from accord.bargain.talks import Hint, Talks, negotiate, reservation_path, seat_strategies
from accord.bargain.tournament import TournamentResult, tournament
from accord.bargain.view import View

__all__ = [
    "PROTOCOLS",
    "STRATEGIES",
    "Batch",
    "Domain",
    "Hint",
    "Protocol",
    "Rule",
    "Session",
    "Step",
    "Strategy",
    "Talks",
    "TournamentResult",
    "View",
    "domain_from_compiled",
    "domain_from_utilities",
    "make_protocol",
    "make_strategy",
    "negotiate",
    "pareto_indices",
    "parse_acceptance",
    "random_domain",
    "reservation_path",
    "run_session",
    "seat_strategies",
    "time_dependent_batch",
    "tournament",
]
