"""Worker questions as FAQ content: the import tool, the leave-one-set-out measure, and
what the import taught the person patterns and the function words."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from faq.content import DATA_DIR, Faq, load_faq
from faq.matcher import Matcher
from faq.normalize import normalize

SCRIPTS = Path(__file__).parents[2] / "scripts"
HEADER = "expected\tkind\ttext\n"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"scripts_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defining
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def importer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The import script writing into a copy of the FAQ data, never the shipped files."""
    module = _script("import_questions")
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    monkeypatch.setattr(module, "DATA", data)
    return module


def _questions(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text(HEADER + "".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_imported_questions_become_phrasings_under_a_comment(
    importer: ModuleType, tmp_path: Path, faq: Faq
) -> None:
    source = _questions(
        tmp_path / "asked.tsv",
        [
            ("nssf-card", "km", "កាតបេឡាជាតិរបស់ម្តាយខ្ញុំរហែក ធ្វើថ្មីបានទេ"),
            ("nssf-card", "en", "my mother card is torn, can she get new one"),
            ("none", "offtopic", "where to buy a new phone case"),
            ("person", "person", "i want talk to union staff"),
            ("nssf-card", "latin-khmer", "kat mak khnhom rohaek"),
        ],
    )
    additions = importer.collect([source], {"latin-khmer"})
    assert additions == {
        "asked.tsv": {
            "nssf-card": {
                "km": ["កាតបេឡាជាតិរបស់ម្តាយខ្ញុំរហែក ធ្វើថ្មីបានទេ"],
                "en": ["my mother card is torn, can she get new one"],
            }
        }
    }
    assert importer.write(additions) == 2
    text = (importer.DATA / "registration.yaml").read_text(encoding="utf-8")
    assert "# worker questions from asked.tsv" in text
    grown = load_faq(importer.DATA).get("nssf-card")
    assert grown is not None
    assert grown.phrasings.km[-1] == "កាតបេឡាជាតិរបស់ម្តាយខ្ញុំរហែក ធ្វើថ្មីបានទេ"
    assert grown.phrasings.en[-1] == "my mother card is torn, can she get new one"
    before = faq.get("nssf-card")
    assert before is not None and len(grown.phrasings.km) == len(before.phrasings.km) + 1


def test_a_text_already_in_the_faq_or_labelled_twice_is_left_out(
    importer: ModuleType, tmp_path: Path, faq: Faq
) -> None:
    entry = faq.get("hotline")
    assert entry is not None
    present = entry.phrasings.km[0]
    first = _questions(
        tmp_path / "a.tsv",
        [
            ("hotline", "km", present),
            ("pension-age", "en", "when i can stop work and get pension"),
        ],
    )
    second = _questions(
        tmp_path / "b.tsv", [("pension-amount", "en", "When I can stop work and get pension?")]
    )
    assert importer.collect([first, second], set()) == {}


def test_the_blind_set_is_refused(
    importer: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blind = Path("benchmarks/data/blind-questions.tsv")
    monkeypatch.setattr("sys.argv", ["import_questions.py", str(blind)])
    assert importer.main() == 2
    assert "measure-only" in capsys.readouterr().err


def test_leave_one_set_out_takes_a_sets_questions_out_of_the_faq(faq: Faq) -> None:
    folds = _script("folds")
    entry = faq.get("maternity-pay")
    assert entry is not None
    asked = {normalize(entry.phrasings.km[1]), normalize(entry.phrasings.en[0])}
    reduced = {e.id: e for e in folds.without(faq.entries, asked)}["maternity-pay"]
    assert len(reduced.phrasings.km) == len(entry.phrasings.km) - 1
    assert len(reduced.phrasings.en) == len(entry.phrasings.en) - 1
    assert not asked & {normalize(t) for t in (*reduced.phrasings.km, *reduced.phrasings.en)}
    untouched = {e.id: e for e in folds.without(faq.entries, asked)}["hotline"]
    assert untouched is faq.get("hotline")


@pytest.mark.parametrize(
    "question",
    [
        # What the union asks for, in Khmer with a Latin word: not a request for a person.
        "union ចង់ឲ្យរដ្ឋាភិបាលដំឡើងប្រាក់សោធនចាស់ជរា មែនទេ?",
        "union staff ទាមទារឲ្យ NSSF បើកមន្ទីរពេទ្យដៃគូបន្ថែមនៅខេត្ត ឬអត់?",
    ],
)
def test_a_mixed_question_about_the_union_is_not_a_person_request(
    matcher: Matcher, question: str
) -> None:
    assert matcher.match(question).kind != "person"


@pytest.mark.parametrize("question", ["talk to union staff please", "ខ្ញុំចង់ talk to union staff"])
def test_a_request_with_no_other_khmer_words_still_is(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).kind == "person"
