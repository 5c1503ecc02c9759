"""Recognise a request to talk to a person ("I want to talk to a human", "សួរសហជីព").

Such a message is not a question for the FAQ: matching it would answer "where is the NSSF
office" or "what does the union demand". The patterns are in faq/person.txt. A message
is a person request when it contains one and says little else (at most
:data:`MAX_OTHER_UNITS` content words or syllables besides the pattern and request
words), so "can the union help me get my unpaid contributions back" is still a question.

Patterns know only the phrasings they were written from, so a message is also a request
by its structure (:class:`Structure`): a request verb and a person ("connect me staff",
ខ្ញុំចង់ពិគ្រោះជាមួយបុគ្គលិក, "nhom chong jub montrey sahachip"), a person who should call
me, a number and a person, "not the bot", with little else; from words by role listed
in faq/person.txt (`@` lines), typing errors tolerated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from rapidfuzz.distance import DamerauLevenshtein

from faq.normalize import normalize
from faq.romanize import skeleton
from faq.tokens import (
    LATIN_STOPWORDS,
    ROMANIZED_PARTICLES,
    Tokens,
    function_word_mask,
    khmer_syllables,
    tokenize,
)

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
    structure: Structure | None = None

    @classmethod
    def load(cls, path: Path = PERSON_FILE) -> PersonPatterns:
        khmer: list[tuple[str, ...]] = []
        latin: set[tuple[str, ...]] = set()
        romanized: dict[str, tuple[str, ...]] = {}
        whole: set[str] = set()
        vocabulary_khmer: list[tuple[str, ...]] = []
        vocabulary_latin: set[str] = set()
        vocabulary_sounds: set[str] = set()
        roles: list[str] = []
        longest = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("@"):
                roles.append(line)
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
            Structure.parse(roles),
        )

    def matches(self, normalized: str, tokens: Tokens) -> bool:
        """Whether a normalized message (and its tokens) is a request for a person."""
        if normalized.replace(" ", "") in self.whole:
            return True
        if self.structure is None:
            return self._khmer(tokens.khmer) or self._latin(tokens.latin)
        units = self.structure.units(normalized)
        found: set[str] = set().union(*(roles for roles, _ in units))
        if "bot" not in found and found & {"not", "third"}:
            # "my boss won't let me talk to the union" is a grievance, "my friend is a
            # union officer, is he covered" a question about someone else.
            return False
        if "block" in found and "org" not in found:
            return False  # NSSF's own number and office are FAQ entries
        return (
            self._khmer(tokens.khmer)
            or self._latin(tokens.latin, self._khmer_other(tokens.khmer))
            or self.structure.matches(units, found)
        )

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

    def _khmer_other(self, syllables: tuple[str, ...]) -> float:
        """How many Khmer words (two syllables to a word) say something besides a request."""
        if not syllables:
            return 0.0
        mask = function_word_mask(syllables)
        covered: set[int] = set()
        for word in self.vocabulary_khmer:
            covered.update(_all(syllables, word))
        return sum(1 for i in range(len(syllables)) if i not in covered and not mask[i]) / 2

    def _latin(self, words: tuple[str, ...], khmer_other: float = 0.0) -> bool:
        # Words may be split or joined differently ("cheamuoy", "jea muoy"): a window of
        # up to two words more than the longest pattern is compared by its skeleton. The
        # Khmer words of a mixed message count too: "union ទាមទារឲ្យមាន hospital partner
        # ច្រើនទៀតមែនទេ?" asks what the union wants, whatever its Latin words say.
        content = _latin_words(words)
        for start in range(len(content)):
            for end in range(start + 1, min(len(content), start + self.longest + 2) + 1):
                window = tuple(content[start:end])
                pattern = self.romanized.get(skeleton(" ".join(window)))
                if window in self.latin or (
                    pattern is not None and aligned(tuple(map(skeleton, window)), pattern)
                ):
                    other = [w for w in content[:start] + content[end:] if not self._asking(w)]
                    if len(other) + khmer_other <= MAX_OTHER_UNITS:
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


# --- Structure: a request verb and a person, with little else -----------------------
#
# Patterns know the phrasings they were written from; workers ask in many more ways.
# `@` lines of faq/person.txt give words by role, in every script (Khmer by syllables,
# English word for word with one typing error allowed in long words, romanized Khmer
# after `~` by spelling, or by skeleton when it keeps four letters or more):
#
# - verb: asking to reach someone (talk, ជួប, "niyeay"); back: the verbs a person does
#   *to me* ("someone call me", បុគ្គលិកខលមក); callme: those that ask for a person
#   with "me" alone ("call me back", "dm me"); ask: asking verbs (សួរ, "sour"),
#   which reach only a person, never "bong" (ask *you* about a pension is a question);
# - person: a human (staff, មនុស្ស, "mnus"); org: the union; weak: a polite "you"
#   (bong, អ្នកគ្រូ) that is a person only after a verb; number: a number or contact;
# - bot: the bot itself; not: a negation; third: he, she, they (someone else's case);
#   me: "me"/មក/"mok" after a back verb;
# - fill: words of asking or of whom and how (want, សុំ, ផ្ទាល់, "phtal"), no topic;
# - block: NSSF or a ministry (their numbers and offices are FAQ entries);
# - word: English words one letter away from a word above ("stuff", "contract"): content;
# - what: asking what (អ្វី, "ey"): "what does the union help with" is a question.
#
# A message is a request when it has, with at most MAX_STRUCTURE_OTHER other content
# words (a Khmer syllable is half a word, a bare consonant a quarter): a verb and later
# a person; a person and later a back verb and "me" (or nothing more); a number and a
# person; a bot word and a negation or a person; or a person with words of asking only.
# A negation or "he"/"she"/"they" without a bot word ("my boss won't let me talk to the
# union") is no request (PersonPatterns.matches), nor is NSSF without the union.

MAX_STRUCTURE_OTHER = 2.0
# Romanized words are compared by skeleton only when it keeps four letters or more:
# shorter skeletons are shared by English words ("report" and "robot" are both "rpt").
MIN_SOUND = 4
# Content words allowed around a plain request (:func:`_asks`).
MAX_CONTEXT_OTHER = 6.0
MIN_PHONE_DIGITS = 8  # a Cambodian phone number has 9 or 10 digits; the hotline has 4
MAX_SEEN = 1 << 16  # Latin words and runs remembered with their roles
_ROLES = frozenset(
    {
        "verb",
        "back",
        "callme",
        "ask",
        "person",
        "org",
        "weak",
        "who",
        "number",
        "bot",
        "not",
        "third",
        "me",
        "fill",
        "direct",
        "want",
        "block",
        "word",
        "what",
    }
)
_PEOPLE = frozenset({"person", "org", "weak"})


@dataclass(frozen=True, slots=True)
class Structure:
    """Words by role (see above), analysed once."""

    english: dict[str, frozenset[str]]
    spellings: dict[str, frozenset[str]]  # romanized words and phrases, spaces removed
    sounds: dict[str, frozenset[str]]  # skeletons of romanized items (MIN_SOUND letters or more)
    phrases: dict[str, frozenset[str]]  # the same, of items of several words only
    longest_latin: int
    # Words of the roles that matter, by their consonants (three or more), for typos.
    khmer_letters: dict[str, frozenset[str]]
    # English and romanized words of the roles that matter, by first letter, for typos.
    typos: dict[str, tuple[tuple[str, frozenset[str]], ...]]
    # Every beginning of those consonants, and of the phrases' skeletons: a look-up
    # stops as soon as what it has read begins none of them.
    letter_prefixes: frozenset[str]
    phrase_prefixes: frozenset[str]
    # Khmer words by first syllable, longest first.
    khmer_by_first: dict[str, tuple[tuple[tuple[str, ...], frozenset[str]], ...]]
    # The roles of Latin words and runs of words already looked up (a typo is compared
    # with every English word once per word, not once per message).
    seen: dict[str, frozenset[str] | None] = field(default_factory=dict, compare=False)

    @classmethod
    def parse(cls, lines: list[str]) -> Structure:
        khmer: dict[tuple[str, ...], set[str]] = {}
        english: dict[str, set[str]] = {}
        spellings: dict[str, set[str]] = {}
        sounds: dict[str, set[str]] = {}
        phrases: dict[str, set[str]] = {}
        longest_latin = 1
        for line in lines:
            head, _, rest = line[1:].partition(" ")
            romanized = head.endswith("~")
            role = head.removesuffix("~")
            if role not in _ROLES:
                raise ValueError(f"faq/person.txt: unknown role {head!r}")
            for item in rest.split():
                text = normalize(item.replace("_", " "))
                tokens = tokenize(text)
                if tokens.khmer and not tokens.latin:
                    khmer.setdefault(tokens.khmer, set()).add(role)
                elif romanized:
                    words = text.split()
                    longest_latin = max(longest_latin, len(words))
                    spellings.setdefault("".join(words), set()).add(role)
                    sound = skeleton(text)
                    if len(sound) >= MIN_SOUND:
                        sounds.setdefault(sound, set()).add(role)
                    if len(words) > 1 and len(sound) >= MIN_SOUND:
                        phrases.setdefault(sound, set()).add(role)
                else:
                    words = text.split()
                    longest_latin = max(longest_latin, len(words))
                    english.setdefault(" ".join(words), set()).add(role)
        return cls(
            {k: frozenset(v) for k, v in english.items()},
            {k: frozenset(v) for k, v in spellings.items()},
            {k: frozenset(v) for k, v in sounds.items()},
            {k: frozenset(v) for k, v in phrases.items()},
            longest_latin,
            {
                _letters("".join(k)): frozenset(v)
                for k, v in khmer.items()
                if len(_letters("".join(k))) >= 3 and v <= _TYPO_ROLES
            },
            _by_letter(english, spellings),
            _prefixes(_letters("".join(k)) for k, v in khmer.items() if v <= _TYPO_ROLES),
            _prefixes(phrases),
            _by_first({k: frozenset(v) for k, v in khmer.items()}),
        )

    def units(self, normalized: str) -> list[tuple[frozenset[str], float]]:
        """The message's words in order, each with its roles and its weight as content."""
        units: list[tuple[frozenset[str], float]] = []
        for run in _RUN.findall(normalized):
            if "\u1780" <= run[0] <= "\u17dd":
                units.extend(self._khmer_units(khmer_syllables(run)))
            else:
                units.extend(self._latin_units(run.split()))
        return units

    def _khmer_units(self, syllables: list[str]) -> list[tuple[frozenset[str], float]]:
        mask = function_word_mask(syllables)
        units: list[tuple[frozenset[str], float]] = []
        position = 0
        while position < len(syllables):
            for word, roles in self.khmer_by_first.get(syllables[position], ()):
                if tuple(syllables[position : position + len(word)]) == word:
                    units.append((roles, 0.0))
                    position += len(word)
                    break
            else:
                size, misspelt = (
                    (0, None) if mask[position] else self._khmer_typo(syllables, position)
                )
                if misspelt is not None:
                    units.append((misspelt, 0.0))
                    position += size
                    continue
                syllable = syllables[position]
                units.append((_FILL, 0.0) if mask[position] else (_OTHER, _weight(syllable)))
                position += 1
        return units

    def _khmer_typo(
        self, syllables: list[str], position: int
    ) -> tuple[int, frozenset[str] | None]:
        """A word of a role misspelt from here: the same consonants (មនុស for មនុស្ស)."""
        letters = ""
        found: tuple[int, frozenset[str] | None] = (0, None)
        for size in range(1, min(_KHMER_TYPO_SYLLABLES, len(syllables) - position) + 1):
            more = _letters(syllables[position + size - 1])
            letters += more[1:] if letters and more and letters[-1] == more[0] else more
            if letters not in self.letter_prefixes:
                break
            roles = self.khmer_letters.get(letters)
            if roles is not None:
                found = (size, roles)  # the longest wins
        return found

    def _latin_units(self, words: list[str]) -> list[tuple[frozenset[str], float]]:
        units: list[tuple[frozenset[str], float]] = []
        position = 0
        while position < len(words):
            for size in range(min(self.longest_latin, len(words) - position), 0, -1):
                roles = self._latin_roles(words[position : position + size])
                if roles is not None:
                    units.append((_OTHER, 1.0) if roles == _WORD else (roles, 0.0))
                    position += size
                    break
            else:
                word = words[position]
                if word[0].isdigit():
                    # A phone number, often typed in groups ("012 345 678"): eight digits
                    # or more in a row of numbers; a shorter number (1286) is only a number.
                    end = position
                    while end < len(words) and words[end].isdigit():
                        end += 1
                    digits = sum(map(len, words[position:end]))
                    units.append((_PHONE if digits >= MIN_PHONE_DIGITS else _FILL, 0.0))
                    position = max(end, position + 1)
                    continue
                plain = word in LATIN_STOPWORDS or len(word) == 1
                units.append((_FILL, 0.0) if plain else (_OTHER, 1.0))
                position += 1
        return units

    def _latin_roles(self, words: list[str]) -> frozenset[str] | None:
        text = " ".join(words)
        if text not in self.seen:
            if len(self.seen) > MAX_SEEN:
                self.seen.clear()
            self.seen[text] = self._window_roles(text, words)
        return self.seen[text]

    def _window_roles(self, text: str, words: list[str]) -> frozenset[str] | None:
        roles = self.english.get(text) or self.spellings.get("".join(words))
        if roles is not None:
            return roles
        if len(words) == 1:
            return self._word_roles(text)
        # A phrase split or joined differently ("teak tong" ~ "tea ktong"), every word
        # kept; several words are never one word's skeleton ("muayna drouv" ~ "montrei").
        if skeleton(words[0]) not in self.phrase_prefixes:
            return None
        sound = skeleton(text)
        if sound in self.phrases and _joined(tuple(map(skeleton, words))) is not None:
            return self.phrases[sound]
        return None

    def _word_roles(self, word: str) -> frozenset[str] | None:
        """The roles of one Latin word not known as spelt: a typo, a sound."""
        plain = _R_AFTER_VOWEL.sub("", word)  # "jourb" is "joub", "mork" is "mok"
        if plain != word and plain in self.spellings:
            return self.spellings[plain]
        if len(word) >= 4 and word not in LATIN_STOPWORDS:
            for known, known_roles in self.typos.get(word[0], ()):
                if _typo(word, known):
                    return known_roles
        sound = skeleton(word)
        return self.sounds.get(sound) if len(sound) >= MIN_SOUND else None

    def matches(self, units: list[tuple[frozenset[str], float]], found: set[str]) -> bool:
        """Whether a message's units (:meth:`units`) make a request for a person."""
        roles = [unit[0] for unit in units]
        other = sum(unit[1] for unit in units)
        if other > MAX_STRUCTURE_OTHER:
            # A few words about the worker's situation, then a plain request: "hello, i
            # work at a garment factory, i have a problem with my boss, can i talk to
            # someone from the union".
            return other <= MAX_CONTEXT_OTHER and not found & {"what", "bot"} and _asks(roles)
        if "bot" in found:
            # "not a bot", "this answer doesn't help, a person please"; but "i am not a
            # robot, i am a worker, when do i get my pension" asks about something else.
            # "is this an automatic reply?", "are you a bot": with nothing else, a person.
            return bool(found & {"person", "org"}) or not other
        if "not" in found:
            return False
        if "number" in found and found & _PEOPLE:
            return True
        if "phone" in found and found & {"callme", "back"}:
            # A phone number to be called on: "my number 012 345 678 please call",
            # "whatsapp 096 123 4567"; not "my number is now 012 345 678, update my card".
            return True
        if "person" in found and not found & {"number", "other", "what"}:
            return True  # "real person pls", "សុំមនុស្ស", "any staff available to chat"
        if "callme" in found and not found & {"other", "what"}:
            asked = [r for r in roles if not r <= _PLAIN]
            if any("callme" in r and "me" in n for r, n in pairwise(asked)):
                return True  # "call me back", "dm me pls", "bong tel mok"
        if not other and "what" not in found:
            asked = [r for r in roles if not r <= _QUIET]
            verbs = [bool(r & _VERBS) for r in asked]
            if len(asked) > 1 and asked[0] & (_PEOPLE | {"who"}) and any(verbs[1:]):
                # Someone addressed first, then only a verb: "bong srey, i want to ask
                # you directly", បងប្រុសសហជីព ខ្ញុំមានរឿងចង់ពិភាក្សា, "who can i talk to".
                return True
            if (
                "direct" in found
                and "verb" in found
                and all(v or "direct" in r for v, r in zip(verbs, asked, strict=True))
            ):
                return True  # a verb and "directly" only: ខ្ញុំចង់ជួបផ្ទាល់, "can i call directly"
        for i, here in enumerate(roles):
            if "what" in here:
                break  # "what help can the union give": a question about what they do
            later = set().union(*roles[i + 1 :]) if i + 1 < len(roles) else set()
            if "verb" in here and later & _PEOPLE:
                return True
            if "ask" in here and later & {"person", "org"}:
                return True
            if here & _PEOPLE:
                for j in range(i + 1, len(roles)):
                    after = roles[j + 1 :]
                    if "back" in roles[j] and (
                        any("me" in r for r in after) or all(r <= _PLAIN for r in after)
                    ):
                        return True  # "someone call me", "is there a human to answer"
        return False


