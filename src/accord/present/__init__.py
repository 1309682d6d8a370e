"""The presentation layer: number formats, labels, the story and the notebook views.

Everything a person reads is formatted here, once, and rendered by the terminal (`accord.cli`),
the HTML report (`accord.report`) and notebooks alike (design.md §2, issue 14 §5).
"""

from accord.present.format import (
    issue_value,
    months,
    number,
    option_shares,
    percent,
    spread_text,
    utility,
)
from accord.present.story import Answer, Sentence, Value, story

__all__ = [
    "Answer",
    "Sentence",
    "Value",
    "issue_value",
    "months",
    "number",
    "option_shares",
    "percent",
    "spread_text",
    "story",
    "utility",
]
