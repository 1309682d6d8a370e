"""A bounded hypothesis fuzz of the YAML/JSON loading path (issue 18).

Whatever the text, `accord.io.native` returns a `Scenario` or raises `InputError`: never another
exception, never a hang. Runs are derandomised (the same examples every run) and bounded in
number, so the suite stays fast and never flakes. For a longer, random campaign set
``ACCORD_FUZZ_EXAMPLES`` (examples per test), e.g. ``ACCORD_FUZZ_EXAMPLES=3000``.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import InputError
from accord.io import native
from accord.scenario import builtin_path

from .conftest import SMALL

CAMPAIGN = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "0") or 0)
FUZZ = settings(
    max_examples=CAMPAIGN or 150,
    deadline=None,
    derandomize=not CAMPAIGN,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ALMATY = builtin_path("almaty-2013").read_text(encoding="utf-8")
TOKENS = [
    " 2013-02-30",
    " 2013-13-01 25:61:00",
    " !!int ",
    " !!float ",
    " !!timestamp ",
    " !!binary ",
    " !!python/object:os.system ",
    " " + "9" * 5000,
    " 1e400",
    " -1e400",
    " .nan",
    " [/x]",
    " &a [*a]",
]
HOSTILE = "[]{}&*!|>:-,#'\"\\\n\t %@`?\x00\x1b\u202e\ufeff.nan .inf 1e308 -1e309 ~ << *a &a !!"


def _loads(text: str, file: str = "<fuzz>") -> None:
    with contextlib.suppress(InputError):
        native.read_text(text, file)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list(HOSTILE)) | st.characters(), max_size=400))
def test_any_text(text: str) -> None:
    _loads(text)
    _loads(text, "fuzz.json")


@st.composite
def mutated(draw: st.DrawFn, source: str = ALMATY) -> str:
    """The Almaty scenario with a few spans replaced by hostile text, deleted or repeated."""
    text = source
    for _ in range(draw(st.integers(1, 4))):  # a few edits: the text stays mostly valid
        i = draw(st.integers(0, len(text)))
        j = min(len(text), i + draw(st.integers(0, 40)))
        kind = draw(st.sampled_from(["insert", "delete", "repeat"]))
        if kind == "insert":
            piece = draw(
                st.text(alphabet=st.sampled_from(list(HOSTILE)), max_size=12)
                | st.sampled_from(TOKENS)
            )
            text = text[:i] + piece + text[j:]
        elif kind == "delete":
            text = text[:i] + text[j:]
        else:
            text = text[:j] + text[i:j] * draw(st.integers(1, 3)) + text[j:]
    return text


@FUZZ
@given(mutated())
def test_mutated_yaml(text: str) -> None:
    _loads(text, "almaty.yaml")


JSON_ALMATY = json.dumps(yaml.safe_load(ALMATY), default=str)


@FUZZ
@given(mutated(JSON_ALMATY))
def test_mutated_json(text: str) -> None:
    _loads(text, "almaty.json")


leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
values = st.recursive(
    leaf,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = [
    ("meta", "title"),
    ("meta", "round_length"),
    ("meta", "date"),
    ("meta", "sources"),
    ("issues", 0, "scale"),
    ("issues", 0, "status_quo"),
    ("issues", 0, "options"),
    ("issues", 0, "id"),
    ("actors", 0, "capability"),
    ("actors", 0, "positions"),
    ("actors", 0, "positions", "a"),
    ("actors", 1, "salience", "a"),
    ("actors", 1, "reservation"),
    ("actors", 1, "discount"),
    ("actors", 0, "utilities"),
    ("blocs",),
    ("table",),
    ("clocks",),
    ("proposals",),
    ("format",),
]


def _child(node: Any, key: Any) -> Any:
    """`node[key]`, or None where an earlier edit left no such container."""
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and key < len(node):
        return node[key]
    return None


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(FIELDS), values), min_size=1, max_size=3))
def test_any_value_in_any_field(edits: list[tuple[tuple[Any, ...], Any]]) -> None:
    data: Any = copy.deepcopy(SMALL)
    for path, value in edits:
        node = data
        for key in path[:-1]:
            node = _child(node, key)
        last = path[-1]
        if isinstance(node, dict) or (
            isinstance(node, list) and isinstance(last, int) and last < len(node)
        ):
            node[last] = value  # an earlier edit may have replaced the container
    with contextlib.suppress(InputError):
        native.from_data(data)
    text = json.dumps(data)  # NaN and Infinity included: the JSON reader must refuse them
    _loads(text, "s.json")
