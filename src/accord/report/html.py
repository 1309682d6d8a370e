"""Render the self-contained HTML report: sections of prose, figures and tables, and the
sources of every number. One file, figures embedded as data URIs, nothing fetched."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import jinja2
import pandas as pd

from accord.report.figures import Figure
from accord.scenario import Estimate, Scenario
from accord.scenario.schema import cited_numbers


@dataclass
class Table:
    """A titled table for the report."""

    title: str
    frame: pd.DataFrame

    def html(self) -> str:
        """The table as an HTML fragment, numbers right-aligned."""
        return frame_html(self.frame)


@dataclass
class Section:
    """A section: prose paragraphs (HTML-escaped by the caller), figures and tables."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def frame_html(df: pd.DataFrame) -> str:
    """A DataFrame as a plain HTML table (no index), numbers formatted for reading."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for v in rec:
            if isinstance(v, float):
                cells.append(f'<td class="num">{_fmt(v)}</td>')
            elif isinstance(v, int) and not isinstance(v, bool):
                cells.append(f'<td class="num">{v}</td>')
            else:
                cells.append(f"<td>{html.escape(str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _fmt(v: float) -> str:
    if v != v:  # NaN
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def sources_frame(s: Scenario) -> pd.DataFrame:
    """Every number of the scenario with its value, source, and judgement note."""
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
                f"[{v.range[0]:g}, {v.range[1]:g}]" if v.range else (v.dist.kind if v.dist else "")
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
                "kind": "judgement" if judgement else (grade.get(src, "") or "cited"),
                "note": note,
            }
        )

    for path, v, inherited in cited_numbers(s):
        add(path, v, inherited)
    return pd.DataFrame(rows)


def source_list_frame(s: Scenario) -> pd.DataFrame:
    """The scenario's list of sources."""
    return pd.DataFrame(
        [
            {
                "id": x.id,
                "grade": x.grade or "",
                "citation": x.cite + (f" <{x.url}>" if x.url else ""),
            }
            for x in s.meta.sources
        ]
    )


def render(
    s: Scenario,
    sections: Sequence[Section],
    *,
    answers: Sequence[str],
    subtitle: str,
    version: str,
    digest: str,
    seed: int,
    created: str,
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
            "paragraphs": sec.paragraphs,
            "figures": [
                {
                    "id": f.id,
                    "title": f.title,
                    "caption": f.caption,
                    "data": base64.b64encode(f.png).decode("ascii"),
                }
                for f in sec.figures
            ],
            "tables": [{"title": t.title, "html": t.html()} for t in sec.tables],
        }
        for sec in sections
    ]
    src_list = source_list_frame(s)
    return page.render(
        title=s.meta.title,
        subtitle=subtitle,
        answers=list(answers),
        sections=ctx_sections,
        sources_html=frame_html(sources_frame(s)),
        source_list_html=frame_html(src_list) if len(src_list) else "",
        version=version,
        digest=digest,
        seed=seed,
        created=created,
    )


def _template(name: str) -> str:
    return (resources.files("accord.report") / "templates" / name).read_text(encoding="utf-8")
