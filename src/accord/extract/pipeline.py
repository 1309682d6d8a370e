"""The text side of `accord extract`: checking the input, the gazetteer and the spaCy pipeline.

spaCy is an optional dependency (the ``extract`` extra) and is imported only here, lazily. The
pipeline is ``spacy.blank("en")`` with the rule-based ``sentencizer`` and an ``entity_ruler``
built from the gazetteer (gazetteer.yaml), so nothing is downloaded at run time. When an English
model happens to be installed (en_core_web_sm, _md, _lg or _trf) it is loaded instead, the
gazetteer's ruler is placed before its statistical ``ner`` (the gazetteer wins where both match)
and its PERSON entities are used as extra evidence that a capitalised run is a name.

Paragraphs are blocks separated by blank lines (or single lines when the text has no blank
line); each is a separate spaCy document, so no sentence spans two paragraphs. Curly quotes and
apostrophes are replaced one for one by straight ones, so character offsets stay valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from accord.errors import AccordError, InputError, LimitError, Problem

MAX_ARTICLE_BYTES = 1_000_000
MIN_WORDS = 8
MIN_ENGLISH_SHARE = 0.2
MODELS = ("en_core_web_sm", "en_core_web_md", "en_core_web_lg", "en_core_web_trf")
INSTALL_HINT = "pip install 'accord[extract]'"

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})


class MissingDependency(AccordError):
    """An optional dependency needed by this command is not installed."""


@dataclass(frozen=True)
class Gazetteer:
    """States, organisations, groups, media, places, offices, titles and the lexicons."""

    parties: dict[str, dict[str, Any]]
    groups: dict[str, dict[str, Any]]
    media: dict[str, dict[str, Any]]
    places: dict[str, dict[str, Any]]
    offices: dict[str, str]
    titles: frozenset[str]
    honorifics: frozenset[str]
    speech_verbs: frozenset[str]
    issues: dict[str, dict[str, Any]]
    values: dict[str, list[str]]
    stances: dict[str, str]
    outcomes: dict[str, str]

    def name_of(self, party_id: str) -> str:
        """The display name of a party, group or news agency id."""
        for table in (self.parties, self.groups, self.media):
            if party_id in table:
                return str(table[party_id]["name"])
        return party_id

    def ruler_patterns(self) -> list[dict[str, Any]]:
        """EntityRuler patterns: PARTY, GROUP, MEDIA, PLACE and OFFICE, each with its id."""
        out: list[dict[str, Any]] = []
        for label, table in (("PARTY", self.parties), ("GROUP", self.groups)):
            for pid, entry in table.items():
                for name in [*entry.get("names", []), *entry.get("adjectives", [])]:
                    out.append({"label": label, "pattern": name, "id": pid})
        for mid, entry in self.media.items():
            for name in entry["names"]:
                out.append({"label": "MEDIA", "pattern": name, "id": mid})
        for name, entry in self.places.items():
            out.append({"label": "PLACE", "pattern": name, "id": entry.get("country", name)})
        for name, party in self.offices.items():
            out.append({"label": "OFFICE", "pattern": name, "id": party})
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer shipped with accord (src/accord/extract/gazetteer.yaml)."""
    text = resources.files("accord.extract").joinpath("gazetteer.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return Gazetteer(
        parties={p["id"]: p for p in data["parties"]},
        groups={g["id"]: g for g in data["groups"]},
        media={m["id"]: m for m in data["media"]},
        places={p["name"]: p for p in data["places"]},
        offices={o["name"]: o["party"] for o in data["offices"]},
        titles=frozenset(t.lower() for t in data["titles"]),
        honorifics=frozenset(data["honorifics"]),
        speech_verbs=frozenset(data["speech_verbs"]),
        issues={i["id"]: i for i in data["issues"]},
        values={v["id"]: v["phrases"] for v in data["values"]},
        stances={s["phrase"]: s["stance"] for s in data["stances"]},
        outcomes={o["phrase"]: o["outcome"] for o in data["outcomes"]},
    )


def _import_spacy() -> Any:
    try:
        import spacy
    except ImportError:
        raise MissingDependency(
            f"accord extract needs spaCy, which is not installed; run: {INSTALL_HINT}"
        ) from None
    return spacy


