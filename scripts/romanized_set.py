"""Write romanized versions of the Khmer questions of a tunable question file.

Each Khmer row (kinds km, km-nospace, km-colloquial) is written in Latin letters by
faq/transliterate.py, ``--copies`` times with different random spellings, keeping its
label; the kind becomes ``latin-gen``. The result measures how the matcher copes with
romanized questions whose spellings nobody listed: a tuning aid besides the calibration
set's hand-written romanized rows. Never run it on the blind set (measure-only).

    python scripts/romanized_set.py benchmarks/data/calibration-questions.tsv OUT.tsv
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from faq.normalize import normalize
from faq.transliterate import romanize

KINDS = ("km", "km-nospace", "km-colloquial")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if "blind" in Path(args.source).name:
        parser.error("the blind set is measure-only")
    rng = random.Random(args.seed)
    with open(args.source, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("expected\tkind\ttext\n")
        for row in rows:
            if row["kind"] not in KINDS:
                continue
            for _ in range(args.copies):
                spelt = romanize(normalize(row["text"]), rng)
                out.write(f"{row['expected']}\tlatin-gen\t{spelt}\n")


if __name__ == "__main__":
    main()
