"""The evaluation set: reports of negotiations in many domains, each with a hand-made answer key,
scored by `accord.extract.score` against the targets of docs/extract.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("spacy")

from accord.cli.main import app
from accord.errors import InputError
from accord.extract import extract
from accord.extract.score import Score, load_key, score, score_keys, totals

EVAL = Path(__file__).resolve().parents[1] / "data" / "extract-eval"
KEYS = sorted(EVAL.glob("*.key.json"))
TARGETS = {
    "attribution_precision": 0.98,
    "speaker_recall": 0.9,
    "speaker_party": 0.85,
    "issue_recall": 0.8,
}
runner = CliRunner()


@pytest.fixture(scope="module")
def scores() -> list[Score]:
    return score_keys(KEYS)


def test_the_set_covers_many_domains_and_keeps_almaty() -> None:
    keys = [load_key(k) for k in KEYS]
    assert len(keys) >= 12
    assert len({k.domain.split(" (")[0] for k in keys}) >= 7
    assert any(k.report.name == "almaty-2013.txt" for k in keys)
    assert sum(k.heldout for k in keys) >= 3
    for k in keys:
        assert k.report.is_file(), k.report
        assert k.speakers and k.quotes and k.issues


@pytest.mark.parametrize("part", ["dev", "all"])
def test_the_reading_meets_the_targets(scores: list[Score], part: str) -> None:
    got = totals(scores)[part].measures()
    for measure, target in TARGETS.items():
        value = got[measure]
        assert value is not None and value >= target, (measure, value, target)


def test_no_quote_is_given_to_the_wrong_person(scores: list[Score]) -> None:
    wrong = [(s.name, e) for s in scores for e in s.errors if "WRONG" in e]
    assert wrong == []


def test_almaty_is_read_perfectly(scores: list[Score]) -> None:
    (almaty,) = [s for s in scores if s.name == "almaty-2013"]
    m = almaty.measures()
    assert m["attribution_precision"] == m["speaker_recall"] == m["speaker_party"] == 1.0
    assert m["issue_recall"] == 1.0


REPORT = (
    "Port workers reject pay offer\n\n"
    "The Harbour Workers Union, which represents 900 dockers, is seeking a rise of at least "
    "6 percent. The Port Employers Association, which represents the operators, has "
    "offered 4 percent.\n\n"
    '"Four percent is not enough," the union\'s general secretary, Ana Lima, said.\n\n'
    'Its chief executive, Rui Costa, said the association could not pay more. "Our margins '
    'are thin," Costa said. "A strike would hurt everyone."\n\n'
    'Labour Minister Marta Reis urged both sides to talk. "This is for them to settle," '
    "she said."
)


def _key(tmp_path: Path, quotes: list[dict], issues: list[dict] | None = None) -> Path:
    (tmp_path / "port.txt").write_text(REPORT, encoding="utf-8")
    key = {
        "report": "port.txt",
        "domain": "labour",
        "speakers": [
            {"name": "Ana Lima", "party": ["Harbour Workers Union"]},
            {"name": "Rui Costa", "party": ["Port Employers Association"]},
            {"name": "Marta Reis", "party": ["government"]},
        ],
        "quotes": quotes,
        "issues": issues or [{"name": "pay", "terms": ["rise"], "numbers": [6, 4]}],
    }
    path = tmp_path / "port.key.json"
    path.write_text(json.dumps(key), encoding="utf-8")
    return path


def test_a_short_report_is_read_by_the_general_rules(tmp_path: Path) -> None:
    path = _key(
        tmp_path,
        [
            {"words": "Four percent is not enough", "speaker": "Ana Lima"},
            {"words": "the association could not pay more", "speaker": "Rui Costa"},
            {"words": "Our margins are thin", "speaker": "Rui Costa"},
            {"words": "A strike would hurt everyone", "speaker": "Rui Costa"},
            {"words": "urged both sides to talk", "speaker": "Marta Reis"},
            {"words": "This is for them to settle", "speaker": "Marta Reis"},
        ],
        [
            {
                "name": "pay",
                "terms": ["rise"],
                "numbers": [6, 4],
                "positions": {"Harbour Workers Union": 6, "Port Employers Association": 4},
            }
        ],
    )
    key = load_key(path)
    s = score(extract(REPORT, source="port.txt"), key)
    assert s.errors == []
    assert set(s.measures().values()) == {1.0}


def test_a_wrong_key_lowers_attribution_precision(tmp_path: Path) -> None:
    path = _key(
        tmp_path,
        [
            {"words": "Four percent is not enough", "speaker": "Rui Costa"},
            {"words": "Our margins are thin", "speaker": "Rui Costa"},
        ],
    )
    s = score(extract(REPORT, source="port.txt"), load_key(path))
    assert s.measures()["attribution_precision"] == 0.5
    assert any("WRONG" in e for e in s.errors)


def test_a_quote_the_key_leaves_unknown_is_wrong_when_given_a_speaker(tmp_path: Path) -> None:
    path = _key(tmp_path, [{"words": "A strike would hurt everyone", "speaker": None}])
    s = score(extract(REPORT, source="port.txt"), load_key(path))
    assert s.measures()["attribution_precision"] == 0.0


def test_score_cli_prints_every_report_and_the_totals() -> None:
    r = runner.invoke(app, ["extract", "--score", str(EVAL / "labour-bus-pay.key.json")])
    assert r.exit_code == 0, r.output
    assert "labour-bus-pay" in r.stdout and "dev" in r.stdout and "attr P" in r.stdout


def test_score_cli_json() -> None:
    r = runner.invoke(app, ["extract", "--score", str(EVAL / "trade-steel.key.json"), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["reports"][0]["name"] == "trade-steel"
    assert set(TARGETS) <= set(data["totals"]["all"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a JSON answer key"),
        ("[]", "an answer key is a JSON object"),
        ('{"report": "x.txt", "speakers": [], "issues": []}', "quotes: missing field"),
        (
            '{"report": "x.txt", "speakers": [], "issues": [], '
            '"quotes": [{"words": "w", "speaker": "Nobody"}]}',
            "not one of the key's speakers",
        ),
    ],
)
def test_a_bad_key_is_refused_with_exit_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.key.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_key(path)
    r = runner.invoke(app, ["extract", "--score", str(path)])
    assert r.exit_code == 2
    assert message in r.output and "Traceback" not in r.output


def test_extract_without_a_report_or_a_key_exits_2() -> None:
    r = runner.invoke(app, ["extract"])
    assert r.exit_code == 2
    assert "--score" in r.output


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.name.removesuffix(".key.json"))
def test_the_draft_of_every_report_validates(key: Path) -> None:
    from accord.extract import draft

    k = load_key(key)
    scenario = draft(extract(k.report.read_text("utf-8"), source=k.report.name))
    assert scenario.actors and scenario.issues
    sources = {s.id for s in scenario.meta.sources}
    for actor in scenario.actors:
        for est in actor.positions.values():
            assert est.judgement or est.source in sources  # stated numbers cite a sentence


def test_a_drafted_position_is_the_number_the_side_states(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    r = runner.invoke(app, ["extract", str(EVAL / "labour-bus-pay.txt"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    from accord.io import load

    scenario = load(str(out))
    union = next(a for a in scenario.actors if a.id == "national_bus_workers_union")
    stated = [e for e in union.positions.values() if not e.judgement]
    assert [e.value for e in stated] == [6.0, 37.0]
    shown = runner.invoke(app, ["show", str(out)])
    assert shown.exit_code == 0, shown.output
    assert "National Bus Workers Union" in shown.output


@pytest.mark.filterwarnings("ignore:.*httpx2.*")
def test_the_web_app_opens_a_draft_for_editing(tmp_path: Path) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from accord.extract import draft
    from accord.io.native import dumps_yaml
    from accord.web import JobLimits, create_app

    text = (EVAL / "planning-tower.txt").read_text("utf-8")
    body = dumps_yaml(draft(extract(text, source="planning-tower.txt"))).encode()
    app = create_app(tmp_path / "data", JobLimits(workers=1, max_queue=1, max_draws=10))
    with TestClient(app, base_url="http://localhost") as client:
        r = client.post("/api/scenarios", files=[("files", ("draft.yaml", body))])
        assert r.status_code == 201, r.text
        page = client.get(r.json()["url"])
        assert page.status_code == 200
        assert "Harbour Point Developments" in page.text
