"""The FAQ content: schema, loader and checker for the YAML files under ``faq/data``.

Every problem is reported with its file and line, so an editor can fix the content
without reading Python. :func:`load_faq` raises :class:`FaqError` with all problems at
once; :func:`check_faq` returns them (it also applies the editorial rules, such as
review dates, that must not stop a running bot).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from faq.check import Fact, digits_ascii, load_facts, mixes_digit_styles, numbers_in
from faq.normalize import is_khmer, normalize

__all__ = [
    "DATA_DIR",
    "FACTS_FILE",
    "SIBLINGS_FILE",
    "TELEGRAM_MESSAGE_LIMIT",
    "Category",
    "Entry",
    "Faq",
    "FaqError",
    "Problem",
    "check_faq",
    "load_faq",
    "sibling_groups",
]

Lang = Literal["km", "en"]
LANGS: tuple[Lang, ...] = ("km", "en")

DATA_DIR = Path(__file__).parent / "data"
TOPICS_FILE = Path(__file__).parent / "topics.yaml"
FACTS_FILE = Path(__file__).parent / "facts.yaml"
# Sibling entries (one group a line): read by faq/matcher.py, validated here.
SIBLINGS_FILE = Path(__file__).parent / "siblings.txt"
# A Bot API text message holds 4,096 characters; the bot adds a footer (review date and
# source) of at most FOOTER_RESERVE characters below the answer.
TELEGRAM_MESSAGE_LIMIT = 4096
FOOTER_RESERVE = 300
HOTLINE = "1286"
# Answers are read on phones: longer than this is a warning (not an error).
ANSWER_AIM = 600
# The legal basis is one line of the footer.
LEGAL_BASIS_MAX = 120


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Localized(_Model):
    """One text in Khmer and in English."""

    km: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        """Return the text in ``lang``, Khmer for any language we do not have."""
        return self.en if lang == "en" else self.km


class Phrasings(_Model):
    km: tuple[str, ...] = Field(min_length=4)
    en: tuple[str, ...] = ()


class LegalBasis(_Model):
    """The Law, Sub-Decree or Prakas an answer rests on, as the cited facts name it.

    It is shown in the footer under every answer, so it is kept to one short line.
    """

    km: str = Field(min_length=1, max_length=LEGAL_BASIS_MAX)
    en: str = Field(min_length=1, max_length=LEGAL_BASIS_MAX)

    def get(self, lang: str) -> str:
        """Return the text in ``lang``, Khmer for any language we do not have."""
        return self.en if lang == "en" else self.km


class AllowedNumber(_Model):
    """A number an answer may state although no cited fact states it, and why."""

    number: str = Field(pattern=r"^[0-9]+(\.[0-9]+)?$")
    reason: str = Field(min_length=10)


class Sources(_Model):
    # At least one of each, unless the entry ``needs_review`` (see :class:`Entry`).
    facts: tuple[int, ...]
    urls: tuple[str, ...]

    @field_validator("urls")
    @classmethod
    def _urls_are_http(cls, urls: tuple[str, ...]) -> tuple[str, ...]:
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"not an http(s) URL: {url!r}")
        return urls


class Entry(_Model):
    """One FAQ entry: the unit the matcher returns and the bot answers with."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    category: str
    question: Localized
    answer: Localized
    phrasings: Phrasings
    keywords: tuple[str, ...] = ()
    sources: Sources
    legal_basis: LegalBasis
    allowed_numbers: tuple[AllowedNumber, ...] = ()
    caution: bool = False
    last_reviewed: dt.date
    review_due: dt.date
    # Written by union staff in the bot ("Promote to FAQ", exported with `faq export`)
    # and not yet checked against the fact base: it may cite no facts or sources yet, and
    # `faq check` warns about it (an error with --strict) until a reviewer removes it.
    needs_review: bool = False

    @model_validator(mode="after")
    def _sourced(self) -> Entry:
        if not self.needs_review:
            for name in ("facts", "urls"):
                if not getattr(self.sources, name):
                    raise ValueError(
                        f"sources.{name} needs at least one item (an entry union staff "
                        f"wrote in the bot may say needs_review: true until it is reviewed)"
                    )
        return self

    def match_strings(self) -> Iterator[str]:
        """Every text the matcher compares a question with."""
        yield self.question.km
        yield self.question.en
        yield from self.phrasings.km
        yield from self.phrasings.en
        yield from self.keywords


class Category(_Model):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: Localized


