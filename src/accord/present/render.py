"""Render the structured story for a terminal: Rich markup built from typed values, with
every piece of data escaped (no markup is ever read from a scenario's text)."""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape as rich_escape

from accord.present.story import Answer, Sentence

STYLES = {"good": "bold green", "bad": "bold red", "party": "", "label": "", "number": "bold"}


def sentence_markup(s: Sentence, escape: Callable[[str], str] = rich_escape) -> str:
    """One sentence as Rich markup: text escaped, values styled by kind."""
    out = []
    for p in s.parts:
        if isinstance(p, str):
            out.append(escape(p))
        else:
            style = STYLES.get(p.kind, "")
            out.append(f"[{style}]{escape(p.text)}[/]" if style else escape(p.text))
    return "".join(out)


def answer_markup(a: Answer, escape: Callable[[str], str] = rich_escape) -> str:
    """An answer as one Rich paragraph with its heading in bold."""
    body = " ".join(sentence_markup(s, escape) for s in a.summary)
    return f"[bold]{escape(a.heading)}[/]\n{body}"
