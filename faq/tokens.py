"""Tokens for matching: Khmer orthographic syllables and Latin words.

Khmer is written without spaces between words, and no word segmenter is consistent on
domain terms (docs/matching.md), so Khmer is split into orthographic syllables: a base
consonant or independent vowel with its subscripts, vowel signs and diacritics. Matching
on syllables and syllable bigrams was as good as word segmentation on clean text and
better on typos. Latin text (English and romanized Khmer) is split on spaces; digits
form their own tokens.

All functions take text that has already been through :func:`faq.normalize.normalize`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "LATIN_STOPWORDS",
    "ROMANIZED_PARTICLES",
    "Tokens",
    "function_word_mask",
    "khmer_syllables",
    "latin_words",
    "tokenize",
]

# One orthographic syllable: a consonant or independent vowel (U+1780-U+17B3), then any
# number of subscripts (COENG + consonant) and combining marks. Explicit code point
# classes only: `\w` does not cover Khmer marks.
_SYLLABLE = re.compile(r"[\u1780-\u17b3](?:\u17d2[\u1780-\u17b3]|[\u17b6-\u17d1\u17d3\u17dd])*")
# Runs of one script: Khmer letters and marks, or anything else that is not a space.
_RUN = re.compile(r"[\u1780-\u17dd]+|[^\s\u1780-\u17dd]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?|\D+")

# Latin words so common in questions that they say nothing about the topic (English
# function words and romanized Khmer question particles). Khmer function words are in
# stopwords_km.txt and are down-weighted rather than dropped.
LATIN_STOPWORDS = frozenset(
    """
    a an the i im me my mine you your we our us he she his her it its they them their is
    are am was were be been being do does did done have has had can could will would
    shall should may might must to of in on at by for from with about as and or but if
    so than then that this these those there here what which who whom whose when where
    why how pls please plz hi hello sir madam ok okay yes any some also too very
    just only still again pls plz thx thanks te tae dae reu men ke kor ey
    everything anything something nothing everyone anyone
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Romanized Khmer function words (នឹង, មួយ, ដោយ, ជា, និង, ហើយ) in their common spellings:
# stopwords for scoring, but part of phrases such as "jea muoy" (with) elsewhere.
ROMANIZED_PARTICLES = frozenset(
    "nung noeng muoy mouy moy doy jea chea ning neng hz haey hoy".split()  # noqa: SIM905
)
LATIN_STOPWORDS |= ROMANIZED_PARTICLES


# Weight factor of a term made only of syllables of Khmer function words.
FUNCTION_WORD_FACTOR = 0.15
# Weight factor of a number (digits are ASCII after normalization).
NUMBER_FACTOR = 0.5


def _load_function_words() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Function words as syllable tuples, by first syllable, longest first."""
    from faq.normalize import normalize

    path = Path(__file__).with_name("stopwords_km.txt")
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.add(tuple(khmer_syllables(normalize(line))))
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for word in sorted(words, key=len, reverse=True):  # ដែរឬទេ before ដែរ
        by_first.setdefault(word[0], []).append(word)
    return {first: tuple(group) for first, group in by_first.items()}


_function_words: dict[str, tuple[tuple[str, ...], ...]] | None = None


def function_word_mask(syllables: Sequence[str]) -> list[bool]:
    """Mark the syllables that belong to a Khmer function word (greedy, longest first)."""
    global _function_words
    if _function_words is None:
        _function_words = _load_function_words()
    mask = [False] * len(syllables)
    position = 0
    while position < len(syllables):
        for word in _function_words.get(syllables[position], ()):
            end = position + len(word)
            if tuple(syllables[position:end]) == word:
                mask[position:end] = [True] * len(word)
                position = end
                break
        else:
            position += 1
    return mask


@dataclass(frozen=True, slots=True)
class Tokens:
    """The tokens of one text: Khmer syllables and Latin words, in order."""

    khmer: tuple[str, ...]
    latin: tuple[str, ...]

    def terms(self) -> dict[str, float]:
        """Index terms with a weight factor (see :meth:`analyse`)."""
        return self.analyse()[0]

    def analyse(self) -> tuple[dict[str, float], list[str]]:
        """Index terms with a weight factor, and the question's content units.

        Terms are syllables, syllable bigrams and Latin words. Latin stopwords and
        one-letter words are dropped; terms made only of Khmer function-word syllables
        get :data:`FUNCTION_WORD_FACTOR`, numbers :data:`NUMBER_FACTOR`. Content units
        are what a question is about: syllable bigrams that are not function words, and
        Latin words that are not numbers.
        """
        mask = function_word_mask(self.khmer)
        terms: dict[str, float] = {}
        units: list[str] = []

        def add(term: str, factor: float) -> None:
            terms[term] = max(terms.get(term, 0.0), factor)

        for syllable, generic in zip(self.khmer, mask, strict=True):
            add(syllable, FUNCTION_WORD_FACTOR if generic else 1.0)
        for i in range(len(self.khmer) - 1):
            bigram = self.khmer[i] + self.khmer[i + 1]
            generic = mask[i] and mask[i + 1]
            add(bigram, FUNCTION_WORD_FACTOR if generic else 1.0)
            if not generic:
                units.append(bigram)
        for word in self.latin:
            if word in LATIN_STOPWORDS or (len(word) == 1 and word != "%"):
                continue
            if word[0].isdigit():  # a number alone says little: "60" is an age or a %
                add(word, NUMBER_FACTOR)
            else:
                add(word, 1.0)
                units.append(word)
        return terms, units

    def __bool__(self) -> bool:
        return bool(self.khmer or self.latin)


_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def latin_stem(word: str) -> str:
    """Strip one English inflection ("employers" -> "employer", "covered" -> "cover").

    Deliberately light: only words of 5+ letters, never "ss" (access, business). Applied
    to the FAQ and the question alike, so romanized Khmer words ending in -s are cut the
    same way on both sides.
    """
    if len(word) < 5 or not word.isascii() or not word.isalpha() or word.endswith("ss"):
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


def khmer_syllables(text: str) -> list[str]:
    """Split Khmer text into orthographic syllables; other characters are skipped."""
    return _SYLLABLE.findall(text)


def latin_words(normalized: str) -> list[str]:
    """The Latin words of a normalized text as typed, before :func:`latin_stem` (a
    romanized word is compared by its spelling: "chmous" must not lose its "s")."""
    return [
        part
        for run in _RUN.findall(normalized)
        if not "\u1780" <= run[0] <= "\u17dd"
        for part in _DIGITS.findall(run)
        if part.strip(".")
    ]


def tokenize(normalized: str) -> Tokens:
    """Split a normalized text into Khmer syllables and Latin words (digits separate)."""
    khmer: list[str] = []
    latin: list[str] = []
    for run in _RUN.findall(normalized):
        if "\u1780" <= run[0] <= "\u17dd":
            khmer += khmer_syllables(run)
        else:
            latin += [latin_stem(part) for part in _DIGITS.findall(run) if part.strip(".")]
    return Tokens(tuple(khmer), tuple(latin))
