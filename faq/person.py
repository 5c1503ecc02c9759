"""Recognise a request to talk to a person ("I want to talk to a human", "សួរសហជីព").

Such a message is not a question for the FAQ: matching it would answer "where is the NSSF
office" or "what does the union demand". The patterns are in faq/person.txt. A message
is a person request when it contains one and says little else (at most
:data:`MAX_OTHER_UNITS` content words or syllables besides the pattern and request
words), so "can the union help me get my unpaid contributions back" is still a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from faq.normalize import normalize
from faq.romanize import skeleton
from faq.tokens import LATIN_STOPWORDS, ROMANIZED_PARTICLES, Tokens, function_word_mask, tokenize

__all__ = ["PERSON_FILE", "PersonPatterns"]

PERSON_FILE = Path(__file__).with_name("person.txt")
# Content left over besides the pattern: "ខ្ញុំចង់និយាយជាមួយមនុស្ស" has none, "I want to talk
# to a human about my pension please" has one ("pension").
MAX_OTHER_UNITS = 3
# Words of asking that say nothing about a topic.
_REQUEST_WORDS = frozenset(
    "want need like would wanna let directly now right please someone chong trov som".split()  # noqa: SIM905
)


_IGNORED = LATIN_STOPWORDS - ROMANIZED_PARTICLES  # "jea muoy" (with) is part of a pattern


def _latin_words(words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w not in _IGNORED and not w[0].isdigit()]


@dataclass(frozen=True, slots=True)
class PersonPatterns:
    """The curated person-request patterns, analysed once."""

    khmer: tuple[tuple[str, ...], ...]
    latin: frozenset[tuple[str, ...]]  # English patterns, word for word
    romanized: dict[str, tuple[str, ...]]  # joined skeleton -> the pattern's word skeletons
    longest: int  # the most words a Latin pattern has
    whole: frozenset[str]  # messages that are a request on their own (spaces removed)
    # Words about whom to reach or how ("union", "staff", "directly", "urgent", "I"): not
    # counted as other content next to a pattern. Khmer as syllables, Latin word for word,
    # romanized Khmer by skeleton.
    vocabulary_khmer: tuple[tuple[str, ...], ...] = ()
    vocabulary_latin: frozenset[str] = frozenset()
    vocabulary_sounds: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path = PERSON_FILE) -> PersonPatterns:
        khmer: list[tuple[str, ...]] = []
        latin: set[tuple[str, ...]] = set()
        romanized: dict[str, tuple[str, ...]] = {}
        whole: set[str] = set()
        vocabulary_khmer: list[tuple[str, ...]] = []
        vocabulary_latin: set[str] = set()
        vocabulary_sounds: set[str] = set()
        longest = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith(("+ ", "+~ ")):
                for word in line.split()[1:]:
                    tokens = tokenize(normalize(word))
                    if tokens.khmer:
                        vocabulary_khmer.append(tokens.khmer)
                    elif line.startswith("+~ "):
                        vocabulary_sounds.update(
                            s for s in map(skeleton, tokens.latin) if len(s) > 1
                        )
                    else:
                        vocabulary_latin.update(tokens.latin)
                continue
            if line.startswith("= "):
                whole.add(normalize(line[2:]).replace(" ", ""))
                continue
            phonetic = line.startswith("~ ")
            tokens = tokenize(normalize(line.removeprefix("~ ")))
            words = _latin_words(tokens.latin)
            if tokens.khmer:
                khmer.append(tokens.khmer)
            elif phonetic:
                romanized[skeleton(" ".join(words))] = tuple(map(skeleton, words))
            elif words:
                latin.add(tuple(words))
            longest = max(longest, len(words))
        return cls(
            tuple(khmer),
            frozenset(latin),
            romanized,
            longest,
            frozenset(whole),
            tuple(vocabulary_khmer),
            frozenset(vocabulary_latin),
            frozenset(vocabulary_sounds),
        )

    def matches(self, normalized: str, tokens: Tokens) -> bool:
        """Whether a normalized message (and its tokens) is a request for a person."""
        if normalized.replace(" ", "") in self.whole:
            return True
        return self._khmer(tokens.khmer) or self._latin(tokens.latin)

    def _khmer(self, syllables: tuple[str, ...]) -> bool:
        if not syllables:
            return False
        joined = "".join(syllables)
        for pattern in self.khmer:
            # A cheap substring test first; most messages contain no pattern at all.
            start = _find(syllables, pattern) if "".join(pattern) in joined else -1
            if start >= 0:
                mask = function_word_mask(syllables)
                covered = set(range(start, start + len(pattern)))
                for word in self.vocabulary_khmer:
                    covered.update(_all(syllables, word))
                other = sum(1 for i in range(len(syllables)) if i not in covered and not mask[i])
                if other <= 2 * MAX_OTHER_UNITS:  # syllables: a word is often two
                    return True
        return False

    def _latin(self, words: tuple[str, ...]) -> bool:
        # Words may be split or joined differently ("cheamuoy", "jea muoy"): a window of
        # up to two words more than the longest pattern is compared by its skeleton.
        content = _latin_words(words)
        for start in range(len(content)):
            for end in range(start + 1, min(len(content), start + self.longest + 2) + 1):
                window = tuple(content[start:end])
                pattern = self.romanized.get(skeleton(" ".join(window)))
                if window in self.latin or (
                    pattern is not None and aligned(tuple(map(skeleton, window)), pattern)
                ):
                    other = [w for w in content[:start] + content[end:] if not self._asking(w)]
                    if len(other) <= MAX_OTHER_UNITS:
                        return True
        return False

    def _asking(self, word: str) -> bool:
        """Whether a Latin word next to a pattern only says whom to reach or how."""
        return (
            word in _REQUEST_WORDS
            or word in self.vocabulary_latin
            or skeleton(word) in self.vocabulary_sounds
        )


def _all(sequence: tuple[str, ...], pattern: tuple[str, ...]) -> set[int]:
    """The positions covered by every contiguous occurrence of ``pattern`` in ``sequence``."""
    size = len(pattern)
    return {
        start + offset
        for start in range(len(sequence) - size + 1)
        if size and sequence[start : start + size] == pattern
        for offset in range(size)
    }


def aligned(words: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """Whether two skeleton sequences are the same words, split or joined differently.

    Each word of one side must be one or more consecutive words of the other joined
    ("jea muoy" ~ "cheamuoy"), so that "riel per person" does not pass for "real person";
    a word joined must keep a letter of its own: "sahachip" is not "sour sahachip"
    (skeleton "s" + "scp" collapses to "scp").
    """
    if not words or not pattern:
        return not words and not pattern
    for take in range(1, len(words) + 1):
        for give in range(1, len(pattern) + 1):
            if take > 1 and give > 1:
                break
            joined = _joined(words[:take])
            if (
                joined is not None
                and joined == _joined(pattern[:give])
                and aligned(words[take:], pattern[give:])
            ):
                return True
    return False


def _joined(parts: tuple[str, ...]) -> str | None:
    """The skeleton of skeletons joined, or None when one of them adds no letter to it."""
    joined = skeleton(" ".join(parts))
    if len(parts) > 1 and any(len(joined) <= len(part) for part in parts):
        return None
    return joined


def _find(sequence: tuple[str, ...], pattern: tuple[str, ...]) -> int:
    """The first position of ``pattern`` as a contiguous run in ``sequence``, or -1."""
    size = len(pattern)
    if not size:
        return -1
    for start in range(len(sequence) - size + 1):
        if sequence[start : start + size] == pattern:
            return start
    return -1
