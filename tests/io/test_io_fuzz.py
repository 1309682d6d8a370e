"""Issue 17/18: a bounded fuzz of every reader. Whatever the bytes, a reader gives a clean
`AccordError` (`InputError` or `LimitError`) or a valid scenario that round-trips through its
own writer; no other exception, and nothing is written beside the input.

Inputs are the sample files of each format, mutated (characters replaced, lines dropped,
doubled or swapped, fields set to hostile values, bytes cut), or raw bytes. Run this module as a
script for the counts in the closing note::

    PYTHONPATH=src python tests/io/test_io_fuzz.py 300
"""

from __future__ import annotations

import contextlib
import resource
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.errors import AccordError
from accord.io import read, write

DATA = Path(__file__).resolve().parents[1] / "data"
# format → (sample, the file mutated inside it (None: the sample itself), read as)
SAMPLES: dict[str, tuple[Path, str | None, str]] = {
    "csv": (DATA / "formats" / "talks.csv", None, "x.csv"),
    "bdm": (DATA / "formats" / "ec.bdm.csv", None, "x.bdm.csv"),
    "ktab": (DATA / "formats" / "sample.ktab.csv", None, "x.ktab.csv"),
    "ktabxml": (DATA / "formats" / "dummy.ktab.xml", None, "x.ktab.xml"),
    "decide": (DATA / "decide" / "cop21.csv", None, "x.csv"),
    "deu": (DATA / "formats" / "sample.deu.csv", None, "x.deu.csv"),
    "scores": (DATA / "formats" / "harbour.scores.csv", None, "x.scores.csv"),
    "genius": (DATA / "formats" / "genius", "bob.xml", "x.genius"),
    "geniusweb": (DATA / "formats" / "geniusweb", "party1.json", "x.geniusweb"),
}
HOSTILE = [
    "", "nan", "inf", "-inf", "1e309", "-1", "999", "1e-300", "0", "101", "'", '"', ";", ",",
    "\t", "#A", "#D", "<", "&amp;", "]]>", "[/x]", "\x1b[31m", "\ud800", "9" * 400, "a" * 70,
    "{", "}", "[]", "null", "true", "-0", "1_000", "0x10", "NaN", "Infinity",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """`text` with a few random edits, or raw bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.integers(0, 5))
        if not lines:
            lines = [""]
        k = draw(st.integers(0, len(lines) - 1))
        if op == 0:
            del lines[k]
        elif op == 1:
            lines.insert(k, lines[k])
        elif op == 2:
            j = draw(st.integers(0, len(lines) - 1))
            lines[k], lines[j] = lines[j], lines[k]
        elif op == 3 and lines[k]:
            a = draw(st.integers(0, len(lines[k]) - 1))
            b = draw(st.integers(a, len(lines[k])))
            lines[k] = lines[k][:a] + draw(st.sampled_from(HOSTILE)) + lines[k][b:]
        elif op == 4:
            lines.insert(k, draw(st.text(max_size=40)) + "\n")
        else:
            lines = lines[: k + 1]
    data = "".join(lines).encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()) and data:
        data = data[: draw(st.integers(0, len(data)))]
    return data


def place(fmt: str, data: bytes, tmp: Path) -> Path:
    """The input of one case under `tmp`: the mutated file, in its sample's folder if any."""
    sample, inner, name = SAMPLES[fmt]
    target = tmp / name
    if inner is None:
        target.write_bytes(data)
        side = sample.with_name(sample.name[:-4] + ".issues.csv")
        if fmt == "csv" and side.is_file():
            shutil.copy(side, tmp / "x.issues.csv")
    else:
        shutil.copytree(sample, target)
        (target / inner).write_bytes(data)
    return target


def listing(tmp: Path) -> list[str]:
    return sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))


