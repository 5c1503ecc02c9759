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
from faq.tokens import LATIN_STOPWORDS, Tokens, function_word_mask, tokenize

__all__ = ["PERSON_FILE", "PersonPatterns"]

PERSON_FILE = Path(__file__).with_name("person.txt")
# Content left over besides the pattern: "ខ្ញុំចង់និយាយជាមួយមនុស្ស" has none, "I want to talk
# to a human about my pension please" has one ("pension").
MAX_OTHER_UNITS = 3
# Words of asking that say nothing about a topic.
_REQUEST_WORDS = frozenset(
    "want need like would wanna let directly now right please someone chong trov som".split()  # noqa: SIM905
)


def _latin_words(words: tuple[str, ...]) -> list[str]:
    return [w for w in words if w not in LATIN_STOPWORDS and not w[0].isdigit()]


@dataclass(frozen=True, slots=True)
class PersonPatterns:
    """The curated person-request patterns, analysed once."""

    khmer: tuple[tuple[str, ...], ...]
    latin: frozenset[str]  # skeletons of the Latin patterns, words joined
    longest: int  # the most words a Latin pattern has

    @classmethod
    def load(cls, path: Path = PERSON_FILE) -> PersonPatterns:
        khmer: list[tuple[str, ...]] = []
        latin: set[str] = set()
        longest = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            tokens = tokenize(normalize(line))
            if tokens.khmer:
                khmer.append(tokens.khmer)
            elif tokens.latin:
                words = _latin_words(tokens.latin)
                latin.add(skeleton(" ".join(words)))
                longest = max(longest, len(words))
        return cls(tuple(khmer), frozenset(latin), longest)

    def matches(self, tokens: Tokens) -> bool:
        """Whether the tokens of a normalized message are a request for a person."""
        return self._khmer(tokens.khmer) or self._latin(tokens.latin)

    def _khmer(self, syllables: tuple[str, ...]) -> bool:
        if not syllables:
            return False
        for pattern in self.khmer:
            start = _find(syllables, pattern)
            if start >= 0:
                mask = function_word_mask(syllables)
                covered = range(start, start + len(pattern))
                other = sum(1 for i in range(len(syllables)) if i not in covered and not mask[i])
                if other <= MAX_OTHER_UNITS + 1:  # syllables, a word is often two
                    return True
        return False

    def _latin(self, words: tuple[str, ...]) -> bool:
        # Words may be split or joined differently ("cheamuoy", "jea muoy"): a window of
        # up to two words more than the longest pattern is compared by its skeleton.
        content = _latin_words(words)
        for start in range(len(content)):
            for end in range(start + 1, min(len(content), start + self.longest + 2) + 1):
                if skeleton(" ".join(content[start:end])) in self.latin:
                    other = [w for w in content[:start] + content[end:] if w not in _REQUEST_WORDS]
                    if len(other) <= MAX_OTHER_UNITS:
                        return True
        return False


def _find(sequence: tuple[str, ...], pattern: tuple[str, ...]) -> int:
    """The first position of ``pattern`` as a contiguous run in ``sequence``, or -1."""
    size = len(pattern)
    if not size:
        return -1
    for start in range(len(sequence) - size + 1):
        if sequence[start : start + size] == pattern:
            return start
    return -1
