"""Search the decision thresholds on held-out data: cross-validation and the calibration set.

Every question is analysed once (scores do not depend on the thresholds); each threshold
setting is then only a decision over the cached analyses. Prints the settings on the
Pareto front of (direct WRONG, direct right), on both sources, and the shipped setting.
Never run on the blind set: it is measure-only.

    python scripts/calibrate.py [CALIBRATION.tsv ...] [--top 25]
        [--extra GENERATED.tsv ...] [--grid main|script|lead|romanized|sibling]
        [--romanized]

``--extra`` adds generated question files (scripts/romanized_set.py: romanized and
mixed versions of the calibration and dev sets' Khmer rows) as a third source;
``--grid script`` searches only the extra margins asked of romanized and mixed questions;
``--grid lead`` the lower answer threshold for a clear lead and romanized choices;
``--grid romanized`` every threshold only romanized questions use; ``--grid sibling`` the
lead asked over a sibling second entry (faq/siblings.txt). ``--romanized`` also
asks cross-validation's held-out Khmer phrasings in Latin letters (km-rom, as
scripts/crossval.py). Several calibration files are one source (calibration and
calibration-2).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from dataclasses import dataclass, fields, replace
from pathlib import Path

from faq.content import load_faq
from faq.evaluation import known_ids, read_rows
from faq.matcher import Analysis, Matcher, Thresholds, Weights
from faq.normalize import normalize
from faq.transliterate import romanize

sys.path.insert(0, str(Path(__file__).parent))
from crossval import held_out

REPO = Path(__file__).resolve().parents[1]
GRID: dict[str, tuple[float, ...]] = {
    "answer": (50.0, 55.0, 60.0),
    "margin": (5.0, 8.0, 12.0),
    "aspect_support": (1, 2, 3),
    "max_unexplained": (0.5, 0.67, 1.0),
    "max_unknown": (0, 1),
    "choices": (33.0,),
}
# The lower answer threshold for a clear lead, and choices for romanized questions.
LEAD_GRID: dict[str, tuple[float, ...]] = {
    "lead_answer": (45.0, 50.0, 55.0),
    "lead_margin": (18.0, 22.0, 26.0),
    "romanized_choices": (24.0, 27.0, 33.0),
}
SCRIPT_GRID: dict[str, tuple[float, ...]] = {
    "romanized_margin": (0.0, 4.0, 8.0, 12.0, 16.0),
    "mixed_margin": (0.0, 4.0, 8.0, 12.0, 16.0),
    "romanized_unknown": (0, 1, 2),
}
# Every threshold only romanized (Latin-only Khmer) questions use.
ROMANIZED_GRID: dict[str, tuple[float, ...]] = {
    "romanized_margin": (0.0, 4.0, 8.0),
    "romanized_choices": (18.0, 21.0, 24.0, 27.0),
    "agree_answer": (40.0, 45.0, 50.0),
    "agree_margin": (6.0, 10.0, 14.0),
}

# Sibling entries (faq/siblings.txt): the lead needed over a sibling second, and the
# share of the question in terms only the sibling has that makes it apply (0: always).
SIBLING_GRID: dict[str, tuple[float, ...]] = {
    "sibling_margin": (0.0, 10.0, 12.0, 14.0, 16.0, 20.0, 24.0, 30.0),
    "sibling_counter": (0.0, 0.05, 0.1, 0.15, 0.2, 0.3),
}


@dataclass
class Case:
    matcher: Matcher
    analysis: Analysis
    expected: str  # an id, "none" or "person"


@dataclass
class Score:
    in_scope: int = 0
    right: int = 0
    wrong: int = 0
    top1: int = 0
    top3: int = 0
    none_rows: int = 0
    false_answers: int = 0
    none_kept: int = 0

    def add(self, case: Case, thresholds: Thresholds) -> None:
        decision = case.matcher.decide(case.analysis, thresholds)
        best = decision.matches[0].id if decision.matches else None
        if case.expected == "none":
            self.none_rows += 1
            self.false_answers += decision.kind == "answer"
            self.none_kept += decision.kind == "none"
        elif case.expected != "person":
            self.in_scope += 1
            self.right += decision.kind == "answer" and best == case.expected
            self.wrong += decision.kind == "answer" and best != case.expected
            self.top1 += decision.kind in ("answer", "choices") and best == case.expected
            self.top3 += decision.kind in ("answer", "choices") and case.expected in [
                match.id for match in decision.matches[:3]
            ]

    def line(self) -> str:
        n, m = max(self.in_scope, 1), max(self.none_rows, 1)
        return (
            f"right {100 * self.right / n:5.1f}  WRONG {100 * self.wrong / n:4.1f}"
            f"  top-1 {100 * self.top1 / n:5.1f}  top-3 {100 * self.top3 / n:5.1f}"
            + (
                f"  false {100 * self.false_answers / m:4.1f}"
                f"  none {100 * self.none_kept / m:5.1f}"
                if self.none_rows
                else ""
            )
        )


def cases(
    calibration: list[Path],
    extra: list[Path],
    weights: Weights | None = None,
    romanized: bool = False,
) -> tuple[list[Case], list[Case], list[Case]]:
    faq = load_faq()
    rng = random.Random(1)
    crossval = []
    for matcher, questions in held_out(faq.entries, 5, 1, weights):
        if romanized:  # as scripts/crossval.py --romanized
            questions = questions + [
                (expected, "km-rom", romanize(normalize(text), rng))
                for expected, lang, text in questions
                if lang == "km"
            ]
        crossval += [
            Case(matcher, matcher.analyse(text), expected) for expected, _, text in questions
        ]
    matcher = Matcher(faq, weights=weights)
    ids = known_ids(faq) | {"how-to-register", "employer-refuses-register"}
    held = [
        Case(matcher, matcher.analyse(row.text), row.expected)
        for path in calibration
        for row in read_rows(path, ids)
    ]
    generated = [
        Case(matcher, matcher.analyse(row.text), row.expected)
        for path in extra
        for row in read_rows(path, known_ids(faq))
    ]
    return crossval, held, generated


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "file", nargs="*", default=[str(REPO / "benchmarks/data/calibration-questions.tsv")]
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--extra", action="append", default=[])
    parser.add_argument(
        "--grid", choices=("main", "script", "lead", "romanized", "sibling"), default="main"
    )
    parser.add_argument("--romanized", action="store_true")
    args = parser.parse_args()
    sources = cases(
        [Path(p) for p in args.file], [Path(p) for p in args.extra], None, args.romanized
    )
    grid = {
        "main": GRID,
        "script": SCRIPT_GRID,
        "lead": LEAD_GRID,
        "romanized": ROMANIZED_GRID,
        "sibling": SIBLING_GRID,
    }[args.grid]
    names = list(grid)

    def scores(thresholds: Thresholds) -> tuple[Score, Score, Score]:
        a, b, c = Score(), Score(), Score()
        for score, source in zip((a, b, c), sources, strict=True):
            for case in source:
                score.add(case, thresholds)
        return a, b, c

    def show(a: Score, b: Score, c: Score) -> None:
        print(f"  crossval {a.line()}\n  calib    {b.line()}")
        if c.in_scope:
            print(f"  gen      {c.line()}")

    results = []
    for values in itertools.product(*grid.values()):
        thresholds = replace(Thresholds(), **dict(zip(names, values, strict=True)))
        results.append((values, *scores(thresholds)))
    shipped = Thresholds()
    print("shipped", {f.name: getattr(shipped, f.name) for f in fields(shipped) if f.name in grid})
    show(*scores(shipped))

    # Rank by the summed WRONG (every source), penalised by lost right answers.
    def cost(item: tuple[tuple[float, ...], Score, Score, Score]) -> float:
        _, a, b, c = item
        wrong = a.wrong / a.in_scope + b.wrong / b.in_scope + b.false_answers / b.none_rows
        right = a.right / a.in_scope + b.right / b.in_scope
        if c.in_scope:
            wrong += c.wrong / c.in_scope
            right += c.right / c.in_scope
        return 4 * wrong - right

    for values, a, b, c in sorted(results, key=cost)[: args.top]:
        print(dict(zip(names, values, strict=True)))
        show(a, b, c)


if __name__ == "__main__":
    main()
