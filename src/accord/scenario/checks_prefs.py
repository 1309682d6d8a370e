"""Validation of red lines, metric terms, utility shapes, bloc rules and metric parameters.

The range of every number (a metric term's weight included) is checked with the rest in
`accord.scenario.checks`, from the bounds declared in `accord.scenario.numbers`.

Called by `accord.scenario.checks.check`; each problem names its field path and value.
"""

from __future__ import annotations

from typing import Any

from accord.errors import Path, Problem
from accord.metrics import METRICS, bind_metric
from accord.scenario.schema import Issue, RedLine, Scenario, Shape, _raw


def check_preferences(s: Scenario) -> list[Problem]:
    """Every problem with the scenario's red lines, metric terms, shapes and bloc rules."""
    out: list[Problem] = []
    issues = {i.id: i for i in s.issues}
    metrics_ok = _check_metrics(s, out)
    for k, a in enumerate(s.actors):
        base: Path = ("actors", k)
        for iid, shape in a.shapes.items():
            _check_shape(out, (*base, "shapes", iid), issues.get(iid), shape, issues)
        for j, t in enumerate(a.metric_terms):
            path = (*base, "metric_terms", j)
            _known_metric(out, (*path, "metric"), t.metric, metrics_ok)
            if t.shape.kind not in ("piecewise", "threshold"):
                out.append(
                    Problem(
                        "a metric term's shape is 'piecewise' (two points for linear) or "
                        "'threshold'",
                        (*path, "shape", "kind"),
                        t.shape.kind,
                    )
                )
            elif not t.shape.monotone:
                out.append(
                    Problem(
                        "a metric term's piecewise shape must be monotone (never change direction)",
                        (*path, "shape", "points"),
                        [list(p) for p in t.shape.points or ()],
                    )
                )
        for j, rl in enumerate(a.red_lines):
            _check_red_line(out, (*base, "red_lines", j), rl, issues, metrics_ok)
    for k, b in enumerate(s.blocs):
        if b.rule == "quorum" and b.threshold is None:
            out.append(
                Problem("a quorum rule needs a threshold in (0, 1]", ("blocs", k, "threshold"))
            )
        if b.rule != "quorum" and b.threshold is not None:
            out.append(
                Problem(
                    "a threshold is only used by the quorum rule",
                    ("blocs", k, "threshold"),
                    b.threshold,
                )
            )
    return out


def _check_metrics(s: Scenario, out: list[Problem]) -> dict[str, bool]:
    """Whether each metric named anywhere is registered and applies to the scenario; a metric
    that does not apply is reported where it is first used (or at ``metrics.<name>``)."""
    from accord.scenario.preferences import metric_context

    where: dict[str, Path] = {name: ("metrics", name) for name in s.metrics}
    for k, a in enumerate(s.actors):
        for j, t in enumerate(a.metric_terms):
            where.setdefault(t.metric, ("actors", k, "metric_terms", j, "metric"))
        for j, rl in enumerate(a.red_lines):
            if rl.metric is not None:
                where.setdefault(rl.metric, ("actors", k, "red_lines", j, "metric"))
    ok: dict[str, bool] = {}
    for name, path in where.items():
        if name not in METRICS:
            ok[name] = False
            if name in s.metrics:
                out.append(
                    Problem(f"unknown metric; known: {', '.join(METRICS.names())}", path, name)
                )
            continue
        try:
            bind_metric(name, metric_context(s, name))
            ok[name] = True
        except (ValueError, KeyError, TypeError) as e:
            ok[name] = False
            out.append(Problem(f"metric {name!r} does not apply: {e}", path, name))
    return ok


def _known_metric(out: list[Problem], path: Path, name: str, ok: dict[str, bool]) -> None:
    if name not in METRICS:
        out.append(Problem(f"unknown metric; known: {', '.join(METRICS.names())}", path, name))


def _check_shape(
    out: list[Problem], path: Path, issue: Issue | None, shape: Shape, issues: dict[str, Any]
) -> None:
    if issue is None:
        out.append(
            Problem(
                f"unknown issue id; expected one of: {', '.join(sorted(issues))}", path, path[-1]
            )
        )
        return
    if shape.kind == "threshold":
        out.append(
            Problem(
                "an issue shape is 'linear', 'power' or 'piecewise'", (*path, "kind"), shape.kind
            )
        )
    if shape.kind == "piecewise":
        if issue.options is not None:
            out.append(
                Problem(
                    "a piecewise shape needs a continuous issue "
                    "(give 'utilities' per option instead)",
                    (*path, "kind"),
                    shape.kind,
                )
            )
            return
        lo, hi = issue.bounds
        xs = [p[0] for p in shape.points or ()]
        if xs and (xs[0] > lo or xs[-1] < hi):
            out.append(
                Problem(
                    f"piecewise points must cover the issue's scale [{lo:g}, {hi:g}]",
                    (*path, "points"),
                    xs,
                )
            )


def _check_red_line(
    out: list[Problem], path: Path, rl: RedLine, issues: dict[str, Issue], ok: dict[str, bool]
) -> None:
    if rl.metric is not None:
        _known_metric(out, (*path, "metric"), rl.metric, ok)
        return
    issue = issues.get(str(rl.issue))
    if issue is None:
        out.append(
            Problem(
                f"red line on a missing issue; expected one of: {', '.join(sorted(issues))}",
                (*path, "issue"),
                rl.issue,
            )
        )
        return
    if rl.options is not None:
        if issue.options is None:
            out.append(Problem("'in'/'not_in' need an options issue", (*path, "op"), rl.op))
            return
        for j, o in enumerate(rl.options):
            if o not in issue.options:
                out.append(
                    Problem(
                        f"expected one of the options {list(issue.options)}",
                        (*path, "options", j),
                        o,
                    )
                )
        return
    raw = _raw(rl.value)  # type: ignore[arg-type]
    if issue.options is not None:
        if isinstance(raw, str) and raw not in issue.options:
            out.append(
                Problem(f"expected one of the options {list(issue.options)}", (*path, "value"), raw)
            )
        elif not isinstance(raw, str):
            out.append(
                Problem(
                    "a red line on an options issue names an option label", (*path, "value"), raw
                )
            )
        return
    if isinstance(raw, str):
        out.append(Problem("expected a number on the issue's scale", (*path, "value"), raw))
        return
    lo, hi = issue.bounds
    if not lo <= raw <= hi:
        unit = f" {issue.unit}" if issue.unit else ""
        out.append(
            Problem(
                f"threshold outside the issue's scale [{lo:g}, {hi:g}]{unit}", (*path, "value"), raw
            )
        )
