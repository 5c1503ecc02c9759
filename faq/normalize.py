"""Khmer and Latin text normalization for matching.

Two layers:

* :func:`canonical_khmer` puts Khmer into one canonical encoding, so that text that looks
  the same is the same string: invisible characters removed, deprecated characters
  folded, marks reordered (UTN #61 order, via `pheasa`), repeated marks collapsed, coeng
  DA stored as coeng TA, ឲ as ឱ, Khmer digits as ASCII. It keeps punctuation, case and
  spacing; it is what the public conformance vectors test.
* :func:`normalize` is the matching key: ``canonical_khmer`` plus Latin casefolding, one
  token for every spelling of NSSF (ប.ស.ស, បសស, N.S.S.F …), punctuation and symbols
  turned into spaces, and whitespace collapsed.

Both are idempotent. Neither uses ``str.isalnum``, ``re``'s ``\\w`` or rapidfuzz's
``default_process``: all three treat Khmer vowel signs and COENG as non-word characters
(see docs/matching.md).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pheasa

__all__ = ["NSSF_TOKEN", "canonical_khmer", "is_khmer", "normalize"]

NSSF_TOKEN = "nssf"

# Characters that carry no visible meaning in running text; removed everywhere.
# ZWSP, ZWNJ, ZWJ, word joiner, soft hyphen, BOM, and the two inherent-vowel signs
# U+17B4/U+17B5 that Unicode says not to use.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\u00ad\ufeff\u17b4\u17b5\u180e\u200e\u200f"), None
)

# Deprecated or discouraged characters, folded to the spelling people use today
# (the folds of Wikimedia's khmer_syll_reorder, which serve search, plus ឲ -> ឱ).
_DEPRECATED = str.maketrans(
    {
        "\u17a3": "\u17a2",  # ឣ -> អ
        "\u17a4": "\u17a2\u17b6",  # ឤ -> អា
        "\u17a8": "\u17a7\u1780",  # ឨ -> ឧក
        "\u17b2": "\u17b1",  # ឲ -> ឱ
        "\u17d3": "\u17c6",  # bathamasat -> nikahit
        "\u17d8": "\u17d4\u179b\u17d4",  # ៘ -> ។ល។
        "\u17dd": "\u17d1",  # atthacan -> viriam
    }
)

# A vowel sign or diacritic typed twice in a row, and a subscript typed twice.
_REPEATED_MARK = re.compile(r"([\u17b6-\u17d1])\1+")
_REPEATED_SUBSCRIPT = re.compile(r"(\u17d2[\u1780-\u17b3])\1+")
# A mark typed before the base it belongs to, after a space or at the start: phones
# produce it when a worker taps the vowel first. Such a mark has no base; drop it.
_ORPHAN_KHMER_MARK = re.compile(r"(?:(?<=\s)|^)[\u17b6-\u17d3\u17dd]+")

# Every spelling of the fund's abbreviation: ប.ស.ស, ប.ស.ស., ប . ស . ស, បសស, NSSF, N.S.S.F,
# and ប.ស.ស in Latin letters, with or without dots (b.s.s, bss: the project glossary),
# also glued to the words around it, as Khmer is typed (កាតប.ស.សបាត់, កាតបសសខ្ញុំ): only
# a ប that is a subscript, or a final ស carrying a vowel or mark, is part of another word.
_NSSF_PATTERNS = re.compile(
    r"(?<!\u17d2)ប\s*[.\-]?\s*ស\s*[.\-]?\s*ស(?:\s*\.)?(?![\u17b6-\u17d3\u17dd])"
    r"|(?<![a-z])n\s*\.?\s*s\s*\.?\s*s\s*\.?\s*f\.?(?![a-z])"
    r"|(?<![a-z])b\s*\.?\s*s\s*\.?\s*s\.?(?![a-z])"
)
# Thousands separators inside numbers ("15,600"), kept out of the punctuation step.
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")
_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_ANY_KHMER = re.compile(r"[\u1780-\u17ff]")


def is_khmer(char: str) -> bool:
    """Return whether ``char`` is in the Khmer block (letters, marks, digits, signs)."""
    return "\u1780" <= char <= "\u17ff"


def canonical_khmer(text: str) -> str:
    """Return ``text`` with its Khmer in canonical encoding; everything else is kept."""
    text = text.translate(_INVISIBLE).translate(_DEPRECATED)
    if not _ANY_KHMER.search(text):
        # Without Khmer, the steps below change nothing but pheasa's NFC (its other
        # rules and tables are about Khmer, the byte order mark is already gone), and
        # pheasa's cluster walk is a Python loop over every character: skip it.
        return unicodedata.normalize("NFC", text)
    text = _pheasa(_dedupe(text))
    # Reordering can bring two copies of a mark together; a second pass settles it.
    deduped = _dedupe(text)
    if deduped != text:
        text = _pheasa(deduped)
    return text


# Where pheasa starts a syllable cluster: a base (consonant or independent vowel) that no
# COENG or ZWJ joins to the letter before it.
_CLUSTER_START = re.compile("(?<![\u17d2\u200d])(?=[\u1780-\u17a2\u17a5-\u17b3])")
_JOINERS = ("\u17d2", "\u200d")


def _pheasa(text: str) -> str:
    """``pheasa.normalize`` (our options) of ``text``, one syllable at a time, each
    syllable (with what follows it up to the next) once.

    The same as normalizing the whole text: pheasa works cluster by cluster and a
    cluster starts exactly where the text is cut; its rule 2.3 looks at the next
    character only to hold back a cluster that ends in COENG or ZWJ before a base (such
    a text is normalized whole, as before) or before a combining mark (a base is not
    one); NFC neither reorders nor composes across a base (a starter, and no Khmer
    letter composes); and what pheasa's character table deletes or turns into a base
    (ZWSP, U+17B4/5, ឣ, ឤ) and the byte order mark it strips at the start of a text are
    gone already (``_INVISIBLE``, ``_DEPRECATED``). Syllables repeat a great deal across
    the FAQ and its questions, and pheasa's cluster walk is a Python loop per character.
    """
    pieces = [_pheasa_piece(piece) for piece in _CLUSTER_START.split(text)]
    if any(piece.endswith(_JOINERS) for piece in pieces[:-1]):
        return _pheasa_piece.__wrapped__(text)
    return "".join(pieces)


@lru_cache(maxsize=1 << 15)
def _pheasa_piece(text: str) -> str:
    return pheasa.normalize(text, zwsp="strip", digits="ascii", fold_deprecated=True)


def _dedupe(text: str) -> str:
    text = _REPEATED_SUBSCRIPT.sub(r"\1", text)
    return _REPEATED_MARK.sub(r"\1", text)


def _keep(char: str) -> bool:
    """Whether a character survives the punctuation step of :func:`normalize`."""
    if is_khmer(char):
        # Letters, vowel signs, diacritics and COENG stay; Khmer punctuation
        # (។ ៕ ៖ ៗ ៘ ៙ ៚) and currency/lunar signs become spaces.
        return char <= "\u17d3" or char in "\u17dc\u17dd"
    if _emoji_mark(char):
        return False
    category = unicodedata.category(char)
    return category[0] in "LNM" or char in ".%"


def _emoji_mark(char: str) -> bool:
    """Whether ``char`` is a variation selector or an enclosing mark (emoji parts)."""
    # ❤️ is U+2764 U+FE0F, 1️⃣ is "1" U+FE0F U+20E3: marks to Unicode, so the "M" rule
    # would keep them, yet they carry no letter of a question.
    return (
        "\ufe00" <= char <= "\ufe0f"
        or "\U000e0100" <= char <= "\U000e01ef"
        or unicodedata.category(char) == "Me"
    )


class _Punctuation(dict[int, str]):
    """The punctuation step of :func:`normalize` as a ``str.translate`` table: a
    character that :func:`_keep` keeps maps to itself, any other to a space. Filled on
    first sight of each character (a C look-up afterwards, not a Python call per
    character); at most ``limit`` characters are remembered, so odd input cannot grow it
    without end."""

    limit = 4096

    def __missing__(self, code: int) -> str:
        char = chr(code)
        mapped = char if _keep(char) else " "
        if len(self) < self.limit:
            self[code] = mapped
        return mapped


_PUNCTUATION = _Punctuation()


# English negative contractions, before the apostrophe becomes a space: "won't" must not
# leave the word "won" behind ("who won the football"), nor "don't" a lone "t".
_CONTRACTIONS = (
    (re.compile(r"(?<![a-z])won['’]t(?![a-z])"), "will not"),
    (re.compile(r"(?<![a-z])can['’]t(?![a-z])"), "can not"),
    (re.compile(r"(?<=[a-z])n['’]t(?![a-z])"), " not"),
)
# Romanized Khmer marks a consonant cluster with an apostrophe: "kh'nhom" ខ្ញុំ, "t'ngai"
# ថ្ងៃ, "ch'nam" ឆ្នាំ. A vowel-less run of letters before it is the first half of the word,
# not a word of its own (English words before an apostrophe have a vowel: "it's", "i'm";
# an abbreviation's "'s" is no syllable: "nssf's" stays "nssf s").
_CLUSTER_APOSTROPHE = re.compile(r"(?<![a-z])([b-df-hj-np-tv-xz]+)['’](?=[a-z]*[aeiouy])")


def normalize(text: str) -> str:
    """Return the matching key of ``text`` (see the module docstring)."""
    text = canonical_khmer(text).casefold()
    # (Each pattern below needs its apostrophe, comma or dot: skipped without one.)
    if "'" in text or "’" in text:
        for pattern, replacement in _CONTRACTIONS:
            text = pattern.sub(replacement, text)
        text = _CLUSTER_APOSTROPHE.sub(r"\1", text)
    if "," in text:
        text = _THOUSANDS.sub("", text)
    text = text.translate(_PUNCTUATION)
    # A dot survives only between two digits ("0.8"); anywhere else it is punctuation,
    # but it must stay until the NSSF pattern has seen "n.s.s.f" and "ប.ស.ស".
    text = _NSSF_PATTERNS.sub(f" {NSSF_TOKEN} ", text)
    if "." in text:
        text = _DOT.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    kept = _ORPHAN_KHMER_MARK.sub("", text)
    if kept != text:
        # A dropped mark can leave the rest out of canonical order: in ្កា៉ the orphan
        # COENG went first, and កា៉ must become ក៉ា (else normalizing twice differs).
        kept = canonical_khmer(kept)
    return _SPACES.sub(" ", kept).strip()
