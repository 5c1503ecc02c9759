"""Write Khmer script in Latin letters the way Cambodians type it, with its variation.

There is no standard romanization that workers follow: ប្រាក់សោធន is "prak sothon",
"prak so thon" or "prak sotun", ការងារ is "kar ngea", "ka ngar" or "kangar". The
spellings follow general habits, not a list (../shared/khmer-glossary.md, "Romanization
conventions"): the vowel is spelt by how it sounds, which depends on the consonant's
series (ការ "ka", ងារ "ngea"); aspiration is written or not (ch/chh, t/th, p/ph); a
final ់ is dropped; a final រ or ស is often silent; words are split or joined freely.

:func:`romanize` applies those habits to any Khmer text, syllable by syllable. With a
random generator it picks one of the usual spellings at each choice, so a phrasing can
be romanized many ways; without one it gives the commonest spelling. It is used to
write romanized versions of Khmer questions for measuring and tuning the matcher
(scripts/crossval.py --romanized, scripts/romanized_questions.py), never a list of
spellings someone saw.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from faq.tokens import khmer_syllables

__all__ = ["romanize", "spoken_syllables"]

COENG = "\u17d2"
BANTOC = "\u17cb"  # ់ shortens the vowel; never written in Latin
TOANDAKHIAT = "\u17cd"  # ៍ silences the consonant under it
NIKAHIT = "\u17c6"  # ំ
REAHMUK = "\u17c7"  # ះ
YUUKALEAPINTU = "\u17c8"  # ៈ
MUUSIKATOAN = "\u17c9"  # ៉ : a second-series consonant read in the first series
TRIISAP = "\u17ca"  # ៊ : a first-series consonant read in the second series
SAMYOK = "\u17d0"  # ័ : a short "a"/"oa"

# Initial consonants: the usual spellings, commonest first.
_INITIAL: dict[str, tuple[str, ...]] = {
    "ក": ("k",),
    "ខ": ("kh", "k"),
    "គ": ("k", "g"),
    "ឃ": ("kh", "k"),
    "ង": ("ng",),
    "ច": ("ch", "j", "c"),
    "ឆ": ("chh", "ch"),
    "ជ": ("ch", "j"),
    "ឈ": ("chh", "ch"),
    "ញ": ("nh", "ny"),
    "ដ": ("d",),
    "ឋ": ("th", "t"),
    "ឌ": ("d",),
    "ឍ": ("th", "t"),
    "ណ": ("n",),
    "ត": ("t", "d"),
    "ថ": ("th", "t"),
    "ទ": ("t", "th"),
    "ធ": ("th", "t"),
    "ន": ("n",),
    "ប": ("b", "p"),
    "ផ": ("ph", "p"),
    "ព": ("p", "ph", "b"),
    "ភ": ("ph", "p"),
    "ម": ("m",),
    "យ": ("y",),
    "រ": ("r",),
    "ល": ("l",),
    "វ": ("v", "w"),
    "ស": ("s",),
    "ហ": ("h",),
    "ឡ": ("l",),
    "អ": ("",),
}
# Final consonants ("" where it is commonly left silent).
_FINAL: dict[str, tuple[str, ...]] = {
    "ក": ("k", "kh", "ck"),
    "ខ": ("k",),
    "គ": ("k",),
    "ង": ("ng",),
    "ច": ("ch", "j", "t"),
    "ជ": ("ch",),
    "ញ": ("nh", "n"),
    "ដ": ("t", "d"),
    "ណ": ("n",),
    "ត": ("t", "d"),
    "ថ": ("t",),
    "ទ": ("t",),
    "ធ": ("t", "th"),
    "ន": ("n",),
    "ប": ("p", "b"),
    "ព": ("p",),
    "ភ": ("p",),
    "ម": ("m",),
    "យ": ("y", "i"),
    "រ": ("", "r"),
    "ល": ("l",),
    "វ": ("v", "w", "o"),
    "ស": ("s", "h", ""),
    "ហ": ("h", ""),
    "ឡ": ("l",),
}
_SECOND_SERIES = frozenset("គឃងជឈញឌឍទធនពភមយរលវ")
_SONORANTS = frozenset("ងញនមយរលវ")
# Consonants that commonly close a syllable; others after an open syllable start one.
_CLOSERS = frozenset("កខគងចជញដណតទនបពមយរលវសហ")
_NASALS = frozenset("ងញណនម")
_STOPS = frozenset("កខគឃចឆជឈដឋឌឍតថទធបផពភ")
# Consonants that close a syllable after a long vowel even before another bare one
# (គោល|ន "kol-no"), and vowels that end in a glide and take no final យ (ទៅ|យក).
_LONG_FINALS = frozenset("ងនមយរលវស")
_GLIDING = frozenset("ៅេីៃ")


def _split_cluster(syllable: _Syllable) -> bool:
    """A cluster spoken across two syllables, its base closing the one before: a nasal
    over a stop (មន្ទីរ "mon-ti", សង្គម "sang-kom"), or a doubled consonant (កម្ម)."""
    if not syllable.subscripts:
        return False
    under = syllable.subscripts[0]
    return under == syllable.base or (syllable.base in _NASALS and under in _STOPS)


# Vowel signs: (first-series spellings, second-series spellings), commonest first.
_VOWELS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "": (("a", "o", "or"), ("o", "or", "ou")),  # inherent, open
    "_": (("a", "o"), ("o", "u", "ou")),  # inherent, closed
    "ា": (("a",), ("ea", "ia", "a")),
    "ិ": (("e", "i"), ("i", "e")),
    "ី": (("ei", "i", "ey"), ("i", "ey", "ii")),
    "ឹ": (("oe", "eu", "ue"), ("eu", "oe", "ue")),
    "ឺ": (("eu", "oeu"), ("eu", "ue")),
    "ុ": (("o", "u"), ("u", "o", "ou")),
    "ូ": (("ou", "o"), ("ou", "u", "oo")),
    "ួ": (("uo", "ua", "ou", "uor"), ("uo", "ua", "ou", "uor")),
    "ើ": (("ae", "aeu", "eu"), ("eu", "oe", "ae", "er")),
    "ឿ": (("oea", "eua", "ue"), ("oea", "eua", "ue")),
    "ៀ": (("ie", "ia", "ea"), ("ie", "ia", "ea")),
    "េ": (("e", "ei", "ey"), ("e", "ey", "ei")),
    "ែ": (("ae", "ai", "e"), ("ae", "e", "ea")),
    "ៃ": (("ai", "ay"), ("ey", "ei", "ai")),
    "ោ": (("ao", "o", "ou"), ("o", "ou", "oo")),
    "ៅ": (("ao", "av", "au"), ("ov", "ou", "euv", "ev")),
    SAMYOK: (("a",), ("oa", "ua", "o")),
}
# Vowel + ំ or ះ as one sound.
_WITH_NIKAHIT: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "": (("am", "om"), ("um", "om")),
    "ា": (("am", "om"), ("oam", "eam", "am")),
    "ុ": (("om", "um"), ("um", "om", "oum")),
}
_WITH_REAHMUK: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "": (("ah", "as"), ("eah", "ea")),
    "ា": (("ah", "as"), ("eah", "eas", "ah")),
    "ិ": (("eh", "is"), ("ih", "is")),
    "ុ": (("os", "oh", "uh"), ("uh", "os", "oh")),
    "េ": (("eh", "es"), ("eh", "es")),
    "ែ": (("aeh", "eh"), ("eh", "aeh")),
    "ោ": (("os", "oh", "ous", "uos"), ("uos", "os", "oh", "ous")),
}
_INDEPENDENT: dict[str, tuple[str, ...]] = {
    "ឥ": ("e", "i"),
    "ឦ": ("ei", "i"),
    "ឧ": ("o", "u"),
    "ឩ": ("ou",),
    "ឪ": ("ov", "au"),
    "ឫ": ("rue", "reu"),
    "ឬ": ("rue", "reu", "ru"),
    "ឭ": ("lue",),
    "ឮ": ("leu", "lue"),
    "ឯ": ("ae", "e"),
    "ឰ": ("ai",),
    "ឱ": ("ao", "o", "oy"),
    "ឳ": ("au",),
}


@dataclass(frozen=True, slots=True)
class _Syllable:
    """One orthographic syllable taken apart."""

    base: str
    subscripts: list[str]
    vowel: str  # a dependent vowel sign, or "" (inherent)
    nikahit: bool
    reahmuk: bool
    bantoc: bool
    silent: bool  # under ៍
    series: int  # 1 or 2

    @property
    def bare(self) -> bool:
        """No vowel of its own: it may close the previous syllable."""
        return not (self.vowel or self.nikahit or self.reahmuk)


@lru_cache(maxsize=1 << 14)
def _parse(syllable: str) -> _Syllable:
    """One orthographic syllable taken apart (cached: the FAQ repeats its syllables)."""
    base, rest = syllable[0], syllable[1:]
    subscripts: list[str] = []
    vowel = ""
    flags = {"nikahit": False, "reahmuk": False, "bantoc": False, "silent": False}
    shift = 0
    position = 0
    while position < len(rest):
        char = rest[position]
        if char == COENG and position + 1 < len(rest):
            subscripts.append(rest[position + 1])
            position += 2
            continue
        if char == NIKAHIT:
            flags["nikahit"] = True
        elif char == REAHMUK:
            flags["reahmuk"] = True
        elif char == BANTOC:
            flags["bantoc"] = True
        elif char == TOANDAKHIAT:
            flags["silent"] = True
        elif char == MUUSIKATOAN:
            shift = 1
        elif char == TRIISAP:
            shift = 2
        elif char in _VOWELS or char == SAMYOK:
            vowel = char
        position += 1
    series = 2 if base in _SECOND_SERIES else 1
    if base == "អ" and subscripts:
        series = 2 if subscripts[0] in _SECOND_SERIES else 1  # អ្នក "neak"
    elif subscripts and base not in _SECOND_SERIES and subscripts[0] in _SONORANTS:
        series = 1  # ស្រី "srei", ខ្ញុំ "khnhom": the first series rules
    elif subscripts and base in _SONORANTS and subscripts[0] not in _SECOND_SERIES:
        series = 1  # ម្តាយ "mday"
    if shift:
        series = shift
    return _Syllable(base, subscripts, vowel, series=series, **flags)


class _Writer:
    def __init__(self, rng: random.Random | None) -> None:
        self.rng = rng

    def pick(self, options: tuple[str, ...]) -> str:
        if not options:
            return ""
        if self.rng is None or len(options) == 1:
            return options[0]
        # The commonest spelling half the time, the others share the rest.
        if self.rng.random() < 0.5:
            return options[0]
        return self.rng.choice(options)

    def initial(self, consonants: list[str]) -> str:
        return "".join(self.pick(_INITIAL.get(c, ("",))) for c in consonants)

    def final(self, consonant: str) -> str:
        return self.pick(_FINAL.get(consonant, ("",)))

    def vowel(self, syllable: _Syllable, closed: bool) -> str:
        index = syllable.series - 1
        if syllable.nikahit and syllable.vowel in _WITH_NIKAHIT:
            return self.pick(_WITH_NIKAHIT[syllable.vowel][index])
        if syllable.reahmuk and syllable.vowel in _WITH_REAHMUK:
            return self.pick(_WITH_REAHMUK[syllable.vowel][index])
        key = syllable.vowel or ("_" if closed else "")
        spelt = self.pick(_VOWELS.get(key, (("a",), ("o",)))[index])
        if syllable.nikahit:
            spelt += "m"
        if syllable.reahmuk:
            spelt += self.pick(("h", "s", ""))
        return spelt


@dataclass(slots=True)
class _Spoken:
    """One spoken syllable: its initial consonants, vowel, final, and text positions."""

    initial: list[str]
    syllable: _Syllable
    final: str
    start: int  # the orthographic syllables it spans
    end: int


def _phonological(syllables: list[_Syllable], regroup: bool = False) -> list[_Spoken]:
    """Group orthographic syllables into spoken ones.

    A bare consonant (no vowel of its own) after an open syllable closes it when it is a
    common final and the text goes on with a vowel or ends (ប្រា|ក់, រោ|ង); a subscript
    cluster after a short open syllable splits, its base closing the syllable before
    (ប៉ុ|ន្មា|ន "pon-man", ស|ន្តិ "san-te").

    Without word boundaries the grouping is often ambiguous. ``regroup`` reads the other
    way where it is: after a long vowel a sonorant or ស closes the syllable even before
    another bare consonant (គោល|ន "kol-no", not គោ|លន "ko-lon"); a bare consonant before
    a split cluster opens a syllable (ទៅ|មន្ទីរ "tov mon-ti", not "tovm-ti"), and so does
    one before a consonant under ់ (ទៅ|បង់).
    """
    spoken: list[_Spoken] = []
    open_ = False  # the last spoken syllable has no final yet

    def close(position: int, consonant: str) -> None:
        spoken[-1].final = consonant
        spoken[-1].end = position + 1

    for position, syllable in enumerate(syllables):
        if syllable.silent:
            if spoken:
                spoken[-1].end = position + 1
            continue
        following = syllables[position + 1] if position + 1 < len(syllables) else None
        if syllable.base in _INDEPENDENT:
            spoken.append(_Spoken([syllable.base], syllable, "", position, position + 1))
            open_ = not syllable.reahmuk
            continue
        short_open = open_ and spoken and spoken[-1].syllable.vowel in ("", "ុ", "ិ", SAMYOK)
        if syllable.bare and open_ and not syllable.subscripts:
            after = syllables[position + 2] if position + 2 < len(syllables) else None
            # ធន "thon": a bare consonant before a last bare one opens a syllable.
            opens = following is not None and following.bare and not following.subscripts
            # ពេល|សម្រាក "pel", គោល|នយោបាយ "kol": after a long vowel a sonorant or ស
            # closes the syllable unless the text ends (សោធន "sao-thon"); a stop, or យ
            # after a vowel that ends in a glide, opens one (ទៅ|យក, ជា|គណនី).
            long_final = not short_open and syllable.base in _LONG_FINALS
            long_final = long_final and not (
                syllable.base == "យ" and spoken[-1].syllable.vowel in _GLIDING
            )
            opens = opens and (after is None or (not after.bare and not (regroup and long_final)))
            if regroup and following is not None:
                opens = opens or (following.bare and following.bantoc)
                opens = opens or _split_cluster(following)
            if syllable.bantoc or following is None or (syllable.base in _CLOSERS and not opens):
                close(position, syllable.base)
                open_ = False
                continue
        if syllable.subscripts and short_open and spoken[-1].final == "":
            close(position, syllable.base)
            if syllable.bare and following is None:  # a final cluster: ពេទ្យ "pet"
                open_ = False
                continue
            spoken.append(_Spoken(syllable.subscripts, syllable, "", position, position + 1))
            open_ = not (syllable.nikahit or syllable.reahmuk)
            continue
        if syllable.bare and syllable.subscripts and open_ and following is None:
            close(position, syllable.base)
            open_ = False
            continue
        consonants = [syllable.base, *syllable.subscripts]
        if syllable.base == "អ" and syllable.subscripts:
            consonants = syllable.subscripts  # អ្នក "neak"
        spoken.append(_Spoken(consonants, syllable, "", position, position + 1))
        open_ = not (syllable.nikahit or syllable.reahmuk)
    return spoken


def _spell(unit: _Spoken, writer: _Writer) -> str:
    syllable = unit.syllable
    if syllable.base in _INDEPENDENT:
        return writer.pick(_INDEPENDENT[syllable.base])
    spelt = writer.initial(unit.initial) + writer.vowel(syllable, closed=bool(unit.final))
    return spelt + writer.final(unit.final) if unit.final else spelt


def spoken_syllables(
    syllables: Sequence[str], regroup: bool = False
) -> list[tuple[int, int, str]]:
    """The spoken syllables of orthographic ones: (start, end, commonest spelling).

    ``start``/``end`` index ``syllables`` (end excluded): ប្រា ក់ សោ ធ ន gives
    (0, 2, "prak"), (2, 3, "sao"), (3, 5, "thon"). With ``regroup``, syllables that
    group two ways are grouped the other way (see :func:`_phonological`).
    """
    writer = _Writer(None)
    return [
        (unit.start, unit.end, _spell(unit, writer))
        for unit in _phonological([_parse(s) for s in syllables], regroup)
    ]


def _romanize_run(run: str, writer: _Writer, split: float) -> str:
    syllables = [_parse(s) for s in khmer_syllables(run)]
    words: list[str] = []
    current = ""
    for unit in _phonological(syllables):
        current += _spell(unit, writer)
        # Romanizers split words where they hear them: often after each syllable.
        if writer.rng is None or writer.rng.random() < split:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    return " ".join(word for word in words if word)


def romanize(text: str, rng: random.Random | None = None, split: float = 0.75) -> str:
    """Khmer in ``text`` written in Latin letters; other text is kept.

    With ``rng`` each choice (vowel spelling, aspiration, a silent final, where a word
    splits, with probability ``split`` after each spoken syllable) is drawn at random;
    without it the commonest spelling is used and every spoken syllable is its own word.
    """
    out: list[str] = []
    run = ""
    writer = _Writer(rng)
    for char in text + " ":
        if "\u1780" <= char <= "\u17dd":
            run += char
            continue
        if run:
            out.append(_romanize_run(run, writer, split))
            run = ""
        out.append(char)
    return "".join(out).strip()
