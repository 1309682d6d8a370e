"""Readers of every file format: what they read from the samples, and how they report bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import accord
from accord.errors import InputError
from accord.io import FORMATS, format_for, read, read_with_notes
from accord.io.fmt_csv import read_csv
from accord.io.fmt_deu import read_deu
from accord.scenario import Estimate

DATA = Path(__file__).resolve().parents[1] / "data" / "formats"


def problems(excinfo: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


# --- canonical long CSV ---------------------------------------------------------------------


def test_csv_reads_first_case_with_sidecar() -> None:
    s = read(DATA / "talks.csv")
    assert s.meta.title == "talks"
    assert "other" in (s.meta.description or "")
    assert s.issue_ids == ["tariff", "access"]
    tariff, access = s.issues
    assert tariff.scale == (0.0, 40.0) and tariff.unit == "%" and tariff.name == "Import tariff"
    assert tariff.source == "treaty text"
    assert isinstance(tariff.outcome, Estimate) and tariff.outcome.value == 15
    assert tariff.outcome.note == "outcome_date: 2020-03-01"
    assert access.options == ("closed", "partial", "open") and access.status_quo == "closed"
    assert s.meta.salience_scale == 100
    north = s.actor("north")
    assert north.name == "Northland" and north.capability == 60
    assert north.positions == {"tariff": 10.0, "access": "closed"}
    assert s.salience_of(north, "tariff") == pytest.approx(0.8)
    assert s.actor("west").name is None


def test_csv_picks_a_named_case() -> None:
    s = read_csv(DATA / "talks.csv", case="other")
    assert s.meta.title == "other" and s.actor_ids == ["north"]
    assert s.meta.salience_scale == 1


def test_csv_without_sidecar_spans_the_positions(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text(
        "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,1,3,0.5\nc,i,b,2,9,0.5\n",
        encoding="utf-8",
    )
    s = read(f)
    assert s.issues[0].scale == (3.0, 9.0)
    sq = s.issues[0].status_quo
    assert isinstance(sq, Estimate) and sq.value == 3 and "no status quo" in (sq.note or "")


def test_csv_sniffs_the_bdm_layout(shared_dir: Path) -> None:
    s = read(shared_dir / "data" / "ec-emissions-1994.csv")
    ec = accord.load("ec-emissions-1994")
    assert [a.label for a in s.actors] == [a.label for a in ec.actors]
    c1, c2 = accord.compile(s), accord.compile(ec)
    assert np.allclose(c1.actors.salience, c2.actors.salience)
    assert np.allclose(c1.to_units(c1.actors.position), c2.to_units(c2.actors.position))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("case_id,issue_id,actor_id,capability,position\n", r"missing columns \['salience'\]"),
        (
            "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,x,1,1\n",
            r"x\.csv:2: capability = 'x': expected a number",
        ),
        (
            "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,1,1,1\nc,i,a,1,2,1\n",
            r"x\.csv:3: issue_id = 'i': a second row",
        ),
        (
            "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,1,1,1\nc,j,a,2,2,1\n",
            r"x\.csv:3: capability = '2': capability differs",
        ),
        (
            "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,-1,1,1\nc,i,b,1,2,1\n",
            r"x\.csv:2: actors\[0\]\.capability = -1\.0: capability must be a number ≥ 0",
        ),
        (
            "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,1,1,1\nc,j,b,1,2,1\n",
            r"x\.csv:3: actors\[1\]\.positions: missing a position on issue 'i'",
        ),
        ("", r"the file is empty"),
    ],
)
def test_csv_errors_name_file_line_and_field(tmp_path: Path, body: str, expected: str) -> None:
    f = tmp_path / "x.csv"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        read(f)


def test_csv_sidecar_errors_name_the_sidecar(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text(
        "case_id,issue_id,actor_id,capability,position,salience\nc,i,a,1,50,1\n", encoding="utf-8"
    )
    (tmp_path / "x.issues.csv").write_text(
        "case_id,issue_id,scale_min,scale_max,status_quo\nc,i,0,10,20\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as e:
        read(tmp_path / "x.csv")
    text = problems(e)
    assert any("x.issues.csv:2: issues[0].status_quo = 20.0: outside" in t for t in text)
    assert any("x.csv:2: actors[0].positions.i = 50.0: outside" in t for t in text)


# --- BDM ---------------------------------------------------------------------------------------


def test_bdm_reads_names_and_0_100_salience() -> None:
    s = read(DATA / "ec.bdm.csv")
    assert s.meta.salience_scale == 100
    uk = s.actor("United_Kingdom")
    assert uk.name == "United Kingdom" and uk.capability == 16
    assert s.issues[0].scale == (4.0, 10.0)
    assert format_for(DATA / "ec.bdm.csv").name == "bdm"


def test_bdm_errors(tmp_path: Path) -> None:
    f = tmp_path / "bad.bdm.csv"
    f.write_text("Actor,Capability,Position\nA,1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.bdm\.csv:1: header.*missing columns"):
        read(f)
    f.write_text(
        "Actor,Capability,Position,Salience\nA,1,2,0.5\n,1,2,3\nB,1,,0.5\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as e:
        read(f)
    assert problems(e) == [
        f"{f}:3: Actor: an actor name is required",
        f"{f}:4: Position: a number is required",
    ]


# --- KTAB --------------------------------------------------------------------------------------


def test_ktab_reads_dimensions_and_saliences() -> None:
    s = read(DATA / "sample.ktab.csv")
    assert s.meta.title == "dummy" and s.meta.description == "Fictional three-actor case"
    assert s.issue_ids == ["dim1", "dim2"] and s.meta.salience_scale == 100
    gorgo = s.actor("Gorgo")
    assert gorgo.name == "Pirates" and gorgo.capability == 30
    assert gorgo.positions == {"dim1": 90.0, "dim2": 10.0}
    assert s.salience_of(gorgo, "dim1") == pytest.approx(0.5)


def test_ktab_checks_counts_ranges_and_salience_sums(tmp_path: Path) -> None:
    f = tmp_path / "k.ktab.csv"
    f.write_text(
        "s,d,3,2\nActor,Description,Power,Pos1,Sal1\nA,,1,120,50\nB,,1,50,101\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        read(f)
    text = "\n".join(problems(e))
    assert "k.ktab.csv:1: nDims = '2': nDims says 2" in text
    assert "k.ktab.csv:1: nActors = '3'" in text
    assert "k.ktab.csv:3: Pos1 = 120.0: a KTAB position lies in [0, 100]" in text
    assert "k.ktab.csv:4: Sal1 = 101.0" in text
    assert "k.ktab.csv:4: Sal = 101.0: the saliences of an actor sum to at most 100" in text


# --- Decide ------------------------------------------------------------------------------------


def test_decide_reads_records_quotes_and_comments() -> None:
    s = read(DATA / "sample.decide.csv")
    assert s.issue_ids == ["tax", "year"]
    assert s.issue("year").scale == (2030.0, 2050.0)
    assert s.issue("tax").description == "per tonne"
    finance = s.actor("a1")
    assert finance.name == "Ministry; Finance" and finance.description == "treasury"
    assert finance.capability == 0.5
    ind = s.actor("ind")
    assert isinstance(ind.capability, Estimate)
    assert ind.capability.value == pytest.approx(0.3) and "0.4, 0.2" in (ind.capability.note or "")


def test_decide_reads_tab_separated(tmp_path: Path) -> None:
    f = tmp_path / "t.decide.txt"
    f.write_text("#A\ta\tA\n#P\tp\tP\n#D\ta\tp\t30\t50\t20\n", encoding="utf-8")
    s = read(f)
    assert s.issue("p").scale == (0.0, 100.0) and s.meta.salience_scale == 100


def test_decide_errors_name_the_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.decide.csv"
    f.write_text(
        "#A;us;US\n#P;x;X\n#M;x;0\n#M;x;10\n#Q;odd\n#D;us;x;5;50;1\n#D;eu;x;1;0.5;200\n"
        "#D;us;y;1;1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        read(f)
    assert problems(e) == [
        f"{f}:5: '#Q': unknown record; expected #A, #P, #M, #D, #O or a #/ comment",
        f"{f}:8: #D = '#D;us;y;1;1': a #D record needs 5 fields or more",
        f"{f}:7: #D.actor_id = 'eu': unknown actor id (no #A record)",
        f"{f}:7: #D.power = 200.0: power must lie in [0, 100]",
    ]
    f.write_text("#A;us;US\n#P;x;X\n#M;x;0\n#M;x;10\n#D;us;x;12;50;1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.decide\.csv:5: actors\[0\]\.positions\.x = 12"):
        read(f)


# --- DEU ---------------------------------------------------------------------------------------


def test_deu_first_row_alone_leaves_out_missing_actors() -> None:
    s = read_deu(DATA / "sample.deu.csv")
    assert s.meta.title == "1999/0123" and s.meta.salience_scale == 100
    assert s.actor_ids == ["de", "fr", "nl", "com"]  # pep = 999: the Parliament is left out
    assert "2 issue rows" in (s.meta.description or "")
    assert "capability 1" in (s.meta.description or "")
    assert "No position on this issue: ep" in (s.meta.description or "")
    assert all(a.capability == 1.0 for a in s.actors)
    assert s.actor("com").name == "European Commission"
    assert s.issues[0].status_quo == 0 and s.issues[0].outcome == 55
    fr = s.actor("fr").salience["issue"]  # position 0, salience 999: salience assumed
    assert isinstance(fr, Estimate) and fr.judgement and fr.value == 50
    assert s.actor("de").salience["issue"] == 80


def test_deu_reads_every_row_as_an_issue() -> None:
    s, notes = read_with_notes(DATA / "sample.deu.csv")
    assert len(s.issues) == 2 and s.actor_ids == ["de", "fr", "nl", "com", "ep"]
    first, second = s.issues
    assert first.outcome == 55 and second.outcome == 100
    ep, nl = s.actor("ep"), s.actor("nl")
    assert s.salience_of(ep, first.id) == 0 and s.salience_of(nl, second.id) == 0
    assert any("no position for ep" in n for n in notes)
    assert any("no position for nl" in n for n in notes)


def test_deu_missing_commission_column_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "c.deu.csv"
    f.write_text("prnrnmc;isnrnmc;pde;sde;pcom;rp\n1;1;10;50;60;0\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.deu\.csv:1: header.*missing the scom column"):
        read(f)


def test_deu_same_issue_twice_names_both_lines(tmp_path: Path) -> None:
    f = tmp_path / "d.deu.csv"
    f.write_text("prnrnmc;isnrnmc;pde;sde\n1;1;10;50\n1;2;10;50\n1;1;20;50\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d\.deu\.csv:4: isnrnmc = '1'.*first at line 2"):
        read(f)


def test_deu_selects_rows() -> None:
    s = read_deu(DATA / "sample.deu.csv", issue="2")
    assert s.actor_ids == ["de", "fr", "com", "ep"]
    sq = s.issues[0].status_quo
    assert isinstance(sq, Estimate) and "no status quo" in (sq.note or "")
    ep = s.actor("ep")
    assert s.salience_of(ep, "issue") == pytest.approx(0.3)
    assert read_deu(DATA / "sample.deu.csv", row=2).actor_ids == s.actor_ids
    with pytest.raises(InputError, match="no row has this isnrnmc"):
        read_deu(DATA / "sample.deu.csv", issue="9")


def test_deu_errors(tmp_path: Path) -> None:
    f = tmp_path / "e.deu.csv"
    f.write_text("prnrnmc;isnrnmc;pde;sde;rp\n1;1;abc;50;0\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"e\.deu\.csv:2: pde = 'abc': expected a number"):
        read(f)
    f.write_text("prnrnmc;isnrnmc;rp\n1;1;0\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"e\.deu\.csv:1: header.*no actor columns"):
        read(f)
    f.write_text("prnrnmc;isnrnmc;pde;sde\n1;1;999;50\n", encoding="utf-8")
    with pytest.raises(InputError, match="no actor has a position"):
        read(f)


# --- GENIUS ------------------------------------------------------------------------------------


def test_genius_maps_discrete_integer_and_real_issues() -> None:
    s = read(DATA / "genius")
    assert s.meta.title == "Holiday" and "capability 1" in (s.meta.description or "")
    loc, days, budget = s.issues
    assert loc.options == ("Beach", "City", "Mountains")
    assert days.options == ("3", "4", "5", "6", "7")
    assert budget.scale == (500.0, 1500.0)
    alice, bob = s.actor("alice"), s.actor("bob")
    # discrete evaluations are divided by the issue's maximum, as GENIUS does
    assert alice.utilities["Location"] == {"Beach": 1.0, "City": 0.5, "Mountains": 0.2}
    assert bob.utilities["Location"]["Beach"] == pytest.approx(0.125)
    assert alice.utilities["Days"]["5"] == pytest.approx(0.5)
    assert bob.utilities["Days"]["3"] == pytest.approx(1.0)
    assert alice.positions["Budget"] == 500.0 and bob.positions["Budget"] == 1000.0
    assert bob.description and "Budget" in bob.description  # triangular is approximated
    assert alice.description is None  # linear 1 → 0 over the range is exact
    assert alice.reservation == 0.25 and alice.discount == 0.9
    assert bob.reservation == 0.0 and bob.discount == 1.0
    assert alice.salience == {"Location": 0.5, "Days": 0.3, "Budget": 0.2}


def test_genius_utility_matches_the_genius_formula() -> None:
    s = read(DATA / "genius")
    c = accord.compile(s)
    # alice: Beach (1.0), 5 days (0.5), budget 1000 (1.5 - 1.0 = 0.5)
    x = np.array([[0.0, 0.5, 0.5]])
    u = c.utility(c.actors, x)[0]
    assert u[0] == pytest.approx(0.5 * 1.0 + 0.3 * 0.5 + 0.2 * 0.5)


def _genius_copy(tmp_path: Path) -> Path:
    d = tmp_path / "dom"
    d.mkdir()
    for f in (DATA / "genius").iterdir():
        (d / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return d


def test_genius_errors(tmp_path: Path) -> None:
    d = _genius_copy(tmp_path)
    bob = d / "bob.xml"
    bob.write_text(
        bob.read_text(encoding="utf-8")
        .replace('value="Beach" evaluation="1"', 'value="Sea" evaluation="1"')
        .replace('<weight index="3" value="0.6"/>', '<weight index="3" value="1.6"/>'),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        read(d)
    text = "\n".join(problems(e))
    assert "bob.xml: issue.Location.item = 'Sea': an item value the domain does not have" in text
    assert "no evaluation for values ['Beach']" in text
    assert "weight.3 = '1.6': expected a weight in [0, 1]" in text
    bob.write_text("<utility_space><objective>", encoding="utf-8")
    with pytest.raises(InputError, match=r"bob\.xml:1: not well-formed XML"):
        read(d)
    bob.write_text('<!DOCTYPE x [<!ENTITY a "b">]><utility_space/>', encoding="utf-8")
    with pytest.raises(InputError, match="DTDs and entity declarations are not read"):
        read(d)
    (d / "domain.xml").unlink()
    bob.unlink()
    with pytest.raises(InputError, match="no GENIUS domain file"):
        read(d)


# --- GeniusWeb ---------------------------------------------------------------------------------


def test_geniusweb_reads_profiles() -> None:
    s = read(DATA / "geniusweb")
    assert s.meta.title == "jobs" and s.actor_ids == ["party1", "party2"]
    salary, car = s.issues
    assert car.options == ("yes", "no")
    assert salary.options == ("2000", "2500", "3000", "3500", "4000")
    p1 = s.actor("party1")
    assert p1.utilities["salary"]["3000"] == pytest.approx(0.5)
    assert p1.utilities["car"] == {"yes": 1.0, "no": 0.25}
    # reservation = utility of the reservation bid: 0.6 · 0.5 + 0.4 · 0.25
    assert p1.reservation == pytest.approx(0.4)
    assert s.actor("party2").reservation == 0.0
    assert s.actor("party2").positions == {"salary": "2000", "car": "no"}


def test_geniusweb_single_file_and_errors(tmp_path: Path) -> None:
    one = read(DATA / "geniusweb" / "party1.json", "geniusweb")
    assert one.actor_ids == ["party1"]
    f = tmp_path / "p.json"
    f.write_text('{"LinearAdditiveUtilitySpace": {"domain": {}}}', encoding="utf-8")
    with pytest.raises(InputError, match=r"p\.json: LinearAdditiveUtilitySpace\.domain"):
        read(f, "geniusweb")
    f.write_text('{"LinearAdditiveUtilitySpace": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"p\.json:1: not valid JSON"):
        read(f, "geniusweb")


def test_a_folder_of_geniusweb_json_reads_as_geniusweb() -> None:
    assert format_for(DATA / "geniusweb").name == "genius"
    assert read(DATA / "geniusweb").actor_ids == ["party1", "party2"]


# --- every reader ------------------------------------------------------------------------------

TEXT_FORMATS = ["csv", "bdm", "ktab", "decide", "deu", "geniusweb"]


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_binary_input_is_refused(tmp_path: Path, fmt: str) -> None:
    f = tmp_path / "blob.bin"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match=r"blob\.bin: not a text file"):
        read(f, fmt)


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_non_utf8_input_is_refused(tmp_path: Path, fmt: str) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes("Actor,Capability\nCôte,1\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.txt:2: not a UTF-8 text file"):
        read(f, fmt)


def test_every_format_is_registered_with_reader_and_writer() -> None:
    format_for(Path("x.yaml"))
    expected = {"yaml", "json", "csv", "bdm", "ktab", "decide", "deu", "genius", "geniusweb"}
    assert expected <= set(FORMATS)
    for name in expected:
        assert FORMATS[name].reader is not None and FORMATS[name].writer is not None


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", "csv"),
        ("a.bdm.csv", "bdm"),
        ("a.ktab.csv", "ktab"),
        ("a.decide.csv", "decide"),
        ("a.decide.txt", "decide"),
        ("a.deu.csv", "deu"),
        ("a.genius", "genius"),
        ("a.geniusweb", "geniusweb"),
    ],
)
def test_format_follows_the_file_ending(name: str, fmt: str) -> None:
    assert format_for(Path(name), writing=True).name == fmt


def test_ktab_csv_keeps_the_dimension_names_it_writes(tmp_path: Path) -> None:
    f = tmp_path / "soe.csv"
    f.write_text(
        "China Policy; scen 0,Scenario-000; reform, 2, 1, \n"
        "Actor,Description,Influence,Policy Position,Policy Salience, \n"
        "XJ,Xi Jinping,100,30,30, \nLK,Li Keqiang,65,45,65, \n"
    )
    s = accord.load(str(f))
    assert [i.label for i in s.issues] == ["Policy Position"]
    assert s.meta.title == "China Policy; scen 0"
