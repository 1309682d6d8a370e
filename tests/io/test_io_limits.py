"""Issue 18 (readers): limits are checked while reading, so huge inputs end in a clean limit
error naming the limit and the setting that sets it, after work linear in what was read.

Run as a script for the time and peak memory of each case::

    PYTHONPATH=src python tests/io/test_io_limits.py
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.main import app
from accord.errors import AccordError, InputError, LimitError
from accord.io import read

N_ISSUES = 100_000
N_DUPLICATES = 100_000
N_ROWS = 1_000_000
runner = CliRunner()


def _csv_rows(n: int) -> str:
    head = "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,1,1,1\n"
    return head + "o,i,a,1,1,1\n" * n  # other cases: skipped, but every row counts


def _bdm_dups(n: int) -> str:
    return "Actor,Capability,Position,Salience\n" + "Same,1,1,1\n" * n


def _ktab_dups(n: int) -> str:
    return f"s,,{n},1\nActor,Description,Power,Pos1,Sal1\n" + "Same,,1,1,1\n" * n


def _decide_dups(n: int) -> str:
    return "#A;same\n" * n + "#P;p\n"


def _csv_issues(n: int) -> str:
    head = "case_id,issue_id,actor_id,capability,position,salience\n"
    return head + "".join(f"c,i{k},a,1,1,1\n" for k in range(n))


def _deep_xml(n: int) -> str:
    return "<Scenario>" + "<a>" * n + "</a>" * n + "</Scenario>"


def _bdm_rows(n: int) -> str:
    return "Actor,Capability,Position,Salience\n" + "".join(f"a{k},1,1,1\n" for k in range(n))


def _ktab_issues(n: int) -> str:
    return f"s,,1,{n}\nActor,Description,Power," + ",".join(["Pos,Sal"] * n) + "\nA,,1\n"


def _decide_issues(n: int) -> str:
    return "#A;a\n" + "".join(f"#P;p{k}\n" for k in range(n))


def _decide_rows(n: int) -> str:
    return "#A;a\n#P;p\n" + "#D;a;p;1;1;1\n" * n


def _deu_columns(n: int) -> str:
    cols = ";".join(f"px{k};sx{k}" for k in range(n))
    return f"prnrnmc;isnrnmc;{cols}\n1;1;" + ";".join(["1"] * (2 * n)) + "\n"


def _deu_rows(n: int) -> str:
    return "prnrnmc;isnrnmc;pde;sde\n" + "".join(f"1;{k};1;1\n" for k in range(n))


def _scores_rows(n: int) -> str:
    return "party,issue,option,points\n" + "".join(f"p,i{k % 7},o{k},1\n" for k in range(n))


def _genius_issues(n: int) -> str:
    items = '<item index="1" value="a"/><item index="2" value="b"/>'
    issues = "".join(f'<issue name="i{k}" type="discrete">{items}</issue>' for k in range(n))
    body = f"<utility_space><objective>{issues}</objective></utility_space>"
    return f"<negotiation_template>{body}</negotiation_template>"


def _geniusweb_issues(n: int) -> str:
    iv = {f"i{k}": {"values": ["a", "b"]} for k in range(n)}
    return json.dumps({"LinearAdditiveUtilitySpace": {"domain": {"issuesValues": iv}}})


CASES: list[tuple[str, Callable[[int], str], int, str]] = [
    ("rows.csv", _csv_rows, N_ROWS, "ACCORD_MAX_ROWS"),
    ("dups.bdm.csv", _bdm_dups, N_DUPLICATES, "stopped reading after 50 problems"),
    ("rows.bdm.csv", _bdm_rows, N_ROWS, "MAX_ACTORS"),
    ("dups.ktab.csv", _ktab_dups, N_DUPLICATES, "stopped reading after 50 problems"),
    ("dups.decide.csv", _decide_dups, N_DUPLICATES, "stopped reading after 50 problems"),
    ("issues.csv", _csv_issues, N_ISSUES, "MAX_ISSUES"),
    ("deep.ktab.xml", _deep_xml, N_ISSUES, "no <Dimensions>"),
    ("issues.ktab.csv", _ktab_issues, N_ISSUES, "MAX_ISSUES"),
    ("issues.decide.csv", _decide_issues, N_ISSUES, "MAX_ISSUES"),
    ("rows.decide.csv", _decide_rows, N_ROWS, "ACCORD_MAX_ROWS"),
    ("cols.deu.csv", _deu_columns, N_ISSUES, "MAX_ACTORS"),
    ("rows.deu.csv", _deu_rows, N_ISSUES, "MAX_ISSUES"),
    ("rows.scores.csv", _scores_rows, N_ROWS, "MAX_OPTIONS"),
    ("issues.xml", _genius_issues, N_ISSUES, "MAX_ISSUES"),
    ("issues.json", _geniusweb_issues, N_ISSUES, "MAX_ISSUES"),
]


SLOW = {"issues.xml", "issues.json"}  # a few seconds: the whole document is parsed first


@pytest.mark.parametrize(
    ("name", "make", "n", "expected"),
    [pytest.param(*c, id=c[0], marks=[pytest.mark.slow] if c[0] in SLOW else []) for c in CASES],
)
def test_huge_inputs_end_in_a_clean_limit_error(
    tmp_path: Path, name: str, make: Callable[[int], str], n: int, expected: str
) -> None:
    f = tmp_path / name
    f.write_text(make(n), encoding="utf-8")
    with pytest.raises(AccordError) as e:
        read(f)
    assert expected in str(e.value)
    if isinstance(e.value, LimitError):
        assert "the limit is set by " in str(e.value)
    else:
        assert isinstance(e.value, InputError)
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 2 and expected in r.stderr and "Traceback" not in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_the_row_limit_is_raised_by_its_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "rows.csv"
    f.write_text(_csv_rows(30), encoding="utf-8")
    monkeypatch.setenv("ACCORD_MAX_ROWS", "20")
    with pytest.raises(LimitError, match=r"data rows in .*: 21 requested, the limit is 20"):
        read(f)
    monkeypatch.setenv("ACCORD_MAX_ROWS", "40")
    assert read(f).actor_ids == ["a"]


if __name__ == "__main__":
    import resource
    import tempfile
    import time

    with tempfile.TemporaryDirectory() as d:
        for name, make, n, _ in CASES:
            f = Path(d) / name
            f.write_text(make(n), encoding="utf-8")
            t0 = time.perf_counter()
            try:
                read(f)
                outcome = "read"
            except AccordError as e:
                outcome = type(e).__name__ + ": " + str(e).splitlines()[-1][-70:]
            dt = time.perf_counter() - t0
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{name:18} n={n:>9,}  {dt:5.2f} s  peak RSS {rss:5.0f} MB  {outcome}")
