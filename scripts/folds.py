"""Measure on each labelled question set with its own questions taken out of the FAQ.

Worker questions from the calibration sets are phrasings in the FAQ
(scripts/import_questions.py), so `nssf-bot eval` on such a set is optimistic: the
question is in the index. Here each set is asked of a matcher built without any phrasing
whose normalized text is one of the set's questions (leave one set out), and without
the romanized questions of the store (faq/romanized_questions.tsv) that are among them;
the figures are pooled over the sets. Scores do not depend on the thresholds, so ``--set`` and
``--grid`` only re-decide cached analyses. Never run on the blind set: it is measure-only.

    python scripts/folds.py [SET.tsv ...] [--set margin=12 ...] [--grid] [--by-set]
        [--misses]

Without files it uses the four calibration sets and the two tuning sets.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from faq.content import Entry, load_faq
from faq.evaluation import EvalError, Outcome, Row, known_ids, read_rows
from faq.matcher import EXAMPLES_FILE, Analysis, Matcher, Thresholds, load_examples
from faq.normalize import normalize

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
SETS = (
    "calibration-questions.tsv",
    "calibration-2.tsv",
    "calibration-3.tsv",
    "calibration-4.tsv",
    "tuning-mixed.tsv",
    "tuning-romanized.tsv",
)
MEASURE_ONLY = {"blind-questions.tsv"}
ROMANIZED = "latin-khmer"


def without(entries: Iterable[Entry], texts: set[str]) -> list[Entry]:
    """The entries with every phrasing whose normalized text is in ``texts`` removed."""
    reduced = []
    for entry in entries:
        update = {
            lang: tuple(t for t in getattr(entry.phrasings, lang) if normalize(t) not in texts)
            for lang in ("km", "en")
        }
        if update != {"km": entry.phrasings.km, "en": entry.phrasings.en}:
            entry = entry.model_copy(
                update={"phrasings": entry.phrasings.model_copy(update=update)}
            )
        reduced.append(entry)
    return reduced


@dataclass(frozen=True, slots=True)
class Case:
    source: str
    matcher: Matcher
    analysis: Analysis
    row: Row


@dataclass(slots=True)
class Figures:
    rows: int = 0
    top1: int = 0
    top3: int = 0
    right: int = 0
    wrong: int = 0
    romanized: int = 0
    romanized1: int = 0
    romanized3: int = 0
    none_rows: int = 0
    false_answers: int = 0
    misses: list[tuple[Row, Outcome]] = field(default_factory=list)

    def add(self, row: Row, outcome: Outcome) -> None:
        if not row.in_scope:
            if row.expected == "none":
                self.none_rows += 1
                self.false_answers += outcome.answered
            return
        self.rows += 1
        self.top1 += outcome.top1
        self.top3 += outcome.top3
        self.right += outcome.direct_right
        self.wrong += outcome.direct_wrong
        if row.kind == ROMANIZED:
            self.romanized += 1
            self.romanized1 += outcome.top1
            self.romanized3 += outcome.top3
        if not outcome.top1 or outcome.direct_wrong:
            self.misses.append((row, outcome))

    def line(self) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:5.1f}" if d else "    -"

        return (
            f"{self.rows:5}  top-1 {pct(self.top1, self.rows)}  top-3 {pct(self.top3, self.rows)}"
            f"  romanized {pct(self.romanized1, self.romanized)}"
            f"/{pct(self.romanized3, self.romanized)}"
            f"  right {pct(self.right, self.rows)}"
            f"  WRONG {self.wrong:3} ({pct(self.wrong, self.rows)})"
            f"  false {self.false_answers}/{self.none_rows}"
        )


def analyse(paths: Sequence[Path]) -> list[Case]:
    faq = load_faq()
    known = known_ids(faq)
    examples = load_examples(EXAMPLES_FILE)
    cases = []
    for path in paths:
        rows = read_rows(path, known)
        texts = {normalize(row.text) for row in rows}
        matcher = Matcher(
            without(faq.entries, texts),
            examples=[(i, text) for i, text in examples if normalize(text) not in texts],
        )
        cases += [Case(path.name, matcher, matcher.analyse(row.text), row) for row in rows]
    return cases


def figures(cases: Iterable[Case], thresholds: Thresholds | None = None) -> dict[str, Figures]:
    out: dict[str, Figures] = {"all": Figures()}
    for case in cases:
        outcome = Outcome(case.row, case.matcher.decide(case.analysis, thresholds))
        out["all"].add(case.row, outcome)
        out.setdefault(case.source, Figures()).add(case.row, outcome)
    return out


def _override(base: Thresholds, pairs: Sequence[str]) -> Thresholds:
    types = {f.name: f.type for f in fields(Thresholds)}
    values: dict[str, object] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in types:
            raise SystemExit(f"folds: no threshold {name!r}")
        values[name] = (
            value.lower() == "true"
            if types[name] in (bool, "bool")
            else int(value)
            if types[name] in (int, "int")
            else float(value)
        )
    return replace(base, **values)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE")
    parser.add_argument("--grid", action="store_true", help="answer x margin around the setting")
    parser.add_argument("--by-set", action="store_true", help="figures for each set too")
    parser.add_argument("--misses", action="store_true", help="list the pooled misses")
    args = parser.parse_args(argv)
    paths = args.files or [DATA / name for name in SETS]
    if any(path.name in MEASURE_ONLY for path in paths):
        print("folds: the blind set is measure-only", file=sys.stderr)
        return 2
    try:
        cases = analyse(paths)
    except EvalError as error:
        print(f"folds: {error}", file=sys.stderr)
        return 2
    thresholds = _override(Thresholds(), args.set)
    result = figures(cases, thresholds)
    print(f"{'pooled':<28}{result['all'].line()}")
    if args.by_set:
        for name, figs in result.items():
            if name != "all":
                print(f"  {name:<26}{figs.line()}")
    if args.grid:
        for answer, margin in itertools.product(
            (thresholds.answer - 5, thresholds.answer, thresholds.answer + 5),
            (
                thresholds.margin,
                thresholds.margin + 2,
                thresholds.margin + 4,
                thresholds.margin + 8,
            ),
        ):
            figs = figures(cases, replace(thresholds, answer=answer, margin=margin))["all"]
            print(f"answer {answer:4.0f} margin {margin:4.0f}        {figs.line()}")
    if args.misses:
        for row, outcome in result["all"].misses:
            got = ", ".join(f"{m.id} {m.score:.0f}" for m in outcome.decision.matches) or "-"
            print(f"  [{row.kind}] expected {row.expected}, got {outcome.decision.kind}: {got}")
            print(f"      {row.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