def check(fmt: str, data: bytes) -> str:
    """One case: 'error' (a clean error) or 'valid' (read and round-tripped); else it raises."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path = place(fmt, data, tmp)
        before = listing(tmp)
        with contextlib.suppress(AccordError):  # found by content: any format, a clean outcome
            read(path)
        assert listing(tmp) == before
        try:
            s = read(path, fmt)
        except AccordError:
            assert listing(tmp) == before
            return "error"
        assert listing(tmp) == before
        out = tmp / "out" / SAMPLES[fmt][2]
        out.parent.mkdir()
        write(s, out, fmt)
        back = read(out, fmt)
        again = tmp / "again" / SAMPLES[fmt][2]
        again.parent.mkdir()
        write(back, again, fmt)
        assert read(again, fmt) == back
        c1, c2 = accord.compile(s), accord.compile(back)
        assert c1.k == c2.k and c1.actors.n == c2.actors.n
        assert np.allclose(c1.actors.weight, c2.actors.weight, atol=1e-9)
        return "valid"


def seed_text(fmt: str) -> str:
    sample, inner, _ = SAMPLES[fmt]
    return (sample / inner if inner else sample).read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", list(SAMPLES))
def test_any_bytes_give_a_clean_error_or_a_scenario_that_round_trips(fmt: str) -> None:
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=mutated(seed_text(fmt)))
    def run(data: bytes) -> None:
        check(fmt, data)

    run()


def test_the_unmutated_samples_are_valid() -> None:
    for fmt in SAMPLES:
        assert check(fmt, seed_text(fmt).encode("utf-8")) == "valid", fmt


def _tally(fmt: str, cases: int) -> Counter[str]:
    seen: Counter[str] = Counter()

    @settings(
        max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(data=mutated(seed_text(fmt)))
    def run(data: bytes) -> None:
        try:
            seen[check(fmt, data)] += 1
        except Exception as e:  # counted and shown: the point of the report
            seen[f"other: {type(e).__name__}: {str(e)[:80]}"] += 1

    run()
    return seen


def report(cases: int) -> None:
    """Print, per format, the cases tried, clean errors, valid scenarios, other exceptions."""
    totals: Counter[str] = Counter()
    for fmt in SAMPLES:
        seen = _tally(fmt, cases)
        totals.update(seen)
        shown = "  ".join(f"{k} {v}" for k, v in sorted(seen.items()))
        print(f"{fmt:10} tried {sum(seen.values()):5}  {shown}")
    shown = "  ".join(f"{k} {v}" for k, v in sorted(totals.items()) if not k.startswith("other"))
    others = sum(v for k, v in totals.items() if k.startswith("other"))
    print(f"{'all':10} tried {sum(totals.values()):5}  {shown}  other {others}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"largest RSS of this process: {rss:.0f} MB")


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 200)


WRONG_TYPES = [
    '{"LinearAdditiveUtilitySpace": {"domain": [], "issueUtilities": {}}}',
    '{"LinearAdditiveUtilitySpace": {"domain": {"issuesValues": {"a": {"values": ["x", "y"]}}},'
    ' "issueUtilities": {"a": {"discreteutils": [1, 2]}}, "issueWeights": {"a": 1}}}',
    '{"LinearAdditiveUtilitySpace": {"domain": {"issuesValues": {"a": {"values": ["x", "y"]}}},'
    ' "issueUtilities": {"a": {"numberutils": "linear"}}, "issueWeights": {"a": 1}}}',
    '{"LinearAdditiveUtilitySpace": {"domain": {"issuesValues": {"a": {"range": '
    "[-1e308, 1e308, 1e-308]}}}}}",
    '{"LinearAdditiveUtilitySpace": {"domain": {"issuesValues": {"a": {"values": '
    "[1" + "0" * 400 + ", 2]}}}}}",
    '{"LinearAdditiveUtilitySpace": {"domain": {"issuesValues": {"a": {"values": ["x", "y"]}}},'
    ' "issueUtilities": {"a": {"discreteutils": {"valueUtilities": {"x": 1, "y": 0}}}},'
    ' "issueWeights": "all", "reservationBid": [1]}}',
    '{"LinearAdditiveUtilitySpace": {"domain": {"issuesValues": {"a": {"values": ["x", "y"]}}},'
    ' "issueUtilities": {"a": {"discreteutils": {"valueUtilities": {"x": 1e999, "y": "0"}}}},'
    ' "issueWeights": {"a": [1]}}}',
    '{"LinearAdditiveUtilitySpace": {"domain": {"issuesValues": {"a": {"values": ["x", "y"]}}},'
    ' "issueUtilities": {"a": {"discreteutils": {"valueUtilities": {"x": 1, "y": 0}}}},'
    ' "issueWeights": {"a": 1}, "reservationBid": {"issuevalues": {"a": {"x": 1}}}}}',
    "[" * 100_000 + "]" * 100_000,
    '{"LinearAdditiveUtilitySpace": ' + "[" * 100_000 + "]" * 100_000 + "}",
]


@pytest.mark.parametrize("text", WRONG_TYPES, ids=[f"case{k}" for k in range(len(WRONG_TYPES))])
def test_geniusweb_wrong_types_give_clean_errors(tmp_path: Path, text: str) -> None:
    f = tmp_path / "p.json"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(AccordError) as e:
        read(f, "geniusweb")
    assert "p.json" in str(e.value)
