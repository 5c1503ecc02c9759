"""Match a worker's question against the FAQ and decide: answer, choices, or none.

The index is built once from the FAQ (every match string normalized and tokenized at
load); a question is normalized once and scored against it. How it works and how the
thresholds were calibrated is in docs/matching.md. In short:

* Terms are Khmer orthographic syllables, syllable bigrams and Latin words. Each term is
  weighted by its inverse document frequency over the entries, and Khmer function words
  (faq/stopwords_km.txt) weigh little, so the words that tell topics apart decide.
* A query term that is in no FAQ text (a typo, a romanization nobody wrote down) is
  mapped to the closest indexed term with rapidfuzz, when one is close enough.
* Each match string (question, phrasing, keyword) is scored by a weighted F-measure of
  the terms it shares with the question, blended with rapidfuzz's indel similarity of the
  two syllable sequences (which gives partial credit inside misspelt syllables). An entry
  scores by its best match string, blended with how much of the question the entry's
  whole text explains, and discounted by the share of the question's content it leaves
  unexplained (what tells an off-topic question apart).
* A Latin-only question also stands for the Khmer words its romanized spellings mean
  (faq/romanized.tsv), and a romanized one is compared by sound with romanized questions
  workers asked before (faq/romanized_questions.tsv): that lifts the entries they asked.
* The decision looks at the best score, its lead over the next entry and the question's
  length; greetings and thanks (faq/smalltalk.txt) are not matched at all.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import Literal, TypeVar

from rapidfuzz import fuzz, process

from faq.aspects import OBJECTS, aspects
from faq.content import SIBLINGS_FILE, Entry, Faq, sibling_groups
from faq.index import budgeted, by_mass, coverage, impact_ordered, nearest
from faq.normalize import NSSF_TOKEN, is_khmer, normalize
from faq.person import PersonPatterns
from faq.romanize import khmer_skeleton, skeleton
from faq.tokens import (
    LATIN_STOPWORDS,
    Tokens,
    function_word_mask,
    latin_stem,
    latin_words,
    tokenize,
)
from faq.transliterate import spoken_syllables

__all__ = ["Analysis", "Decision", "Match", "Matcher", "Thresholds"]

DecisionKind = Literal["answer", "choices", "none", "person"]

LEXICON_FILE = Path(__file__).with_name("romanized.tsv")
EXAMPLES_FILE = Path(__file__).with_name("romanized_questions.tsv")
SMALL_TALK_FILE = Path(__file__).with_name("smalltalk.txt")
# Words that may surround a greeting or thanks without making it a question.
_POLITE = frozenset(
    {"បាទ", "ចាស", "បង", "ប្អូន", "លោក", "អ្នក", "ណា", "bong", "ok", "okay", "sir", "bot"}
)
# A Khmer consonant or independent vowel, or a Latin letter: a question needs one.
_LETTER = re.compile(r"[\u1780-\u17b3a-z]")
# Runs of one script in a normalized text (Khmer, or other non-space characters).
_RUNS = re.compile(r"[\u1780-\u17dd]+|[^\s\u1780-\u17dd]+")

# A question longer than this (after normalization) is not a question the FAQ can
# answer with confidence; the bot asks for a shorter one instead.
MAX_QUERY_CHARS = 600


@dataclass(frozen=True, slots=True)
class Match:
    """One FAQ entry and its score (0 to 100) for a question."""

    id: str
    score: float


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with a question: the decision and the best entries, best first."""

    kind: DecisionKind
    matches: tuple[Match, ...]  # the best entries (up to 3), whatever the decision
    normalized: str
    reason: str = ""
    offered: int = 0  # with ``choices``: how many of ``matches`` to offer

    @property
    def answer_id(self) -> str | None:
        """The entry to answer with, when the decision is ``answer``."""
        return self.matches[0].id if self.kind == "answer" else None

    @property
    def choice_ids(self) -> list[str]:
        """The entries to offer, when the decision is ``choices``."""
        return [m.id for m in self.matches[: self.offered]] if self.kind == "choices" else []


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds, on the 0-100 score scale (calibrated in docs/matching.md)."""

    answer: float = 55.0  # best score needed to answer at once
    margin: float = 12.0  # and its lead over the second entry
    choices: float = 33.0  # best score needed to offer choices at all
    choice_gap: float = 18.0  # offer entries within this distance of the best
    # Long, chatty questions score lower (much of what they say is context no entry
    # explains), while off-topic ones are short: from `long_question` content units on,
    # the choices threshold drops `per_unit` a unit, down to `choices_floor`.
    long_question: int = 16
    per_unit: float = 0.5
    choices_floor: float = 24.0
    max_choices: int = 3
    # Never confidently wrong: an answer also needs the entry to explain what is asked.
    # Offer choices instead when the question asks an aspect (where, how much, …) that
    # fewer than `aspect_support` of the entry's phrasings ask, when the entry leaves
    # more than `max_unexplained` of the question's content units unexplained, or when
    # the question has more than `max_unknown` words the whole FAQ never uses.
    aspect_support: int = 2
    max_unexplained: float = 0.67
    max_unknown: int = 0
    # Romanized Khmer (read by sound) and mixed Khmer/English questions err more: the
    # best entry's lead must be larger by these to answer outright.
    romanized_margin: float = 4.0
    mixed_margin: float = 4.0
    english_margin: float = 4.0
    # A romanized word that sounds like nothing in the FAQ may be a spelling too far
    # from ours rather than an unknown topic: this many are allowed on top.
    romanized_unknown: int = 2
    # Whether a romanized question with a guessed word (read as a four-syllable one, a
    # short word or a spelling less alike: see Weights.long_ratio, Weights.spoken_sure)
    # may be answered outright from that reading.
    answer_guessed: bool = False
    # Whether a romanized question whose first entry is first only thanks to the romanized
    # examples (faq/romanized_questions.tsv) may be answered outright, and whether their
    # lift counts in the score and lead that answering needs (False: they rank and offer
    # choices; the answer is decided on the question's own scores).
    answer_lifted: bool = False
    lift_answers: bool = False
    # The best own score a question needs for the lift to count in offering choices (below
    # it, choices are offered as without the examples; math.inf: never counts).
    lift_floor: float = math.inf
    # When the romanized question asked before that is most alike asks the entry first by
    # the question's own scores, an own score of `examples_answer` with an own lead of
    # `examples_margin` is enough (romanized margin included; inf: off).
    examples_answer: float = 45.0
    examples_margin: float = 12.0
    # A lower score is enough when the lead over the second entry is large: a spoken,
    # misspelt or romanized question scores lower against every entry, but its entry
    # still stands out (calibrated in docs/matching.md).
    lead_answer: float = 50.0
    lead_margin: float = 22.0
    # Romanized questions score lower against every entry (a spelling read by sound
    # meets fewer terms): the best score needed to offer choices at all.
    romanized_choices: float = 27.0
    # Two channels that agree: when a romanized question's sound alone (the phonetic
    # channel) ranks the same entry first as its words read as Khmer, a best score of
    # `agree_answer` with a lead of `agree_margin` is enough (romanized margin included).
    agree_answer: float = 50.0
    agree_margin: float = 10.0
    # Likewise a mixed Khmer/English question whose Khmer words alone and Latin words
    # alone each rank the best entry first (the mixed margin included).
    mixed_agree_answer: float = 45.0
    mixed_agree_margin: float = 8.0
    # And a Khmer question whose sound (its phonetic skeleton, as for romanized ones)
    # ranks the best entry first.
    khmer_agree_answer: float = 45.0
    khmer_agree_margin: float = 12.0
    # Sibling entries (faq/siblings.txt): when the second entry is a sibling of the best
    # one, the lead over it must be at least `sibling_margin`, unless the question's
    # terms that the best entry's match strings have and the sibling's lack make up
    # `sibling_distinct` of its weight (what tells the two apart).
    sibling_margin: float = 14.0
    sibling_distinct: float = math.inf
    sibling_counter: float = 0.2
    # And when the question has a word that at least `sibling_marker` of the sibling's
    # match strings say and none of the best entry's do (ឈឺ *sick* against accident pay),
    # a word characteristic of the sibling however little of the question it weighs, the
    # lead must be at least `marker_margin`.
    sibling_marker: float = 0.2
    marker_margin: float = 25.0
    # Any second entry, sibling or not (round wrongs6): when the question has a term
    # weighing at least `rare_weight` of it that at least `rare_marker` of the second
    # entry's match strings say and at most `rare_best` of the best entry's do (a word
    # characteristic of the second that the best entry hardly ever says), the lead must
    # be at least `rare_margin`. (`rare_best` and `rare_weight` are read by analyse.)
    rare_marker: float = 0.2
    rare_best: float = 0.03
    rare_weight: float = 0.03
    rare_margin: float = 15.0


@dataclass(frozen=True, slots=True)
class Weights:
    """How the signals blend (calibrated in docs/matching.md)."""

    string: float = 0.3  # best match string vs. whole-entry coverage
    fuzzy: float = 0.25  # share of rapidfuzz similarity inside a string's score
    beta: float = 5.0  # F-measure: >1 favours covering the phrasing over the query
    oov_weight: float = 0.3  # weight of an unknown query term, relative to the rarest term
    fuzzy_cutoff: float = 85  # rapidfuzz ratio to map an unknown term to a known one
    candidates: int = 40  # match strings re-scored with rapidfuzz
    romanized: float = 0.5  # weight of Khmer terms a romanized word stands for
    unexplained: float = 0.5  # discount for the share of the question an entry leaves unexplained
    answer_terms: float = 0.2  # weight of a term found only in the entry's answer
    max_postings: int = 300  # longer posting lists are skipped when picking candidates
    min_weight: float = (
        0.8  # lighter terms (function words, terms in >80 % of entries) are not looked up
    )
    entry_pool: int = 64  # entries (by best string) whose whole-text coverage is computed
    fallback_terms: int = 6  # terms looked up when a question has only common words
    fallback_budget: int = 2000  # and at most this many of their postings (faq/index.py)
    # Postings walked at most by the phonetic channel: this many, or for a long question
    # `sound_per_gram` per trigram of its sound (faq/index.py).
    sound_budget: int = 2000
    sound_per_gram: int = 100
    phonetic: float = 0.7  # share of the phonetic score in a Latin-only question's score
    # Points (times 100) a romanized question's entry gains per unit of likeness (0-1) to
    # the most alike romanized question asked of it before (faq/romanized_questions.tsv;
    # 0: off). Added, not a maximum: the examples rank, the FAQ's own text still scores.
    examples: float = 0.5
    # The most alike stored question agrees with the question's own first entry only if
    # it is this much more alike (0-1) than any stored question of another entry.
    examples_gap: float = 0.05
    # Rapidfuzz ratio for a romanized word to stand for Khmer: `spoken_sure` to answer
    # by, `spoken_ratio` to rank by. A reading between the two, like a short word's
    # (`short_word`), is a guess: the question is answered only as it would be without
    # it (Matcher.analyse), so it may move the right entry up, never answer wrongly.
    spoken_ratio: float = 60.0
    spoken_sure: float = 65.0
    spoken_joined: float = 15.0  # and how much more for words joined ("sot thon")
    khmerize: bool = True  # read a Latin-only question as the Khmer it sounds like
    # English words in a romanized question also stand for their Khmer (faq/romanized.tsv)
    # with this weight, like `romanized` (0: off).
    bridge: float = 0.5
    # Rapidfuzz points a reading gains per doubling of how often the FAQ says its Khmer
    # ("tver": ធ្វើ do, not ទ្វេ double; 0: the likeliest spelling alone decides).
    frequency: float = 2.0
    # A typed word that no spoken word of up to three syllables reads may be one of four
    # spelt this much alike (rapidfuzz; over 100: never).
    long_ratio: float = 75.0
    # A romanized word reads as two Khmer words when the other's spelling is within this
    # many rapidfuzz points; then both readings must rank the same entry first (0: off).
    ambiguity: float = 20.0
    # Words joined whose skeleton is under three letters ("kar ngear", "kG") are read
    # only when spelt this much alike (rapidfuzz; over 100: never).
    short_joined: float = 80.0
    # One typed word whose skeleton is under two letters ("luy" លុយ money, "chheu" ឈឺ
    # sick, "khae" ខែ month) is read only when spelt this much alike, as a word the FAQ
    # says at least SHORT_WORD_COUNT times and not as a function word ("tov" ទៅ, "oy"
    # ឱ្យ: those say nothing of the topic); a guess (over 100: never).
    short_word: float = 80.0
    # A Khmer syllable the FAQ lacks but spelt this much like one it has (rapidfuzz) is a
    # typo, not a word of another topic: it does not withhold the answer (100: off).
    typo_ratio: float = 70.0
    # Nor is one of at most this many characters (ទែ for ទេ, ម៍ for ម៌): one character
    # off is rapidfuzz 50 at that length, so the ratio cannot tell (0: off).
    short_typo: int = 2


@dataclass(frozen=True, slots=True)
class _Ranking:
    """The ranked entries and what the decision needs to know about the question."""

    matches: list[Match]
    units: int = 0  # content units of the question
    unknown: int = 0  # content words (syllables, Latin words) no FAQ text has
    # Share of the content units that no match string of the best entry has (its answer
    # may): a question about something else that the answer happens to mention.
    unexplained: float = 0.0
    best: int = -1  # the best entry's number
    # A romanized word reads as other Khmer nearly as well (see Matcher._khmerize);
    # after Matcher.analyse: and read that way, another entry comes first.
    ambiguous: bool = False
    # A romanized word guessed (a spoken word of four syllables, a short word, a spelling
    # less alike, see Matcher._reading): good enough to rank by, not to answer.
    guessed: bool = False
    # A Latin-only question: the phonetic channel alone ranks the best entry first too.
    sound_agrees: bool = False  # (a Khmer question: computed only when it could decide)
    # A mixed question: its Khmer words alone and its Latin words alone each rank the
    # best entry first (computed only when it could change the decision).
    halves_agree: bool = False
    # The second entry is a sibling of the best (faq/siblings.txt): the share of the
    # question's term weight that only the best entry's match strings have (else -1).
    distinct: float = -1.0
    # And the share in terms that the sibling's match strings have and the best's lack.
    counter: float = -1.0
    # The largest share of the sibling's match strings that have a term of the question
    # that no match string of the best entry has (else -1).
    marker: float = -1.0
    # Any second entry: the largest share of its match strings that have a term of the
    # question weighing at least `rare_weight` of it that at most `rare_best` of the best
    # entry's match strings have (else -1; see Thresholds.rare_marker).
    rare: float = -1.0
    # The romanized examples (faq/romanized_questions.tsv) put another entry first than
    # the question's own scores do (see Thresholds.answer_lifted).
    lifted: bool = False
    # And the entry whose stored question is most alike is the first by the question's
    # own scores too (see Thresholds.examples_answer).
    examples_agree: bool = False
    # What they added to each entry's score (entry id -> points; see Matcher.decide).
    lift: dict[str, float] = field(default_factory=dict, compare=False)
    # The question's weighted terms as scored (romanized words as read); not compared.
    terms: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Analysis:
    """A question, normalized and scored; :meth:`Matcher.decide` turns it into a Decision."""

    normalized: str
    ranking: _Ranking
    aspects: frozenset[str]
    reason: str = ""  # set when the question is not matched at all (empty, greeting, …)
    # "khmer", "english", "romanized" (Latin-only, read by sound) or "mixed" (Khmer and
    # Latin words): the decision asks more of the channels that err more.
    script: str = "khmer"


@dataclass(slots=True)
class _String:
    entry: int
    syllables: str  # syllables joined by spaces, for rapidfuzz
    factors: dict[str, float]  # term -> function-word factor, from Tokens.terms()
    weights: dict[str, float] = field(default_factory=dict)  # term -> idf * factor
    mass: float = 0.0  # total weight of the string's terms


@dataclass(slots=True)
class _Index:
    strings: list[_String] = field(default_factory=list)
    exact: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # term -> [(match string number, the term's weight in that string)]
    postings: dict[str, list[tuple[int, float]]] = field(default_factory=lambda: defaultdict(list))
    entry_terms: list[dict[str, float]] = field(default_factory=list)
    # term -> {entry number: 1.0 if in a match string, less if only in the answer}
    entry_postings: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    idf: dict[str, float] = field(default_factory=dict)
    khmer_vocab: list[str] = field(default_factory=list)
    # Romanized/English spelling (tuple of words) -> Khmer terms it stands for.
    lexicon: dict[tuple[str, ...], dict[str, float]] = field(default_factory=dict)
    lexicon_longest: int = 0
    # The posting lists of at most `Weights.max_postings`, each string weight as the
    # imaginary part of a complex number (see Matcher._scores), for speed.
    walk: dict[str, list[tuple[int, complex]]] = field(default_factory=dict)
    string_mass: list[float] = field(default_factory=list)  # per match string, for speed
    string_entry: list[int] = field(default_factory=list)
    # The phonetic channel (faq/romanize.py): skeleton trigram -> [(string, weight)], each
    # Khmer string's skeleton mass and owner, and every skeleton joined (for look-ups).
    sound_postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    sound_mass: list[float] = field(default_factory=list)
    sound_entry: list[int] = field(default_factory=list)
    sounds: str = ""
    latin_vocab: list[str] = field(default_factory=list)
    # Per entry: aspect (faq/aspects.py) -> how many of its questions/phrasings ask it.
    entry_aspects: list[dict[str, int]] = field(default_factory=list)
    # Phonetic skeleton (faq/romanize.py) -> the Latin words / lexicon spellings with it.
    latin_skeletons: dict[str, list[str]] = field(default_factory=dict)
    # Spoken Khmer words of the match strings by the skeleton of their commonest
    # spelling (faq/transliterate.py): skeleton -> [(spelling, syllables, occurrences)].
    # Built on the first romanized question (see Matcher._spoken): most questions are
    # Khmer or English and never need it, and it is a third of the start-up time.
    spoken: dict[str, list[tuple[str, tuple[str, ...], int]]] | None = None
    english: frozenset[str] = frozenset()  # the English phrasings' words
    lexicon_skeletons: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    # Long posting lists' best postings (faq/index.py), for walks that must stop early.
    impact: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    sound_impact: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # by mass
    # Romanized questions asked before (faq/romanized_questions.tsv): sound key (see
    # _example_keys) -> [(example, weight)], each example's key mass and entry.
    example_postings: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    example_mass: list[float] = field(default_factory=list)
    example_entry: list[int] = field(default_factory=list)


def _load_lexicon(path: Path) -> dict[tuple[str, ...], dict[str, float]]:
    """Read the romanization lexicon: Latin spelling -> Khmer terms (see scripts/)."""
    lexicon: dict[tuple[str, ...], dict[str, float]] = {}
    if not path.exists():
        return lexicon
    # Many spellings stand for the same Khmer: analyse each Khmer target once.
    analysed: dict[str, dict[str, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or "\t" not in line:
            continue
        latin, khmer = line.split("\t", 1)
        terms: dict[str, float] = {}
        for target in khmer.split(" | "):
            if target not in analysed:
                analysed[target] = tokenize(normalize(target)).terms()
            for term, factor in analysed[target].items():
                terms[term] = max(terms.get(term, 0.0), factor)
        key = tokenize(normalize(latin)).latin
        if key and terms and key != (NSSF_TOKEN,):
            lexicon[key] = terms
    return lexicon


def load_examples(path: Path) -> list[tuple[str, str]]:
    """Read romanized questions asked before: ``id<TAB>text`` lines (# comments)."""
    if not path.exists():
        return []
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            entry_id, text = line.split("\t", 1)
            examples.append((entry_id.strip(), text.strip()))
    return examples


def _example_keys(words: Sequence[str]) -> set[str]:
    """The sound keys of a romanized question: each word's phonetic skeleton (of two
    letters or more) and each two neighbours' skeletons joined (of three or more), so
    "tver kar" meets "tverkar" and "chos chmous" meets "chuh chhmuos"."""
    shapes = [skeleton(w) for w in words if w != NSSF_TOKEN and w.isalpha()]
    keys = {shape for shape in shapes if len(shape) >= 2}
    keys.update(a + b for a, b in itertools.pairwise(shapes) if len(a + b) >= MIN_SKELETON)
    return keys


_K = TypeVar("_K")
_UNSEEN = ("", -1.0)  # Matcher._near_syllable: not looked up yet

# A skeleton this short ("kt": kat card, kat cut, kot …) says too little to look up.
MIN_SKELETON = 3
# Spellings kept per skeleton in the spoken-word index (the commonest).
SPOKEN_PER_SKELETON = 48
# Runs of this many spoken syllables are indexed as words ("prak" 1, "sothon" 2).
SPOKEN_SIZES = (1, 2, 3)
# How often the FAQ must say a spoken word for an English word typed as it to count as
# that Khmer too ("chang" ចង់).
ALSO_KHMER_COUNT = 20
# How often the FAQ must say a word only the other syllable grouping reads.
REGROUPED_COUNT = 2
# And runs of this many, looked up only for one typed word that nothing shorter reads
# ("rothaphibal" រដ្ឋាភិបាល).
LONG_SPOKEN = 4
# How often the FAQ must say a spoken word for a typed word of a short skeleton to read
# as it (fewer: mostly pieces of longer words, ខេ of ខេត្ត, not ខែ).
SHORT_WORD_COUNT = 20
# A question with a guessed word is analysed again without its guesses (to answer) only
# when its best score is at least this (speed: most are long, chatty questions). An
# answer needs 50 or more; over the 967 guessed questions of the tuning and generated
# sets, none scoring under 30 with its guesses scored over 46.9 without, and with or
# without this floor no decision of scripts/decisions.py differs. Skipping can only
# withhold an answer, never give one.
GUESS_PLAIN_FLOOR = 30.0
# Up to this many match strings, every run of LONG_SPOKEN syllables is indexed; in a
# larger FAQ only those that occur twice or more.
LONG_ALL_STRINGS = 20_000
# How alike two spellings with the same skeleton must be (rapidfuzz ratio).
SKELETON_RATIO = 65.0


def _skeletons(keys: Iterable[_K], spell: Callable[[_K], str]) -> dict[str, list[_K]]:
    """Group ``keys`` by the phonetic skeleton of their spelling."""
    groups: dict[str, list[_K]] = defaultdict(list)
    for key in keys:
        shape = skeleton(spell(key))
        if len(shape) >= MIN_SKELETON:
            groups[shape].append(key)
    return dict(groups)


def _closest(spelling: str, candidates: Sequence[_K], spell: Callable[[_K], str]) -> _K | None:
    """The candidate spelt most like ``spelling``, if alike enough."""
    if not candidates:
        return None
    found = process.extractOne(
        spelling,
        [spell(candidate) for candidate in candidates],
        scorer=fuzz.ratio,
        score_cutoff=SKELETON_RATIO,
    )
    return candidates[found[2]] if found else None


def _imaginary(postings: Sequence[tuple[int, float]]) -> list[tuple[int, complex]]:
    """Postings with each weight as a pure imaginary number, one object per weight."""
    values: dict[float, complex] = {}
    return [(number, values.setdefault(w, complex(0.0, w))) for number, w in postings]


def _grams(shape: str) -> set[str]:
    """The trigrams of a skeleton (the whole of it when shorter)."""
    if len(shape) <= 3:
        return {shape} if shape else set()
    return {shape[i : i + 3] for i in range(len(shape) - 2)}


# English function words: a Latin question with a few of them is English, not romanized
# Khmer, and its words are not read as Khmer sounds.
_ENGLISH = frozenset(
    """
    a an the i im me my you your we our he she his her it its they their is are am was
    were be been do does did have has had can could will would should must to of in on
    at by for from with about and or but if this that these those what which who whom
    when where why how
    """.split()  # noqa: SIM905 (a word list reads better as text)
)


def _english(words: Sequence[str]) -> bool:
    """Whether a Latin-only question reads as English (two or more function words)."""
    found = sum(word in _ENGLISH for word in words)
    return found >= 2 or (found == 1 and len(words) <= 3)


def _script(tokens: Tokens) -> str:
    """Which channel a question goes through: khmer, english, romanized or mixed."""
    words = [w for w in tokens.latin if w != NSSF_TOKEN and w.isalpha() and len(w) > 1]
    if tokens.khmer:
        return "mixed" if words else "khmer"
    return "english" if _english(tokens.latin) else "romanized"


_EXTRA_MARGIN: dict[str, Callable[[Thresholds], float]] = {
    "khmer": lambda t: 0.0,
    "english": lambda t: t.english_margin,
    "romanized": lambda t: t.romanized_margin,
    "mixed": lambda t: t.mixed_margin,
}


# Khmer marks that look alike on a phone keyboard and are tapped for each other (ឹ/ឺ,
# ែ/ៃ, ៈ/ះ), and small marks that are easily left off (៉ ៊ ់ ៍ ៌).
_LOOK_ALIKE = str.maketrans({"\u17ba": "\u17b9", "\u17c3": "\u17c2", "\u17c8": "\u17c7"})
_SMALL_MARKS = re.compile("[\u17c9\u17ca\u17cb\u17cd\u17cc]")


def _unlifted(ranked: Sequence[Match], lift: dict[str, float]) -> tuple[float, float]:
    """The best entry's score and the next best score without the examples' lift."""
    own = round(ranked[0].score - lift.get(ranked[0].id, 0.0), 1)
    others = (round(m.score - lift.get(m.id, 0.0), 1) for m in ranked[1:])
    return own, max(others, default=0.0)


def _fold_marks(syllable: str) -> str:
    """A Khmer syllable with look-alike marks made one and small marks dropped."""
    return _SMALL_MARKS.sub("", syllable.translate(_LOOK_ALIKE))


def _exact_key(normalized: str) -> str:
    """The key for exact matches: spaces do not count (Khmer is often typed without)."""
    return normalized.replace(" ", "")


def load_siblings(path: Path, known: Collection[str] | None = None) -> dict[str, frozenset[str]]:
    """Sibling entries by id, from ``path``: one group a line, ids apart by spaces, ``#``
    comments (symmetric by construction). Ids not in ``known`` (when given) are left out,
    so a matcher over part of the FAQ keeps the rest."""
    siblings: dict[str, set[str]] = defaultdict(set)
    for _, ids in sibling_groups(path):
        group = [i for i in ids if known is None or i in known]
        for entry in group:
            siblings[entry].update(other for other in group if other != entry)
    return {entry: frozenset(others) for entry, others in siblings.items()}


def _load_small_talk(path: Path) -> dict[str, str]:
    """Greeting/thanks phrase (normalized, spaces removed) -> "greeting" or "thanks"."""
    phrases: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            kind, phrase = line.split("\t", 1)
            phrases[normalize(phrase).replace(" ", "")] = kind
    return phrases


def _small_talk(normalized: str, phrases: dict[str, str]) -> str | None:
    """The kind of small talk a whole message is, if it is only that.

    Spaces are ignored (Khmer is often typed without them around particles), and so
    are politeness words before or after ("បាទ អរគុណ", "hello bot").
    """
    text = normalized.replace(" ", "")
    stripped = True
    while stripped and text not in phrases:
        stripped = False
        for word in _POLITE:
            if text != word and text.startswith(word):
                text, stripped = text.removeprefix(word), True
            if text != word and text.endswith(word):
                text, stripped = text.removesuffix(word), True
    return phrases.get(text)


class Matcher:
    """An index over FAQ entries, built once; :meth:`match` scores one question."""

    def __init__(
        self,
        faq: Faq | Sequence[Entry],
        thresholds: Thresholds | None = None,
        weights: Weights | None = None,
        lexicon: Path | None = None,
        examples: Path | Iterable[tuple[str, str]] | None = None,
    ) -> None:
        self.entries: tuple[Entry, ...] = tuple(faq.entries if isinstance(faq, Faq) else faq)
        self.thresholds = thresholds or Thresholds()
        self.weights = weights or Weights()
        self._index = self._build(self.entries, self.weights)
        self._index.lexicon = _load_lexicon(LEXICON_FILE if lexicon is None else lexicon)
        self._index.lexicon_longest = max(map(len, self._index.lexicon), default=0)
        self._index.lexicon_skeletons = _skeletons(self._index.lexicon, lambda k: " ".join(k))
        self._small_talk = _load_small_talk(SMALL_TALK_FILE)
        # The last romanized question's sound scores (read, never changed, by its
        # second reading when one of its words is ambiguous).
        self._last_sounds: tuple[tuple[str, ...], dict[int, float]] | None = None
        self._near_syllables: dict[str, tuple[str, float] | None] = {}  # _near_syllable
        self._person = PersonPatterns.load()
        self._folded: dict[str, str] | None = None  # see _look_alike
        self._number = {entry.id: number for number, entry in enumerate(self.entries)}
        if examples is None or isinstance(examples, Path):
            examples = load_examples(EXAMPLES_FILE if examples is None else examples)
        self._build_examples(examples)
        self._siblings = load_siblings(SIBLINGS_FILE, {e.id for e in self.entries})
        self._string_shares: dict[int, dict[str, float]] = {}  # see _string_share
        self._entry_strings: list[list[_String]] | None = None  # see _string_share

    # --- index ---------------------------------------------------------------------

    @staticmethod
    def _build(entries: Iterable[Entry], weights: Weights) -> _Index:
        index = _Index()
        document_frequency: dict[str, int] = defaultdict(int)
        khmer_vocab: set[str] = set()
        latin_vocab: set[str] = set()
        # Texts repeat across entries (keywords, answers of generated FAQs): analyse once.
        analysed: dict[str, tuple[str, Tokens]] = {}

        def analyse(raw: str) -> tuple[str, Tokens]:
            if raw not in analysed:
                text = normalize(raw)
                analysed[raw] = (text, tokenize(text))
            return analysed[raw]

        asks: dict[str, frozenset[str]] = {}

        def aspects_of(raw: str) -> frozenset[str]:
            if raw not in asks:
                asks[raw] = aspects(analyse(raw)[1])
            return asks[raw]

        entries_english: set[str] = set()
        for number, entry in enumerate(entries):
            for raw in (entry.question.en, *entry.phrasings.en, entry.answer.en):
                entries_english.update(analyse(raw)[1].latin)
            entry_terms: dict[str, float] = {}
            seen: set[str] = set()
            for raw in entry.match_strings():
                text, tokens = analyse(raw)
                if not text or text in seen:
                    continue
                seen.add(text)
                terms = tokens.terms()
                if not terms:
                    continue
                khmer_vocab.update(tokens.khmer)
                latin_vocab.update(tokens.latin)
                index.exact[_exact_key(text)].add(number)
                index.strings.append(_String(number, " ".join(tokens.khmer), terms))
                entry_terms.update(dict.fromkeys(terms, 1.0))
            asked: dict[str, int] = defaultdict(int)
            for raw in (
                entry.question.km,
                entry.question.en,
                *entry.phrasings.km,
                *entry.phrasings.en,
            ):
                for aspect in aspects_of(raw):
                    asked[aspect] += 1
            for raw in entry.keywords:  # an everyday object a keyword names is its topic
                for aspect in aspects_of(raw) & OBJECTS:
                    asked[aspect] += 1
            index.entry_aspects.append(dict(asked))
            # The answer's words count too, more weakly: answers name specifics (banks,
            # ages, acronyms) that no phrasing repeats.
            for answer in (entry.answer.km, entry.answer.en):
                for term in analyse(answer)[1].terms():
                    entry_terms.setdefault(term, weights.answer_terms)
            index.entry_terms.append(entry_terms)
            for term, factor in entry_terms.items():
                document_frequency[term] += 1
                index.entry_postings[term][number] = factor
        total = max(len(index.entry_terms), 1)
        index.idf = {
            term: math.log(1.0 + total / count) for term, count in document_frequency.items()
        }
        for number, string in enumerate(index.strings):
            string.weights = {t: index.idf[t] * f for t, f in string.factors.items()}
            string.mass = sum(string.weights.values())
            for term, weight in string.weights.items():
                index.postings[term].append((number, weight))
        index.walk = {
            term: _imaginary(found)
            for term, found in index.postings.items()
            if len(found) <= weights.max_postings
        }
        index.string_mass = [string.mass for string in index.strings]
        index.string_entry = [string.entry for string in index.strings]
        budget = weights.fallback_budget
        index.impact = impact_ordered(
            index.postings, index.string_mass, budget // max(weights.fallback_terms, 1), budget
        )
        Matcher._build_sounds(index)
        index.sound_impact = by_mass(
            index.sound_postings, index.sound_mass, weights.sound_per_gram
        )
        index.english = frozenset(entries_english)
        index.khmer_vocab = sorted(khmer_vocab)
        index.latin_vocab = sorted(latin_vocab - {""})
        index.latin_skeletons = _skeletons(
            (w for w in index.latin_vocab if w.isascii() and w.isalpha()), lambda w: w
        )
        return index

    def warm(self) -> Matcher:
        """Build what is otherwise built on first use (the spoken-word index, ~0.4 s), so
        that no question pays for it; the bot calls this off its event loop at start."""
        self._spoken()
        return self

    def _spoken(self) -> dict[str, list[tuple[str, tuple[str, ...], int]]]:
        """The spoken-word index, built on first use (a romanized question)."""
        if self._index.spoken is None:
            self._index.spoken = Matcher._build_spoken(self._index)
        return self._index.spoken

    @staticmethod
    def _build_spoken(index: _Index) -> dict[str, list[tuple[str, tuple[str, ...], int]]]:
        """Index the spoken words (1-3 syllables) of the Khmer match strings by sound."""
        counts: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
        regrouped: dict[tuple[str, tuple[str, ...]], int] = defaultdict(int)
        # A large FAQ repeats its strings: each string's words (and the words only its
        # other grouping has) once.
        words: dict[str, tuple[list[tuple[str, tuple[str, ...]]], ...]] = {}

        def spoken_words(
            syllables: list[str], units: list[tuple[int, int, str]], smallest: int
        ) -> list[tuple[str, tuple[str, ...]]]:
            return [
                (
                    ("=" if size > SPOKEN_SIZES[-1] else "")
                    + "".join(unit[2] for unit in units[first : first + size]),
                    tuple(syllables[units[first][0] : units[first + size - 1][1]]),
                )
                for first in range(len(units))
                for size in (*SPOKEN_SIZES, LONG_SPOKEN)
                if first + size <= len(units) and size >= smallest
            ]

        for string in index.strings:
            if string.syllables not in words:
                syllables = string.syllables.split()
                plain = spoken_words(syllables, spoken_syllables(syllables), 1)
                # Syllables that group two ways (គោ|លន, គោល|ន): words of three or more
                # spoken syllables the other way too ("kolnoyobay"); shorter ones are
                # mostly noise.
                other = spoken_words(syllables, spoken_syllables(syllables, regroup=True), 3)
                said = set(plain)
                words[string.syllables] = (
                    plain,
                    [w for w in dict.fromkeys(other) if w not in said],
                )
            plain_words, other_words = words[string.syllables]
            for word in plain_words:
                counts[word] += 1
            for word in other_words:
                regrouped[word] += 1
        # A word only the other grouping has counts when the FAQ says it at least twice.
        for word, count in regrouped.items():
            if count >= REGROUPED_COUNT or word in counts:
                counts[word] += count
        # Per skeleton, each spelling once (its commonest Khmer), the commonest first and
        # at most SPOKEN_PER_SKELETON of them: a large FAQ must not make look-ups slow.
        best: dict[str, dict[str, tuple[tuple[str, ...], int]]] = defaultdict(dict)
        long_count = 1 if len(index.strings) <= LONG_ALL_STRINGS else 2
        for (spelt, span), count in counts.items():
            # Words of LONG_SPOKEN syllables apart ("=" + their skeleton); in a large FAQ
            # only those it says more than once (most runs of four syllables are not
            # words, and there are very many: memory).
            if spelt[0] == "=" and count < long_count:
                continue
            shape = "=" + skeleton(spelt[1:]) if spelt[0] == "=" else skeleton(spelt)
            spelt = spelt.lstrip("=")
            # Skeletons under two letters only for one typed word (`Weights.short_word`).
            if len(shape) >= 2 or shape[:1] != "=":
                known = best[shape].get(spelt)
                if known is None or count > known[1]:
                    best[shape][spelt] = (span, count)
        return {
            shape: sorted(
                ((spelt, span, count) for spelt, (span, count) in spellings.items()),
                key=lambda item: -item[2],
            )[:SPOKEN_PER_SKELETON]
            for shape, spellings in best.items()
        }

    def _khmerize(
        self, words: Sequence[str], second: bool = False
    ) -> tuple[list[str], list[str], bool]:
        """:meth:`_reading` without how many words were guessed."""
        khmer, latin, ambiguous, _ = self._reading(words, second)
        return khmer, latin, ambiguous

    def _reading(
        self, words: Sequence[str], second: bool = False, guess: bool = True
    ) -> tuple[list[str], list[str], bool, int]:
        """Romanized words as the Khmer syllables they sound like, the words left,
        whether a word could be read as other Khmer about as well, and how many words
        were guessed (read as four-syllable ones, as a short word, or spelt less alike
        than ``Weights.spoken_sure``).

        Each word, or two or three words joined ("sot thon"), is looked up by the
        skeleton of its sound among the spoken words of the FAQ's Khmer text, and the
        one spelt most alike (rapidfuzz; ``Weights.frequency`` points more per doubling
        of how often the FAQ says it) stands for it. With ``guess``, a word nothing else
        reads may stand for four spoken syllables ("rothaphibal"), a word of a short
        skeleton for a common content word ("chheu" ឈឺ), and a spelling less alike than
        ``Weights.spoken_sure`` still counts; without, these stay unread. English words the
        FAQ uses, stopwords and numbers stay as they are; two words that spell an
        English word together are one ("hot line"). A word is ambiguous when other
        Khmer is spelt within ``Weights.ambiguity`` of its reading ("bet": បិទ closed,
        ពេទ្យ hospital); with ``second``, each ambiguous word is read as that other Khmer.
        """
        index, weights = self._index, self.weights
        cutoff = weights.spoken_ratio if guess else max(weights.spoken_ratio, weights.spoken_sure)
        frequency = weights.frequency
        spoken = self._spoken()
        khmer: list[str] = []
        latin: list[str] = []
        ambiguous, guessed = False, 0

        words = self._english_compounds(words)
        # Words come as typed (their spelling is compared); what is kept as Latin, and
        # what is looked up among the FAQ's own words, is the stemmed word.
        stems = [latin_stem(word) for word in words]

        def plain(word: str) -> bool:
            stem = latin_stem(word)
            return (
                stem in LATIN_STOPWORDS
                or stem in index.english
                or not word.isascii()
                or not word.isalpha()
            )

        position = 0
        while position < len(words):
            word = words[position]
            if plain(word):
                latin.append(stems[position])
                both = self._also_khmer(word, stems[position], spoken)
                if both is not None:
                    khmer.extend(both)
                position += 1
                continue
            found: tuple[int, tuple[str, ...]] | None = None
            for size in (3, 2, 1):
                gram = words[position : position + size]
                if len(gram) < size or any(plain(w) for w in gram):
                    continue
                spelt = "".join(gram)
                shape = skeleton(spelt)
                short = len(shape) < 2
                if short and (size > 1 or not guess):
                    continue
                floor = cutoff + (size > 1) * weights.spoken_joined
                sure = weights.spoken_sure + (size > 1) * weights.spoken_joined
                if size > 1 and len(shape) < 3:
                    # Words joined with a short skeleton ("kar ngear" kG): spelt alike.
                    floor = max(floor, weights.short_joined)
                    sure = max(sure, weights.short_joined)
                if short:
                    floor = max(floor, weights.short_word)
                candidates = spoken.get(shape, ())
                best, best_key, best_ratio = None, (floor, 0), floor
                readings: list[tuple[float, tuple[str, ...]]] = []
                for spelling, syllables, count in candidates:
                    if short and count < SHORT_WORD_COUNT:
                        continue
                    ratio = fuzz.ratio(spelt, spelling)
                    if ratio < floor:
                        continue
                    readings.append((ratio, syllables))
                    # Spelt about as alike, the word the FAQ says more often is likelier.
                    key = (ratio + frequency * math.log2(count), count)
                    if key >= best_key:
                        best, best_key, best_ratio = syllables, key, ratio
                if short and best is not None and all(function_word_mask(best)):
                    best = None  # "tov" ទៅ, "oy" ឱ្យ: nothing of the topic to read
                if best is not None and (short or best_ratio < sure):
                    guessed += 1  # to rank by, not to answer by
                if best is not None:
                    other = self._other_reading(best, best_ratio, readings)
                    if other is not None:
                        ambiguous = True
                        if second:
                            best = other
                    found = (size, best)
                    break
            if found is None and guess and weights.long_ratio <= 100:
                shape = skeleton(word)
                if len(shape) >= 4:
                    long_words = spoken.get("=" + shape, ())
                    ratio, syllables = max(
                        (
                            (fuzz.ratio(word, spelling), syllables)
                            for spelling, syllables, _ in long_words
                        ),
                        default=(0.0, ()),
                        key=itemgetter(0),
                    )
                    if ratio >= self.weights.long_ratio:
                        found = (1, syllables)
                        guessed += 1
            if found is None:
                latin.append(stems[position])
                position += 1
            else:
                khmer.extend(found[1])
                # A romanized word the FAQ's keywords have also counts as itself.
                latin.extend(w for w in stems[position : position + found[0]] if w in index.idf)
                position += found[0]
        return khmer, latin, ambiguous, guessed

    def _also_khmer(
        self,
        word: str,
        stem: str,
        spoken: dict[str, list[tuple[str, tuple[str, ...], int]]],
    ) -> tuple[str, ...] | None:
        """The Khmer an English word of the FAQ is also typed for, if it is typed exactly
        as a common spoken word of the FAQ ("chang" ចង់, the stem of "changes"): in a
        romanized question it counts both ways."""
        if stem in LATIN_STOPWORDS or stem not in self._index.english or not word.isalpha():
            return None
        for spelling, syllables, count in spoken.get(skeleton(word), ()):
            if spelling == word and count >= ALSO_KHMER_COUNT:
                return syllables
        return None

    def _english_compounds(self, words: Sequence[str]) -> list[str]:
        """Two words joined where together they spell an English word of the FAQ ("hot
        line" is "hotline", "pay slip" "payslip"): English typed apart, not two sounds."""
        english, joined = self._index.english, list(words)
        position = 0
        while position + 1 < len(joined):
            compound = joined[position] + joined[position + 1]
            if len(compound) >= 6 and latin_stem(compound) in english:
                joined[position : position + 2] = [compound]
            position += 1
        return joined

    def _other_reading(
        self,
        reading: tuple[str, ...],
        ratio: float,
        readings: Sequence[tuple[float, tuple[str, ...]]],
    ) -> tuple[str, ...] | None:
        """The best other Khmer a spelling reads as nearly as well as ``reading``."""
        margin = self.weights.ambiguity
        if margin <= 0:
            return None
        others = [
            (r, syllables)
            for r, syllables in readings
            if syllables != reading
            and r >= ratio - margin
            and "".join(syllables) != "".join(reading)
        ]
        return max(others)[1] if others else None

    @staticmethod
    def _build_sounds(index: _Index) -> None:
        """Index the phonetic skeletons of the Khmer match strings by trigram."""
        grams_of: list[set[str]] = []
        frequency: dict[str, set[int]] = defaultdict(set)
        shapes = []
        # Strings repeat across entries (and a large FAQ's words): each skeleton once.
        known: dict[str, tuple[str, set[str]]] = {}
        for string in index.strings:
            if string.syllables not in known:
                shape = khmer_skeleton(string.syllables.split())
                known[string.syllables] = (shape, _grams(shape))
            shape, grams = known[string.syllables]
            shapes.append(shape)
            grams_of.append(grams)
            for gram in grams:
                frequency[gram].add(string.entry)
        total = max(len(index.entry_terms), 1)
        idf = {gram: math.log(1.0 + total / len(entries)) for gram, entries in frequency.items()}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, grams in enumerate(grams_of):
            index.sound_mass.append(sum(idf[g] for g in grams))
            index.sound_entry.append(index.strings[number].entry)
            for gram in grams:
                postings[gram].append((number, idf[gram]))
        index.sound_postings = dict(postings)
        index.sounds = "|".join(shapes)

    def _build_examples(self, examples: Iterable[tuple[str, str]]) -> None:
        """Index romanized questions asked before by their sound keys, each key weighted
        by its inverse frequency over the entries asked (examples of unknown entries, or
        of entries not in this FAQ, are skipped)."""
        index = self._index
        keyed: list[tuple[int, set[str]]] = []
        asked: dict[str, set[int]] = defaultdict(set)
        for entry_id, text in examples:
            number = self._number.get(entry_id)
            keys = _example_keys(tokenize(normalize(text)).latin)
            if number is None or not keys:
                continue
            keyed.append((number, keys))
            for key in keys:
                asked[key].add(number)
        total = len({number for number, _ in keyed})
        idf = {key: math.log(1.0 + total / len(entries)) for key, entries in asked.items()}
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for example, (number, keys) in enumerate(keyed):
            index.example_mass.append(sum(idf[key] for key in keys))
            index.example_entry.append(number)
            for key in sorted(keys):
                postings[key].append((example, idf[key]))
        index.example_postings = dict(postings)

    def _lift(self, normalized: str, tokens: Tokens, ranking: _Ranking) -> _Ranking:
        """The ranking with the entries of the most alike romanized questions asked
        before lifted (a romanized question only). Everything that decides answering was
        computed before, on the question's own scores; :meth:`decide` reads those back."""
        index, weights = self._index, self.weights
        if (
            tokens.khmer
            or not ranking.matches
            or not weights.examples
            or not index.example_postings
            or _english(tokens.latin)
            or _exact_key(normalized) in index.exact  # an FAQ string exactly: decided
        ):
            return ranking
        alikes = self._example_scores(tokens.latin)
        if not alikes:
            return ranking
        own = ranking.best
        nearest = min(alikes, key=lambda e: (-alikes[e], e))
        runner_up = max((a for e, a in alikes.items() if e != nearest), default=0.0)
        agree = nearest == own and alikes[nearest] - runner_up >= weights.examples_gap
        scores = {self._number[m.id]: m.score for m in ranking.matches}
        lift: dict[str, float] = {}
        for number, alike in alikes.items():
            before = scores.get(number, 0.0)
            scores[number] = round(before + weights.examples * 100.0 * alike, 1)
            lift[self.entries[number].id] = scores[number] - before
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        lifted = ranked[0][0] != own
        return replace(
            ranking,
            matches=[Match(self.entries[number].id, score) for number, score in ranked],
            lift=lift,
            lifted=lifted,
            examples_agree=agree and not lifted,
        )

    def _example_scores(self, words: Sequence[str]) -> dict[int, float]:
        """Entry -> how alike (0-1, an F-measure of the sound keys' weights) a romanized
        question is to the most alike romanized question asked of it before."""
        index = self._index
        postings = index.example_postings
        shared: dict[int, float] = defaultdict(float)
        query_mass = 0.0
        for key in sorted(_example_keys(words)):
            found = postings.get(key)
            if found:
                query_mass += found[0][1]
                for example, weight in found:
                    shared[example] += weight
        best: dict[int, float] = {}
        masses, owners = index.example_mass, index.example_entry
        for example, common in shared.items():
            precision, recall = common / query_mass, common / masses[example]
            score = 2 * precision * recall / (precision + recall)
            entry = owners[example]
            if score > best.get(entry, 0.0):
                best[entry] = score
        return best

    def _sound_scores(self, words: Sequence[str], cache: bool = False) -> dict[int, float]:
        """Entry -> how alike (0-1) a Latin question sounds to its best Khmer string
        (``cache``: the second reading of the same words sounds the same)."""
        key = tuple(words)
        last = self._last_sounds  # one read: another thread may replace it meanwhile
        if cache and last is not None and last[0] == key:
            return last[1]
        sounds = self._compute_sounds(words)
        self._last_sounds = (key, sounds)
        return sounds

    def _compute_sounds(self, words: Sequence[str]) -> dict[int, float]:
        return self._shape_sounds(skeleton(" ".join(w for w in words if w not in (NSSF_TOKEN,))))

    def _shape_sounds(self, shape: str) -> dict[int, float]:
        """Entry -> how alike (0-1) a phonetic skeleton is to its best Khmer string."""
        index, weights = self._index, self.weights
        grams = _grams(shape)
        shared: dict[int, float] = {}
        shared_get = shared.get  # locals: a hot loop (as in Matcher._scores)
        query_mass = 0.0
        # Each gram's first `max_postings` strings, and in a very large FAQ at most
        # `sound_budget` postings in all (more for a long question).
        budget = max(weights.sound_budget, weights.sound_per_gram * len(grams))
        # A list cut short gives the strings nearest the question in weight (faq/index.py).
        mass = sum(index.sound_postings[g][0][1] for g in grams if index.sound_postings.get(g))

        def cut(gram: str, count: int) -> list[tuple[int, float]]:
            return nearest(index.sound_impact[gram], index.sound_mass, mass, count)

        # In sorted order: a set's order changes with the hash seed, and so would the
        # floating-point sums (and, in a cut, which postings are taken) from run to run.
        for _, found in budgeted(
            sorted(grams), index.sound_postings, cut, budget, weights.max_postings
        ):
            if not found:
                continue
            query_mass += found[0][1]
            for number, weight in found:
                shared[number] = shared_get(number, 0.0) + weight
        best: dict[int, float] = {}
        best_get, masses, owners = best.get, index.sound_mass, index.sound_entry
        for number, common in shared.items():
            precision, recall = common / query_mass, common / masses[number]
            score = 2 * precision * recall / (precision + recall)
            entry = owners[number]
            if score > best_get(entry, 0.0):
                best[entry] = score
        return best

    # --- scoring -------------------------------------------------------------------

    def _query_terms(
        self, tokens: Tokens, romanized: Sequence[str] = (), bridge: bool = False
    ) -> tuple[dict[str, float], list[str], int]:
        """Weighted query terms, content units, and how many content words no FAQ text has.

        Unknown tokens are mapped to close indexed ones first (rapidfuzz, skeletons).
        """
        index, weights = self._index, self.weights
        oov = weights.oov_weight * math.log(1.0 + len(index.entry_terms))
        khmer = list(tokens.khmer)
        typos: set[str] = set()  # misspelt syllables: near a known one, not a new topic
        for position, syllable in enumerate(khmer):
            if syllable in index.idf:
                continue
            found = self._near_syllable(syllable) if len(syllable) >= 2 else None
            if found and found[1] >= weights.fuzzy_cutoff:
                khmer[position] = found[0]
            elif len(syllable) >= 2 and (alike := self._look_alike().get(_fold_marks(syllable))):
                khmer[position] = alike  # ឈឹ for ឈឺ: a look-alike mark tapped
            elif found or len(syllable) <= weights.short_typo:
                typos.add(syllable)  # ទែ for ទេ, ឫ for ឬ: too short to compare
        latin = self._known_latin(tokens.latin)
        factors, units = Tokens(tuple(khmer), tuple(latin)).analyse()
        terms = {term: index.idf.get(term, oov) * factor for term, factor in factors.items()}
        # Content words (syllables, Latin words) that no FAQ text has, even after mapping:
        # "weather", "អាកាសធាតុ". What tells an off-topic question sharing one word apart.
        unknown = {
            term
            for term in (*khmer, *latin)
            if term not in index.idf
            and factors.get(term, 0.0) == 1.0
            and not term[0].isdigit()
            and term not in typos
        }
        # Romanized Khmer and English words also stand for the Khmer words they spell,
        # so a Khmerlish question can match the (richer) Khmer phrasings.
        # Only for questions without Khmer script: a Khmer question already says it.
        expansions = self._lexicon_matches(romanized, bridge) if romanized else ()
        for gram, expansion in expansions:
            unknown.difference_update(gram)  # a romanized word the lexicon knows
            share = weights.romanized
            if all(word in index.idf for word in gram):  # English the FAQ has (a bridge)
                share = weights.bridge
            for term, factor in expansion.items():
                if term in index.idf and term not in terms:
                    terms[term] = index.idf[term] * factor * share
        return terms, units, len(unknown)

    def _look_alike(self) -> dict[str, str]:
        """Indexed syllables by their marks folded (:func:`_fold_marks`), built on first
        use; a folded form shared by two syllables is left out (it cannot choose)."""
        if self._folded is None:
            folded: dict[str, str | None] = {}
            for syllable in self._index.khmer_vocab:
                key = _fold_marks(syllable)
                folded[key] = None if key in folded else syllable
            self._folded = {key: s for key, s in folded.items() if s is not None}
        return self._folded

    def _near_syllable(self, syllable: str) -> tuple[str, float] | None:
        """The indexed Khmer syllable spelt most like an unknown one, if close enough to
        matter (rapidfuzz), and how close. The same misspellings come back again and
        again, and the index never changes: the answers are remembered (a few
        thousand at most; then the memory starts again)."""
        memo = self._near_syllables
        known = memo.get(syllable, _UNSEEN)  # one read: another thread may clear it
        if known is not _UNSEEN:
            return known
        weights = self.weights
        found = process.extractOne(
            syllable,
            self._index.khmer_vocab,
            scorer=fuzz.ratio,
            score_cutoff=min(weights.fuzzy_cutoff, weights.typo_ratio),
        )
        near = (found[0], found[1]) if found else None
        if len(memo) >= 4096:
            memo.clear()
        memo[syllable] = near
        return near

    def _known_latin(self, words: Sequence[str]) -> list[str]:
        """Latin words, unknown ones mapped to an indexed word that is spelt or sounds alike.

        First a close spelling (rapidfuzz), then the same phonetic skeleton, for the word
        alone or joined with the next unknown word ("sot thon" -> "sothon").
        """
        index, cutoff = self._index, self.weights.fuzzy_cutoff
        latin: list[str] = []
        position = 0
        while position < len(words):
            word = words[position]
            position += 1
            if word in index.idf or word in LATIN_STOPWORDS or not word.isalpha():
                latin.append(word)
                continue
            nxt = words[position] if position < len(words) else ""
            if nxt and nxt not in index.idf and nxt not in LATIN_STOPWORDS and nxt.isalpha():
                joined = _closest(
                    word + nxt, index.latin_skeletons.get(skeleton(word + nxt), ()), str
                )
                if joined is not None:
                    latin.append(joined)
                    position += 1
                    continue
            found = None
            if len(word) >= 4:
                near = process.extractOne(
                    word, index.latin_vocab, scorer=fuzz.ratio, score_cutoff=cutoff
                )
                found = near[0] if near else None
            if found is None:
                found = _closest(word, index.latin_skeletons.get(skeleton(word), ()), str)
            latin.append(found or word)
        return latin

    def _lexicon_matches(
        self, words: Sequence[str], bridge: bool = False
    ) -> Iterator[tuple[tuple[str, ...], dict[str, float]]]:
        """Longest-first matches of word n-grams in the romanization lexicon (with them)."""
        index = self._index
        lexicon, position = index.lexicon, 0
        while position < len(words):
            longest = min(index.lexicon_longest + 1, len(words) - position)
            for size in range(longest, 0, -1):
                gram = tuple(words[position : position + size])
                found = lexicon.get(gram)
                if found is None and not all(word in index.idf for word in gram):
                    # An unseen spelling that sounds like a listed one ("sotun", "chmuos"),
                    # split or joined differently ("sot thon" for "sothon").
                    spelt = " ".join(gram)
                    shape = skeleton(spelt)
                    key = _closest(spelt, index.lexicon_skeletons.get(shape, ()), " ".join)
                    found = lexicon[key] if key is not None else None
                # Words the FAQ's own Latin text already has speak for themselves.
                if found and (
                    not all(word in index.idf for word in gram)
                    or (bridge and all(word in index.english for word in gram))
                ):
                    yield gram, found
                    position += size
                    break
            else:
                position += 1

    def scores(self, query: str) -> tuple[str, list[Match]]:
        """Return the normalized query and every entry that shares a term, best first."""
        normalized = self._normalize(query)
        tokens = tokenize(normalized)
        return normalized, self._lift(normalized, tokens, self._scores(normalized, tokens)).matches

    @staticmethod
    def _normalize(query: str) -> str:
        # Raw text this long cannot be a question; do not spend time normalizing it.
        return normalize(query) if len(query) <= 8 * MAX_QUERY_CHARS else query

    def _scores(
        self, normalized: str, tokens: Tokens, second: bool = False, guess: bool = True
    ) -> _Ranking:
        """:meth:`scores`, and what the decision needs to know about the question
        (``second``: a romanized question's ambiguous words read the other way;
        ``guess``: romanized words may be guessed, see Matcher._reading)."""
        if not normalized or len(normalized) > MAX_QUERY_CHARS:
            return _Ranking([])
        index, weights = self._index, self.weights
        exact = index.exact.get(_exact_key(normalized))
        latin_only = not tokens.khmer
        romanized = tokens.latin if latin_only else ()
        spoken = tokens
        ambiguous, guessed = False, 0
        bridge = False
        if latin_only and weights.khmerize and not _english(tokens.latin):
            words = latin_words(normalized)
            khmer, latin, ambiguous, guessed = self._reading(words, second, guess)
            spoken = Tokens(tuple(khmer), tuple(latin))
            # Only a question with romanized Khmer in it: an English one stays English.
            bridge = weights.bridge > 0 and bool(khmer)
        terms, units, unknown = self._query_terms(spoken, romanized, bridge)
        query_mass = sum(terms.values())
        if query_mass <= 0:
            return _Ranking([])

        # Every match string sharing a term, with the shared weight on both sides. Light
        # terms, and in a very large FAQ terms with very long posting lists, are not
        # looked up: they decide nothing and would cost more than all the rest.
        # This is the hottest loop: one dict, one update per posting. The real part of
        # each value sums the question's weights of the terms the string shares, the
        # imaginary part the string's own (index.walk keeps string weights imaginary).
        # Complex addition adds the two parts apart, so each part is exactly the float
        # a plain sum would give (0.0 + w1 + w2 ..., in walk order), and the keys are
        # in the order the strings were first met, as before.
        shared: dict[int, complex] = {}

        def look_up(walks: Iterable[tuple[str, Sequence[tuple[int, complex]]]]) -> None:
            on_shared, shared_get = shared, shared.get  # locals: a hot loop
            for term, found in walks:
                weight = terms[term]
                for number, string_weight in found:
                    on_shared[number] = shared_get(number, 0j) + (weight + string_weight)

        def look_up_floats(walks: Iterable[tuple[str, Sequence[tuple[int, float]]]]) -> None:
            """:func:`look_up` over posting lists with float weights (index.postings)."""
            on_shared, shared_get = shared, shared.get
            for term, found in walks:
                weight = terms[term]
                for number, string_weight in found:
                    on_shared[number] = shared_get(number, 0j) + complex(weight, string_weight)

        walks: list[tuple[str, Sequence[tuple[int, complex]]]] = []
        for term, weight in terms.items():
            if weight >= weights.min_weight:
                short = index.walk.get(term)  # the lists of at most `max_postings`
                if short is not None:
                    walks.append((term, short))
                elif len(terms) == 1:  # a question of one term walks all of its list
                    look_up_floats([(term, index.postings.get(term, ()))])
        look_up(walks)
        if not shared and units:
            # Only common words ("ប.ស.ស ជាអ្វី?"): look up the rarest few of them.
            rarest = heapq.nsmallest(
                weights.fallback_terms, terms, key=lambda t: len(index.postings.get(t, ()))
            )
            # In a very large FAQ their lists are long: at most `fallback_budget` postings
            # in all are walked, the best of each list (faq/index.py).
            look_up_floats(budgeted(rarest, index.postings, index.impact, weights.fallback_budget))
        if not shared and not exact:
            return _Ranking([], len(units), unknown, 1.0)

        # A weighted F-measure per string: the share of the question it explains
        # (precision) and the share of the string the question covers (recall).
        beta2 = weights.beta**2
        scale = 1 + beta2  # the same float as `(1 + beta2)` written in the formula
        string_scores: dict[int, float] = {}
        entry_best: dict[int, float] = {}
        best_get = entry_best.get  # locals: a hot loop
        masses, owners = index.string_mass, index.string_entry
        for number, sums in shared.items():
            precision = sums.real / query_mass
            recall = sums.imag / masses[number]
            score = scale * precision * recall / (beta2 * precision + recall)
            string_scores[number] = score
            entry = owners[number]
            if score > best_get(entry, 0.0):
                entry_best[entry] = score
        # The best strings again with rapidfuzz over the syllable sequences, which gives
        # partial credit inside misspelt syllables.
        query_syllables = " ".join(spoken.khmer)
        if query_syllables:
            best = heapq.nlargest(weights.candidates, string_scores, key=string_scores.__getitem__)
            for number in best:
                string = index.strings[number]
                if string.syllables:
                    similarity = fuzz.ratio(query_syllables, string.syllables) / 100.0
                    score = string_scores[number]
                    score = (1 - weights.fuzzy) * score + weights.fuzzy * max(similarity, score)
                    entry_best[string.entry] = max(entry_best.get(string.entry, 0.0), score)

        # Only the entries with the best strings can win: coverage is computed for them.
        shortlist = dict(heapq.nlargest(weights.entry_pool, entry_best.items(), key=itemgetter(1)))
        # phrased: units in the entry's match strings
        covered, explained, phrased = coverage(terms, units, shortlist, index.entry_postings)
        # The share of the question's content units that an entry leaves unexplained
        # discounts its score: an off-topic question usually shares words with the FAQ,
        # but not its key noun.
        results: dict[int, float] = {}
        for entry_number, string_score in shortlist.items():
            score = (
                weights.string * string_score
                + (1 - weights.string) * covered[entry_number] / query_mass
            )
            if units:
                unexplained = 1 - explained[entry_number] / len(units)
                score *= 1 - weights.unexplained * unexplained
            results[entry_number] = 100.0 * score
        if not tokens.khmer and weights.phonetic:
            # A romanized question also sounds like the Khmer phrasings (faq/romanize.py).
            sounds = self._sound_scores(tokens.latin, cache=second)
            best_sounds = heapq.nlargest(weights.entry_pool, sounds.items(), key=itemgetter(1))
            for entry_number, sound in best_sounds:
                results[entry_number] = max(
                    results.get(entry_number, 0.0), weights.phonetic * 100.0 * sound
                )
        for entry_number in exact or ():
            results[entry_number] = 100.0
        ranked = sorted(results.items(), key=lambda item: (-item[1], item[0]))
        first = ranked[0][0] if ranked else -1
        return _Ranking(
            [Match(self.entries[number].id, round(score, 1)) for number, score in ranked],
            len(units),
            unknown,
            1 - phrased.get(first, 0) / len(units) if units and first >= 0 else 0.0,
            first,
            ambiguous,
            guessed=guessed > 0,
            terms=terms,
        )

    def _answerable(self, ranking: _Ranking) -> bool:
        """Whether the scores could be answered outright at all (the second reading of an
        ambiguous romanized question costs a second scoring: only then is it worth it)."""
        t, ranked = self.thresholds, ranking.matches
        if not ranked:
            return False
        best, second = self._own_scores(ranking)
        return best - second >= self._lead_needed(best, t) + t.romanized_margin

    def _own_scores(self, ranking: _Ranking, t: Thresholds | None = None) -> tuple[float, float]:
        """The best score and the next one as answering sees them: without what the
        romanized examples lifted (unless ``Thresholds.lift_answers``)."""
        t, ranked = t or self.thresholds, ranking.matches
        if not ranked:
            return 0.0, 0.0
        if ranking.lift and not t.lift_answers:
            return _unlifted(ranked, ranking.lift)
        return ranked[0].score, ranked[1].score if len(ranked) > 1 else 0.0

    @staticmethod
    def _lead_needed(best: float, t: Thresholds) -> float:
        """The lead over the second entry that a best score needs to be answered:
        ``margin`` from ``answer`` up, ``lead_margin`` from ``lead_answer`` up, below
        that never."""
        if best >= t.answer:
            return t.margin
        return t.lead_margin if best >= t.lead_answer else math.inf

    def _unexplained(self, analysis: Analysis, t: Thresholds) -> str | None:
        """Why the best entry does not explain the question well enough to answer it."""
        ranking = analysis.ranking
        allowed = t.max_unknown + (t.romanized_unknown if analysis.script == "romanized" else 0)
        if ranking.unknown > allowed:
            return "unknown words"
        if ranking.ambiguous:
            return "ambiguous"
        if ranking.guessed and not t.answer_guessed:
            return "guessed word"
        if ranking.lifted and not t.answer_lifted:
            return "lifted"
        if ranking.unexplained > t.max_unexplained:
            return "unexplained"
        asked = self._index.entry_aspects[ranking.best]
        if any(asked.get(aspect, 0) < t.aspect_support for aspect in analysis.aspects):
            return "aspect"
        return None

    def match(self, query: str) -> Decision:
        """Decide what to do with ``query``: answer, offer choices, or say none."""
        return self.decide(self.analyse(query))

    def analyse(self, query: str, guess: bool = True) -> Analysis:
        """Everything :meth:`decide` needs about ``query`` (thresholds aside; ``guess``:
        romanized words may be guessed, see :meth:`_reading`)."""
        normalized = self._normalize(query)
        if not normalized:
            return Analysis(normalized, _Ranking([]), frozenset(), "empty")
        if len(normalized) > MAX_QUERY_CHARS:
            return Analysis(normalized, _Ranking([]), frozenset(), "too long")
        small_talk = _small_talk(normalized, self._small_talk)
        if small_talk is not None:  # "hello", "thank you": answered in kind, not matched
            return Analysis(normalized, _Ranking([]), frozenset(), small_talk)
        tokens = tokenize(normalized)
        if self._person.matches(normalized, tokens):  # "I want to talk to a human"
            return Analysis(normalized, _Ranking([]), frozenset(), "person")
        ranking = self._scores(normalized, tokens, guess=guess)
        if ranking.guessed and not self.thresholds.answer_guessed:
            # A guessed word (four syllables, a short word, a spelling less alike) helps
            # to rank, never to answer: the question is answered only as it would be
            # without those readings, and only if they rank the same entry first.
            if ranking.matches and self._own_scores(ranking)[0] >= GUESS_PLAIN_FLOOR:
                plain = self.analyse(query, guess=False)
                if plain.ranking.best == ranking.best and self.decide(plain).kind == "answer":
                    return plain
            # Not answered: what only answering needs (a second reading, agreement,
            # siblings) is not computed.
            ranking = self._lift(normalized, tokens, replace(ranking, ambiguous=False))
            script = _script(tokens)
            return Analysis(normalized, ranking, aspects(tokens, misspelt=True), script=script)
        if ranking.ambiguous and self._answerable(ranking):
            # Answer outright only if the other reading puts the same entry first.
            other = self._scores(normalized, tokens, second=True, guess=guess)
            ranking = replace(ranking, ambiguous=other.best != ranking.best)
        else:
            ranking = replace(ranking, ambiguous=False)
        if not tokens.khmer and self.weights.phonetic and ranking.best >= 0:
            # The sound scores of the first reading (kept since; no second computation).
            sounds = self._sound_scores(tokens.latin, cache=True)
            loudest = min(sounds, key=lambda e: (-sounds[e], e), default=-1)
            ranking = replace(ranking, sound_agrees=loudest == ranking.best)
        script = _script(tokens)
        if script == "khmer" and self._may_decide(ranking, "khmer"):
            # A Khmer question sounds like its entry too (typos rarely change the sound).
            sounds = self._shape_sounds(khmer_skeleton(list(tokens.khmer)))
            loudest = min(sounds, key=lambda e: (-sounds[e], e), default=-1)
            ranking = replace(ranking, sound_agrees=loudest == ranking.best)
        if script == "mixed" and self._may_decide(ranking, "mixed"):
            ranking = replace(ranking, halves_agree=self._halves_agree(normalized, ranking))
        if self._sibling_second(ranking):
            distinct, counter, marker = self._distinct(ranking)
            ranking = replace(ranking, distinct=distinct, counter=counter, marker=marker)
        best, second = self._own_scores(ranking)
        if len(ranking.matches) > 1 and best - second < self.thresholds.rare_margin:
            # Only when it could withhold an answer (each entry's shares cost a pass).
            ranking = replace(ranking, rare=self._rare_marker(ranking))
        ranking = self._lift(normalized, tokens, ranking)
        return Analysis(normalized, ranking, aspects(tokens, misspelt=True), script=script)

    def _sibling_second(self, ranking: _Ranking) -> bool:
        """Whether the second entry is a sibling of the best one (faq/siblings.txt)."""
        ranked = ranking.matches
        return len(ranked) > 1 and ranked[1].id in self._siblings.get(ranked[0].id, ())

    def _distinct(self, ranking: _Ranking) -> tuple[float, float, float]:
        """The share of the question's term weight in terms that the best entry's match
        strings have and its sibling's (the second entry's) lack, the same share the other
        way round, and the largest share of the sibling's match strings saying a term of
        the question that the best entry's never say (a word characteristic of it): over
        the terms the question was scored with."""
        terms = ranking.terms
        total = sum(terms.values())
        if total <= 0:
            return 0.0, 0.0, 0.0
        best = self._index.entry_terms[ranking.best]
        number = self._number[ranking.matches[1].id]
        sibling = self._index.entry_terms[number]
        own = sum(w for t, w in terms.items() if best.get(t, 0.0) >= 1.0 > sibling.get(t, 0.0))
        other = sum(w for t, w in terms.items() if sibling.get(t, 0.0) >= 1.0 > best.get(t, 0.0))
        share = self._string_share(number)
        marker = max((share.get(t, 0.0) for t in terms if best.get(t, 0.0) < 1.0), default=0.0)
        return own / total, other / total, marker

    def _rare_marker(self, ranking: _Ranking) -> float:
        """The largest share of the second entry's match strings that say a term of the
        question weighing at least `rare_weight` of it, among the terms that at most
        `rare_best` of the best entry's match strings say (see Thresholds.rare_marker)."""
        terms = ranking.terms
        total = sum(terms.values())
        if total <= 0:
            return 0.0
        t = self.thresholds
        best = self._string_share(ranking.best)
        second = self._string_share(self._number[ranking.matches[1].id])
        return max(
            (
                second.get(term, 0.0)
                for term, weight in terms.items()
                if weight >= t.rare_weight * total and best.get(term, 0.0) <= t.rare_best
            ),
            default=0.0,
        )

    def _string_share(self, number: int) -> dict[str, float]:
        """Content term -> the share of entry ``number``'s match strings that have it
        (computed on first use: siblings and second entries need it)."""
        if number not in self._string_shares:
            if self._entry_strings is None:  # each entry's strings, grouped once
                grouped: list[list[_String]] = [[] for _ in self._index.entry_terms]
                for string in self._index.strings:
                    grouped[string.entry].append(string)
                self._entry_strings = grouped
            counts, strings = Counter[str](), 0
            for string in self._entry_strings[number]:
                strings += 1
                counts.update(t for t, f in string.factors.items() if f == 1.0)
            self._string_shares[number] = {t: c / strings for t, c in counts.items()}
        return self._string_shares[number]

    def _may_decide(self, ranking: _Ranking, script: str) -> bool:
        """Whether a second reading agreeing would change the decision of a Khmer or
        mixed question: scored enough for the agreement rule, yet without the lead to be
        answered otherwise (a second reading costs time: only then is it worth it)."""
        t, ranked = self.thresholds, ranking.matches
        floor, margin = (
            (t.mixed_agree_answer, t.mixed_agree_margin)
            if script == "mixed"
            else (t.khmer_agree_answer, t.khmer_agree_margin)
        )
        if not ranked or ranked[0].score < floor:
            return False
        best = ranked[0].score
        lead = best - (ranked[1].score if len(ranked) > 1 else 0.0)
        return margin <= lead < self._lead_needed(best, t) + _EXTRA_MARGIN[script](t)

    def _halves_agree(self, normalized: str, ranking: _Ranking) -> bool:
        """Whether a mixed question's Khmer words alone (with NSSF) and its Latin words
        alone each rank its best entry first: two readings that share no word."""
        runs = _RUNS.findall(normalized)
        khmer = " ".join(r for r in runs if is_khmer(r[0]) or r == NSSF_TOKEN)
        latin = " ".join(r for r in runs if not is_khmer(r[0]))
        for half in (khmer, latin):
            scored = self._scores(half, tokenize(half))
            if scored.best != ranking.best:
                return False
        return True

    def decide(self, analysis: Analysis, thresholds: Thresholds | None = None) -> Decision:
        """The decision for an analysed question (``thresholds``: to calibrate them)."""
        t = thresholds or self.thresholds
        normalized, ranking = analysis.normalized, analysis.ranking
        if analysis.reason == "person":
            return Decision("person", (), normalized, "person")
        if analysis.reason:
            return Decision("none", (), normalized, analysis.reason)
        ranked, units = ranking.matches, ranking.units
        top = tuple(ranked[: t.max_choices])
        if not ranked:
            return Decision("none", (), normalized, "no shared terms")
        if not _LETTER.search(normalized):
            return Decision("none", top, normalized, "no words")
        # The romanized examples only rank: answering needs the question's own scores.
        best, second = self._own_scores(ranking, t)
        # The question is exactly one of an entry's match strings (faq check keeps those
        # unique), or it scores high enough with a clear lead, and the entry explains
        # what it asks.
        exact = best == 100.0 and second < 100.0
        lead_needed = self._lead_needed(best, t) + _EXTRA_MARGIN[analysis.script](t)
        if analysis.script == "romanized" and ranking.sound_agrees and best >= t.agree_answer:
            lead_needed = min(lead_needed, t.agree_margin)
        if ranking.examples_agree and not ranking.unknown and best >= t.examples_answer:
            lead_needed = min(lead_needed, t.examples_margin)
        if ranking.halves_agree and best >= t.mixed_agree_answer:
            lead_needed = min(lead_needed, t.mixed_agree_margin)
        if analysis.script == "khmer" and ranking.sound_agrees and best >= t.khmer_agree_answer:
            lead_needed = min(lead_needed, t.khmer_agree_margin)
        if 0 <= ranking.distinct < t.sibling_distinct and ranking.counter >= t.sibling_counter:
            # A sibling second, and the question says what the sibling's phrasings say.
            lead_needed = max(lead_needed, t.sibling_margin)
        if ranking.marker >= t.sibling_marker:
            # And it has a word characteristic of the sibling that the best entry lacks.
            lead_needed = max(lead_needed, t.marker_margin)
        if ranking.rare >= t.rare_marker:
            # Any second entry: a word its phrasings often say and the best's hardly ever.
            lead_needed = max(lead_needed, t.rare_margin)
        if exact or (best - second >= lead_needed and self._unexplained(analysis, t) is None):
            return Decision("answer", top, normalized)
        choices = t.romanized_choices if analysis.script == "romanized" else t.choices
        threshold = max(t.choices_floor, choices - t.per_unit * max(0, units - t.long_question))
        best = ranked[0].score
        if ranking.lift:
            # The examples lift an entry into the choices only when the question's own
            # scores are those of a question about the FAQ at all.
            own = max(round(m.score - ranking.lift.get(m.id, 0.0), 1) for m in ranked)
            best = best if own >= t.lift_floor else own
        if best >= threshold:
            close = [m for m in top if m.score >= max(threshold, best - t.choice_gap)]
            return Decision("choices", top, normalized, offered=len(close))
        return Decision("none", top, normalized, "low score")
