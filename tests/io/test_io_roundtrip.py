"""Round trips: YAML → format → YAML keeps what the format can hold and reports the rest.

Lossless formats (yaml, json, and canonical CSV for what it holds) are also checked on
hypothesis-generated scenarios.
"""

from __future__ import annotations

import string
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import accord
from accord.io import read, write
from accord.scenario import Scenario

BUILTINS = ["almaty-2013", "ec-emissions-1994", "teaching-trade", "teaching-budget"]


def roundtrip(s: Scenario, name: str, tmp: Path) -> tuple[Scenario, list[str]]:
    target = tmp / name
    losses = write(s, target)
    return read(target), losses


def units(s: Scenario) -> np.ndarray:
    c = accord.compile(s)
    return c.to_units(c.actors.position)


# --- the lossless formats on every built-in scenario -------------------------------------------


@pytest.mark.parametrize("name", BUILTINS)
@pytest.mark.parametrize("ending", ["s.yaml", "s.json"])
def test_native_formats_are_lossless(tmp_path: Path, name: str, ending: str) -> None:
    s = accord.load(name)
    back, losses = roundtrip(s, ending, tmp_path)
    assert losses == []
    assert back == s


@pytest.mark.parametrize("name", BUILTINS)
def test_csv_keeps_the_stakeholder_table(tmp_path: Path, name: str) -> None:
    s = accord.load(name)
    back, losses = roundtrip(s, "s.csv", tmp_path)
    assert (tmp_path / "s.issues.csv").is_file()
    assert back.meta.title == s.meta.title and back.actor_ids == s.actor_ids
    assert [a.name for a in back.actors] == [a.name for a in s.actors]
    for i, j in zip(s.issues, back.issues, strict=True):
        assert (i.id, i.name, i.unit, i.options, i.bounds) == (
            j.id,
            j.name,
            j.unit,
            j.options,
            j.bounds,
        )
        assert s.status_quo_of(i.id) == back.status_quo_of(j.id)
    c1, c2 = accord.compile(s), accord.compile(back)
    assert np.array_equal(c1.actors.position, c2.actors.position)
    assert np.allclose(c1.actors.salience, c2.actors.salience)
    assert np.array_equal(c1.actors.capability, c2.actors.capability)
    if s.blocs:
        assert any(loss.startswith("blocs") for loss in losses)
    if s.meta.sources:
        assert any(loss.startswith("meta.sources") for loss in losses)
    if any(a.reservation is not None for a in s.actors):
        assert "reservation values" in losses


def test_csv_reports_nothing_lost_for_what_it_read(tmp_path: Path) -> None:
    s = read(Path(__file__).parents[1] / "data" / "formats" / "talks.csv")
    back, losses = roundtrip(s, "t.csv", tmp_path)
    assert back.model_dump(exclude={"meta"}) == s.model_dump(exclude={"meta"})
    assert losses == ["meta.description"]  # it names the other case of the file


