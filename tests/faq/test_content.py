"""The FAQ files: the shipped content passes the check; every kind of problem is found."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from faq.content import DATA_DIR, TOPICS_FILE, Faq, FaqError, check_faq, load_faq

TODAY = dt.date(2026, 11, 24)


def test_shipped_faq_passes_the_check() -> None:
    errors = [p for p in check_faq(today=TODAY) if p.severity == "error"]
    assert errors == []


def test_shipped_faq_has_one_entry_per_topic(faq: Faq) -> None:
    import yaml

    topics = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    slugs = [slug for group in topics.values() for slug in group]
    assert len(slugs) == 49
    assert sorted(entry.id for entry in faq.entries) == sorted(slugs)
    for entry in faq.entries:
        assert len(entry.phrasings.km) >= 4, entry.id
        assert entry.keywords, entry.id


def test_caution_entries_send_workers_to_the_hotline(faq: Faq) -> None:
    cautious = [entry for entry in faq.entries if entry.caution]
    assert cautious, "the fact base has conflicting and low-confidence facts"
    for entry in cautious:
        assert "1286" in entry.answer.km and "1286" in entry.answer.en, entry.id


GOOD_ENTRY = """\
  - id: {id}
    question:
      km: សំណួរ {n}
      en: Question {n}
    answer:
      km: ចម្លើយ {n}
      en: Answer {n}
    phrasings:
      km: [ឃ្លា {n} មួយ, ឃ្លា {n} ពីរ, ឃ្លា {n} បី, ឃ្លា {n} បួន]
    keywords: [word{n}]
    sources: {{facts: [1], urls: ["https://nssf.gov.kh/"]}}
    last_reviewed: 2026-11-01
    review_due: 2027-05-01
"""


def write_faq(
    tmp_path: Path, body: str, topics: str = "cat: [alpha, beta]\n"
) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cat.yaml").write_text(
        "category:\n  id: cat\n  title: {km: ប្រភេទ, en: Category}\nentries:\n" + body,
        encoding="utf-8",
    )
    topics_file = tmp_path / "topics.yaml"
    topics_file.write_text(topics, encoding="utf-8")
    return data, topics_file


def messages(data: Path, topics: Path) -> list[str]:
    return [str(problem) for problem in check_faq(data, topics, today=TODAY)]


def test_a_valid_file_has_no_problems(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1) + GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    assert messages(data, topics) == []
    assert [e.id for e in load_faq(data, topics).entries] == ["alpha", "beta"]


def test_unknown_slug_and_missing_topic_are_reported_with_lines(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1) + GOOD_ENTRY.format(id="gamma", n=2)
    data, topics = write_faq(tmp_path, body)
    found = messages(data, topics)
    assert any("cat.yaml:18: error: unknown slug 'gamma'" in m for m in found), found
    assert any("no entry for topic 'beta'" in m for m in found), found
    with pytest.raises(FaqError):
        load_faq(data, topics)


def test_missing_khmer_answer_points_at_the_answer(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("      km: ចម្លើយ 1\n", "")
    body += GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    found = messages(data, topics)
    assert any("cat.yaml:10:" in m and "answer.km" in m and "alpha" in m for m in found), found


def test_duplicate_phrasing_names_both_entries(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1) + GOOD_ENTRY.format(id="beta", n=2).replace(
        "ឃ្លា 2 មួយ", "ឃ្លា  1   មួយ។"
    )
    data, topics = write_faq(tmp_path, body)
    found = messages(data, topics)
    assert any("beta: phrasing" in m and "also a phrasing of alpha" in m for m in found), found


def test_review_date_passed_and_inverted_dates(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("2027-05-01", "2026-10-01")
    body += GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    found = messages(data, topics)
    assert any("cat.yaml:17:" in m and "review was due on 2026-10-01" in m for m in found), found
    assert any("review_due is not after last_reviewed" in m for m in found), found


def test_answer_too_long_for_one_telegram_message(tmp_path: Path) -> None:
    long_answer = "ក" * 4000
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("km: ចម្លើយ 1", f"km: {long_answer}")
    body += GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    found = messages(data, topics)
    assert any("cat.yaml:10:" in m and "too long for one Telegram message" in m for m in found), (
        found
    )


def test_caution_without_hotline(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace(
        "    last_reviewed", "    caution: true\n    last_reviewed"
    )
    body += GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    found = messages(data, topics)
    assert sum("does not tell the worker to confirm with NSSF on 1286" in m for m in found) == 2


def test_duplicate_id_and_bad_yaml(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1) + GOOD_ENTRY.format(id="alpha", n=2)
    data, topics = write_faq(tmp_path, body)
    (data / "broken.yaml").write_text("entries: [\n  - oops: {\n", encoding="utf-8")
    found = messages(data, topics)
    assert any("duplicate id 'alpha' (first at" in m for m in found), found
    assert any("broken.yaml:" in m and "not valid YAML" in m for m in found), found


def test_english_text_in_the_khmer_field(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("km: ចម្លើយ 1", "km: Answer in English")
    body += GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    assert any("Khmer answer has no Khmer text" in m for m in messages(data, topics))


def test_unknown_field_is_a_typo_not_silence(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace(
        "    keywords", "    keywrods: [x]\n    keywords"
    )
    body += GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    assert any(
        "keywrods" in m and "Extra inputs are not permitted" in m for m in messages(data, topics)
    )


def test_data_dir_copy_round_trips(tmp_path: Path) -> None:
    """The checker works on a copy of the shipped content (how editors test changes)."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    assert [
        p for p in check_faq(tmp_path / "data", TOPICS_FILE, today=TODAY) if p.severity == "error"
    ] == []
    assert textwrap.dedent("x") == "x"


def test_categories_and_entries_follow_the_topic_registry(faq: Faq) -> None:
    import yaml

    topics = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    assert [c.id for c in faq.categories] == list(topics)
    assert [e.id for e in faq.entries] == [slug for group in topics.values() for slug in group]


def test_an_answer_over_600_characters_is_a_warning_not_an_error(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("en: Answer 1", "en: " + "word " * 130)
    body += GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    problems = check_faq(data, topics, today=TODAY)
    assert [(p.severity, p.line) for p in problems] == [("warning", 11)]
    assert "aim for under 600" in problems[0].message