_FILL = frozenset({"fill"})
_PHONE = frozenset({"phone"})
# Words that say nothing by themselves when looking for who is addressed first.
_PLAIN = frozenset({"fill", "direct", "want"})  # asking words: no topic, no one to reach
_QUIET = _PLAIN | {"me"}
_VERBS = frozenset({"verb", "ask", "back", "callme"})
_WORD = frozenset({"word"})
_OTHER = frozenset({"other"})
# Runs of one script, in order: Khmer letters and marks, or Latin words and digits.
_RUN = re.compile(r"[\u1780-\u17dd]+|[^\u1780-\u17dd]+")


# Romanized Khmer often writes a vowel's length with an "r" ("jourb", "dorng", "ort").
_R_AFTER_VOWEL = re.compile(r"(?<=[aeiou])r(?=[^aeiouy]|$)")
_KHMER_TYPO_SYLLABLES = 4
# Roles whose Khmer words are recognised misspelt (a polite "you" is too short to).
_TYPO_ROLES = frozenset({"verb", "back", "ask", "person", "org", "number", "bot"})
_KHMER_CONSONANT = re.compile(r"[\u1780-\u17a2]")


def _asks(roles: list[frozenset[str]]) -> bool:
    """Whether a word of wanting is followed by a request verb and a person or the union
    ("want to talk to the union", សុំទាក់ទងបុគ្គលិក), or by a person, a verb done to me
    and "me" ("need someone to call me"), with only words of asking in between."""
    for i, here in enumerate(roles):
        if "want" not in here:
            continue
        rest = [r for r in roles[i + 1 :] if not r <= _QUIET]
        if len(rest) >= 2 and "verb" in rest[0] and rest[1] & {"person", "org"}:
            return True
        rest = [r for r in roles[i + 1 :] if not r <= _QUIET or "me" in r]
        if len(rest) >= 3 and "person" in rest[0] and "back" in rest[1] and "me" in rest[2]:
            return True
    return False


