"""Add labelled worker questions to the FAQ as phrasings of the entry they were labelled with.

    python scripts/import_questions.py FILE.tsv [FILE.tsv ...] [--skip-kinds latin-khmer]
        [--dry-run]

Each FILE is a labelled question file (`expected<TAB>kind<TAB>text`, as `nssf-bot eval`
reads). Its in-scope rows (not `none`, not `person`) become phrasings of their entry: rows
with Khmer letters Khmer phrasings, the others English ones. Rows whose normalized text
is already a phrasing anywhere are left out, and so is a text labelled with two different
entries. Each entry's new phrasings follow a comment naming the file they came from, so a
reviewer can tell worker questions from written paraphrases. Run `nssf-bot faq check`
afterwards.

Never give it the blind set (`benchmarks/data/blind-questions.tsv`): it is measure-only,
and this script refuses it. Once a file's questions are phrasings, scores on that file are
optimistic: say so wherever they are reported (benchmarks/data/README.md).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from faq.content import load_faq
from faq.evaluation import MEASURE_ONLY, EvalError, known_ids, read_rows
from faq.normalize import is_khmer, normalize

sys.path.insert(0, str(Path(__file__).parent))
import add_phrasings  # a sibling script: the one writer of FAQ files

DATA = Path(__file__).resolve().parents[1] / "faq" / "data"


def collect(paths: list[Path], skip_kinds: set[str]) -> dict[str, dict[str, dict[str, list[str]]]]:
    """file name -> entry id -> language -> new phrasings, without duplicates or clashes."""
    faq = load_faq()
    known = known_ids(faq)
    owner: dict[str, str] = {}
    for entry in faq.entries:
        for text in (
            entry.question.km,
            entry.question.en,
            *entry.phrasings.km,
            *entry.phrasings.en,
        ):
            owner.setdefault(normalize(text), entry.id)
    labels: dict[str, set[str]] = defaultdict(set)
    rows_by_file = {}
    for path in paths:
        rows = [row for row in read_rows(path, known) if row.in_scope]
        rows_by_file[path.name] = rows
        for row in rows:
            labels[normalize(row.text)].add(row.expected)
    out: dict[str, dict[str, dict[str, list[str]]]] = {}
    for name, rows in rows_by_file.items():
        for row in rows:
            key = normalize(row.text)
            if row.kind in skip_kinds or not key or key in owner or len(labels[key]) > 1:
                continue
            owner[key] = row.expected
            lang = "km" if any(is_khmer(char) for char in row.text) else "en"
            out.setdefault(name, {}).setdefault(row.expected, {"km": [], "en": []})[lang].append(
                row.text.strip()
            )
    return out


def write(additions: dict[str, dict[str, dict[str, list[str]]]]) -> int:
    """Append each file's questions to their entries under a comment naming the file."""
    return sum(
        add_phrasings.add(entries, comment=f"worker questions from {name}", data=DATA)
        for name, entries in additions.items()
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--skip-kinds", default="", help="comma-separated kinds to leave out")
    parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
    args = parser.parse_args()
    refused = [path for path in args.files if path.name in MEASURE_ONLY]
    if refused:
        print(f"import_questions: {refused[0]} is measure-only", file=sys.stderr)
        return 2
    try:
        additions = collect(args.files, {k for k in args.skip_kinds.split(",") if k})
    except EvalError as error:
        print(f"import_questions: {error}", file=sys.stderr)
        return 2
    for name, entries in additions.items():
        count = sum(len(v["km"]) + len(v["en"]) for v in entries.values())
        print(f"{name}: {count} new phrasings for {len(entries)} entries")
    if not args.dry_run:
        print(f"added {write(additions)} phrasings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
