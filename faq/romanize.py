"""A phonetic skeleton for romanized Khmer, so that unseen spellings of a word meet.

Workers spell Khmer in Latin letters without a standard: ប្រាក់សោធន is "prak sothon",
"sotun" or "sot thon", ឈ្មោះ is "chhmous", "chmos" or "chmuos". The spellings differ mostly
in the vowels, in aspiration (ch/chh, t/th, p/ph, k/kh), in voicing (b/p, d/t, g/k), in
doubled letters and in where the words split. The skeleton keeps what they agree on: the
consonants, aspiration and voicing folded, doubled letters once, no vowels and no h, and
a final r, s or v after a vowel dropped ("kor", "chmous", "nov": they spell a vowel, not
a consonant). :func:`khmer_skeleton` gives Khmer script the same shape (ប្រាក់សោធន ->
"prkstn"), so a romanized question can be compared with the Khmer phrasings directly.
Skeletons are compared with the words joined, so "sot thon" meets "sothon".

Used as a fallback only: a spelling the lexicon or the FAQ has is taken as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

__all__ = ["khmer_skeleton", "skeleton"]

_VOWELS = frozenset("aeiouy")
# Longest first; "ng" is one consonant (ង), "nh"/"ny"/"gn" another (ញ).
_DIGRAPHS = (
    ("chh", "c"),
    ("ch", "c"),
    ("kh", "k"),
    ("ph", "p"),
    ("th", "t"),
    ("sh", "s"),
    ("gh", "k"),
    ("dh", "t"),
    ("bh", "p"),
    ("ng", "G"),
    ("nh", "N"),
    ("ny", "N"),
    ("gn", "N"),
)
_FOLD = str.maketrans({"b": "p", "d": "t", "g": "k", "j": "c", "q": "k", "x": "k", "w": "v"})
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """The phonetic skeleton of one or more romanized words ("sot thon" -> "stn")."""
    return _DOUBLE.sub(r"\1", "".join(map(_word_skeleton, word.lower().split())))


@lru_cache(maxsize=1 << 16)
def _word_skeleton(word: str) -> str:
    if not word.isascii() or not word.isalpha():
        return word
    letters: list[str] = []
    position = 0
    while position < len(word):
        for digraph, sound in _DIGRAPHS:
            if word.startswith(digraph, position):
                letters.append(sound)
                position += len(digraph)
                break
        else:
            letters.append(word[position])
            position += 1
    # "y" after a vowel is a vowel ("muoy", "thmey"); before one it is a consonant.
    for i, letter in enumerate(letters):
        if letter == "y" and i and letters[i - 1] in _VOWELS:
            letters[i] = "e"
    skeleton: list[str] = []
    for i, letter in enumerate(letters):
        after_vowel = bool(i) and letters[i - 1] in _VOWELS
        last = i == len(letters) - 1
        if letter in _VOWELS or letter == "h":  # vowels; aspiration, final -h ("chmoh")
            continue
        if letter in "rsvw" and after_vowel and (last or letters[i + 1] not in _VOWELS):
            continue  # "kor", "ngear", "chmous", "nov": a vowel spelt with a consonant
        skeleton.append(letter)
    return "".join(skeleton).translate(_FOLD)


# Khmer consonants (and independent vowels) as the skeleton letters their romanizations
# fold to: ក/ខ/គ/ឃ all become "k", ប/ផ/ព/ភ "p", ដ/ត/ថ/ទ/ធ … "t", and so on.
_KHMER_LETTERS = {
    **dict.fromkeys("កខគឃ", "k"),
    "ង": "G",
    **dict.fromkeys("ចឆជឈ", "c"),
    "ញ": "N",
    **dict.fromkeys("ដឋឌឍតថទធ", "t"),
    **dict.fromkeys("ណន", "n"),
    **dict.fromkeys("បផពភ", "p"),
    "ម": "m",
    "យ": "y",
    "រ": "r",
    **dict.fromkeys("លឡ", "l"),
    "វ": "v",
    **dict.fromkeys("សឝឞ", "s"),
    "ហ": "h",
}
_NIKAHIT = "\u17c6"  # ំ, romanized "om"/"am"
_TOANDAKHIAT = "\u17cd"  # ៍: the consonant it sits on is silent
_COENG = "\u17d2"
# A syllable of one bare consonant after a vowel, that romanizations spell as a vowel
# ("kar" ការ, "nov" នៅ is a vowel already) or not at all: the same rule as for Latin.
_SILENT_FINALS = frozenset("រសយវហ")


_VOWEL_SIGN = re.compile("[\u17b6-\u17c5]")


def _has_vowel(syllable: str) -> bool:
    return _VOWEL_SIGN.search(syllable) is not None


def khmer_skeleton(syllables: Sequence[str]) -> str:
    """The phonetic skeleton of Khmer syllables, comparable with :func:`skeleton`.

    ប្រាក់ សោធន ("prak sothon") -> "prkstn", like ``skeleton("prak sothon")``.
    """
    out: list[str] = []
    vocalic = marked = False  # the previous syllable ends in a vowel / has a vowel sign
    for position, syllable in enumerate(syllables):
        letters, has_vowel, silent, nikahit, short = _syllable_sounds(syllable)
        if silent:
            continue
        following = syllables[position + 1] if position + 1 < len(syllables) else ""
        if (
            len(syllable) == 1
            and syllable in _SILENT_FINALS
            and vocalic
            and (not following or _has_vowel(following))
        ):
            vocalic = marked = False  # ការ "kar", ប្រុស "pros": spelt as a vowel
            continue
        if not has_vowel and marked:
            letters = letters[:1]  # a final cluster (ពេទ្យ "pet"): its subscript is silent
        out += letters
        if nikahit:
            out.append("m")
        vocalic = not short and not nikahit
        marked = has_vowel
    return _DOUBLE.sub(r"\1", "".join(out).replace("h", ""))


@lru_cache(maxsize=1 << 14)
def _syllable_sounds(syllable: str) -> tuple[tuple[str, ...], bool, bool, bool, bool]:
    """What :func:`khmer_skeleton` needs of one syllable, worked out once: its letters'
    sounds, and whether it has a vowel sign, a silencing mark (៍), a nikahit (ំ) and a
    bantoc (់)."""
    return (
        tuple(_KHMER_LETTERS[char] for char in syllable if char in _KHMER_LETTERS),
        _has_vowel(syllable),
        _TOANDAKHIAT in syllable,
        _NIKAHIT in syllable,
        "\u17cb" in syllable,
    )
