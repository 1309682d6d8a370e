"""Helpers that turn frozen result records into JSON-ready data.

Results are immutable dataclasses with ``to_dict()`` and ``to_frame()`` (design §2). `jsonable`
converts numpy scalars and arrays, dataclasses, tuples and mappings to plain JSON types so that
every engine's result can be written with `json.dumps` byte-for-byte reproducibly.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np


def jsonable(obj: Any, digits: int | None = 12) -> Any:
    """Plain-JSON copy of `obj`; floats rounded to `digits` significant digits when given."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if hasattr(obj, "to_dict"):
            return jsonable(obj.to_dict(), digits)
        return {f.name: jsonable(getattr(obj, f.name), digits) for f in dataclasses.fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v, digits) for k, v in obj.items()}
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist(), digits)
    if isinstance(obj, tuple) and hasattr(obj, "_asdict"):  # a named tuple: a record
        return jsonable(obj._asdict(), digits)
    if isinstance(obj, list | tuple | set | frozenset):
        return [jsonable(v, digits) for v in obj]
    if isinstance(obj, np.bool_ | bool):
        return bool(obj)
    if isinstance(obj, np.integer | int):
        return int(obj)
    if isinstance(obj, np.floating | float):
        x = float(obj)
        if not math.isfinite(x):
            return None
        return float(f"{x:.{digits}g}") if digits else x
    if hasattr(obj, "model_dump"):
        return jsonable(obj.model_dump(mode="json", exclude_none=True), digits)
    if obj is None or isinstance(obj, str):
        return obj
    return str(obj)


def dumps(obj: Any, digits: int | None = 12) -> str:
    """Stable JSON text of `obj` (sorted keys are not used: field order is meaningful)."""
    return json.dumps(jsonable(obj, digits), indent=2, ensure_ascii=False)


class NotebookView:
    """Mixin: a short HTML view in notebooks (`accord.present.notebook`), instead of the
    multi-kilobyte dataclass repr."""

    def _repr_html_(self) -> str:
        from accord.present.notebook import html_of

        return html_of(self)


class Plottable(NotebookView):
    """Mixin: `NotebookView` plus ``.plot(ax=None)`` returning a matplotlib figure
    (`accord.present.plots`)."""

    def plot(self, ax: Any = None) -> Any:
        """The object's figure (a new one, or drawn on `ax`)."""
        from accord.present.plots import plot_of

        return plot_of(self, ax)
