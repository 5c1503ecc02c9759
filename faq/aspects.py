"""What a question asks for: where, how, how much, when, who, whether, what I get, what I do.

Two questions can share every topic word and still want different answers: "what do I
*get* after an accident" (the benefits) and "what do I *do* after an accident" (the
report). Bag-of-words scoring cannot tell them apart, so the matcher also compares the
question's aspect with the aspects the entry's own phrasings ask about (an entry whose
phrasings never ask "where" does not explain where), and offers choices instead of
answering when they disagree (docs/matching.md §4).

Aspects are found by interrogative patterns in Khmer (syllables, so spaces do not
matter), romanized Khmer (phonetic skeletons, faq/romanize.py) and English (words).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from rapidfuzz import fuzz

from faq.normalize import normalize
from faq.romanize import skeleton
from faq.tokens import Tokens, khmer_syllables, tokenize
from faq.transliterate import romanize

__all__ = ["ASPECTS", "OBJECTS", "aspects"]

# aspect -> (Khmer patterns, romanized Khmer patterns, English patterns)
_PATTERNS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "where": (
        ("នៅណា", "កន្លែងណា", "ទីណា", "ឯណា", "ទៅណា", "ត្រង់ណា", "ណាខ្លះ"),
        ("nov na", "kanleng na", "ti na", "tov na"),
        ("where", "which office", "which place", "what place", "location", "address"),
    ),
    "how": (
        (
            "ធ្វើម៉េច",
            "ធ្វើយ៉ាងម៉េច",
            "ធ្វើដូចម្តេច",
            "យ៉ាងដូចម្តេច",
            "របៀប",
            "ដោយរបៀបណា",
            "តាមរបៀបណា",
            "ម៉េចបាន",
            "យ៉ាងម៉េច",
        ),
        ("tver mech", "yang mech", "robeab", "tver yang mech", "mech ban"),
        ("how do", "how to", "how can", "how should", "what step", "procedure", "process"),
    ),
    "how-much": (
        ("ប៉ុន្មាន", "ប៉ុណ្ណា", "ប៉ុន្មានភាគរយ"),
        ("ponman", "pon man", "ponmann", "bonman"),
        ("how much", "how many", "what rate", "what percent"),
    ),
    "when": (
        ("ពេលណា", "នៅពេលណា", "អង្កាល់", "ថ្ងៃណា", "ខែណា", "ឆ្នាំណា", "ដល់ពេលណា", "ប៉ុន្មានថ្ងៃ", "រយៈពេល"),
        ("pel na", "angkal", "tngai na", "khe na"),
        ("when", "how long", "what time", "what date", "deadline", "how soon"),
    ),
    "who": (
        ("អ្នកណា", "នរណា", "អ្នកណាខ្លះ"),
        ("neak na", "norna"),
        ("who", "whom", "which people"),
    ),
    "get": (
        ("បានអ្វី", "បានអី", "ទទួលបាន", "បានលុយ", "បានប្រាក់", "អត្ថប្រយោជន៍", "សិទ្ធិអ្វី"),
        ("ban avei", "ban ey", "totuol ban", "ban luy", "ban prak"),
        ("what do i get", "what i get", "can i get", "do i get", "receive", "entitled"),
    ),
    "do": (
        ("ធ្វើអ្វី", "ធ្វើអី", "ត្រូវធ្វើ", "គួរធ្វើ"),
        ("tver avei", "tver ey", "trov tver", "kuor tver"),
        ("what do i do", "what should i do", "what to do", "what must i do", "what can i do"),
    ),
    # Whom to tell: not asked by "they told me that" (គេប្រាប់ថា), "must
    # tell the family" (ត្រូវប្រាប់គ្រួសារ: what to tell is the question) or "tell me
    # about" (a request to the bot). Nor by "report" (រាយការណ៍) or "declare": workers
    # report an employer, and employers declare workers, to entries whose phrasings
    # never say so.
    "tell": (
        ("ប្រាប់នរណា", "ប្រាប់អ្នកណា", "ជូនដំណឹង"),
        (),
        (
            "notify",
            "who to tell",
            "who do i tell",
            "who should i tell",
            "who must i tell",
            "must i tell",
            "should i tell",
            "tell nssf",
        ),
    ),
}
# Everyday things that are not the fund's (general knowledge, not from any question set):
# a question about one of them ("my national ID card is lost") shares words with an
# entry ("my NSSF card is lost") without being about it. Each is an aspect like the
# interrogatives, so an entry explains it only when its own strings name it (the support
# counted over its questions, phrasings and keywords). Khmer and English patterns only
# (their spellings in Latin letters are not generated: "tai" is ថៃ and many a syllable).
_OBJECTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "id-card": (
        ("អត្តសញ្ញាណប័ណ្ណ", "អត្តសញ្ញាណបណ្ណ", "កាតខ្មែរ"),
        (),
        ("id card", "identity card", "national id", "kat khmer", "khmer card"),
    ),
    # A bank's card and a vehicle's registration card are cards too, not the NSSF card.
    "bank-card": (
        ("កាតធនាគារ", "ប័ណ្ណធនាគារ", "កាតអេធីអឹម"),
        (),
        ("atm", "bank card", "debit card", "credit card"),
    ),
    "vehicle-card": (
        ("កាតម៉ូតូ", "ប័ណ្ណម៉ូតូ", "កាតឡាន", "កាតគ្រី", "ស្លាកលេខ", "ប័ណ្ណសម្គាល់យានយន្ត"),
        (),
        (
            "moto card",
            "motorbike card",
            "motorcycle card",
            "car card",
            "vehicle card",
            "number plate",
            "plate number",
            "license plate",
            "licence plate",
            # The Khmer names as usually spelt in Latin letters (កាតម៉ូតូ, កាតឡាន).
            "kat moto",
            "kat lan",
            "card moto",
        ),
    ),
    "passport": (("លិខិតឆ្លងដែន", "ប៉ាស្ប៉័រ", "ប៉ាស្ពរ"), (), ("passport",)),
    "birth-certificate": (("សំបុត្រកំណើត",), (), ("birth certificate",)),
    "family-book": (("សៀវភៅគ្រួសារ",), (), ("family book",)),
    "driving-licence": (
        ("ប័ណ្ណបើកបរ", "បណ្ណបើកបរ"),
        (),
        ("driving licence", "driving license", "driver licence", "driver license"),
    ),
    "visa": (("ទិដ្ឋាការ",), (), ("visa",)),
    "loan": (("ប្រាក់កម្ចី", "កម្ចី", "ខ្ចីលុយ"), (), ("loan", "microfinance")),
    "vehicle-insurance": (
        ("ធានារ៉ាប់រងឡាន", "ធានារ៉ាប់រងម៉ូតូ", "ធានារ៉ាប់រងរថយន្ត"),
        (),
        ("car insurance", "motor insurance", "vehicle insurance", "motorbike insurance"),
    ),
    "land-title": (("ប្លង់ដី",), (), ("land title",)),
    "tax": (("ពន្ធដារ", "បង់ពន្ធ", "ពន្ធលើប្រាក់"), (), ("tax",)),
    "exchange-rate": (("អត្រាប្តូរប្រាក់",), (), ("exchange rate",)),
    "abroad": (
        ("ក្រៅប្រទេស", "ថៃ", "កូរ៉េ", "ម៉ាឡេស៊ី", "ជប៉ុន"),
        (),
        ("abroad", "overseas", "thailand", "korea", "malaysia", "japan"),
    ),
}
OBJECTS = frozenset(_OBJECTS)
ASPECTS = (*_PATTERNS, *_OBJECTS)


def _joined(parts: Sequence[str]) -> str:
    """Tokens as one string, so that a run of tokens is a substring: "|a|b|"."""
    return "|" + "|".join(parts) + "|"


# Romanized spellings written for each Khmer pattern (faq/transliterate.py, a fixed seed):
# the usual variation of vowels, aspiration and splits, without a list of seen spellings.
_SPELLINGS_PER_PATTERN = 40


def _compile() -> tuple[
    list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]], dict[str, str]
]:
    khmer, romanized, english = [], [], []
    spelt: dict[str, str] = {}  # a romanized pattern, words joined -> its aspect
    rng = random.Random(0)
    for aspect, (km, roman, en) in (*_PATTERNS.items(), *_OBJECTS.items()):
        khmer += [(aspect, _joined(khmer_syllables(normalize(p)))) for p in km]
        # A skeleton of two letters ("tn") is too many words to stand for a question;
        # such patterns ("nov na", "tver ey") are matched by their spellings instead.
        romanized += [(aspect, skeleton(p)) for p in roman if len(skeleton(p)) >= 3]
        english += [(aspect, _joined(tokenize(normalize(p)).latin)) for p in en]
        if aspect in _OBJECTS:
            continue  # Khmer and English only: a short object name spelt is any syllable
        spellings = set(roman)
        for pattern in km:
            text = normalize(pattern)
            spellings.add(romanize(text))
            spellings.update(romanize(text, rng) for _ in range(_SPELLINGS_PER_PATTERN))
        for spelling in spellings:
            if len(skeleton(spelling)) < 3:
                spelt.setdefault(spelling.replace(" ", ""), aspect)
    return khmer, romanized, english, spelt


_KHMER, _ROMANIZED, _ENGLISH, _SPELT = _compile()

# A question's object is also found misspelt (a mark dropped, doubled or swapped), when
# the Khmer name is long enough to compare: rapidfuzz partial_ratio of the name within
# the question's syllables (processor=None, never default_process on Khmer).
_FUZZY_LENGTH = 8  # characters of the normalized name; shorter names are matched exactly
_FUZZY_RATIO = 90.0
_FUZZY_OBJECTS = [
    (name, "".join(syllables), frozenset(syllables))
    for name, (km, _, _) in _OBJECTS.items()
    for p in km
    if len(normalize(p)) >= _FUZZY_LENGTH
    for syllables in [khmer_syllables(normalize(p))]
]


def aspects(tokens: Tokens, misspelt: bool = False) -> frozenset[str]:
    """The aspects a (normalized, tokenized) question asks about; often none.

    With ``misspelt``, an object's longer Khmer name is also found typed with a typo
    (for questions; the FAQ's own strings are spelt right).
    """
    found: set[str] = set()
    if tokens.khmer:
        text = _joined(tokens.khmer)
        found.update(a for a, p in _KHMER if p in text)
        if misspelt:
            plain, present = "".join(tokens.khmer), set(tokens.khmer)
            found.update(
                name
                for name, p, syllables in _FUZZY_OBJECTS
                if name not in found
                # A name typed with a typo keeps most of its syllables: a cheap test first.
                and 2 * len(syllables & present) >= len(syllables)
                and fuzz.partial_ratio(p, plain, processor=None, score_cutoff=_FUZZY_RATIO)
            )
    if tokens.latin:
        words = tokens.latin
        text = _joined(words)
        found.update(a for a, p in _ENGLISH if p in text)
        # Every window of up to three words, joined, is compared with the patterns.
        shapes = {
            skeleton(" ".join(words[i : i + n]))
            for n in (1, 2, 3)
            for i in range(len(words) - n + 1)
        }
        found.update(a for a, shape in _ROMANIZED if shape in shapes)
        # Short patterns by spelling: "nov na", "nouna", "tver ey" (up to three words).
        found.update(
            _SPELT[joined]
            for n in (1, 2, 3)
            for i in range(len(words) - n + 1)
            if (joined := "".join(words[i : i + n])) in _SPELT
        )
    # "what do I get" is not also "what do I do"; "how much" is not "how".
    if "get" in found:
        found.discard("do")
    return frozenset(found)
