"""The `nssf-bot` command line: ask, ask --jsonl, faq list/check, eval."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main

REPO = Path(__file__).resolve().parents[1]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().out


def test_ask_prints_decision_matches_and_answer(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["ask", "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"], capsys)
    assert code == 0
    assert out.startswith("decision: answer")
    assert "pension-age" in out.splitlines()[1]
    assert "៦០" in out  # the Khmer answer gives the pension age, in Khmer digits


def test_ask_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    # The pension-age entry's own English question (a free phrasing, "At what age can I
    # get my pension?", now leads pension-bonus-years by 6 only: choices).
    code, out = run(["ask", "--lang", "en", "When can I get an old-age pension?"], capsys)
    assert code == 0 and "pension-age" in out and "60" in out


def test_ask_none(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["ask", "😀"], capsys)
    assert code == 0 and out.startswith("decision: none")


def test_ask_jsonl_keeps_order_and_shape(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["ប្រាក់សោធន អាយុប៉ុន្មាន", "", "who won the football", "kat nssf bat"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out = run(["ask", "--jsonl", "--lang", "en"], capsys)
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["query"] for r in records] == lines
    for record in records:
        assert set(record) == {"query", "decision", "matches", "answer"}
        assert record["decision"] in ("answer", "choices", "none")
        assert len(record["matches"]) <= 3
        assert all(set(m) == {"id", "score"} for m in record["matches"])
        assert (record["answer"] is not None) == (record["decision"] == "answer")
    assert records[1]["decision"] == "none"
    assert records[0]["decision"] == "answer" and "60" in records[0]["answer"]


def test_ask_jsonl_handles_1000_lines_in_one_process() -> None:
    questions = ["តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?", "kat nssf", "how much maternity pay"]
    stdin = "\n".join(questions[i % 3] + f" {i}" for i in range(1000)) + "\n"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--jsonl"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    elapsed = time.perf_counter() - start
    assert len(result.stdout.splitlines()) == 1000
    assert elapsed < 30  # "a few seconds" is measured in the README; this guards regressions


def test_faq_list_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["faq", "list"], capsys)
    assert code == 0 and "pension-age" in out and "51 entries" in out
    code, out = run(["faq", "list", "--json"], capsys)
    entries = json.loads(out)
    assert len(entries) == 51
    first = entries[0]
    for field in (
        "id",
        "category",
        "question",
        "answer",
        "phrasings",
        "keywords",
        "sources",
        "last_reviewed",
        "review_due",
    ):
        assert field in first
    assert set(first["answer"]) == {"km", "en"}


def test_faq_check_passes_on_shipped_content(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["faq", "check", "--today", "2026-11-24"], capsys)
    assert code == 0, out
    assert "0 error(s)" in out
    assert "errors:" not in out


def test_faq_check_warns_on_overdue_reviews_and_fails_only_when_strict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Years after every review date: a warning (CI keeps passing), an error with --strict.
    code, out = run(["faq", "check", "--today", "2031-01-01"], capsys)
    assert code == 0, out
    assert out.startswith("warnings:\n") and "errors:" not in out
    assert "warning: what-is-nssf: review was due on" in out
    code, out = run(["faq", "check", "--today", "2031-01-01", "--strict"], capsys)
    assert code == 1
    warnings, errors = out.split("errors:\n")
    assert "error: what-is-nssf: review was due on" in errors
    assert "review was due" not in warnings


def test_faq_check_fails_on_bad_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x.yaml").write_text(
        "category: {id: x}\nentries: [{id: nope}]\n", encoding="utf-8"
    )
    code, out = run(["faq", "check", "--data-dir", str(tmp_path), "--today", "2026-11-24"], capsys)
    assert code == 1
    assert "errors:\n" in out and "x.yaml:1: error:" in out


def test_eval_reports_accuracy_and_misses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tsv = tmp_path / "q.tsv"
    tsv.write_text(
        "expected\tkind\ttext\n"
        "pension-age\tkm\tតើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?\n"
        "pension-age\ten\tWhat is the capital of France?\n"
        "none\tofftopic\twho won the football\n",
        encoding="utf-8",
    )
    code, out = run(["eval", str(tsv)], capsys)
    assert code == 0
    assert "overall             3" in out
    assert "false answers on none rows: 0/1 (0.0 %)" in out
    assert "expected pension-age" in out and "capital of France" in out


def test_eval_reports_direct_answers_false_answers_and_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tsv = tmp_path / "q.tsv"
    tsv.write_text(
        "expected\tkind\ttext\n"
        "pension-age\tkm\tតើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?\n"
        "hotline\tkm\tតើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?\n"
        "none\tgrievance\tmy boss shouted at me today\n"
        "person\tperson\tI want to talk to a human\n"
        "later-entry\tkm\tតើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?\n",
        encoding="utf-8",
    )
    code, out = run(["eval", str(tsv), "--quiet", "--pending", "later-entry"], capsys)
    assert code == 0
    assert "in scope            3   direct right  33.3 %   direct WRONG 66.7 %   (1 / 2)" in out
    assert "without the 1 rows for entries this FAQ lacks (later-entry):" in out
    assert "  in scope          2   direct right  50.0 %   direct WRONG 50.0 %   (1 / 1)" in out
    assert "false answers on none rows: 0/1 (0.0 %)" in out
    assert "person requests recognised: 1/1" in out


def test_eval_no_spaces_gives_the_same_figures_on_khmer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tsv = tmp_path / "q.tsv"
    tsv.write_text(
        "expected\tkind\ttext\n"
        "pension-age\tkm\tតើ អាយុ ប៉ុន្មាន ទើប អាច បើក ប្រាក់សោធន បាន?\n"
        "nssf-card\tkm\tកាត ប.ស.ស បាត់ ធ្វើម៉េច\n",
        encoding="utf-8",
    )
    _, spaced = run(["eval", str(tsv), "--quiet"], capsys)
    _, glued = run(["eval", str(tsv), "--quiet", "--no-spaces"], capsys)
    assert spaced == glued
    assert "overall             2   top-1 100.0 %" in glued


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("expected\ttext\nnone\thi\n", "missing column(s) kind in the header"),
        ("expected\tkind\ttext\nno-such-id\tkm\thi\n", "q.tsv:2: unknown expected id"),
    ],
)
def test_eval_bad_files_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    tsv = tmp_path / "q.tsv"
    if content is not None:
        tsv.write_text(content, encoding="utf-8")
    code = main(["eval", str(tsv)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith("nssf-bot eval: ") and message in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_ask_jsonl_survives_bytes_that_are_not_utf8() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--jsonl"],
        input=b"\xff\xfe\xc3\n\xe1\x9e\x80\xe1\x9e\n",
        capture_output=True,
        cwd=REPO,
        check=True,
        timeout=60,
    )
    records = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [r["decision"] for r in records] == ["none", "none"]