@lru_cache(maxsize=1)
def build_nlp() -> tuple[Any, str]:
    """The spaCy pipeline and a name for it (``blank-en`` or the model's name)."""
    spacy = _import_spacy()
    nlp = None
    name = "blank-en"
    for model in MODELS:
        try:
            nlp = spacy.load(model, exclude=["lemmatizer"])
        except (OSError, ImportError, ValueError):
            continue
        name = model
        break
    if nlp is None:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        ruler = nlp.add_pipe("entity_ruler")
    else:
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer", first=True)
        where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
        ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True}, **where)
    ruler.add_patterns(gazetteer().ruler_patterns())
    return nlp, name


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its 0-based index, its text and its spaCy document."""

    index: int
    text: str
    doc: Any


def read_article(path: Path) -> str:
    """The text of a report file, refused with a clear message when it cannot be one."""
    file = str(path)
    if not path.is_file():
        raise InputError(Problem("no such file", file=file))
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise LimitError(
            f"{file}: article size in bytes",
            size,
            MAX_ARTICLE_BYTES,
            "split the report into smaller files",
        )
    return decode(path.read_bytes(), file)


def decode(raw: bytes, file: str = "<input>") -> str:
    """UTF-8 text from bytes; a binary or non-UTF-8 file is refused."""
    if b"\x00" in raw[:8192]:
        raise InputError(Problem("this is a binary file, not a text report", file=file))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(
            Problem(
                f"not UTF-8 text (byte {e.start}); save the report as UTF-8 plain text", file=file
            )
        ) from None


def check_text(text: str, file: str = "<input>") -> str:
    """The text with curly quotes straightened, if it looks like an English news report."""
    if len(text.encode("utf-8", "replace")) > MAX_ARTICLE_BYTES:
        raise LimitError("article size in bytes", len(text), MAX_ARTICLE_BYTES)
    if not text.strip():
        raise InputError(Problem("the report is empty", file=file))
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > 0.01 * len(text):
        raise InputError(Problem("this looks like a binary file, not a text report", file=file))
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", text.lower())
    if len(words) < MIN_WORDS:
        raise InputError(
            Problem(
                f"too short to read as a report ({len(words)} words; at least {MIN_WORDS})",
                file=file,
            )
        )
    _import_spacy()
    from spacy.lang.en.stop_words import STOP_WORDS

    share = sum(1 for w in words if w in STOP_WORDS) / len(words)
    if share < MIN_ENGLISH_SHARE:
        raise InputError(
            Problem(
                f"this does not look like English text ({share:.0%} of the words are common "
                f"English words; expected at least {MIN_ENGLISH_SHARE:.0%}); accord extract "
                "reads English reports only",
                file=file,
            )
        )
    return text.translate(_QUOTES).replace("\r\n", "\n").replace("\r", "\n")


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a checked text, each parsed by the pipeline."""
    nlp, _ = build_nlp()
    if re.search(r"\n[ \t]*\n", text):
        blocks = [re.sub(r"\s*\n\s*", " ", b) for b in re.split(r"\n[ \t]*\n", text)]
    else:
        blocks = text.split("\n")
    blocks = [re.sub(r"[ \t]+", " ", b).strip() for b in blocks]
    blocks = [b for b in blocks if b]
    docs = [_open_quotes_start_sentences(d) for d in nlp.pipe(blocks)]
    return [Paragraph(i, b, d) for i, (b, d) in enumerate(zip(blocks, docs, strict=True))]


def _open_quotes_start_sentences(doc: Any) -> Any:
    """An opening quotation mark after a full stop starts the next sentence.

    The rule-based sentencizer keeps punctuation after a full stop with the sentence before,
    so in `... on Friday. "We are ...` the opening mark would end the first sentence. Marks
    alternate open, close within a paragraph, so the even-numbered ones open.
    """
    marks = [t.i for t in doc if t.text == '"']
    for n, i in enumerate(marks):
        if n % 2 or i == 0 or i + 1 >= len(doc) or doc[i].is_sent_start:
            continue
        if doc[i - 1].text in {".", "?", "!"}:
            try:
                doc[i].is_sent_start = True
                doc[i + 1].is_sent_start = False
            except ValueError:  # a statistical parser owns the sentence boundaries
                return doc
    return doc
