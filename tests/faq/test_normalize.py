"""Normalization: the cases in khmer-text.md §6, the public vectors, and idempotence."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from faq.normalize import NSSF_TOKEN, canonical_khmer, normalize
from tests.faq.conftest import shared_file

DEVIATIONS = Path(__file__).with_name("vector_deviations.tsv")


def cps(*points: int) -> str:
    return "".join(map(chr, points))


def from_codepoints(text: str) -> str:
    return "".join(chr(int(part[2:], 16)) for part in text.split())


# khmer-text.md §6: each input must normalize to the expected text.
SECTION_6 = [
    pytest.param(cps(0x1781, 0x17D2, 0x1789, 0x17C6, 0x17BB), "ខ្ញុំ", id="1-nikahit-before-u"),
    pytest.param(cps(0x1781, 0x17BB, 0x17D2, 0x1789, 0x17C6), "ខ្ញុំ", id="2-vowel-before-coeng"),
    pytest.param(
        cps(0x1781, 0x17C2, 0x17D2, 0x1798, 0x179A), "ខ្មែរ", id="3-prevowel-before-coeng"
    ),
    pytest.param(
        cps(0x179F, 0x17D2, 0x179A, 0x17D2, 0x178F, 0x17B8), "ស្ត្រី", id="4-coeng-ro-first"
    ),
    pytest.param(cps(0x1794, 0x17B8, 0x17CA), "ប៊ី", id="5-shifter-after-vowel"),
    pytest.param(
        cps(0x1794, 0x17BB, 0x17C9, 0x1793, 0x17D2, 0x1798, 0x17B6, 0x1793),
        "ប៉ុន្មាន",
        id="6-u-shifter",
    ),
    pytest.param(cps(0x1792, 0x17D2, 0x179C, 0x17C1, 0x17B8), "ធ្វើ", id="7-split-vowel-oe"),
    pytest.param(cps(0x1796, 0x17C1, 0x17B6, 0x17C7), "ពោះ", id="8-split-vowel-oo"),
    pytest.param(cps(0x1785, 0x17C7, 0x17BB), "ចុះ", id="9-reahmuk-before-u"),
    pytest.param("សន្ដិសុខ", "សន្តិសុខ", id="10-coeng-da"),
    pytest.param("សន្តិសុខ\u200bសង្គម", "សន្តិសុខសង្គម", id="11-zwsp"),
    pytest.param("កាាត", "កាត", id="12-doubled-vowel"),
    pytest.param("ក\u17b4ម្មករ", "កម្មករ", id="13-inherent-vowel"),
    pytest.param("\u17a3", "អ", id="14-deprecated-qa"),
    pytest.param("ឲ្យ", "ឱ្យ", id="15-ou"),
    pytest.param("អាយុ៦០ឆ្នាំ", "អាយុ60ឆ្នាំ", id="16-khmer-digits"),
    pytest.param("១២៣", "123", id="16-khmer-digits-only"),
    pytest.param("ខ្ញុំចង់ដឹងអំពី NSSF card", "ខ្ញុំចង់ដឹងអំពី nssf card", id="mixed-script"),
    pytest.param("តើ pension បានប៉ុន្មាន?", "តើ pension បានប៉ុន្មាន", id="mixed-question"),
    pytest.param("ភាគទាន 0.8% ថៅកែ", "ភាគទាន 0.8% ថៅកែ", id="decimal-and-percent"),
    pytest.param("15,600 រៀល", "15600 រៀល", id="thousands-separator"),
    pytest.param("  ច្បាប់\t\n ការងារ  ", "ច្បាប់ ការងារ", id="whitespace"),
]


@pytest.mark.parametrize(("text", "expected"), SECTION_6)
def test_section_6_cases(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert normalize(expected) == expected


@pytest.mark.parametrize(
    "spelling",
    ["ប.ស.ស", "ប . ស . ស", "ប.ស.ស.", "បសស", "NSSF", "nssf", "N.S.S.F", "b.s.s", "B.S.S.", "bss"],
)
def test_every_spelling_of_nssf_is_one_token(spelling: str) -> None:
    assert normalize(spelling) == NSSF_TOKEN
    assert normalize(f"កាត {spelling} បាត់") == f"កាត {NSSF_TOKEN} បាត់"


def test_other_dotted_abbreviations_are_not_nssf() -> None:
    # គ.ស.ស (universal health coverage) and ប.ឈ.ម (average daily wage) look alike.
    assert NSSF_TOKEN not in normalize("គ.ស.ស")
    assert NSSF_TOKEN not in normalize("ប.ឈ.ម")
    assert NSSF_TOKEN not in normalize("បសសុខ")
    # ប.ស.ស in Latin letters is b.s.s or bss, never part of a longer word.
    for word in ("boss", "bsss", "abss", "bssb"):
        assert normalize(word) == word


@pytest.mark.parametrize(
    "text",
    [
        *["?", "។", "ៗ", "\u200b", "!!!", "😀🙏", "\x00\x07", "", "   "],
        # Emoji built with variation selectors, joiners, modifiers, tags, keycaps.
        *["❤️", "🏳️\u200d🌈", "👨\u200d👩\u200d👧", "👍🏽", "🇰🇭", "#️⃣", "🏴\U000e0067\U000e007f"],
    ],
)
def test_inputs_that_normalize_to_nothing(text: str) -> None:
    assert normalize(text) == ""


def test_a_keycap_digit_is_the_digit() -> None:
    assert normalize("1️⃣") == "1"
    assert normalize("ជំងឺ ❤️") == "ជំងឺ"


def test_nfc_unstable_sequence_does_not_crash() -> None:
    # NFC swaps U+17DD and U+17D2 (both have combining classes); this must not break.
    result = normalize(cps(0x1780, 0x17DD, 0x17D2, 0x1780))
    assert result == normalize(result)


def test_limon_legacy_text_stays_latin() -> None:
    assert normalize("PaKTan") == "paktan"


def _vectors() -> list[tuple[int, str, str]]:
    path = shared_file("khmer-normalization/vectors.tsv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [
            (
                number,
                from_codepoints(row["input_codepoints"]),
                from_codepoints(row["expected_codepoints"]),
            )
            for number, row in enumerate(rows, start=2)
        ]


def _deviations() -> dict[int, dict[str, str]]:
    with DEVIATIONS.open(encoding="utf-8", newline="") as handle:
        return {int(row["line"]): row for row in csv.DictReader(handle, delimiter="\t")}


def test_public_vectors_pass_except_the_listed_deviations() -> None:
    """Read the whole vectors file; every row passes or is listed, with its reason."""
    deviations = _deviations()
    failing = {}
    for number, text, expected in _vectors():
        result = canonical_khmer(text)
        assert canonical_khmer(result) == result, f"line {number}: not idempotent"
        if result != expected:
            failing[number] = result
    assert sorted(failing) == sorted(deviations), "the deviation list is out of date"
    for number, result in failing.items():
        listed = deviations[number]
        assert listed["reason"].strip(), f"line {number}: deviation without a reason"
        assert from_codepoints(listed["our_codepoints"]) == result, f"line {number}"


def test_deviations_still_agree_on_the_matching_key_where_only_invisibles_differ() -> None:
    # For the invisible-character rows the policy differs only in what we strip, so the
    # matching key of input and expected output must coincide.
    vectors = {number: (text, expected) for number, text, expected in _vectors()}
    for number, row in _deviations().items():
        if row["reason"].startswith("invisibles: ") and "shifter" not in row["reason"]:
            text, expected = vectors[number]
            stripped = "".join(c for c in expected if unicodedata.category(c) != "Cf")
            assert normalize(text) == normalize(stripped), f"line {number}"


khmer_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x1780, max_codepoint=0x17FF),
        st.sampled_from("\u200b\u200c\u200d\ufeff\u00ad .,?!%-"),
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    ),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(khmer_text)
@example("\u17d2\u1780\u17b6\u17c9")  # an orphan COENG dropped left កា៉ out of order
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(khmer_text)
def test_canonical_khmer_is_idempotent(text: str) -> None:
    once = canonical_khmer(text)
    assert canonical_khmer(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_normalize_never_crashes_and_leaves_no_invisibles(text: str) -> None:
    result = normalize(text)
    assert result == result.strip()
    assert "  " not in result
    assert not any(unicodedata.category(char) in ("Cf", "Cc") for char in result)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x41, max_codepoint=0x7A), max_size=30))
def test_latin_is_casefolded(text: str) -> None:
    assert normalize(text) == normalize(text.upper()) == normalize(text.lower())


def test_english_negative_contractions_leave_no_stray_word() -> None:
    assert normalize("my boss won't register me") == "my boss will not register me"
    assert normalize("I don’t know") == "i do not know"
    assert normalize("can't pay") == "can not pay"
    assert normalize("who won the football") == "who won the football"


# Any text: Latin with combining marks (NFC composes them), emoji parts, punctuation.
any_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("é\u0301e.,'’"),
    max_size=40,
)


@settings(max_examples=400, deadline=None)
@given(any_text.filter(lambda text: not any("\u1780" <= c <= "\u17ff" for c in text)))
def test_text_without_khmer_is_only_nfc_normalized_as_pheasa_does(text: str) -> None:
    # canonical_khmer skips pheasa for text without Khmer (a speed-up): the result
    # must be pheasa's, which for such text is NFC.
    import pheasa

    from faq.normalize import _DEPRECATED, _INVISIBLE

    cleaned = text.translate(_INVISIBLE).translate(_DEPRECATED)
    expected = pheasa.normalize(cleaned, zwsp="strip", digits="ascii", fold_deprecated=True)
    assert canonical_khmer(text) == expected


@settings(max_examples=400, deadline=None)
@given(any_text | st.text(st.characters(min_codepoint=0x1780, max_codepoint=0x17FF)))
def test_the_punctuation_table_keeps_what_keep_keeps(text: str) -> None:
    from faq.normalize import _PUNCTUATION, _keep

    assert text.translate(_PUNCTUATION) == "".join(c if _keep(c) else " " for c in text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kh'nhom chos chmous", "khnhom chos chmous"),
        ("t’ngai nis", "tngai nis"),
        ("p'teah ch'nam", "pteah chnam"),
        # English apostrophes follow a word with a vowel, or end an abbreviation.
        ("it's my card", "it s my card"),
        ("i'm lost", "i m lost"),
        ("nssf's office", f"{NSSF_TOKEN} s office"),
    ],
)
def test_an_apostrophe_inside_a_romanized_cluster_joins_the_word(text: str, expected: str) -> None:
    assert normalize(text) == expected


_KHMER_AND_SPACES = st.text(
    st.characters(min_codepoint=0x1780, max_codepoint=0x17FF) | st.sampled_from(" .a1\u0301")
)


@settings(max_examples=400, deadline=None)
@given(any_text | _KHMER_AND_SPACES)
@example("ក្ ខ")  # a cluster ending in COENG before a space
@example("ក្ ")
@example("កា្ ក")
@example("ក\u0301ា")
def test_pheasa_one_cluster_at_a_time_is_pheasa_on_the_whole_text(text: str) -> None:
    import pheasa

    from faq.normalize import _DEPRECATED, _INVISIBLE, _pheasa

    text = text.translate(_INVISIBLE).translate(_DEPRECATED)
    whole = pheasa.normalize(text, zwsp="strip", digits="ascii", fold_deprecated=True)
    assert _pheasa(text) == whole


@settings(max_examples=200, deadline=None)
@given(_KHMER_AND_SPACES)
def test_the_skipped_patterns_would_change_nothing(text: str) -> None:
    # normalize() skips the apostrophe, comma and dot patterns in a text without one.
    from faq.normalize import _CLUSTER_APOSTROPHE, _CONTRACTIONS, _DOT, _THOUSANDS

    plain = text.replace("'", "").replace("’", "").replace(",", "").replace(".", "")
    for pattern, _ in _CONTRACTIONS:
        assert pattern.search(plain) is None
    for pattern in (_CLUSTER_APOSTROPHE, _THOUSANDS, _DOT):
        assert pattern.search(plain) is None
