"""Run directories: a manifest, tables and texts, written so that nothing is ever half-written.

Layout::

    manifest.json     accord version, created, scenario name + hash, seed, arguments, plan,
                      status ("running" until `RunDir.finalize`, then "complete")
    chunks/00012.csv  the runs of chunk 12 of an experiment, written as the chunk finishes
    runs.csv          all runs in run order (and runs.parquet when pyarrow is installed)
    <name>.csv/.json  any other table or text

Every file is written to a temporary name in the same directory and renamed into place
(``os.replace`` is atomic on POSIX and Windows), so a run interrupted by Ctrl-C or killed
outright leaves only whole files. `RunDir.open` reopens such a directory; the chunks it holds are
skipped when the experiment resumes, and `RunDir.combine` concatenates the chunk files' text in
run order, so a resumed run ends with exactly the bytes of an uninterrupted one.

`accord run` uses the same class: ``RunDir.create(path, manifest)``, ``write_table``,
``write_text`` and ``finalize``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from accord.errors import InputError, Problem
from accord.results import jsonable

MANIFEST = "manifest.json"
CHUNKS = "chunks"


def has_parquet() -> bool:
    """Whether Parquet files can be written (pyarrow installed)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and an atomic rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:  # disk full, permissions, Ctrl-C: leave no temporary file behind
        tmp.unlink(missing_ok=True)
        raise


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV text of a table: no index, floats in shortest round-trip form, ``\\n`` lines."""
    return frame.to_csv(index=False, lineterminator="\n")


def read_csv(path: Path | io.StringIO) -> pd.DataFrame:
    """A CSV written by `csv_text`, read back with every float exactly as written."""
    if int(pd.__version__.split(".")[0]) >= 3:  # pandas 3 parses floats exactly by default
        return pd.read_csv(path)
    return pd.read_csv(path, float_precision="round_trip")


class RunDir:
    """A run directory: see the module docstring."""

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = Path(path)
        self.manifest = manifest

    # --- opening ---------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, manifest: Mapping[str, Any]) -> RunDir:
        """A new run directory at `path` (refused when it exists and is not empty).

        ``accord`` (version) and ``created`` are filled in unless given; ``status`` starts as
        ``running``.
        """
        from accord import __version__

        p = Path(path)
        if p.exists() and not p.is_dir():
            raise InputError(Problem("the output path exists and is not a directory", (), str(p)))
        if p.is_dir() and any(p.iterdir()):
            raise InputError(
                Problem(
                    "the output directory exists and is not empty",
                    (),
                    str(p),
                )
            )
        p.mkdir(parents=True, exist_ok=True)
        m: dict[str, Any] = {"accord": __version__, "created": _now()}
        m.update(jsonable(dict(manifest)))
        m.setdefault("status", "running")
        run = cls(p, m)
        run._write_manifest()
        return run

    @classmethod
    def open(cls, path: str | Path) -> RunDir:
        """An existing run directory (for resuming or reading)."""
        p = Path(path)
        mf = p / MANIFEST
        if not mf.is_file():
            raise InputError(Problem(f"not a run directory: no {MANIFEST}", (), str(p)))
        try:
            manifest = json.loads(mf.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise InputError(Problem(f"unreadable {MANIFEST}: {e}", (), str(mf))) from None
        if not isinstance(manifest, dict):
            raise InputError(Problem(f"{MANIFEST} is not a JSON object", (), str(mf)))
        return cls(p, manifest)

    @property
    def complete(self) -> bool:
        """Whether `finalize` has run."""
        return self.manifest.get("status") == "complete"

    # --- writing ---------------------------------------------------------------------
    def write_text(self, name: str, text: str) -> Path:
        """Write a text file (atomically) and return its path."""
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text.encode("utf-8"))
        return path

    def write_json(self, name: str, obj: Any) -> Path:
        """Write `obj` as JSON (through `accord.results.jsonable`)."""
        return self.write_text(name, json.dumps(jsonable(obj), indent=2, ensure_ascii=False) + "\n")

    def write_table(self, name: str, frame: pd.DataFrame) -> list[Path]:
        """Write ``name.csv`` and, when pyarrow is installed, ``name.parquet``."""
        stem = name.removesuffix(".csv")
        out = [self.write_text(f"{stem}.csv", csv_text(frame))]
        if has_parquet():
            buf = io.BytesIO()
            frame.to_parquet(buf, index=False)
            path = self.path / f"{stem}.parquet"
            atomic_write(path, buf.getvalue())
            out.append(path)
        return out

    def update(self, **fields: Any) -> None:
        """Change manifest fields and rewrite the manifest."""
        self.manifest.update(jsonable(fields))
        self._write_manifest()

    def finalize(self, **fields: Any) -> None:
        """Mark the run complete (``status``, ``finished``, the files it holds)."""
        files = sorted(
            str(p.relative_to(self.path))
            for p in self.path.rglob("*")
            if p.is_file() and p.name != MANIFEST and not p.name.startswith(".")
        )
        self.update(**fields, status="complete", finished=_now(), files=files)

    def _write_manifest(self) -> None:
        text = json.dumps(self.manifest, indent=2, ensure_ascii=False) + "\n"
        atomic_write(self.path / MANIFEST, text.encode("utf-8"))

    # --- chunks of an experiment -------------------------------------------------------
    def chunk_path(self, index: int) -> Path:
        """The file of chunk `index`."""
        return self.path / CHUNKS / f"{index:05d}.csv"

    def write_chunk(self, index: int, frame: pd.DataFrame) -> None:
        """Write the runs of chunk `index` (atomically)."""
        (self.path / CHUNKS).mkdir(exist_ok=True)
        atomic_write(self.chunk_path(index), csv_text(frame).encode("utf-8"))

    def finished_chunks(self) -> dict[int, pd.DataFrame]:
        """The chunks already written, by index."""
        out: dict[int, pd.DataFrame] = {}
        folder = self.path / CHUNKS
        if folder.is_dir():
            for p in sorted(folder.glob("*.csv")):
                if p.stem.isdigit():
                    out[int(p.stem)] = read_csv(p)
        return out

    def combine(self, n_chunks: int, name: str = "runs") -> pd.DataFrame:
        """Join chunks 0 … n_chunks-1 into ``name.csv`` (text, run order) and ``.parquet``."""
        parts = []
        header: str | None = None
        for k in range(n_chunks):
            path = self.chunk_path(k)
            if not path.is_file():
                raise InputError(Problem("a chunk of the run is missing", (), str(path)))
            first, _, body = path.read_text(encoding="utf-8").partition("\n")
            if header is None:
                header = first
            elif first != header:
                raise InputError(Problem("chunks disagree on their columns", (), str(path)))
            parts.append(body)
        text = (header or "") + "\n" + "".join(parts)
        self.write_text(f"{name}.csv", text)
        frame = read_csv(io.StringIO(text))
        if has_parquet():
            buf = io.BytesIO()
            frame.to_parquet(buf, index=False)
            atomic_write(self.path / f"{name}.parquet", buf.getvalue())
        return frame

    def drop_chunks(self) -> None:
        """Remove the chunk files once the combined table is written."""
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(self.path / CHUNKS)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
