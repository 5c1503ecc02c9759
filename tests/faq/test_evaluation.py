"""The pure evaluation core behind `nssf-bot eval`."""

from __future__ import annotations

from pathlib import Path

import pytest

from faq.content import Faq
from faq.evaluation import EvalError, Row, evaluate, known_ids, read_rows, without_spaces
from faq.matcher import Matcher


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.tsv"
    path.write_text(text, encoding="utf-8")
    return path


def test_read_rows_errors_are_one_line(tmp_path: Path, faq: Faq) -> None:
    known = known_ids(faq)
    with pytest.raises(EvalError, match="cannot read"):
        read_rows(tmp_path / "missing.tsv", known)
    with pytest.raises(EvalError, match=r"missing column.*kind"):
        read_rows(_write(tmp_path, "expected\ttext\nnone\thi\n"), known)
    with pytest.raises(EvalError, match=r"q\.tsv:3: unknown expected id 'nope'"):
        read_rows(
            _write(tmp_path, "expected\tkind\ttext\nnone\tofftopic\tx\nnope\tkm\ty\n"), known
        )
    for error in ("cannot read", "missing", "unknown"):
        assert "\n" not in error


def test_direct_right_wrong_false_answers_and_person(matcher: Matcher) -> None:
    rows = [
        Row("pension-age", "km", "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"),  # answered, right
        Row("hotline", "en", "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"),  # answered, WRONG
        Row("none", "offtopic", "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"),  # a false answer
        Row("none", "offtopic", "who won the football"),
        Row("person", "person", "I want to talk to a human"),
        Row("person", "person", "where is the NSSF office"),  # not recognised
    ]
    report = evaluate(matcher, rows)
    assert (report.in_scope.rows, report.in_scope.direct_right, report.in_scope.direct_wrong) == (
        2,
        1,
        1,
    )
    assert (report.none_rows.rows, report.false_answers) == (2, 1)
    assert (report.person_rows.rows, report.person_rows.top1) == (2, 1)
    assert report.overall.top1 == 3  # right answer, football -> none, the human request
    assert len(report.misses()) == 3


def test_rows_for_entries_the_faq_lacks_are_reported_apart(matcher: Matcher) -> None:
    rows = [
        Row("pension-age", "km", "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"),
        Row("coming-soon", "km", "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"),
    ]
    report = evaluate(matcher, rows)
    assert report.absent_ids == {"coming-soon"}
    assert (report.in_scope.rows, report.in_scope_present.rows) == (2, 1)
    assert report.in_scope_present.direct_right == 1


def test_without_spaces_only_touches_khmer_rows() -> None:
    rows = [Row("hotline", "km", "លេខ ទូរស័ព្ទ ប.ស.ស"), Row("hotline", "en", "nssf phone number")]
    assert [row.text for row in without_spaces(rows)] == ["លេខទូរស័ព្ទប.ស.ស", "nssf phone number"]


def test_without_spaces_keeps_the_spaces_between_latin_words() -> None:
    """Khmer is glued to an English word, but two English words stay apart."""
    rows = [Row("report-accident", "mixed", "accident at work ត្រូវ report ទៅ HR ឬ NSSF?")]
    assert without_spaces(rows)[0].text == "accident at workត្រូវreportទៅHRឬNSSF?"
