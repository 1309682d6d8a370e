"""From a news report to a draft scenario: who speaks for whom, what they said, what is on the
table and what happened, every item traced to its sentence.

>>> from accord.extract import extract, draft
>>> text = 'EU foreign policy chief Catherine Ashton said the positions were still "far apart."'
>>> found = extract(text, source="afp-2013-04-06")
>>> [(q.speaker_name, q.party) for q in found.quotes]
[('Catherine Ashton', 'eu')]
>>> scenario = draft(found)    # a valid Scenario; every number a judgement to fill

The reading is rule-based and offline (spaCy's tokenizer, rule-based sentencizer, EntityRuler,
PhraseMatcher and Matcher over a gazetteer shipped as data), in the spirit of the
quotation-attribution rules of Pouliquen, Steinberger & Best, "Automatic detection of
quotations in multilingual news" (RANLP 2007) and the speaker–verb patterns of Pareti et al.,
"Automatically detecting and attributing indirect quotations" (EMNLP 2013). spaCy is optional
(the ``extract`` extra) and imported lazily; without it `MissingDependency` names
``pip install 'accord[extract]'``.
"""

from __future__ import annotations

from accord.extract.draft import draft
from accord.extract.pipeline import MissingDependency, check_text, decode, read_article
from accord.extract.result import Cue, Extraction, IssueFound, Party, Person, Quote

__all__ = [
    "Cue",
    "Extraction",
    "IssueFound",
    "MissingDependency",
    "Party",
    "Person",
    "Quote",
    "decode",
    "draft",
    "extract",
    "read_article",
]


def extract(text: str, source: str = "<input>") -> Extraction:
    """Read a report (English plain text) and return everything found in it.

    Raises `InputError` for empty, binary, too short or non-English text, `LimitError` for a
    text over 1 MB, and `MissingDependency` when spaCy is not installed.
    """
    from accord.extract.assemble import assemble

    return assemble(check_text(text, source), source)
