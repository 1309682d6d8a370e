"""The canonical long CSV: cases, the issue sidecar, and every refusal naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import InputError
from accord.io.fmt_csv import read_csv, sidecar_path
from accord.scenario import Estimate

HEAD = "case_id,issue_id,actor_id,actor_name,capability,position,salience\n"
SIDE = "case_id,issue_id,scale_min,scale_max,status_quo,outcome,outcome_date,source"
OPTIONS = HEAD + "t,deal,a,A,1,none,30\nt,deal,b,B,2,full,40\n"


def write(tmp_path: Path, body: str, side: str | None = None) -> Path:
    path = tmp_path / "talks.csv"
    path.write_text(body, encoding="utf-8")
    if side is not None:
        sidecar_path(path).write_text(side, encoding="utf-8")
    return path


def test_the_sidecar_of_a_file_sits_beside_it() -> None:
    assert sidecar_path(Path("d/talks.csv")) == Path("d/talks.issues.csv")
    assert sidecar_path(Path("d/TALKS.CSV")) == Path("d/TALKS.issues.csv")


def test_the_first_case_is_read_and_the_others_are_named(tmp_path: Path) -> None:
    body = HEAD + "t,i,a,A,1,2,30\nu,i,b,B,1,3,40\nt,i,b,B,2,5,60\n"
    s = read_csv(write(tmp_path, body))
    assert s.meta.title == "t" and [a.id for a in s.actors] == ["a", "b"]
    assert "the file holds 2 cases (others: u)" in (s.meta.description or "")
    assert s.meta.salience_scale == 100
    other = read_csv(write(tmp_path, body), case="u")
    assert other.meta.title == "u" and [a.id for a in other.actors] == ["b"]


def test_without_a_sidecar_the_scale_is_the_span_of_the_positions(tmp_path: Path) -> None:
    s = read_csv(write(tmp_path, HEAD + "t,i,a,,1,2,0.3\nt,i,b,B,1,7,0.4\n"))
    assert s.issues[0].scale == (2.0, 7.0)
    assert s.actors[0].name is None and s.actors[1].name == "B"
    assert s.meta.salience_scale == 1


def test_the_sidecar_gives_options_names_outcomes_and_dates(tmp_path: Path) -> None:
    side = (
        SIDE
        + ",issue_name,unit,options\nt,deal,,,none,full,2015-07-14,jcpoa,Deal,,none|half|full\n"
    )
    s = read_csv(write(tmp_path, OPTIONS, side))
    issue = s.issues[0]
    assert issue.options == ("none", "half", "full") and issue.name == "Deal"
    assert issue.source == "jcpoa"
    assert s.actors[1].positions["deal"] == "full"
    assert isinstance(issue.outcome, Estimate) and issue.outcome.value == "full"
    assert issue.outcome.note == "outcome_date: 2015-07-14"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (HEAD, r"talks\.csv:1: no data rows"),
        (HEAD + "t,i,,A,1,2,3\n", r"talks\.csv:2: actor_id: an actor id is required"),
        (HEAD + "t,,a,A,1,2,3\n", r"talks\.csv:2: issue_id: an issue id is required"),
        (HEAD + "t,i,a,A,1,,3\n", r"talks\.csv:2: position: a position is required"),
        (
            HEAD + "t,i,a,A,1,2,30\nt,j,a,B,1,3,40\n",
            r"talks\.csv:3: actor_name = 'B': actor_name differs from this actor's first row",
        ),
        (
            HEAD + "t,i,a,A,1,2,30\nt,i,a,A,1,3,40\n",
            r"talks\.csv:3: issue_id = 'i': a second row for actor 'a' on issue 'i' "
            r"\(first at line 2\)",
        ),
    ],
)
def test_rows_are_refused_with_their_line(tmp_path: Path, body: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        read_csv(write(tmp_path, body))


def test_an_unknown_case_lists_the_cases(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "t,i,a,A,1,2,30\nu,i,b,B,1,3,40\n")
    with pytest.raises(InputError, match=r"case_id = 'z': no such case; cases: \['t', 'u'\]"):
        read_csv(path, case="z")


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ("", r"talks\.issues\.csv:1: the issue sidecar is empty"),
        ("issue_id\n", r"talks\.issues\.csv:1: header = \['issue_id'\]: missing columns"),
        (SIDE + "\nt,deal,,,,,,\n", r"talks\.issues\.csv:2: status_quo: a status quo is required"),
        (
            SIDE + "\nt,deal,,,none,,2013,\n",
            r"talks\.issues\.csv:2: outcome_date = '2013': an outcome date without an outcome",
        ),
        (
            SIDE + "\nt,deal,0,1,0,,,\nt,deal,0,1,0,,,\n",
            r"talks\.issues\.csv:3: issue_id = 'deal': a second row for this issue",
        ),
        (
            SIDE + "\nt,other,0,1,0,,,\n",
            r"talks\.csv: issue_id = 'deal': issue 'deal' has rows here but none in the sidecar",
        ),
    ],
)
def test_sidecar_rows_are_refused_with_their_line(tmp_path: Path, side: str, expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        read_csv(write(tmp_path, OPTIONS, side))
