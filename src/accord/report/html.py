"""Render the self-contained HTML report: a one-screen brief, sections with a figure and a few
sentences, collapsed appendices and the sources of every number. One file, figures embedded as
data URIs, nothing fetched.

Safety (issue 18): Jinja autoescape is on and nothing from a scenario is marked ``|safe``.
Tables and the story reach the template as data (cells, sentences with typed values), never
as pre-built HTML; a source's address becomes a link only when it is ``http(s)://``.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, TypedDict, Unpack

import jinja2
import pandas as pd

from accord.present.format import number
from accord.present.story import Answer, Sentence
from accord.report.figures import Figure
from accord.scenario import Estimate, Scenario
from accord.scenario.numbers import cited_numbers

GRADES = {"F": "fact", "R": "reported", "E": "estimate", "J": "judgement"}


@dataclass
class Table:
    """A titled table for the report."""

    title: str
    frame: pd.DataFrame

    def cells(self) -> dict[str, Any]:
        """Header and rows as text cells; numbers formatted for people and right-aligned."""
        return {"head": [str(c) for c in self.frame.columns], "rows": frame_rows(self.frame)}


@dataclass
class Section:
    """A section: prose (plain strings or `Sentence`s, escaped by the template), figures,
    tables shown in place and tables collapsed into an appendix."""

    id: str
    title: str
    paragraphs: list[str | Sentence] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    appendix: list[Table] = field(default_factory=list)


def frame_rows(df: pd.DataFrame) -> list[list[dict[str, Any]]]:
    """A DataFrame's rows as cells ``{"text", "num"}`` (no index)."""
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for v in rec:
            if isinstance(v, bool):
                cells.append({"text": "yes" if v else "no", "num": False})
            elif isinstance(v, float | int):
                text = "–" if isinstance(v, float) and math.isnan(v) else number(float(v))
                cells.append({"text": text, "num": True})
            else:
                cells.append({"text": "" if v is None else str(v), "num": False})
        rows.append(cells)
    return rows


def sources_frame(s: Scenario) -> pd.DataFrame:
    """Every number of the scenario with its value, source, grade and note."""
    grade = {src.id: src.grade or "" for src in s.meta.sources}
    rows: list[dict[str, Any]] = []

    def add(field: str, v: Any, inherited: str | None) -> None:
        if v is None:
            return
        if isinstance(v, Estimate):
            src = v.source or inherited or ""
            value = v.value
            note = v.note or ""
            unc = (
                f"{number(v.range[0])} to {number(v.range[1])}"
                if v.range
                else (v.dist.kind if v.dist else "")
            )
            judgement = v.judgement or grade.get(src) == "J"
        else:
            src, value, note, unc = inherited or "", v, "", ""
            judgement = grade.get(src) == "J"
        rows.append(
            {
                "number": field,
                "value": value if isinstance(value, str) else float(value),
                "uncertainty": unc,
                "source": src or "NOT SOURCED",
                "grade": "judgement" if judgement else GRADES.get(grade.get(src, ""), "cited"),
                "note": note,
            }
        )

    for path, v, inherited in cited_numbers(s):
        add(path, v, inherited)
    return pd.DataFrame(rows)


def safe_url(url: str | None) -> str | None:
    """`url` when it is an http(s) address, else None (no ``javascript:``, ``data:`` …)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def source_list(s: Scenario) -> list[dict[str, Any]]:
    """The scenario's sources as citations: title, publisher and date where the scenario gives
    them, the citation text, the grade in words and a followable address."""
    return [
        {
            "id": x.id,
            "cite": ", ".join(
                str(v)
                for v in (
                    getattr(x, "title", None),
                    getattr(x, "publisher", None),
                    getattr(x, "date", None),
                )
                if v
            )
            + (". " if any(getattr(x, k, None) for k in ("title", "publisher", "date")) else "")
            + x.cite
            + (f" (shipped with accord: {x.document})" if x.document else ""),
            "grade": GRADES.get(x.grade or "", x.grade or "not graded"),
            "url": safe_url(x.url),
            "address": x.url or x.document or "",
        }
        for x in s.meta.sources
    ]


def _figure(f: Figure) -> dict[str, Any]:
    return {
        "id": f.id,
        "title": f.title,
        "caption": f.caption,
        "data": base64.b64encode(f.png).decode("ascii"),
    }


def _table(t: Table) -> dict[str, Any]:
    return {"title": t.title, **t.cells()}


def _paragraph(p: str | Sentence) -> list[dict[str, str]]:
    if isinstance(p, str):
        return [{"text": p, "kind": ""}]
    return [
        {"text": x, "kind": ""} if isinstance(x, str) else {"text": x.text, "kind": x.kind}
        for x in p.parts
    ]


def _answer(a: Answer | str) -> dict[str, Any]:
    if isinstance(a, str):
        return {"heading": "", "parts": _paragraph(a)}
    parts: list[dict[str, str]] = []
    for k, s in enumerate(a.summary):
        if k:
            parts.append({"text": " ", "kind": ""})
        parts.extend(_paragraph(s))
    return {"heading": a.heading, "parts": parts}


class Colophon(TypedDict):
    """The report's footer: the accord `version`, the scenario `digest`, the root `seed` and
    when the report was `created` (what makes a report reproducible)."""

    version: str
    digest: str
    seed: int
    created: str


def render(
    s: Scenario,
    sections: Sequence[Section],
    *,
    answers: Sequence[Answer | str],
    subtitle: str,
    **colophon: Unpack[Colophon],
) -> str:
    """The report page as one HTML string."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template), autoescape=True, keep_trailing_newline=True
    )
    page = env.get_template("report.html.j2")
    ctx_sections = [
        {
            "id": sec.id,
            "title": sec.title,
            "paragraphs": [_paragraph(p) for p in sec.paragraphs],
            "figures": [_figure(f) for f in sec.figures],
            "tables": [_table(t) for t in sec.tables],
            "appendix": [_table(t) for t in sec.appendix],
        }
        for sec in sections
    ]
    return page.render(
        title=s.meta.title,
        subtitle=subtitle,
        answers=[_answer(a) for a in answers],
        sections=ctx_sections,
        sources=Table("", sources_frame(s)).cells(),
        source_list=source_list(s),
        **colophon,
    )


def _template(name: str) -> str:
    return (resources.files("accord.report") / "templates" / name).read_text(encoding="utf-8")
