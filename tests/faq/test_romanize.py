"""Romanized Khmer: spellings that differ in vowels, aspiration and splits meet."""

from __future__ import annotations

import pytest

from faq.content import Faq
from faq.matcher import Matcher
from faq.normalize import normalize
from faq.romanize import khmer_skeleton, skeleton
from faq.tokens import khmer_syllables


@pytest.mark.parametrize(
    "spellings",
    [
        ("sothon", "sotun", "sot thon", "so thon"),
        ("chhmous", "chmos", "chmuos", "chmoh"),
        ("pheak tean", "pheakteann", "pheak tan", "pheak tien"),
        ("kamkor", "kammakor"),
        ("kar ngea", "kangar"),
        ("cheamuoy", "jea muoy", "chea muoy"),
    ],
)
def test_spellings_of_one_word_share_a_skeleton(spellings: tuple[str, ...]) -> None:
    assert len({skeleton(s) for s in spellings}) == 1, [skeleton(s) for s in spellings]


@pytest.mark.parametrize(
    ("khmer", "latin"),
    [
        ("ប្រាក់សោធន", "prak sothon"),
        ("ចុះឈ្មោះ", "chos chhmous"),
        ("ការងារ", "kar ngea"),
        ("និវត្តន៍", "nivoat"),
        ("ពេទ្យ", "pet"),
        ("ក្រសួង", "krasuong"),
        ("ចំណាយ", "chamnay"),
        ("គ្រោះថ្នាក់", "kroh thnak"),
    ],
)
def test_khmer_script_and_its_romanization_share_a_skeleton(khmer: str, latin: str) -> None:
    assert khmer_skeleton(khmer_syllables(normalize(khmer))) == skeleton(latin)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("prak sotun ban ponman", "pension-amount"),
        ("prak sot thon ban ponman", "pension-amount"),
        ("kat nssf bat tver mech", "nssf-card"),
    ],
)
def test_unseen_spellings_find_their_entry(
    faq: Faq, matcher: Matcher, question: str, expected: str
) -> None:
    """The skeleton reads a spelling it never saw as the Khmer phrasings' words. Checked
    without the stored romanized questions (their lift is another channel, which may rank
    a neighbour first: "sot thon" is split as in some of pension-age's); with them the
    entry is still offered."""
    decision = Matcher(faq, examples=[]).match(question)
    assert decision.kind != "none"
    assert decision.matches[0].id == expected, decision.matches
    shipped = matcher.match(question)
    assert shipped.kind != "none"
    assert expected in [m.id for m in shipped.matches[:3]], shipped.matches


@pytest.mark.parametrize("text", ["ប្រាក់ សោធន", "ការងារ ប្រុស ពេទ្យ", "ខ្ញុំ ចង់ ដឹង", "ព្រះរាជាណាចក្រ"])
def test_a_syllables_sounds_are_worked_out_once_and_read_the_same(text: str) -> None:
    from faq.romanize import _KHMER_LETTERS, _syllable_sounds

    for syllable in khmer_syllables(normalize(text)):
        letters, *_ = _syllable_sounds(syllable)
        assert letters == tuple(_KHMER_LETTERS[c] for c in syllable if c in _KHMER_LETTERS)
    assert khmer_skeleton(khmer_syllables(normalize("ប្រាក់ សោធន"))) == skeleton("prak sothon")
