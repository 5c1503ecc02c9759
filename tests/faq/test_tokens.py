"""Tokenization: orthographic syllables, Latin words, and no Khmer-hostile shortcuts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faq.normalize import normalize
from faq.tokens import Tokens, function_word_mask, khmer_syllables, tokenize


@pytest.mark.parametrize(
    ("text", "syllables"),
    [
        ("ខ្ញុំ", ["ខ្ញុំ"]),
        ("ប្រាក់សោធន", ["ប្រា", "ក់", "សោ", "ធ", "ន"]),
        ("សន្តិសុខសង្គម", ["ស", "ន្តិ", "សុ", "ខ", "ស", "ង្គ", "ម"]),
        ("ស្ត្រី", ["ស្ត្រី"]),
        ("បង់", ["ប", "ង់"]),
        ("បង", ["ប", "ង"]),
    ],
)
def test_khmer_syllables_keep_every_mark(text: str, syllables: list[str]) -> None:
    assert khmer_syllables(text) == syllables
    assert "".join(syllables) == text


def test_scripts_and_digits_are_split() -> None:
    tokens = tokenize(normalize("អាយុ៦០ឆ្នាំ បើក pension NSSF 0.8%"))
    assert tokens.khmer == ("អា", "យុ", "ឆ្នាំ", "បើ", "ក")
    assert tokens.latin == ("60", "pension", "nssf", "0.8", "%")


def test_terms_add_bigrams_and_drop_latin_stopwords() -> None:
    tokens = Tokens(("ភា", "គ", "ទា", "ន"), ("how", "much", "pension"))
    terms = tokens.terms()
    assert {"ភាគ", "គទា", "ទាន"} <= set(terms)
    assert "pension" in terms and "how" not in terms


def test_pay_and_sibling_are_different_tokens() -> None:
    # default_process would turn បង់ (pay) into បង (sibling); our tokens must differ.
    pay, sibling = set(tokenize("បង់").terms()), set(tokenize("បង").terms())
    assert "បង់" in pay and "បង់" not in sibling
    assert "បង" in sibling and "បង" not in pay


@given(st.text(max_size=80))
def test_tokenize_never_loses_khmer_letters(text: str) -> None:
    normalized = normalize(text)
    tokens = tokenize(normalized)
    letters = [c for c in normalized if "\u1780" <= c <= "\u17b3"]
    assert sum(1 for s in tokens.khmer for c in s if "\u1780" <= c <= "\u17b3") == len(letters)


@pytest.mark.parametrize("word", ["ចឹង", "អញ្ចឹង", "អូន", "ស្អី", "ព្រោះ", "ឥឡូវ"])
def test_spoken_register_particles_are_function_words(word: str) -> None:
    """Fillers of spoken Khmer are not content the FAQ must explain."""
    syllables = khmer_syllables(normalize(word))
    assert all(function_word_mask(syllables))
    _, units = Tokens(tuple(syllables), ()).analyse()
    assert units == []