def test_writing_into_a_folder_that_holds_files_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.genius"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(accord.errors.InputError, match="exists and is not empty"):
        write(accord.load("teaching-trade"), out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    empty = tmp_path / "empty.genius"
    empty.mkdir()
    write(accord.load("teaching-trade"), empty)
    assert (empty / "domain.xml").is_file()


# --- the table formats --------------------------------------------------------------------------


def test_bdm_keeps_the_first_issue(tmp_path: Path) -> None:
    s = accord.load("ec-emissions-1994")
    back, losses = roundtrip(s, "ec.bdm.csv", tmp_path)
    assert [a.label for a in back.actors] == [a.label for a in s.actors]
    assert np.array_equal(units(back), units(s))
    c1, c2 = accord.compile(s), accord.compile(back)
    assert np.allclose(c1.actors.salience, c2.actors.salience)
    assert np.array_equal(c1.actors.capability, c2.actors.capability)
    assert "the status quo of each issue" in losses
    assert "the issue id 'delay'" in losses
    almaty = accord.load("almaty-2013")
    _, losses = roundtrip(almaty, "al.bdm.csv", tmp_path)
    assert losses[0].startswith("issues other than the first (stockpile_20")
    assert any("option labels" in loss for loss in losses)


def test_ktab_keeps_normalised_positions_and_relative_saliences(tmp_path: Path) -> None:
    from accord.scenario.preferences import linear_additive

    _, full_losses = roundtrip(accord.load("almaty-2013"), "full.ktab.csv", tmp_path)
    assert "red lines" in full_losses and "bloc decision rules (consensus, quorum)" in full_losses
    s = linear_additive(accord.load("almaty-2013"))  # metric terms change the issue weights
    back, losses = roundtrip(s, "al.ktab.csv", tmp_path)
    c1, c2 = accord.compile(s), accord.compile(back)
    assert np.allclose(c1.actors.position, c2.actors.position)
    ratio = c2.actors.salience[c1.actors.salience > 0] / c1.actors.salience[c1.actors.salience > 0]
    assert np.allclose(ratio, ratio[0])
    assert np.allclose(c1.actors.weight, c2.actors.weight)
    assert np.array_equal(c1.actors.capability, c2.actors.capability)
    assert back.issue_ids == s.issue_ids and back.actor_ids == s.actor_ids
    assert any(loss.startswith("salience magnitudes") for loss in losses)
    assert any(loss.startswith("issue scales (enrichment_level") for loss in losses)
    assert any("option labels" in loss for loss in losses)


def test_ktab_small_saliences_are_kept_exactly(tmp_path: Path) -> None:
    s = accord.load("ec-emissions-1994")
    back, losses = roundtrip(s, "ec.ktab.csv", tmp_path)
    c1, c2 = accord.compile(s), accord.compile(back)
    assert np.allclose(c1.actors.salience, c2.actors.salience)
    assert not any(loss.startswith("salience magnitudes") for loss in losses)


def test_decide_keeps_units_saliences_and_capabilities(tmp_path: Path) -> None:
    s = accord.load("almaty-2013")
    back, losses = roundtrip(s, "al.decide.csv", tmp_path)
    assert np.allclose(units(back), units(s))
    c1, c2 = accord.compile(s), accord.compile(back)
    assert np.allclose(c1.actors.salience, c2.actors.salience)
    assert np.allclose(c1.actors.capability, c2.actors.capability)
    assert [a.name for a in back.actors] == [a.name for a in s.actors]
    assert [i.name for i in back.issues] == [i.name for i in s.issues]
    assert "capability magnitudes" not in " ".join(losses)
    big = s.model_copy(
        update={"actors": tuple(a.model_copy(update={"capability": 1000.0}) for a in s.actors)}
    )
    _, losses = roundtrip(big, "big.decide.csv", tmp_path)
    assert any(loss.startswith("capability magnitudes") for loss in losses)


def test_deu_keeps_one_issue_a_row(tmp_path: Path) -> None:
    s = accord.load("ec-emissions-1994")
    back, losses = roundtrip(s, "ec.deu.csv", tmp_path)
    c1, c2 = accord.compile(s), accord.compile(back)
    assert np.allclose(c1.actors.position, c2.actors.position)
    assert np.allclose(c1.actors.salience, c2.actors.salience)
    assert np.allclose(c1.status_quo, c2.status_quo)
    assert back.actor_ids == s.actor_ids
    assert any(loss.startswith("capabilities (DEU holds none") for loss in losses)
    almaty = accord.load("almaty-2013")
    write(almaty, tmp_path / "al.deu.csv")
    rows = (tmp_path / "al.deu.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(almaty.issues)


# --- negotiation domains -----------------------------------------------------------------------


def _utilities(s: Scenario, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    c = accord.compile(s)
    rng = np.random.default_rng(0)
    grid = []
    for k in range(c.k):
        m = int(c.n_options[k]) or 11
        grid.append(rng.integers(0, m, n) / (m - 1))
    x = np.array(grid).T
    return c.utility(c.seats, x), c.seats.reservation


@pytest.mark.parametrize("ending", ["t.genius", "t.geniusweb"])
def test_genius_formats_keep_the_parties_utilities(tmp_path: Path, ending: str) -> None:
    s = accord.load("teaching-trade")
    back, losses = roundtrip(s, ending, tmp_path)
    u1, r1 = _utilities(s)
    u2, r2 = _utilities(back)
    assert np.allclose(u1, u2)
    assert back.actor_ids == list(accord.compile(s).seats.ids)
    assert any("discretised to 11 values" in loss for loss in losses)
    if ending == "t.genius":
        assert np.allclose(r1, r2)
    else:
        assert any(loss.startswith("reservation values") for loss in losses)


def test_genius_writes_seats_and_reports_blocs(tmp_path: Path) -> None:
    s = accord.load("almaty-2013")
    back, losses = roundtrip(s, "al.genius", tmp_path)
    assert sorted(p.name for p in (tmp_path / "al.genius").iterdir()) == [
        "domain.xml",
        "iran.xml",
        "p5plus1.xml",
    ]
    assert back.actor_ids == ["iran", "p5plus1"]
    c1, c2 = accord.compile(s), accord.compile(back)
    assert np.allclose(c1.seats.reservation, c2.seats.reservation)
    assert any(loss.startswith("blocs: each seat") for loss in losses)
    assert any(loss.startswith("actors not at the table") for loss in losses)
    assert any(loss.startswith("capabilities (GENIUS holds none") for loss in losses)


def test_genius_reads_back_what_it_read(tmp_path: Path) -> None:
    data = Path(__file__).parents[1] / "data" / "formats"
    s = read(data / "genius")
    back, _ = roundtrip(s, "h.genius", tmp_path)
    u1, _ = _utilities(s)
    u2, _ = _utilities(back)
    # the real-valued Budget issue is discretised; the discrete and integer ones are exact
    c = accord.compile(s)
    x = np.array([[0.5, 0.25, 0.3], [1.0, 1.0, 0.7]])
    assert np.allclose(
        c.utility(c.actors, x), accord.compile(back).utility(accord.compile(back).actors, x)
    )
    assert u1.shape == u2.shape


def test_a_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.io.fmt_csv as fmt_csv

    def broken(s: Scenario, path: Path) -> list[str]:
        path.write_text("partial", encoding="utf-8")
        raise RuntimeError("disk full")

    broken_csv = accord.io.Format("csv", (".csv",), fmt_csv.read, broken, False, "broken")
    monkeypatch.setitem(accord.io.FORMATS, "csv", broken_csv)
    with pytest.raises(RuntimeError):
        write(accord.load("teaching-trade"), tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


# --- hypothesis: generated scenarios through the lossless formats ------------------------------

ids = st.text(string.ascii_lowercase, min_size=1, max_size=6).map(lambda t: "x" + t)
words = (
    st.text(string.ascii_letters + string.digits + " ,;\"'-é", min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


@st.composite
def scenarios(draw: Any) -> Scenario:
    """Scenarios of what the canonical CSV holds: issues, actors, names, units, outcomes."""
    issue_ids = draw(st.lists(ids, min_size=1, max_size=3, unique=True))
    issues = []
    for iid in issue_ids:
        issue: dict[str, Any] = {"id": iid}
        if draw(st.booleans()):
            opts = draw(st.lists(words, min_size=2, max_size=4, unique=True))
            issue["options"] = opts
            pick = st.sampled_from(opts)
        else:
            lo = draw(finite)
            hi = lo + draw(st.floats(0.001, 1e6))
            issue["scale"] = [lo, hi]
            pick = st.floats(lo, hi)
            if draw(st.booleans()):
                issue["unit"] = draw(words)
        issue["status_quo"] = draw(pick)
        if draw(st.booleans()):
            issue["outcome"] = draw(pick)
        if draw(st.booleans()):
            issue["name"] = draw(words)
        issues.append((issue, pick))
    actors = []
    for aid in draw(st.lists(ids, min_size=1, max_size=4, unique=True)):
        a: dict[str, Any] = {
            "id": aid,
            "capability": draw(st.floats(0, 1e6)),
            "positions": {i["id"]: draw(p) for i, p in issues},
            "salience": {i["id"]: draw(st.floats(0, 1)) for i, _ in issues},
        }
        if draw(st.booleans()):
            a["name"] = draw(words)
        actors.append(a)
    title = draw(words)
    return Scenario.model_validate(
        {"meta": {"title": title}, "issues": [i for i, _ in issues], "actors": actors}
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=scenarios(), ending=st.sampled_from(["s.yaml", "s.json", "s.csv"]))
def test_generated_scenarios_round_trip_losslessly(s: Scenario, ending: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        back, losses = roundtrip(s, ending, Path(d))
    assert losses == []
    assert back == s
