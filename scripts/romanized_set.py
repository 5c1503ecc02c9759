"""Write romanized or mixed-language versions of the Khmer questions of a tunable file.

Each Khmer row (kinds km, km-nospace, km-colloquial) is rewritten ``--copies`` times
with different random choices, keeping its label:

* ``latin-gen``: written in Latin letters by faq/transliterate.py (general spelling
  habits, not a list of seen spellings);
* ``mixed-gen`` (``--mixed``): Khmer kept, but glossary terms swapped for the English
  words workers type for them (../shared/khmer-glossary.md: "pension", "card", "boss"),
  each with probability ``--english``; with ``--english`` alone, latin-gen rows get the
  same swaps before they are romanized ("kat pet bat" and "card pet bat").

Measures how the matcher copes with questions whose spellings and mixtures nobody
listed: a tuning aid besides the calibration set's hand-written rows. Never run it on
the blind set (measure-only).

    python scripts/romanized_set.py benchmarks/data/calibration-questions.tsv OUT.tsv
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

from faq.content import load_faq
from faq.normalize import is_khmer, normalize
from faq.tokens import tokenize
from faq.transliterate import romanize

REPO = Path(__file__).resolve().parents[1]
KINDS = ("km", "km-nospace", "km-colloquial")


def english_words() -> set[str]:
    """The words of the FAQ's English text: a Latin spelling made of them is English."""
    words: set[str] = set()
    for entry in load_faq().entries:
        for text in (entry.question.en, entry.answer.en, *entry.phrasings.en):
            words.update(tokenize(normalize(text)).latin)
    return words


def glossary_swaps(glossary: Path) -> dict[str, list[str]]:
    """Khmer term (normalized, spaces removed) -> the English spellings workers type."""
    english = english_words()
    swaps: dict[str, list[str]] = {}
    for line in glossary.read_text(encoding="utf-8").splitlines():
        if line.startswith("## 11."):
            break  # question words and verbs: no English stands in for them
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in ("English concept", "---"):
            continue
        spellings = [
            normalize(re.sub(r"\[G\d+\]", "", s))
            for s in cells[4].split(";")
            if not any(is_khmer(c) for c in s)
        ]
        spellings = [s for s in spellings if s and all(w in english for w in s.split())]
        if not spellings:
            continue
        for cell in (cells[1], cells[2]):
            cell = re.sub(r"\[G\d+\]|\([^)]*\)", "", cell)
            for term in re.split(r"[;/]", cell):
                if "%" in term or "…" in term:
                    continue
                term = normalize("".join(c for c in term if is_khmer(c))).replace(" ", "")
                if len(term) >= 3:
                    swaps.setdefault(term, []).extend(spellings)
    return swaps


def swap(text: str, swaps: dict[str, list[str]], rng: random.Random, share: float) -> str:
    """Replace glossary terms in ``text`` (longest first) by English, each with ``share``."""
    for term in sorted(swaps, key=len, reverse=True):
        # Whole syllables only: កាត (card) is not the start of កាត់ (deduct).
        pattern = re.escape(term) + r"(?![\u17b6-\u17d3\u17dd])"
        if re.search(pattern, text) and rng.random() < share:
            text = re.sub(pattern, f" {rng.choice(swaps[term])} ", text)
    return normalize(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source")
    parser.add_argument("out")
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mixed", action="store_true")
    parser.add_argument("--english", type=float, default=0.0)
    parser.add_argument("--glossary", default=str(REPO.parent / "shared" / "khmer-glossary.md"))
    args = parser.parse_args()
    if "blind" in Path(args.source).name:
        parser.error("the blind set is measure-only")
    share = args.english or (0.5 if args.mixed else 0.0)
    swaps = glossary_swaps(Path(args.glossary)) if share else {}
    rng = random.Random(args.seed)
    with open(args.source, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    kind = "mixed-gen" if args.mixed else "latin-gen"
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("expected\tkind\ttext\n")
        for row in rows:
            if row["kind"] not in KINDS:
                continue
            for _ in range(args.copies):
                text = normalize(row["text"])
                if share:
                    text = swap(text.replace(" ", ""), swaps, rng, share)
                if not args.mixed:
                    text = romanize(text, rng)
                elif text == normalize(row["text"]) or not any(is_khmer(c) for c in text):
                    continue  # nothing swapped, or nothing Khmer left: not a mixed question
                out.write(f"{row['expected']}\t{kind}\t{text}\n")


if __name__ == "__main__":
    main()
