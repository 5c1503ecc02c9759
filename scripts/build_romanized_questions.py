"""Build faq/romanized_questions.tsv from the labelled romanized questions.

The store holds romanized Khmer questions that workers asked, each with the entry it
asks (``id<TAB>text``); the matcher compares a romanized question with them by sound
(faq/matcher.py, Matcher._example_scores). Its rows are the ``latin-khmer`` rows of
labelled question files whose expected id is an FAQ entry: by default the calibration
and tuning sets that scripts/folds.py measures (which takes each held-out set's rows out
of the store again). The blind set is measure-only and is refused. The shipped store was
built from those five sets and the content round's examples files (examples-*.tsv, 7 Dec;
none of their rows is a dev question), all given as files:

    python scripts/build_romanized_questions.py [SET.tsv ...] [--out faq/romanized_questions.tsv]

The shipped store, exactly:

    python scripts/build_romanized_questions.py benchmarks/data/calibration-questions.tsv \
        benchmarks/data/calibration-{2,3,4}.tsv benchmarks/data/tuning-romanized.tsv \
        benchmarks/data/examples-{C,D,E}.tsv
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from faq.content import load_faq
from faq.evaluation import MEASURE_ONLY, EvalError, known_ids, read_rows
from faq.normalize import normalize

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "benchmarks" / "data"
OUT = REPO / "faq" / "romanized_questions.tsv"
SETS = (
    "calibration-questions.tsv",
    "calibration-2.tsv",
    "calibration-3.tsv",
    "calibration-4.tsv",
    "tuning-romanized.tsv",
)
ROMANIZED = "latin-khmer"
HEADER = (
    "# Romanized questions workers asked, with the entry each asks (id<TAB>text).\n"
    "# Built by scripts/build_romanized_questions.py from the labelled sets' latin-khmer\n"
    "# rows; compared by sound only (faq/matcher.py). Do not edit by hand.\n"
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    paths = args.files or [DATA / name for name in SETS]
    if any(path.name in MEASURE_ONLY for path in paths):
        print("build_romanized_questions: the blind set is measure-only", file=sys.stderr)
        return 2
    known = known_ids(load_faq())
    rows: dict[str, tuple[str, str]] = {}
    for path in paths:
        try:
            found = read_rows(path, known)
        except EvalError as error:
            print(f"build_romanized_questions: {error}", file=sys.stderr)
            return 2
        for row in found:
            text = " ".join(row.text.split())
            if row.kind == ROMANIZED and row.in_scope and row.expected in known:
                rows.setdefault(normalize(text), (row.expected, text))
    lines = sorted(f"{entry_id}\t{text}" for entry_id, text in rows.values())
    args.out.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} romanized questions -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