def _weight(syllable: str) -> float:
    """A Khmer syllable as content: half a word, a bare consonant (often the final of the
    syllable before: រោងចក្រ is រោ ង ច ក្រ) a quarter."""
    return 0.5 if len(syllable) > 1 else 0.25


@lru_cache(maxsize=1 << 14)
def _letters(khmer: str) -> str:
    """A Khmer word's consonants, a letter doubled by a subscript once (មនុស្ស -> មនស)."""
    letters = _KHMER_CONSONANT.findall(khmer)
    return "".join(c for i, c in enumerate(letters) if not i or letters[i - 1] != c)


def _prefixes(words: Iterable[str]) -> frozenset[str]:
    return frozenset(word[:end] for word in words for end in range(1, len(word) + 1))


def _by_first(
    words: dict[tuple[str, ...], frozenset[str]],
) -> dict[str, tuple[tuple[tuple[str, ...], frozenset[str]], ...]]:
    by_first: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
    for word in sorted(words, key=len, reverse=True):
        by_first.setdefault(word[0], []).append((word, words[word]))
    return {first: tuple(group) for first, group in by_first.items()}


def _by_letter(
    *lexicons: dict[str, set[str]],
) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    by_letter: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for lexicon in lexicons:
        for word, roles in lexicon.items():
            if " " not in word and roles <= _TYPO_ROLES:
                by_letter.setdefault(word[0], []).append((word, frozenset(roles)))
    return {letter: tuple(group) for letter, group in by_letter.items()}


def _typo(word: str, known: str) -> bool:
    """One typing error after the first letter in a word of five letters or more, or two
    letters swapped ("humen", "tlak")."""
    if " " in known or abs(len(word) - len(known)) > 1 or word[0] != known[0]:
        return False
    distance = DamerauLevenshtein.distance(word, known, score_cutoff=1)
    if distance > 1:
        return False
    return len(known) >= 5 or sorted(word) == sorted(known)
