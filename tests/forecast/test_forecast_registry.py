"""Registry entries: name, summary, traits and parameter schema in one place; plugins."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
import pytest

from accord import registry as reg
from accord.errors import InputError
from accord.forecast import MODELS, Forecast, Model
from accord.forecast.models.bdm import BDM
from accord.registry import Registry
from accord.scenario import Compiled


def test_the_schema_is_read_from_the_signature() -> None:
    e = MODELS.get("bdm")
    rounds, denom = e.param("rounds"), e.param("denominator")
    assert rounds is not None and (rounds.type, rounds.default) == ("int", 10)
    assert denom is not None and denom.type == "choice"
    assert set(denom.choices) == {"paper", "scholz-code"}
    assert e.traits["params"] == tuple(p.name for p in e.params)
    assert "reset_risk" in e.traits["params"]
    pivot = MODELS.get("pivot")
    assert [p.name for p in pivot.params] == ["quota", "weights"]
    assert MODELS.get("status-quo").params == ()
    assert e.summary.startswith("Bueno de Mesquita")


def test_create_converts_text_and_checks_every_parameter() -> None:
    m = MODELS.create("bdm", rounds="8", converge="false", q="0.5")
    assert (m.rounds, m.converge, m.switches.q) == (8, False, 0.5)
    with pytest.raises(InputError) as err:
        MODELS.create("bdm", rounds="x", converge="maybe", colour=1, denominator="bad")
    text = str(err.value)
    for part in (
        "models.bdm.rounds = 'x': expected an integer",
        "models.bdm.converge = 'maybe': expected true or false",
        "models.bdm.colour = 1: unknown parameter; known: denominator",
        "models.bdm.denominator = 'bad': expected one of",
    ):
        assert part in text
    assert len(err.value.problems) == 4


def test_parse_reads_a_cli_spec() -> None:
    assert MODELS.parse("bdm:rounds=8,converge=false") == ("bdm", {"rounds": 8, "converge": False})
    assert MODELS.parse("compromise") == ("compromise", {})
    assert MODELS.parse("nash:utility=quadratic,exponent=none")[1] == {
        "utility": "quadratic",
        "exponent": None,
    }
    assert isinstance(MODELS.from_spec("bdm:rounds=3"), BDM)
    with pytest.raises(InputError, match="expected key=value"):
        MODELS.parse("bdm:rounds")


def test_direct_construction_checks_the_choices_once() -> None:
    with pytest.raises(InputError, match=r"models\.bdm\.offer = 'closest'"):
        BDM(offer="closest")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="Q is a probability"):
        BDM(q=2.0)


class _Plugin(Model):
    """A third-party model: the status quo moved halfway to the mean position."""

    name = "plugin-halfway"

    def __init__(self, share: float = 0.5, how: Literal["mean", "median"] = "mean") -> None:
        self.share, self.how = share, how

    def forecast(self, c: Compiled, seed: object = None) -> Forecast:
        mid = c.actors.position.mean(axis=0)
        point = c.status_quo + self.share * (mid - c.status_quo)
        return Forecast(self.name, c.issue_ids, c.to_units(point))


class _Declared(_Plugin):
    """A plugin that declares some traits itself."""

    traits: ClassVar[dict[str, object]] = {"deterministic": True, "cite": "a paper"}


class _EntryPoint:
    def __init__(self, name: str, obj: type) -> None:
        self.name, self.obj = name, obj

    def load(self) -> type:
        return self.obj


def test_entry_point_plugins_get_traits_and_a_schema(
    monkeypatch: pytest.MonkeyPatch, almaty
) -> None:
    eps = [_EntryPoint("halfway", _Plugin), _EntryPoint("declared", _Declared)]
    monkeypatch.setattr(reg, "entry_points", lambda group: eps if group == "accord.models" else [])
    models: Registry[type[Model]] = Registry("models", defaults=MODELS.defaults)
    assert models.names() == ["halfway", "declared"]
    plain, declared = models.get("halfway"), models.get("declared")
    for trait in ("deterministic", "rounds", "within_span", "multi_issue", "cite"):
        assert trait in plain.traits
    assert plain.traits["deterministic"] is False and declared.traits["deterministic"] is True
    assert declared.traits["cite"] == "a paper"
    assert plain.traits["params"] == ("share", "how")
    with pytest.raises(InputError, match="expected one of mean, median"):
        models.create("halfway", how="mode")
    from accord.scenario import compile

    f = models.create("halfway", share="1").forecast(compile(almaty))
    assert np.all(np.isfinite(f.point)) and f.point.shape == (compile(almaty).k,)


def test_strategies_and_protocols_have_schemas_too() -> None:
    from accord.bargain.protocols import PROTOCOLS
    from accord.bargain.strategies import STRATEGIES, make_strategy

    assert STRATEGIES.get("tft-relative").param("window").type == "int"  # type: ignore[union-attr]
    assert make_strategy("boulware:e=0.1").e == 0.1  # type: ignore[attr-defined]
    with pytest.raises(InputError, match=r"strategies\.boulware\.colour"):
        make_strategy("boulware:colour=red")
    walk = PROTOCOLS.get("mediated").param("walk_away")  # inherited through **kw
    assert walk is not None and walk.type == "bool"
