"""Benchmark: how fast `accord extract` reads a report, and how well, on the evaluation set.

Run: ``.venv/bin/python benchmarks/bench_extract.py [--repeat 3]``

For every answer key of ``tests/data/extract-eval/`` it times reading the key's report
(`accord.extract.extract`, best of ``--repeat`` after one warm-up that builds the spaCy
pipeline) and scores the reading against the key (`accord.extract.score`). It prints one JSON
line per report (words, seconds, words per second, the measures) and the totals for the rules'
set, the held-out reports and all of them. The pipeline is ``spacy.blank("en")`` unless an
English model is installed; the line says which.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from accord.extract import extract
from accord.extract.pipeline import build_nlp
from accord.extract.score import Score, load_key, score, totals

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "extract-eval"


def main() -> None:
    """Time and score every report of the evaluation set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed readings per report")
    args = parser.parse_args()
    _, model = build_nlp()
    scores: list[Score] = []
    for path in sorted(EVAL.glob("*.key.json")):
        key = load_key(path)
        text = key.report.read_text("utf-8")
        found = extract(text, source=key.report.name)
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            extract(text, source=key.report.name)
            best = min(best, time.perf_counter() - t0)
        s = score(found, key)
        scores.append(s)
        words = len(text.split())
        row = {"report": s.name, "model": model, "words": words, "seconds": round(best, 4)}
        row["words_per_second"] = round(words / best)
        print(json.dumps({**row, **{k: v for k, v in s.measures().items()}}))
    for name, total in totals(scores).items():
        print(json.dumps({"total": name, **total.measures()}))


if __name__ == "__main__":
    main()
