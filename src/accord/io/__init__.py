"""Readers and writers for every scenario file format; each reader returns a `Scenario`.

`load` takes a built-in scenario name or a path; `read`/`write` pick the format by name, else
(reading) by the file's content (`accord.io.sniff`), else by its ending. A writer returns the
list of what the target format could not hold (never silently dropped); `accord convert`
prints it. `read_with_notes` also returns how the reader mapped its format's conventions onto
the scenario (scales, salience ranges, status quo, renormalised weights); see docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from accord.errors import InputError, LimitError, Problem, UnknownNameError, env_limit
from accord.io import native
from accord.scenario import Scenario, builtin_names, builtin_path

MAX_FILE_BYTES = 20 * 1024 * 1024

Reader = Callable[[Path], Scenario]
Writer = Callable[[Scenario, Path], list[str]]


@dataclass(frozen=True)
class Format:
    """A file format: its name, file endings, reader and writer, and whether it is lossless."""

    name: str
    extensions: tuple[str, ...]
    reader: Reader | None
    writer: Writer | None
    lossless: bool
    summary: str


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> None:
    """Add a format to the table `read`, `write` and `accord convert` use."""
    FORMATS[fmt.name] = fmt


register_format(
    Format("yaml", (".yaml", ".yml"), native.read, native.write_yaml, True, "accord scenario, YAML")
)
register_format(
    Format("json", (".json",), native.read, native.write_json, True, "accord scenario, JSON")
)


def _load_formats() -> None:
    """Import the optional format modules, which register themselves."""
    import importlib
    import pkgutil

    import accord.io as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("fmt_"):
            importlib.import_module(f"accord.io.{info.name}")


def format_for(path: Path, name: str | None = None, writing: bool = False) -> Format:
    """The format named `name`, else (reading a file) the one its content shows, else the one
    whose ending `path` has."""
    from accord.io.sniff import TRIED, sniff

    _load_formats()
    if name is not None:
        if name not in FORMATS:
            raise UnknownNameError("format", name, FORMATS)
        return FORMATS[name]
    if not writing and path.is_file():
        found = sniff(path)
        if found is not None and found in FORMATS:
            return FORMATS[found]
    suffixes = "".join(path.suffixes[-2:]).lower()
    # Longest ending first, so `.bdm.csv` wins over `.csv`.
    for fmt in sorted(FORMATS.values(), key=lambda f: -max(len(e) for e in f.extensions)):
        matches = any(suffixes.endswith(e) or path.name.lower().endswith(e) for e in fmt.extensions)
        if matches and (fmt.writer if writing else fmt.reader) is not None:
            return fmt
    if path.is_dir() and not writing:
        return FORMATS["genius"] if "genius" in FORMATS else FORMATS["yaml"]
    endings = sorted({e for f in FORMATS.values() for e in f.extensions})
    tried = "" if writing else "the content matches none of: " + "; ".join(TRIED) + ". "
    raise InputError(
        Problem(
            f"cannot tell the format. {tried}The name ends in none of: {', '.join(endings)}. "
            f"Say the format with --from/--to, one of: {', '.join(FORMATS)}",
            file=str(path),
        )
    )


def read_with_notes(
    path: str | Path,
    fmt: str | None = None,
    salience_scale: int | None = None,
    scale: tuple[float, float] | None = None,
) -> tuple[Scenario, list[str]]:
    """Read a scenario file and list how its format's conventions were mapped (the notes).

    `salience_scale` (1 or 100) says how to read saliences when a file mixes the scales;
    `scale` gives the scale of issues whose format states none (BDM, CSV without a sidecar).
    """
    from accord.io.reading import ReadOptions, reading

    with reading(ReadOptions(salience_scale, scale)) as notes:
        s = read(path, fmt)
    return s, list(notes)


def read(path: str | Path, fmt: str | None = None) -> Scenario:
    """Read a scenario file in any supported format."""
    p = Path(path)
    if not p.exists():
        raise InputError(Problem("no such file or directory", file=str(p)))
    if p.is_file():
        size, limit = p.stat().st_size, env_limit("ACCORD_MAX_FILE_BYTES", MAX_FILE_BYTES)
        if size > limit:
            hint = "bytes; set ACCORD_MAX_FILE_BYTES to raise the limit"
            raise LimitError(f"file size of {p}", size, limit, hint)
    f = format_for(p, fmt)
    assert f.reader is not None
    try:
        return f.reader(p)
    except UnicodeDecodeError as e:
        raise InputError(Problem(f"not a text file ({e.reason})", file=str(p))) from None
    except InputError as e:
        raise e.located(str(p)) from None


def write(s: Scenario, path: str | Path, fmt: str | None = None) -> list[str]:
    """Write `s` in the format of `path` (or `fmt`); returns what the format could not hold.

    The writer works in a temporary folder beside `path` (a format may write a sidecar file or
    a folder of files); what it wrote is moved into place only when it succeeds, so a failure
    writes nothing.
    """
    import shutil

    p = Path(path)
    f = format_for(p, fmt, writing=True)
    if f.writer is None:
        raise InputError(Problem(f"format {f.name} cannot be written", file=str(p)))
    if p.is_dir() and any(p.iterdir()):
        raise InputError(Problem("the output folder exists and is not empty", file=str(p)))
    tmp = p.with_name(f".{p.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        losses = f.writer(s, tmp / p.name)
        for item in tmp.iterdir():
            dest = p.with_name(item.name)
            if dest.is_dir() and not dest.is_symlink():
                dest.rmdir()  # empty: checked above
            elif item.is_dir() and dest.exists():
                dest.unlink()
            item.replace(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return losses


def load(source: str | Path, fmt: str | None = None) -> Scenario:
    """A scenario from a built-in name (``almaty-2013``) or from a file path.

    A bare built-in name is the built-in scenario even where the working folder holds a file
    or folder of that name (a run directory written with ``--out almaty-2013``, say); write
    ``./almaty-2013`` for the local one.
    """
    text = str(source)
    if fmt is None and isinstance(source, str) and text in builtin_names():
        return native.read(builtin_path(text))
    if fmt is None and not Path(text).exists() and "/" not in text and "." not in text:
        raise UnknownNameError("scenario", text, builtin_names())
    return read(source, fmt)


__all__ = [
    "FORMATS",
    "Format",
    "format_for",
    "load",
    "read",
    "read_with_notes",
    "register_format",
    "write",
]
