"""`accord extract`: draft a scenario from a news report (see docs/extract.md)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from accord.cli.common import console, err_console, print_json, user_errors
from accord.errors import InputError, Problem


def register(app: typer.Typer) -> None:
    """Add `extract` to `app`."""
    app.command()(extract)


def extract(
    article: Path | None = typer.Argument(None, help="the report, as UTF-8 plain text"),
    out: Path | None = typer.Option(None, "--out", "-o", help="write the draft scenario (YAML)"),
    as_json: bool = typer.Option(False, "--json", help="everything found, and the draft, as JSON"),
    force: bool = typer.Option(False, "--force", help="overwrite --out if it exists"),
    score: list[Path] | None = typer.Option(
        None,
        "--score",
        help="score the reading against answer keys (a KEY.json or a folder of *.key.json; "
        "repeatable) and print precision and recall",
    ),
) -> None:
    """Draft a scenario from a news report: parties, speakers, quotes, issues and events.

    Every number in the draft is a judgement to fill; every item cites its sentence.
    With --score, read the reports named by answer keys and print how well they were read.
    Needs spaCy (the "extract" extra of accord).
    """
    from accord.extract import MissingDependency, draft, read_article
    from accord.extract import extract as read_report
    from accord.io.native import dumps_yaml, to_data

    if score:
        _score(score, as_json)
        return
    with user_errors():
        if article is None:
            raise InputError("give a report to read, or --score KEY.json")
        if out is not None and out.exists() and not force:
            raise InputError(
                Problem("the output file exists; use --force to overwrite it", file=str(out))
            )
        try:
            found = read_report(read_article(article), source=str(article))
        except MissingDependency as e:  # printed without markup: "[extract]" is no style tag
            err_console.print(f"error: {e}", markup=False, soft_wrap=True)
            raise typer.Exit(2) from None
        scenario = draft(found)
        text = dumps_yaml(scenario)
    if out is not None:
        _write_atomic(out, text)
    if as_json:
        print_json({"extraction": found.to_dict(), "scenario": to_data(scenario)})
        return
    _show(found)
    if out is not None:
        console.print(f"wrote {out} — check it with: accord show {out}")
    else:
        console.print("write the draft scenario with --out draft.yaml")


def _score(keys: list[Path], as_json: bool) -> None:
    """Score the reading of every key's report and print one row per report and the totals."""
    from accord.extract import MissingDependency
    from accord.extract.score import score_keys, totals

    with user_errors():
        try:
            scores = score_keys(keys)
        except MissingDependency as e:
            err_console.print(f"error: {e}", markup=False, soft_wrap=True)
            raise typer.Exit(2) from None
    sums = totals(scores)
    if as_json:
        print_json(
            {
                "reports": [
                    {
                        "name": s.name,
                        "domain": s.domain,
                        "heldout": s.heldout,
                        **s.measures(),
                        "errors": s.errors,
                    }
                    for s in scores
                ],
                "totals": {k: v.measures() for k, v in sums.items()},
            }
        )
        return
    heads = ("spk P", "spk R", "party", "attr P", "attr R", "issue R", "num R", "pos R")
    table = Table(
        title="accord extract against the answer keys",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    table.add_column("report", no_wrap=True)
    for col in heads:
        table.add_column(col, justify="right", no_wrap=True)
    for s in [*scores, *sums.values()]:
        total = s in sums.values()
        name = s.name + (" *" if s.heldout else "")
        cells = ["–" if v is None else f"{v:.2f}" for v in s.measures().values()]
        table.add_row(f"[bold]{name}[/]" if total else name, *cells)
    console.print(table)
    console.print(
        "spk: speakers, party: found speakers mapped to the right party, attr: quotes given to "
        "the right speaker, num: stated numbers, pos: positions; P precision, R recall; "
        "* held out. See docs/extract.md."
    )
    wrong = [f"{s.name}: {e}" for s in scores for e in s.errors if e.startswith("WRONG")]
    for line in wrong:
        err_console.print(f"[yellow]{escape(line)}[/]", soft_wrap=True)


def _write_atomic(path: Path, text: str) -> None:
    """Write all or nothing: a temporary file in the same folder, then a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _show(found: object) -> None:
    from accord.extract import Extraction

    assert isinstance(found, Extraction)
    console.print(f"[bold]{found.title}[/]  ({found.source}; reader: {found.model})")
    parties = Table(title="Parties", title_justify="left")
    for col in ("id", "name", "kind", "mentions", "first sentence"):
        parties.add_column(col, overflow="fold")
    for p in found.parties:
        first = p.sentence if len(p.sentence) <= 80 else p.sentence[:79] + "…"
        parties.add_row(p.id, p.name, p.kind, str(p.mentions), f"¶{p.paragraph}: {first}")
    console.print(parties)
    people = Table(title="People and whom they speak for", title_justify="left")
    for col in ("speaker", "party", "title", "evidence"):
        people.add_column(col, overflow="fold")
    for x in found.people:
        people.add_row(x.name, x.party or "[yellow]to fill[/]", x.title, x.evidence)
    console.print(people)
    quotes = Table(title="Quotes", title_justify="left")
    for col in ("id", "¶", "speaker", "party", "kind", "words"):
        quotes.add_column(col, overflow="fold")
    for q in found.quotes:
        words = " … ".join(q.fragments) if q.fragments else q.text
        how = "" if q.attribution == "explicit" else f" ({q.attribution})"
        quotes.add_row(
            q.id, str(q.paragraph), q.speaker_name + how, q.party or "to fill", q.kind, words
        )
    console.print(quotes)
    issues = Table(title="Issues", title_justify="left")
    for col in ("id", "name", "mentions", "numbers"):
        issues.add_column(col, overflow="fold")
    for i in found.issues:
        nums = ", ".join(f"{v:g}" for v in i.numbers) + (f" {i.unit}" if i.unit else "")
        issues.add_row(i.id, i.name, str(i.mentions), nums)
    console.print(issues)
    stances = list(dict.fromkeys(f"{c.text} ({c.key})" for c in found.cues_of("stance")))
    if stances:
        console.print("[bold]Stance cues:[/] " + "; ".join(stances))
    values = list(dict.fromkeys(c.key for c in found.cues_of("value")))
    if values:
        console.print("[bold]Values:[/] " + ", ".join(values))
    if found.places:
        console.print("[bold]Places:[/] " + ", ".join(found.places))
    dates = list(dict.fromkeys(c.text for c in found.cues_of("date")))
    if dates:
        console.print("[bold]Dates:[/] " + ", ".join(dates))
    if found.outcomes:
        console.print("[bold]Outcome:[/] " + ", ".join(o.replace("_", " ") for o in found.outcomes))
    if found.report_sources:
        console.print("[bold]The report credits:[/] " + ", ".join(found.report_sources))
    for note in found.notes:
        err_console.print(f"[yellow]note:[/] {note}", soft_wrap=True)
