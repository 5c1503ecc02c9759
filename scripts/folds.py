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
from dataclasses import dataclass, fields, replace
from pathlib import Path

from faq.content import Entry, load_faq
from faq.evaluation import (
    MEASURE_ONLY,
    EvalError,
    Outcome,
    Report,
    Row,
    Tally,
    known_ids,
    read_rows,
    tally,
)
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


def line(report: Report) -> str:
    """One line of figures: in-scope, romanized (top-1/top-3), direct, false answers."""
    scope, romanized = report.in_scope, Tally()
    for outcome in report.outcomes:  # by_kind counts its off-topic rows too
        if outcome.row.in_scope and outcome.row.kind == ROMANIZED:
            romanized.add(outcome)

    def pct(tally: Tally, count: int) -> str:
        return f"{tally.share(count):5.1f}" if tally.rows else "    -"

    return (
        f"{scope.rows:5}  top-1 {pct(scope, scope.top1)}  top-3 {pct(scope, scope.top3)}"
        f"  romanized {pct(romanized, romanized.top1)}/{pct(romanized, romanized.top3)}"
        f"  right {pct(scope, scope.direct_right)}"
        f"  WRONG {scope.direct_wrong:3} ({pct(scope, scope.direct_wrong)})"
        f"  false {report.false_answers}/{report.none_rows.rows}"
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


def figures(cases: Sequence[Case], thresholds: Thresholds | None = None) -> dict[str, Report]:
    """The pooled report ("all") and one for each set, decided with ``thresholds``."""
    outcomes = [
        Outcome(case.row, case.matcher.decide(case.analysis, thresholds)) for case in cases
    ]
    out = {"all": tally(outcomes)}
    for source in dict.fromkeys(case.source for case in cases):
        out[source] = tally(
            o for o, case in zip(outcomes, cases, strict=True) if case.source == source
        )
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
    print(f"{'pooled':<28}{line(result['all'])}")
    if args.by_set:
        for name, figs in result.items():
            if name != "all":
                print(f"  {name:<26}{line(figs)}")
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
            print(f"answer {answer:4.0f} margin {margin:4.0f}        {line(figs)}")
    if args.misses:
        for outcome in result["all"].misses():
            row = outcome.row
            if not row.in_scope:
                continue
            got = ", ".join(f"{m.id} {m.score:.0f}" for m in outcome.decision.matches) or "-"
            print(f"  [{row.kind}] expected {row.expected}, got {outcome.decision.kind}: {got}")
            print(f"      {row.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
