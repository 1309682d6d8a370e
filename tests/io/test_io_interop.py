"""Issue 17: real files load as their tools write them, and nothing is silently changed.

The Decide, KTAB XML and score-table samples under ``tests/data`` are written by hand in each
tool's own dialect; their numbers are invented test data (no real case).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import accord
from accord.cli.main import app
from accord.errors import InputError
from accord.io import format_for, read, read_with_notes, write
from accord.scenario import Estimate

DATA = Path(__file__).resolve().parents[1] / "data"
FORMATS = DATA / "formats"
DECIDE = DATA / "decide"
runner = CliRunner()


def problems(e: pytest.ExceptionInfo[InputError]) -> str:
    return "\n".join(str(p) for p in e.value.problems)


# --- Decide --------------------------------------------------------------------------------------


def test_decide_quoted_tab_file_named_csv_is_read_as_decide() -> None:
    path = DECIDE / "cop21.csv"
    assert format_for(path).name == "decide"
    s, notes = read_with_notes(path)
    assert s.actor_ids[:2] == ["Coast_grp", "Delta"] and len(s.issues) == 4
    assert s.issues[0].scale == (0.0, 100.0)
    delta = s.actor("Delta")
    assert s.salience_of(delta, "legal") == 0 and delta.positions["legal"] == 0
    assert any("Delta has no #D record on legal: salience 0" in n for n in notes)
    assert any("Island_bloc has no #D record on review" in n for n in notes)
    assert s.actor("Northland").capability == 1.0


def test_decide_forecast_exchange_on_the_csv_sample() -> None:
    r = runner.invoke(app, ["forecast", str(DECIDE / "cop21.csv"), "-m", "exchange"])
    assert r.exit_code == 0, r.output
    assert "exchange" in r.stdout and "ambition" in r.stdout


def test_decide_older_dialect_with_title_record() -> None:
    s = read(DECIDE / "toll.decide.txt")
    assert s.meta.title.startswith("Made-up test case")
    assert s.issue_ids == ["toll", "price"] and s.issues[1].scale == (0.5, 7.0)
    assert s.actor("Mayor").name == "Mayor's office"
    assert s.actor("Shops").positions == {"toll": 0.0, "price": 0.5}


def test_decide_semicolons_with_single_quotes(tmp_path: Path) -> None:
    f = tmp_path / "semi.csv"
    f.write_text(
        "'#A';'x';'Ex; the first';''\n'#A';'y';'Why';''\n'#P';'tax';'Tax';''\n"
        "'#M';'tax';0\n'#M';'tax';10\n'#D';'x';'tax';2;0.5;1\n'#D';'y';'tax';8;0.7;1\n",
        encoding="utf-8",
    )
    s = read(f)
    assert s.actor("x").name == "Ex; the first" and s.issues[0].scale == (0.0, 10.0)


def test_decide_duplicates_name_both_lines(tmp_path: Path) -> None:
    f = tmp_path / "dup.decide.csv"
    f.write_text(
        "#A;a\n#A;b\n#A;a\n#P;t\n#D;a;t;1;0.5;1\n#D;b;t;2;0.5;1\n#D;a;t;3;0.5;1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as e:
        read(f)
    text = problems(e)
    assert "dup.decide.csv:3: #A.actor_id = 'a': duplicate actor id (first at line 1)" in text
    assert (
        "dup.decide.csv:7: #D: a second #D record for actor 'a' on issue 't' (first at line 5)"
        in text
    )


# --- BDM and KTAB ---------------------------------------------------------------------------------


def test_bdm_replication_header_aliases(tmp_path: Path) -> None:
    f = tmp_path / "replication.csv"
    f.write_text(
        "Stakeholder,Resources,Position,Salience\nA,10,0,80\nB,20,60,50\nC,5,100,90\n",
        encoding="utf-8",
    )
    s, notes = read_with_notes(f)
    assert [a.capability for a in s.actors] == [10, 20, 5]
    assert s.meta.salience_scale == 100
    assert "column 'Resources' read as capability" in notes
    assert "column 'Stakeholder' read as actor" in notes
    f.write_text("Actor,Influence,Position,Salience\nA,1,0,0.5\nB,2,9,0.5\n", encoding="utf-8")
    assert [a.capability for a in read(f).actors] == [1, 2]


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        (
            "d.bdm.csv",
            "Actor,Capability,Position,Salience\nA,1,2,0.5\nB,1,3,0.5\nA,2,4,0.5\n",
            r"d\.bdm\.csv:4: Actor = 'A': duplicate actor \(first at line 2\)",
        ),
        (
            "d.ktab.csv",
            "s,d,2,1\nActor,Description,Power,Pos 1,Sal 1\nA,,1,20,50\nA,,2,30,50\n",
            r"d\.ktab\.csv:4: Actor = 'A': duplicate actor \(first at line 3\)",
        ),
    ],
)
def test_duplicate_actors_are_errors_naming_both_lines(
    tmp_path: Path, name: str, body: str, expected: str
) -> None:
    f = tmp_path / name
    f.write_text(body, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        read(f)
    r = runner.invoke(app, ["validate", str(f)])
    assert r.exit_code == 2 and "first at line" in r.stderr


def test_mixed_salience_scales_are_an_error_unless_a_flag_says(tmp_path: Path) -> None:
    f = tmp_path / "mix.bdm.csv"
    f.write_text(
        "Actor,Capability,Position,Salience\nA,1,10,0.5\nB,2,40,8\nC,3,70,0.9\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"mix\.bdm\.csv:3: salience = 8\.0: saliences mix"):
        read(f)
    s, _ = read_with_notes(f, salience_scale=100)
    assert s.meta.salience_scale == 100 and s.salience_of(s.actor("B"), "issue") == 0.08
    with pytest.raises(InputError, match="cannot be read on the 0–1 scale"):
        read_with_notes(f, salience_scale=1)
    r = runner.invoke(app, ["validate", "--salience-scale", "100", str(f)])
    assert r.exit_code == 0 and "saliences read on 0–100" in r.stdout
    assert runner.invoke(app, ["validate", str(f)]).exit_code == 2


def test_ktab_xml_reads_the_smp_schema_layout() -> None:
    s, notes = read_with_notes(FORMATS / "dummy.ktab.xml")
    assert format_for(FORMATS / "dummy.ktab.xml").name == "ktabxml"
    assert s.meta.title == "DummyTest" and s.issue_ids == ["Tax", "Roads"]
    assert s.actor("Kallah").name == "Mechanics" and s.actor("Kallah").capability == 25
    assert s.actor("Gorgo").positions == {"Tax": 90.0, "Roads": 10.0}
    assert s.meta.salience_scale == 100
    assert any("ModelParameters" in n for n in notes)
    same = read(FORMATS / "sample.ktab.csv")
    c1, c2 = accord.compile(s), accord.compile(same)
    assert np.array_equal(c1.actors.position, c2.actors.position)
    assert np.array_equal(c1.actors.salience, c2.actors.salience)


def test_ktab_xml_errors(tmp_path: Path) -> None:
    f = tmp_path / "bad.ktab.xml"
    text = (FORMATS / "dummy.ktab.xml").read_text(encoding="utf-8")
    f.write_text(text.replace("<dCoord>90</dCoord>", "<dCoord>190</dCoord>"), encoding="utf-8")
    with pytest.raises(InputError, match=r"Pos1 = 190\.0: a KTAB position lies in \[0, 100\]"):
        read(f)
    f.write_text(text.replace("<dSal>45</dSal>", ""), encoding="utf-8")
    with pytest.raises(InputError, match="expected 2 dCoord and dSal values"):
        read(f)
    f.write_text('<!DOCTYPE x [<!ENTITY a "b">]><Scenario/>', encoding="utf-8")
    with pytest.raises(InputError, match="DTDs and entity declarations"):
        read(f)


# --- DEU, GENIUS, score tables ------------------------------------------------------------------


def test_evaluate_reads_every_row_of_a_deu_file() -> None:
    r = runner.invoke(
        app, ["evaluate", str(FORMATS / "sample.deu.csv"), "-m", "median", "--boot", "100"]
    )
    assert r.exit_code == 0, r.output
    assert "Accuracy on 2 issues" in r.stdout


def test_one_genius_file_is_recognised(tmp_path: Path) -> None:
    assert format_for(FORMATS / "genius" / "domain.xml").name == "genius"
    assert len(read(FORMATS / "genius" / "domain.xml").actors) == 2
    alone = tmp_path / "alice.xml"
    shutil.copy(FORMATS / "genius" / "alice.xml", alone)
    s, notes = read_with_notes(alone)
    assert s.actor_ids == ["alice"] and s.actor("alice").discount == 0.9
    assert s.actor("alice").reservation == 0.25
    assert any("its own issues are the domain" in n for n in notes)


def test_genius_weights_not_summing_to_one_are_a_note(tmp_path: Path) -> None:
    d = tmp_path / "g"
    shutil.copytree(FORMATS / "genius", d)
    bob = d / "bob.xml"
    text = bob.read_text(encoding="utf-8")
    bob.write_text(text.replace('<weight index="3" value="0.6"/>', '<weight index="3" value="1"/>'))
    s, notes = read_with_notes(d)
    assert any("party bob: issue weights sum to 1.4" in n and "renormalised" in n for n in notes)
    c = accord.compile(s)
    assert c.actors.salience.shape[1] == 3


def test_negotiate_uses_the_genius_discount_factor() -> None:
    from accord.bargain.talks import negotiate

    s = read(FORMATS / "genius")
    talks = negotiate(s, rounds=20, hints=False)
    ses = talks.session
    assert ses.params["discount"] is not None
    if ses.agreement and ses.round:
        alice = ses.ids.index("alice")
        assert ses.discounted[alice] < ses.utility[alice]


def test_score_table_game_is_imported_exactly() -> None:
    s = read(FORMATS / "harbour.scores.csv")
    assert s.issue_ids == ["berths", "fee"] and s.issues[0].options == ("two", "four", "six")
    port = s.actor("Port")
    assert port.utilities["berths"] == {"two": 0.0, "four": pytest.approx(20 / 35), "six": 1.0}
    # utility of a deal = (points − Σ min) / (Σ max − Σ min): Port scores 10..45 and 0..25
    assert s.salience_of(port, "berths") == pytest.approx(35 / 60)
    assert port.reservation == pytest.approx((40 - 10) / 60)
    c = accord.compile(s)
    x = c.normalize(np.array([[1.0, 2.0]]))  # four berths, high fee
    assert c.utility(c.seats, x)[0, 0] == pytest.approx((30 + 25 - 10) / 60)
    sq = s.issues[0].status_quo
    assert isinstance(sq, Estimate) and sq.value == "two"


def test_score_table_errors(tmp_path: Path) -> None:
    f = tmp_path / "g.scores.csv"
    f.write_text(
        "party,issue,option,points\nA,x,a,1\nA,x,b,2\nB,x,a,1\nA,x,a,5\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as e:
        read(f)
    text = problems(e)
    assert "g.scores.csv:5: points = ('A', 'x', 'a'): a second row (first at line 2)" in text
    assert "g.scores.csv:4: party = 'B': no points for 1 options, e.g. x / b" in text


@pytest.mark.parametrize(
    "sample", ["harbour.scores.csv", "dummy.ktab.xml", "sample.deu.csv", "sample.decide.csv"]
)
def test_reader_and_writer_round_trip_their_own_format(tmp_path: Path, sample: str) -> None:
    s = read(FORMATS / sample)
    out = tmp_path / sample
    write(s, out)
    back = read(out)
    again = tmp_path / "again" / sample
    again.parent.mkdir()
    write(back, again)
    assert read(again) == back
    c1, c2 = accord.compile(s), accord.compile(back)
    assert np.allclose(c1.actors.position, c2.actors.position)
    assert np.allclose(c1.actors.salience, c2.actors.salience)


def test_bdm_scale_is_a_note_and_scale_option_matches_ktab(tmp_path: Path) -> None:
    """The ktab-model gap between a KTAB and a BDM file of the same actors came from the scale
    BDM files do not state: the reader now says which it took, and --scale sets it."""
    bdm = tmp_path / "same.bdm.csv"
    bdm.write_text("Actor,Capability,Position,Salience\nA,3,20,60\nB,2,70,40\nC,1,90,80\n")
    ktab = tmp_path / "same.ktab.csv"
    ktab.write_text(
        "same,,3,1\nActor,Description,Influence,Pos1,Sal1\nA,,3,20,60\nB,,2,70,40\nC,,1,90,80\n"
    )
    s, notes = read_with_notes(bdm)
    assert s.issues[0].scale == (20.0, 90.0)
    assert any("span of the positions 20–90 is taken (--scale LO,HI" in n for n in notes)
    s100, _ = read_with_notes(bdm, scale=(0.0, 100.0))
    k = read(ktab)
    c1, c2 = accord.compile(s100), accord.compile(k)
    assert np.array_equal(c1.actors.position, c2.actors.position)
    assert np.array_equal(c1.status_quo, c2.status_quo)
    r = runner.invoke(app, ["convert", "--scale", "0,100", str(bdm), str(tmp_path / "o.yaml")])
    assert r.exit_code == 0 and "scale 0–100 (--scale)" in r.stderr


def test_the_validate_example_of_the_formats_page() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "formats.md").read_text("utf-8")
    block = page.split("```console\n")[1].split("```")[0]
    shown = [ln.strip() for ln in block.splitlines() if ln.strip().startswith(("ok ", "note:"))]
    r = runner.invoke(app, ["validate", str(DECIDE / "cop21.csv")])
    assert r.exit_code == 0
    out = " ".join(r.stdout.split())
    for line in shown:
        assert " ".join(line.replace("ok cop21.csv", "").split()) in out, line


def test_ktab_saliences_on_0_1_are_noted_and_read_with_the_flag(tmp_path: Path) -> None:
    f = tmp_path / "small.ktab.csv"
    f.write_text("s,,2,1\nActor,Description,Power,Pos1,Sal1\nA,,1,20,0.5\nB,,2,80,0.9\n")
    s, notes = read_with_notes(f)
    assert s.meta.salience_scale == 100 and any("--salience-scale 1" in n for n in notes)
    s1, _ = read_with_notes(f, salience_scale=1)
    assert s1.salience_of(s1.actor("B"), "dim1") == 0.9


def test_decide_comment_before_quoted_records(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    f.write_text(
        "#/ a comment line\n'#A'\t'a'\t'Ay'\n'#A'\t'b'\t'Bee'\n'#P'\t'p'\t'Pea'\n"
        "'#D'\t'a'\t'p'\t10\t0.5\t1\n'#D'\t'b'\t'p'\t90\t0.5\t1\n",
        encoding="utf-8",
    )
    s = read(f)
    assert s.actor_ids == ["a", "b"] and s.actor("a").name == "Ay"
