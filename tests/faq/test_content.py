"""The FAQ files: the shipped content passes the check; every kind of problem is found."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from faq.check import numbers_in
from faq.content import DATA_DIR, FACTS_FILE, TOPICS_FILE, Faq, FaqError, check_faq, load_faq
from tests.faq.conftest import shared_file

TODAY = dt.date(2026, 11, 24)


def test_shipped_faq_passes_the_check() -> None:
    errors = [p for p in check_faq(today=TODAY) if p.severity == "error"]
    assert errors == []


def test_shipped_faq_has_one_entry_per_topic(faq: Faq) -> None:
    import yaml

    topics = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    slugs = [slug for group in topics.values() for slug in group]
    assert len(slugs) == 51
    assert sorted(entry.id for entry in faq.entries) == sorted(slugs)
    for entry in faq.entries:
        assert len(entry.phrasings.km) >= 4, entry.id
        assert entry.keywords, entry.id


def test_caution_entries_send_workers_to_the_hotline(faq: Faq) -> None:
    cautious = [entry for entry in faq.entries if entry.caution]
    assert cautious, "the fact base has conflicting and low-confidence facts"
    for entry in cautious:
        assert "១២៨៦" in entry.answer.km and "1286" in entry.answer.en, entry.id


GOOD_ENTRY = """\
  - id: {id}
    question:
      km: សំណួរ {n}
      en: Question {n}
    answer:
      km: ចម្លើយ {id}
      en: Answer {id}
    phrasings:
      km: [ឃ្លា {n} មួយ, ឃ្លា {n} ពីរ, ឃ្លា {n} បី, ឃ្លា {n} បួន]
    keywords: [word{n}]
    sources: {{facts: [1], urls: ["https://nssf.gov.kh/"]}}
    legal_basis: {{km: "ច្បាប់ស្តីពីរបបសន្តិសុខសង្គម (២០១៩)", en: "Law (2019)"}}
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
    assert any("cat.yaml:19: error: unknown slug 'gamma'" in m for m in found), found
    assert any("no entry for topic 'beta'" in m for m in found), found
    with pytest.raises(FaqError):
        load_faq(data, topics)


