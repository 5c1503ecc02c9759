"""A phonetic skeleton for romanized Khmer, so that unseen spellings of a word meet.

Workers spell Khmer in Latin letters without a standard: ប្រាក់សោធន is "prak sothon",
"sotun" or "sot thon", ឈ្មោះ is "chhmous", "chmos" or "chmuos". The spellings differ mostly
in the vowels, in aspiration (ch/chh, t/th, p/ph, k/kh), in voicing (b/p, d/t, g/k), in
doubled letters and in where the words split. The skeleton keeps what they agree on: the
consonants, aspiration and voicing folded, doubled letters once, a vowel only where a word
starts with one, and a final r, s or h after a vowel dropped ("kor", "chmoh", "chmous":
they spell a vowel, not a consonant). Skeletons are compared with the words joined, so
"sot thon" meets "sothon".

Used as a fallback only: a spelling the lexicon or the FAQ has is taken as it is.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["skeleton"]

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
        if letter in _VOWELS:
            if i == 0:
                skeleton.append("a")  # a word that starts with a vowel keeps one
            continue
        if letter == "h" and i:  # aspiration or a final -h ("chmoh", "bah")
            continue
        if letter in "rs" and after_vowel and (last or letters[i + 1] not in _VOWELS):
            continue  # "kor", "ngear", "chmous": a vowel spelt with a consonant
        skeleton.append(letter)
    return "".join(skeleton).translate(_FOLD)
