"""Reading a timeline file (YAML or JSON) and finding the built-in timelines.

Errors name the file, the line and the field path, as scenario files do (`accord.io.native`):
a bad field of the timeline itself, an overlay naming a missing actor or issue, or a round that
leaves an invalid scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from accord.errors import InputError, Problem, UnknownNameError
from accord.io.native import line_map, locate, parse, problems_from_validation
from accord.scenario import Scenario, builtin_names
from accord.timeline.build import RoundState, build_rounds, resolve_base
from accord.timeline.model import Timeline

MAX_BYTES = 5_000_000


@dataclass(frozen=True, eq=False)
class LoadedTimeline:
    """A validated timeline, its base scenario and the scenario of every round."""

    name: str
    timeline: Timeline
    base: Scenario
    rounds: tuple[RoundState, ...]

    @property
    def title(self) -> str:
        """The timeline's title."""
        return self.timeline.meta.title


def _builtin_dir() -> Path:
    return Path(str(resources.files("accord.scenario") / "builtin" / "timelines"))


def builtin_timeline_names() -> list[str]:
    """Names of the built-in timelines, e.g. ``iran-2012-2015``."""
    folder = _builtin_dir()
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def is_timeline_file(path: Path) -> bool:
    """Whether a file declares ``format: accord-timeline/1`` (read from its first lines)."""
    try:
        head = path.read_text(encoding="utf-8")[:4000]
    except (OSError, UnicodeDecodeError):
        return False
    return "accord-timeline/1" in head


def load_timeline(source: str | Path) -> LoadedTimeline:
    """A timeline from a built-in name or a file, with every round's scenario built (a bare
    built-in name is the built-in timeline whatever the working folder holds, as in
    `accord.io.load`)."""
    text_src = str(source)
    if isinstance(source, str) and text_src in builtin_timeline_names():
        path = _builtin_dir() / f"{text_src}.yaml"
    else:
        path = Path(text_src)
        if not path.is_file():
            if text_src in builtin_names():
                raise InputError(
                    Problem(
                        "a scenario, not a timeline; built-in timelines: "
                        + ", ".join(builtin_timeline_names()),
                        (),
                        text_src,
                    )
                )
            if "/" not in text_src and "." not in text_src:
                raise UnknownNameError("timeline", text_src, builtin_timeline_names())
            raise InputError(Problem("no such file", (), text_src))
    if path.stat().st_size > MAX_BYTES:
        raise InputError(Problem(f"a timeline file is at most {MAX_BYTES:,} bytes", file=str(path)))
    text = path.read_text(encoding="utf-8")
    return read_timeline(text, str(path), name=path.stem, here=path.parent)


def read_timeline(
    text: str, file: str = "<input>", *, name: str = "timeline", here: Path | None = None
) -> LoadedTimeline:
    """A timeline from YAML/JSON text; problems carry the file and line."""
    data = parse(text, file)
    lines = line_map(text)
    if not isinstance(data, dict):
        raise InputError(
            Problem("expected a mapping with meta, base and rounds", file=file, line=1)
        )
    try:
        timeline = Timeline.model_validate(data)
    except ValidationError as e:
        raise InputError(locate(problems_from_validation(e, data), file, lines)) from None
    try:
        base = resolve_base(timeline, here)
        rounds = build_rounds(timeline, base)
    except InputError as e:
        raise InputError(locate(e.problems, file, lines)) from None
    return LoadedTimeline(name, timeline, base, rounds)


def rebuild(loaded: LoadedTimeline, base: Scenario) -> LoadedTimeline:
    """The same rounds on another base scenario (e.g. a clock rate varied for a sensitivity)."""
    return LoadedTimeline(loaded.name, loaded.timeline, base, build_rounds(loaded.timeline, base))


def timeline_scenario(source: str) -> Scenario | None:
    """For `accord validate`: the last round's scenario of a timeline (a built-in timeline
    name or a file declaring ``accord-timeline/1``), titled as the timeline; None otherwise."""
    path = Path(source)
    if not (source in builtin_timeline_names() or (path.is_file() and is_timeline_file(path))):
        return None
    loaded = load_timeline(source)
    last = loaded.rounds[-1]
    title = f"{loaded.title} (timeline: {len(loaded.rounds)} rounds, the last {last.round.label})"
    return last.scenario.model_copy(
        update={"meta": last.scenario.meta.model_copy(update={"title": title})}
    )
