"""Print the matcher's decision for many questions, one line each, to compare two versions.

A change meant only to make matching faster must not change what the bot does: run this
with both versions and compare the outputs (``diff``, or ``--compare``). Each line is the
question's set and number, the decision (kind, reason, how many choices are offered) and
the best three entries with their scores.

The questions: the shared dev questions (when ../shared is present), the calibration and
tuning sets, the benchmark's questions (phrasings with typing errors, English, keywords,
off-topic and malformed input), every phrasing of the FAQ, and every Khmer phrasing
written in Latin letters (random spellings, seeded). The blind set is not read (it is
measure-only: compare `nssf-bot eval benchmarks/data/blind-questions.tsv --quiet`).

    python scripts/decisions.py > before.txt     # in a worktree of the old version
    python scripts/decisions.py > after.txt
    python scripts/decisions.py --compare before.txt after.txt
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def question_sets() -> Iterator[tuple[str, list[str]]]:
    from faq.content import load_faq
    from faq.normalize import normalize
    from faq.transliterate import romanize

    files = [SHARED / "faq-dev-questions.tsv", ROOT / "benchmarks/data/calibration-questions.tsv"]
    files += sorted((ROOT / "benchmarks/data").glob("tuning-*.tsv"))
    for path in files:
        if path.exists():
            with path.open(encoding="utf-8", newline="") as handle:
                yield path.stem, [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks/bench_matcher.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    faq = load_faq()
    yield "bench", bench.queries(faq, 2000, random.Random(7))
    yield "phrasings", [p for e in faq.entries for p in (*e.phrasings.km, *e.phrasings.en)]
    rng = random.Random(3)
    yield "romanized", [romanize(normalize(p), rng) for e in faq.entries for p in e.phrasings.km]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    from faq.content import load_faq
    from faq.matcher import Matcher

    matcher = Matcher(load_faq())
    for name, questions in question_sets():
        for number, question in enumerate(questions):
            decision = matcher.match(question)
            top = " ".join(f"{m.id}:{m.score}" for m in decision.matches)
            print(
                f"{name}\t{number}\t{decision.kind}\t{decision.reason}\t{decision.offered}\t{top}"
            )


def compare(before: str, after: str) -> None:
    """Count the questions whose decision or top-3 entries (or scores) differ."""
    old = Path(before).read_text(encoding="utf-8").splitlines()
    new = Path(after).read_text(encoding="utf-8").splitlines()
    if len(old) != len(new):
        sys.exit(f"different question counts: {len(old)} vs {len(new)}")
    decisions = scores = 0
    for a, b in zip(old, new, strict=True):
        *head_a, top_a = a.split("\t")
        *head_b, top_b = b.split("\t")
        ids_a = [item.rsplit(":", 1)[0] for item in top_a.split()]
        ids_b = [item.rsplit(":", 1)[0] for item in top_b.split()]
        if head_a != head_b or ids_a != ids_b:
            decisions += 1
            print(f"decision differs:\n  {a}\n  {b}")
        elif top_a != top_b:
            scores += 1
    print(f"{len(old)} questions: {decisions} decisions or top-3 differ, {scores} scores differ")
    if decisions:
        sys.exit(1)


if __name__ == "__main__":
    main()
