"""`accord list WHAT`: what is built in and registered."""

from __future__ import annotations

import importlib
from typing import Any

from accord.errors import UnknownNameError

REGISTRIES = {
    "models": ("accord.forecast", "MODELS"),
    "strategies": ("accord.bargain", "STRATEGIES"),
    "protocols": ("accord.bargain", "PROTOCOLS"),
    "metrics": ("accord.metrics", "METRICS"),
}


def traits_text(traits: dict[str, Any]) -> str:
    """Traits as words: the true ones named (``multi-issue, deterministic``), parameters and
    citation spelled out, false ones left out."""
    words = [k.replace("_", "-") for k, v in traits.items() if v is True]
    out = [", ".join(words)] if words else []
    params = traits.get("params")
    if params:
        out.append("parameters: " + ", ".join(map(str, params)))
    for key, v in traits.items():
        if key not in ("params",) and not isinstance(v, bool) and v not in (None, "", ()):
            out.append(f"{'source' if key == 'cite' else key.replace('_', ' ')}: {v}")
    return "; ".join(out)


def listing(what: str) -> list[dict[str, Any]]:
    """Rows describing the built-in scenarios, formats, or a registry's entries."""
    if what == "scenarios":
        from accord.io import load
        from accord.scenario import builtin_names

        rows = []
        for name in builtin_names():
            s = load(name)
            rows.append(
                {
                    "name": name,
                    "title": s.meta.title,
                    "actors": len(s.actors),
                    "issues": len(s.issues),
                }
            )
        return rows + _timelines()
    if what == "formats":
        from accord.io import FORMATS, _load_formats

        _load_formats()
        return [
            {
                "name": f.name,
                "extensions": " ".join(f.extensions),
                "read": f.reader is not None,
                "write": f.writer is not None,
                "lossless": f.lossless,
                "summary": f.summary,
            }
            for f in FORMATS.values()
        ]
    if what in REGISTRIES:
        module, attr = REGISTRIES[what]
        registry = getattr(importlib.import_module(module), attr)
        return [
            {
                "name": e.name,
                "summary": e.summary,
                "traits": traits_text(e.traits),
            }
            for e in registry.entries()
        ]
    raise UnknownNameError("listing", what, ["scenarios", "formats", *REGISTRIES])


def _timelines() -> list[dict[str, Any]]:
    """The built-in timelines (`accord timeline NAME`), described by their last round."""
    from accord.timeline import builtin_timeline_names, load_timeline

    rows = []
    for name in builtin_timeline_names():
        tl = load_timeline(name)
        last = tl.rounds[-1].scenario
        rows.append(
            {
                "name": name,
                "title": f"{tl.title} (timeline of {len(tl.rounds)} rounds: accord timeline)",
                "actors": len(last.actors),
                "issues": len(last.issues),
            }
        )
    return rows