def test_missing_khmer_answer_points_at_the_answer(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("      km: ចម្លើយ alpha\n", "")
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
    assert any("cat.yaml:18: warning: alpha: review was due on 2026-10-01" in m for m in found)
    assert any("error: alpha: review_due is not after last_reviewed" in m for m in found), found


def test_an_overdue_review_is_an_error_only_when_strict(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1) + GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    later = dt.date(2031, 1, 1)  # long after every review_due: "today" is a parameter
    assert [p.severity for p in check_faq(data, topics, today=later)] == ["warning"] * 2
    strict = check_faq(data, topics, today=later, strict=True)
    assert [(p.severity, p.line) for p in strict] == [("error", 18), ("error", 32)]
    assert check_faq(data, topics, today=dt.date(2027, 5, 1)) == []  # due today is not late


def test_answer_too_long_for_one_telegram_message(tmp_path: Path) -> None:
    long_answer = "ក" * 4000
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("km: ចម្លើយ alpha", f"km: {long_answer}")
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
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("km: ចម្លើយ alpha", "km: Answer in English")
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
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("en: Answer alpha", "en: " + "word " * 130)
    body += GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    problems = check_faq(data, topics, today=TODAY)
    assert [(p.severity, p.line) for p in problems] == [("warning", 11)]
    assert "aim for under 600" in problems[0].message


def test_legal_basis_is_required_and_short(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace(
        '    legal_basis: {km: "ច្បាប់ស្តីពីរបបសន្តិសុខសង្គម (២០១៩)", en: "Law (2019)"}\n', ""
    )
    body += GOOD_ENTRY.format(id="beta", n=2).replace('en: "Law (2019)"', f'en: "{"x" * 121}"')
    data, topics = write_faq(tmp_path, body)
    found = messages(data, topics)
    assert any("cat.yaml:5: error: entry alpha: legal_basis: Field required" in m for m in found)
    assert any(
        "cat.yaml:29:" in m and "legal_basis.en: String should have at most" in m for m in found
    )


def test_a_khmer_answer_mixing_digit_styles_is_an_error(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1).replace("km: ចម្លើយ alpha", "km: ចម្លើយ ១ ខល 1286")
    body += GOOD_ENTRY.format(id="beta", n=2).replace("km: ចម្លើយ beta", "km: ខល ១២៨៦")
    body = body.replace("en: Answer alpha", "en: 1 call 1286").replace(
        "en: Answer beta", 'en: "1286"'
    )
    body = body.replace("facts: [1]", "facts: [8, 55]")
    data, topics = write_faq(tmp_path, body)
    found = messages(data, topics)
    assert len(found) == 1 and "cat.yaml:10: error: alpha: Khmer answer mixes" in found[0], found


def write_facts(tmp_path: Path) -> Path:
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        "facts:\n"
        '  1: {confidence: H, conflict: false, numbers: ["60", "12", "400000"]}\n'
        '  2: {confidence: M, conflict: false, numbers: ["0.8", "1286"]}\n',
        encoding="utf-8",
    )
    return facts


NUMBERS_ENTRY = """\
  - id: alpha
    question: {km: សំណួរ, en: Question}
    answer:
      km: |
        ១. អាយុ ៦០ ឆ្នាំ និង ១២ ខែ
        ២. ប្រាក់ ៤០ម៉ឺនរៀល ឬ ០,៨% ខល ១២៨៦
        ៣. ១៥ ថ្ងៃ
      en: |
        1. Age 60 and 12 months
        2. 400,000 riel or 0.8%; call 1286
        3. 15 days, 2 times
    phrasings:
      km: [ឃ្លា មួយ, ឃ្លា ពីរ, ឃ្លា បី, ឃ្លា បួន]
    keywords: [word]
    sources: {facts: [1, 2], urls: ["https://nssf.gov.kh/"]}
    legal_basis: {km: ច្បាប់, en: Law}
    allowed_numbers:
      - {number: "15", reason: "a worked example of 15 days"}
      - {number: "7", reason: "a number that no longer appears"}
    last_reviewed: 2026-11-01
    review_due: 2027-05-01
"""


def test_every_number_rests_on_a_cited_fact_in_both_languages(tmp_path: Path) -> None:
    data, topics = write_faq(tmp_path, NUMBERS_ENTRY, topics="cat: [alpha]\n")
    problems = check_faq(data, topics, today=TODAY, facts_file=write_facts(tmp_path))
    found = [(p.line, p.severity, p.message) for p in problems]
    # List numbers ("1.", "២.") are layout; 60, 12, ៤០ម៉ឺន (400000), ០,៨ (0.8) and 1286 come
    # from facts 1 and 2, 15 is allowed with a reason; "2 times" rests on nothing and is
    # missing from the Khmer answer; the allowed 7 appears in neither answer.
    assert found == [
        (
            8,
            "error",
            "alpha: the en answer states 2 but the km answer does not; both must "
            "carry the same numbers",
        ),
        (
            15,
            "error",
            "alpha: the en answer states '2', which none of its facts [1, 2] states "
            "(cite the fact, or list it in allowed_numbers with a reason)",
        ),
        (22, "warning", "alpha: allowed number 7 is in neither answer"),
    ]


def test_a_fact_missing_from_the_facts_file_is_an_error(tmp_path: Path) -> None:
    body = NUMBERS_ENTRY.replace("facts: [1, 2]", "facts: [1, 2, 99]")
    data, topics = write_faq(tmp_path, body, topics="cat: [alpha]\n")
    problems = check_faq(data, topics, today=TODAY, facts_file=write_facts(tmp_path))
    assert any(p.line == 19 and "no fact 99 in facts.yaml" in p.message for p in problems)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("៤៣ម៉ឺននាក់", ["430000"]),
        ("១លាន២សែនរៀល", ["1200000"]),
        ("more than 1.56 million", ["1560000"]),
        ("US$600 (30 × US$20)", ["600", "30", "20"]),
        ("០,៨% and 2.6%", ["0.8", "2.6"]),
        ("១៥.៦០០ រៀល = 15,600 riel", ["15600", "15600"]),
        ("2016–2025, Instruction 015/25", ["2016", "2025", "15", "25"]),
        ("1. first\n២. second by the 15th", ["15"]),
        ("SP4ALL", []),
    ],
)
def test_numbers_are_read_as_a_worker_reads_them(text: str, numbers: list[str]) -> None:
    assert [found.value for found in numbers_in(text)] == numbers


def test_facts_file_is_current_with_the_fact_base() -> None:
    """faq/facts.yaml is what scripts/build_facts.py makes of ../shared/nssf-facts.md."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_facts", Path(__file__).parents[2] / "scripts" / "build_facts.py"
    )
    assert spec is not None and spec.loader is not None
    build_facts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_facts)
    markdown = shared_file("nssf-facts.md").read_text(encoding="utf-8")
    assert build_facts.render(markdown) == FACTS_FILE.read_text(encoding="utf-8")


def test_every_shipped_entry_cites_the_facts_of_its_numbers(faq: Faq) -> None:
    numbers = [p for p in check_faq(today=TODAY) if "states" in p.message]
    assert numbers == []


def test_the_sibling_file_names_real_entries_in_groups(tmp_path: Path) -> None:
    body = GOOD_ENTRY.format(id="alpha", n=1) + GOOD_ENTRY.format(id="beta", n=2)
    data, topics = write_faq(tmp_path, body)
    siblings = tmp_path / "siblings.txt"
    siblings.write_text("# fine\nalpha beta\nalpha gamma\nbeta\nalpha alpha\n", encoding="utf-8")
    found = [str(p) for p in check_faq(data, topics, today=TODAY, siblings_file=siblings)]
    assert found == [
        f"{siblings}:3: error: no entry 'gamma'",
        f"{siblings}:4: error: a sibling group needs two entries",
        f"{siblings}:5: error: 'alpha' is twice in the group",
        f"{siblings}:5: error: a sibling group needs two entries",
    ]
    siblings.write_text("alpha beta  # siblings\n", encoding="utf-8")
    assert check_faq(data, topics, today=TODAY, siblings_file=siblings) == []
    siblings.write_text("alpha missing\n", encoding="utf-8")  # beside data/: the default
    assert messages(data, topics) == [f"{siblings}:1: error: no entry 'missing'"]