@dataclasses.dataclass(frozen=True)
class Faq:
    """The loaded FAQ: categories in file order, entries in file order."""

    categories: tuple[Category, ...]
    entries: tuple[Entry, ...]
    _by_id: dict[str, Entry] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})

    def get(self, entry_id: str) -> Entry | None:
        """Return the entry with ``entry_id``, or None."""
        return self._by_id.get(entry_id)

    def in_category(self, category_id: str) -> list[Entry]:
        """Return the entries of one category, in file order."""
        return [entry for entry in self.entries if entry.category == category_id]


@dataclasses.dataclass(frozen=True, order=True)
class Problem:
    """One problem in the content, located at ``file:line``."""

    file: str
    line: int
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


class FaqError(Exception):
    """The FAQ content has errors; ``problems`` lists every one."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# --- YAML with line numbers ------------------------------------------------------------


try:  # libyaml ships in PyYAML's wheels; the pure-Python parser is the fallback.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _LineLoader(_SafeLoader):
    """A safe loader that records the line of every mapping and of each of its keys.

    libyaml's parser (CSafeLoader) reads the FAQ four times faster than the pure-Python
    one: the content is a fifth of the bot's start-up time.
    """


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = loader.construct_mapping(node, deep=True)  # type: ignore[assignment]
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = {
        key_node.value: value_node.start_mark.line + 1 for key_node, value_node in node.value
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k not in ("__line__", "__lines__")}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _line_of(raw: Mapping[str, Any], loc: Iterable[int | str]) -> int:
    """The line of the deepest mapping key along a pydantic error location."""
    line: int = raw.get("__line__", 1)
    node: Any = raw
    for part in loc:
        if isinstance(node, dict):
            line = node.get("__lines__", {}).get(part, line)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
            if isinstance(node, dict):
                line = node.get("__line__", line)
        else:
            break
    return line


# --- loading ---------------------------------------------------------------------------


@dataclasses.dataclass
class _Loaded:
    faq: Faq
    problems: list[Problem]
    lines: dict[str, tuple[str, int, Mapping[str, Any]]]  # entry id -> (file, line, raw)


def _load(data_dir: Path, topics_file: Path) -> _Loaded:
    problems: list[Problem] = []
    categories: list[Category] = []
    entries: list[Entry] = []
    lines: dict[str, tuple[str, int, Mapping[str, Any]]] = {}
    topics = yaml.safe_load(topics_file.read_text(encoding="utf-8")) or {}
    known = {slug: category for category, slugs in topics.items() for slug in slugs}

    files = sorted(data_dir.glob("*.yaml"))
    if not files:
        problems.append(Problem(str(data_dir), 0, "no FAQ files (*.yaml) found"))
    for path in files:
        name = str(path)
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            problems.append(Problem(name, line, f"not valid YAML: {exc}"))
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
            problems.append(Problem(name, 1, "expected a mapping with 'category' and 'entries'"))
            continue
        try:
            category = Category.model_validate(_strip_lines(raw.get("category")))
        except ValidationError as exc:
            for error in exc.errors():
                loc = ("category", *error["loc"])
                problems.append(Problem(name, _line_of(raw, loc), _describe(loc, error["msg"])))
            continue
        categories.append(category)
        for index, item in enumerate(raw["entries"]):
            line = item.get("__line__", 0) if isinstance(item, dict) else 0
            if not isinstance(item, dict):
                problems.append(
                    Problem(name, raw["__lines__"]["entries"], "entry is not a mapping")
                )
                continue
            try:
                entry = Entry.model_validate({**_strip_lines(item), "category": category.id})
            except ValidationError as exc:
                for error in exc.errors():
                    loc = ("entries", index, *error["loc"])
                    where = f"entry {item.get('id', index)!s}: "
                    message = where + _describe(error["loc"], error["msg"])
                    problems.append(Problem(name, _line_of(raw, loc), message))
                continue
            if entry.id in lines:
                first_file, first_line, _ = lines[entry.id]
                problems.append(
                    Problem(
                        name,
                        line,
                        f"duplicate id {entry.id!r} (first at {first_file}:{first_line})",
                    )
                )
                continue
            if entry.id not in known:
                problems.append(
                    Problem(name, line, f"unknown slug {entry.id!r} (not in {topics_file.name})")
                )
            elif known[entry.id] != category.id:
                problems.append(
                    Problem(name, line, f"{entry.id!r} belongs to category {known[entry.id]!r}")
                )
            lines[entry.id] = (name, line, item)
            entries.append(entry)

    # The registry's order is the reading order (/topics, faq list), not the file names'.
    position = {slug: n for n, slug in enumerate(known)}
    category_position = {category_id: n for n, category_id in enumerate(topics)}
    categories.sort(key=lambda c: category_position.get(c.id, len(category_position)))
    entries.sort(key=lambda e: position.get(e.id, len(position)))
    for slug, category_id in known.items():
        if slug not in lines:
            problems.append(
                Problem(str(topics_file), 1, f"no entry for topic {slug!r} ({category_id})")
            )
    return _Loaded(Faq(tuple(categories), tuple(entries)), problems, lines)


def _describe(loc: Iterable[int | str], msg: str) -> str:
    path = ".".join(str(part) for part in loc)
    return f"{path}: {msg}" if path else msg


def load_faq(data_dir: Path = DATA_DIR, topics_file: Path = TOPICS_FILE) -> Faq:
    """Load and validate the FAQ; raise :class:`FaqError` listing every schema problem."""
    loaded = _load(data_dir, topics_file)
    if loaded.problems:
        raise FaqError(loaded.problems)
    return loaded.faq


def check_faq(
    data_dir: Path = DATA_DIR,
    topics_file: Path = TOPICS_FILE,
    *,
    today: dt.date,
    strict: bool = False,
    facts_file: Path = FACTS_FILE,
    siblings_file: Path | None = None,
) -> list[Problem]:
    """Return every schema and editorial problem in the FAQ content, sorted by place.

    ``today`` is a parameter, never the wall clock, so that a test gives the same result
    in any year. A review date that has passed is a warning, an error when ``strict``.
    ``siblings_file`` defaults to the siblings.txt beside ``data_dir`` (faq/siblings.txt).
    """
    loaded = _load(data_dir, topics_file)
    problems = list(loaded.problems)
    seen_phrasings: dict[str, tuple[str, str, int]] = {}
    facts: dict[int, Fact] = {}
    if facts_file.exists():
        facts = load_facts(facts_file)
    else:
        problems.append(Problem(str(facts_file), 0, "no facts file: run scripts/build_facts.py"))

    for entry in loaded.faq.entries:
        file, line, raw = loaded.lines[entry.id]

        def at(*loc: int | str, _raw: Mapping[str, Any] = raw, _line: int = line) -> int:
            return _line_of(_raw, loc) if loc else _line

        for lang in LANGS:
            answer = entry.answer.get(lang)
            if len(answer) + FOOTER_RESERVE > TELEGRAM_MESSAGE_LIMIT:
                problems.append(
                    Problem(
                        file,
                        at("answer", lang),
                        f"{entry.id}: {lang} answer is {len(answer)} characters, too long for "
                        f"one Telegram message with its footer "
                        f"({TELEGRAM_MESSAGE_LIMIT - FOOTER_RESERVE} at most)",
                    )
                )
            elif len(answer) > ANSWER_AIM:
                problems.append(
                    Problem(
                        file,
                        at("answer", lang),
                        f"{entry.id}: {lang} answer is {len(answer)} characters; "
                        f"aim for under 600 on a phone",
                        "warning",
                    )
                )
            if entry.caution and HOTLINE not in digits_ascii(answer):
                problems.append(
                    Problem(
                        file,
                        at("answer", lang),
                        f"{entry.id}: caution is set but the {lang} answer does not tell the "
                        f"worker to confirm with NSSF on {HOTLINE}",
                    )
                )
        for field in ("question", "answer"):
            text: str = getattr(entry, field).km
            if not any(is_khmer(char) for char in text):
                problems.append(
                    Problem(file, at(field, "km"), f"{entry.id}: Khmer {field} has no Khmer text")
                )
        if entry.review_due < today:
            problems.append(
                Problem(
                    file,
                    at("review_due"),
                    f"{entry.id}: review was due on {entry.review_due.isoformat()}",
                    "error" if strict else "warning",
                )
            )
        for field in ("answer", "legal_basis"):
            if mixes_digit_styles(getattr(entry, field).km):
                problems.append(
                    Problem(
                        file,
                        at(field, "km"),
                        f"{entry.id}: Khmer {field.replace('_', ' ')} mixes Khmer digits (០-៩) "
                        f"and ASCII digits (0-9); use one style",
                    )
                )
        if entry.needs_review:
            problems.append(
                Problem(
                    file,
                    at("needs_review"),
                    f"{entry.id}: needs review: written by union staff in the bot; cite its "
                    f"facts and sources, then remove needs_review",
                    "error" if strict else "warning",
                )
            )
        if facts_file.exists():
            found = _check_numbers(entry, file, raw, at, facts)
            if entry.needs_review and not strict:  # said once above; each is to review
                found = [dataclasses.replace(p, severity="warning") for p in found]
            problems += found
        if entry.review_due <= entry.last_reviewed:
            problems.append(
                Problem(
                    file, at("review_due"), f"{entry.id}: review_due is not after last_reviewed"
                )
            )
        if entry.last_reviewed > today:
            problems.append(
                Problem(file, at("last_reviewed"), f"{entry.id}: last_reviewed is in the future")
            )

        strings: list[tuple[str, tuple[int | str, ...]]] = [
            (entry.question.km, ("question", "km")),
            (entry.question.en, ("question", "en")),
        ]
        strings += [(text, ("phrasings", "km")) for text in entry.phrasings.km]
        strings += [(text, ("phrasings", "en")) for text in entry.phrasings.en]
        for text, loc in strings:
            key = normalize(text)
            if not key:
                problems.append(Problem(file, at(*loc), f"{entry.id}: phrasing {text!r} is empty"))
                continue
            other = seen_phrasings.get(key)
            if other and other[0] != entry.id:
                problems.append(
                    Problem(
                        file,
                        at(*loc),
                        f"{entry.id}: phrasing {text!r} is also a phrasing of {other[0]} "
                        f"({other[1]}:{other[2]})",
                    )
                )
            seen_phrasings.setdefault(key, (entry.id, file, at(*loc)))
    if siblings_file is None:
        siblings_file = data_dir.parent / SIBLINGS_FILE.name
    if siblings_file.exists():
        problems += _check_siblings(siblings_file, {entry.id for entry in loaded.faq.entries})
    return sorted(problems)


def sibling_groups(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The sibling file's groups with their line numbers: one group a line, entry ids
    apart by spaces, ``#`` comments, blank lines skipped."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        group = line.split("#", 1)[0].split()
        if group:
            yield number, group


def _check_siblings(path: Path, known: set[str]) -> list[Problem]:
    """Each line of the sibling file names two or more different, existing entries (a
    group: every two of them are siblings, so the relation is symmetric by form)."""
    problems: list[Problem] = []
    for number, group in sibling_groups(path):
        for unknown in sorted(set(group) - known):
            problems.append(Problem(str(path), number, f"no entry {unknown!r}"))
        if len(set(group)) < 2:
            problems.append(Problem(str(path), number, "a sibling group needs two entries"))
        for twice in sorted({i for i in group if group.count(i) > 1}):
            problems.append(Problem(str(path), number, f"{twice!r} is twice in the group"))
    return problems


def _check_numbers(
    entry: Entry,
    file: str,
    raw: Mapping[str, Any],
    at: Callable[..., int],
    facts: Mapping[int, Fact],
) -> list[Problem]:
    """Every number of an answer rests on a cited fact or an allowed number, in both languages."""
    problems: list[Problem] = []
    cited: set[str] = set()
    for number in entry.sources.facts:
        fact = facts.get(number)
        if fact is None:
            problems.append(
                Problem(
                    file, at("sources", "facts"), f"{entry.id}: no fact {number} in facts.yaml"
                )
            )
            continue
        cited |= fact.numbers
    allowed = {item.number: item.reason for item in entry.allowed_numbers}
    stated: dict[str, set[str]] = {}
    for lang in LANGS:
        raw_answer = raw.get("answer", {}).get(lang, "")
        text = raw_answer if isinstance(raw_answer, str) else entry.answer.get(lang)
        # A block scalar (answer: |) starts on the line after its key.
        first = at("answer", lang) + (1 if "\n" in text else 0)
        stated[lang] = set()
        for found in numbers_in(text):
            stated[lang].add(found.value)
            if found.value not in cited and found.value not in allowed:
                problems.append(
                    Problem(
                        file,
                        first + found.line,
                        f"{entry.id}: the {lang} answer states {found.written.strip()!r}, which "
                        f"none of its facts {list(entry.sources.facts)} states (cite the fact, "
                        f"or list it in allowed_numbers with a reason)",
                    )
                )
    for lang, other in (("km", "en"), ("en", "km")):
        missing = sorted(stated[lang] - stated[other], key=float)
        if missing:
            problems.append(
                Problem(
                    file,
                    at("answer", other),
                    f"{entry.id}: the {lang} answer states {', '.join(missing)} but the "
                    f"{other} answer does not; both must carry the same numbers",
                )
            )
    for allowed_number in allowed:
        if not any(allowed_number in numbers for numbers in stated.values()):
            problems.append(
                Problem(
                    file,
                    at("allowed_numbers"),
                    f"{entry.id}: allowed number {allowed_number} is in neither answer",
                    "warning",
                )
            )
    return problems
