"""Measure the matcher on a labelled question file (pure: no printing, no CLI).

A question file is a TSV with the columns ``expected``, ``kind`` and ``text``.
``expected`` is an FAQ id, ``none`` (the bot should not answer: off-topic questions and
grievances) or ``person`` (a request to talk to a human). ``nssf-bot eval`` prints a
:class:`Report`; scripts reuse :func:`evaluate` for their own figures.

What counts as right:

* top-1 / top-3: the expected entry is first / among the first three *and the bot shows
  something* (an answer or buttons); on ``none`` rows, the decision is ``none``; on
  ``person`` rows, the decision is ``person``.
* direct right / direct wrong (in-scope rows, expected an FAQ id): the bot answered
  outright, with the expected entry / with another one. Being confidently wrong is the
  worst outcome, so it is reported on its own.
* false answer (``none`` rows): the bot answered outright.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from faq.content import TOPICS_FILE, Faq
from faq.matcher import Decision, Matcher

__all__ = [
    "COLUMNS",
    "EvalError",
    "Outcome",
    "Report",
    "Row",
    "Tally",
    "evaluate",
    "known_ids",
    "read_rows",
]

COLUMNS = ("expected", "kind", "text")
NONE = "none"
PERSON = "person"


# Question files that only measure: no tool may learn from them (benchmarks/data/README.md).
MEASURE_ONLY = frozenset({"blind-questions.tsv"})


class EvalError(Exception):
    """A question file that cannot be evaluated; the message is one line."""


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled question."""

    expected: str
    kind: str
    text: str

    @property
    def in_scope(self) -> bool:
        """Whether the row expects an FAQ entry (not ``none`` or ``person``)."""
        return self.expected not in (NONE, PERSON)


_LATIN = re.compile(r"[A-Za-z0-9]")


def _unspaced(text: str) -> str:
    """``text`` with its spaces removed, except between two Latin words or numbers.

    Khmer is typed without spaces, also next to an English word ("កាតNSSFបាត់"), but
    nobody glues two English words together ("accident at work").
    """
    out = ""
    for word in text.split():
        if out and _LATIN.match(out[-1]) and _LATIN.match(word[0]):
            out += " "
        out += word
    return out


def without_spaces(rows: Iterable[Row]) -> list[Row]:
    """The rows with spaces removed from the Khmer ones (Khmer as often typed)."""
    return [
        Row(row.expected, row.kind, _unspaced(row.text))
        if any("\u1780" <= char <= "\u17ff" for char in row.text)
        else row
        for row in rows
    ]


def known_ids(faq: Faq, topics_file: Path = TOPICS_FILE) -> set[str]:
    """The FAQ's ids and every id in the topic registry, including ones with no entry yet."""
    topics = yaml.safe_load(topics_file.read_text(encoding="utf-8")) or {}
    return {entry.id for entry in faq.entries} | {s for slugs in topics.values() for s in slugs}


def read_rows(path: Path, known_ids: Collection[str]) -> list[Row]:
    """Read a question file; :class:`EvalError` for a missing file, column or id."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        raise EvalError(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
        if missing:
            raise EvalError(f"{path.name}: missing column(s) {', '.join(missing)} in the header")
        rows = []
        for line, record in enumerate(reader, start=2):
            expected = (record["expected"] or "").strip()
            if expected not in known_ids and expected not in (NONE, PERSON):
                raise EvalError(f"{path.name}:{line}: unknown expected id {expected!r}")
            rows.append(Row(expected, (record["kind"] or "").strip(), record["text"] or ""))
    return rows


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the matcher did with one row."""

    row: Row
    decision: Decision

    @property
    def ids(self) -> list[str]:
        return [match.id for match in self.decision.matches]

    def _shown(self, depth: int) -> bool:
        return (
            self.decision.kind in ("answer", "choices") and self.row.expected in (self.ids[:depth])
        )

    @property
    def top1(self) -> bool:
        if self.row.expected == NONE:
            return self.decision.kind == "none"
        if self.row.expected == PERSON:
            return self.decision.kind == "person"
        return self._shown(1)

    @property
    def top3(self) -> bool:
        return self.top1 if not self.row.in_scope else self._shown(3)

    @property
    def answered(self) -> bool:
        return self.decision.kind == "answer"

    @property
    def direct_right(self) -> bool:
        return self.answered and self.ids[:1] == [self.row.expected]

    @property
    def direct_wrong(self) -> bool:
        return self.answered and self.ids[:1] != [self.row.expected]


@dataclass(slots=True)
class Tally:
    """Counts over a group of rows."""

    rows: int = 0
    top1: int = 0
    top3: int = 0
    ranked1: int = 0  # the expected entry is the best match, whatever the decision
    ranked3: int = 0
    direct_right: int = 0
    direct_wrong: int = 0

    def add(self, outcome: Outcome) -> None:
        self.rows += 1
        self.top1 += outcome.top1
        self.top3 += outcome.top3
        if outcome.row.in_scope:
            self.ranked1 += outcome.ids[:1] == [outcome.row.expected]
            self.ranked3 += outcome.row.expected in outcome.ids[:3]
        self.direct_right += outcome.row.in_scope and outcome.direct_right
        self.direct_wrong += outcome.direct_wrong  # on none/person rows: a false answer

    def share(self, count: int) -> float:
        """``count`` as a percentage of the rows (0 when there are none)."""
        return 100.0 * count / self.rows if self.rows else 0.0


@dataclass(slots=True)
class Report:
    """Every figure of one evaluation run."""

    outcomes: list[Outcome]
    # Rows whose expected entry the loaded FAQ does not have (yet): counted, and also
    # left out in the ``without_absent`` figures.
    absent_ids: frozenset[str] = frozenset()
    overall: Tally = field(default_factory=Tally)
    in_scope: Tally = field(default_factory=Tally)
    in_scope_present: Tally = field(default_factory=Tally)
    none_rows: Tally = field(default_factory=Tally)
    person_rows: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    decisions: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def false_answers(self) -> int:
        """Off-topic and grievance rows answered outright."""
        return self.none_rows.direct_wrong

    @property
    def absent_rows(self) -> int:
        return sum(outcome.row.expected in self.absent_ids for outcome in self.outcomes)

    def misses(self) -> list[Outcome]:
        """The rows not counted right at top-1."""
        return [outcome for outcome in self.outcomes if not outcome.top1]


def tally(outcomes: Iterable[Outcome], absent: frozenset[str] = frozenset()) -> Report:
    """Tally decisions already made; ``absent``: expected ids the FAQ does not have."""
    report = Report(list(outcomes), absent)
    for outcome in report.outcomes:
        row = outcome.row
        report.decisions[outcome.decision.kind] += 1
        report.overall.add(outcome)
        report.by_kind[row.kind].add(outcome)
        if row.in_scope:
            report.in_scope.add(outcome)
            if row.expected not in absent:
                report.in_scope_present.add(outcome)
        elif row.expected == NONE:
            report.none_rows.add(outcome)
        else:
            report.person_rows.add(outcome)
    return report


def evaluate(
    matcher: Matcher, rows: Iterable[Row], present: Sequence[str] | None = None
) -> Report:
    """Match every row and tally the figures; ``present``: the ids the FAQ has."""
    have = {entry.id for entry in matcher.entries} if present is None else set(present)
    rows = list(rows)
    absent = frozenset(row.expected for row in rows if row.in_scope and row.expected not in have)
    return tally((Outcome(row, matcher.match(row.text)) for row in rows), absent)
