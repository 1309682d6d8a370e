"""The outcome space of a compiled scenario: a grid over the issues, evaluated in blocks.

Decisions:

- An options issue takes its options as they are. A continuous issue takes ``resolution``
  evenly spaced points over its scale (default 11: steps of a tenth of the range), *plus* its
  status-quo value when that is not already a grid point, so the no-deal outcome is always
  one of the outcomes.
- The space is the Cartesian product of the issue axes; outcome ``n`` is the row-major (C-order)
  flat index into it. Spaces over `limit` outcomes (default 10^12) are refused with a
  `LimitError`; spaces over ``enumerate_limit`` are never enumerated (see
  `accord.analysis.search` for the exact search used instead).
- Utility is additive (design.md §1): ``u_a(x) = Σ_k w_ak v_ak(x_k)``. `value_tables` holds the
  weighted per-issue values ``w_ak v_ak`` on each axis, shape (A, m_k); a block of outcomes is
  then an outer sum of a precomputed *tail* table (the trailing issues) and a per-block *head*
  vector, so evaluating 10^7 outcomes costs one addition per outcome and party.
- With metric terms (docs/preferences.md) utility is not additive: `additive` is False and
  blocks are evaluated outcome by outcome with `Compiled.utility` (vectorised over the block),
  metrics included. Seats that mix their members' utilities (consensus and quorum blocs) mix
  the members' tables, which keeps them additive when the members are.
- Blocks hold at most ``block_size`` outcomes (default 2^20), so memory stays within
  ``block_size × A × 8`` bytes per block whatever the size of the space.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.errors import InputError, LimitError, Problem
from accord.scenario.compile import Compiled, Preferences, issue_values

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

DEFAULT_RESOLUTION = 11
MAX_RESOLUTION = 10_001
SPACE_LIMIT = 10**12
ENUMERATE_LIMIT = 2 * 10**7
BLOCK_SIZE = 2**20


@dataclass(frozen=True, eq=False)
class OutcomeSpace:
    """A grid over the issues of `compiled`: ``axes[k]`` holds the normalised values of issue k."""

    compiled: Compiled
    axes: tuple[FloatArray, ...]
    resolution: int

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of values on each issue."""
        return tuple(len(ax) for ax in self.axes)

    @property
    def size(self) -> int:
        """Number of outcomes (an exact Python int; may exceed 2^63)."""
        return math.prod(self.shape)

    @property
    def status_quo_index(self) -> IntArray:
        """Per-issue index (K,) of the no-deal outcome."""
        q = self.compiled.status_quo
        return np.array([int(np.argmin(np.abs(ax - q[k]))) for k, ax in enumerate(self.axes)])

    def outcomes(self, index: IntArray) -> FloatArray:
        """Normalised outcomes (N, K) of per-issue indices (N, K) or flat indices (N,)."""
        idx = self.unravel(index)
        return np.column_stack([ax[idx[:, k]] for k, ax in enumerate(self.axes)])

    def unravel(self, index: IntArray) -> IntArray:
        """Per-issue indices (N, K) of flat indices (N,); per-issue indices pass through."""
        index = np.asarray(index, dtype=np.int64)
        if index.ndim == 2:
            return index
        return np.column_stack(np.unravel_index(index, self.shape)).astype(np.int64)

    def additive(self, prefs: Preferences) -> bool:
        """Whether the utilities of `prefs` are sums of per-issue tables (no metric terms)."""
        if prefs.terms:
            return False
        return not (prefs.mixed.size and self.compiled.actors.terms)

    def value_tables(self, prefs: Preferences) -> list[FloatArray]:
        """Weighted per-issue values ``w_ak v_ak(axis_k)``: one (A, m_k) table per issue.

        For a non-additive `prefs` these are only the issue part of the utility.
        """
        c = self.compiled
        tables = [
            (issue_values(c, prefs, k, ax) * prefs.weight[:, k]).T for k, ax in enumerate(self.axes)
        ]
        rows = prefs.mixed
        if rows.size and prefs.mix is not None:
            members = self.value_tables(c.actors)
            for t, m in zip(tables, members, strict=True):
                t[rows] = prefs.mix[rows] @ m
        return tables

    def utilities_of(self, prefs: Preferences, index: IntArray) -> FloatArray:
        """Utilities (N, A) of the outcomes at `index` (flat (N,) or per-issue (N, K))."""
        idx = self.unravel(index)
        if not self.additive(prefs):
            return self.compiled.utility(prefs, self.outcomes(idx))
        tables = self.value_tables(prefs)
        out = np.zeros((len(idx), prefs.n))
        for k, t in enumerate(tables):
            out += t[:, idx[:, k]].T
        return out

    def blocks(
        self, prefs: Preferences, block_size: int = BLOCK_SIZE
    ) -> Iterator[tuple[int, FloatArray]]:
        """Yield ``(start, U)``: utilities (B, A) of flat outcomes ``start … start + B − 1``.

        Refuses (`LimitError`) a space over `ENUMERATE_LIMIT` outcomes.
        """
        _check_enumerable(self)
        if not self.additive(prefs):
            for start in range(0, self.size, max(block_size, 1)):
                rows = np.arange(start, min(self.size, start + max(block_size, 1)))
                yield start, self.compiled.utility(prefs, self.outcomes(rows))
            return
        tables = self.value_tables(prefs)
        shape = self.shape
        split = len(shape)
        tail_size = 1
        while split > 0 and tail_size * shape[split - 1] <= max(block_size, 1):
            split -= 1
            tail_size *= shape[split]
        tail = np.zeros((1, prefs.n))
        for t in tables[split:]:
            tail = (tail[:, None, :] + t.T[None, :, :]).reshape(-1, prefs.n)
        head_shape = shape[:split]
        n_head = math.prod(head_shape)
        per_block = max(1, block_size // tail_size)
        for h0 in range(0, n_head, per_block):
            heads = np.arange(h0, min(n_head, h0 + per_block))
            head = np.zeros((len(heads), prefs.n))
            if split:
                hidx = np.unravel_index(heads, head_shape)
                for k in range(split):
                    head += tables[k][:, hidx[k]].T
            block = (head[:, None, :] + tail[None, :, :]).reshape(-1, prefs.n)
            yield h0 * tail_size, block

    def utilities(self, prefs: Preferences, memory_limit: int = 2 * 2**30) -> FloatArray:
        """All utilities (N, A); refused (`LimitError`) over `memory_limit` bytes."""
        need = self.size * prefs.n * 8
        if need > memory_limit:
            raise LimitError(
                "utility array size in bytes",
                need,
                memory_limit,
                "iterate over OutcomeSpace.blocks instead",
            )
        out = np.empty((self.size, prefs.n))
        for start, block in self.blocks(prefs):
            out[start : start + len(block)] = block
        return out


def _check_enumerable(space: OutcomeSpace) -> None:
    if space.size > ENUMERATE_LIMIT:
        raise LimitError(
            "outcomes to enumerate",
            space.size,
            ENUMERATE_LIMIT,
            "use accord.analysis.search.additive_frontier for larger spaces",
        )


def grid(
    compiled: Compiled,
    resolution: int = DEFAULT_RESOLUTION,
    limit: int = SPACE_LIMIT,
) -> OutcomeSpace:
    """The outcome space of `compiled` with `resolution` points on each continuous issue."""
    if not isinstance(resolution, int | np.integer) or not 2 <= resolution <= MAX_RESOLUTION:
        raise InputError(
            Problem(
                f"resolution must be an integer in [2, {MAX_RESOLUTION}]",
                ("resolution",),
                resolution,
            )
        )
    axes: list[FloatArray] = []
    for k in range(compiled.k):
        m = int(compiled.n_options[k])
        if m:
            ax = np.arange(m) / (m - 1)
        else:
            ax = np.linspace(0.0, 1.0, int(resolution))
            q = float(compiled.status_quo[k])
            if not np.isclose(ax, q, rtol=0, atol=1e-12).any():
                ax = np.sort(np.append(ax, q))
        axes.append(ax.astype(np.float64))
    space = OutcomeSpace(compiled=compiled, axes=tuple(axes), resolution=int(resolution))
    if space.size > limit:
        hint = (
            "fewer options, or a lower resolution (--resolution in accord analyze, run and"
            " negotiate)"
        )
        raise LimitError("outcome-space size", space.size, limit, hint)
    return space
