"""Callback data: what is built matches its pattern, anything else matches none."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks

PATTERNS = {
    "language": callbacks.LANGUAGE,
    "topics": callbacks.TOPICS,
    "category": callbacks.CATEGORY,
    "entry": callbacks.ENTRY,
    "choice": callbacks.CHOICE,
    "none": callbacks.NONE_OF_THESE,
    "helpful": callbacks.HELPFUL,
    "not_helpful": callbacks.NOT_HELPFUL,
}


def _matching(data: str) -> list[str]:
    return [name for name, pattern in PATTERNS.items() if pattern.match(data)]


@pytest.mark.parametrize(
    ("data", "pattern", "groups"),
    [
        (callbacks.language("km"), "language", {"lang": "km"}),
        (callbacks.language("en"), "language", {"lang": "en"}),
        (callbacks.topics(), "topics", {"new": None}),
        (callbacks.topics(new_message=True), "topics", {"new": ":n"}),
        (callbacks.category("work-accidents"), "category", {"category": "work-accidents"}),
        (callbacks.entry("what-is-nssf"), "entry", {"entry": "what-is-nssf"}),
        (
            callbacks.choice(42, "maternity-pay"),
            "choice",
            {"question": "42", "entry": "maternity-pay"},
        ),
        (callbacks.none_of_these(7), "none", {"question": "7"}),
        (callbacks.feedback(9, True), "helpful", {"question": "9"}),
        (callbacks.feedback(9, False), "not_helpful", {"question": "9"}),
    ],
)
def test_built_data_matches_exactly_its_own_pattern(
    data: str, pattern: str, groups: dict[str, str]
) -> None:
    assert data.startswith("v1:")
    assert _matching(data) == [pattern]
    match = PATTERNS[pattern].match(data)
    assert match is not None
    assert match.groupdict() == groups


@pytest.mark.parametrize(
    "data",
    [
        "",
        "v1",
        "v1:",
        "v2:l:km",  # a future or past version
        "l:km",  # no version
        "v1:l:fr",
        "v1:l:km:extra",
        "v1:t:",
        "v1:c:",
        "v1:c:Work-Accidents",
        "v1:c:../../etc",
        "v1:e:what is nssf",
        "v1:q:0:what-is-nssf",  # ids start at 1
        "v1:q:-1:what-is-nssf",
        "v1:q:12345678901234567890:x",  # over a BIGINT
        "v1:q:12:",
        "v1:n:abc",
        "v1:f:9:2",
        "v1:f:9",
        "v1:f:9:1\n",
        "v1:e:what-is-nssf\n",
        "' OR 1=1 --",
    ],
)
def test_malformed_data_matches_no_pattern(data: str) -> None:
    assert _matching(data) == []


@given(st.text(max_size=80))
def test_arbitrary_text_matches_at_most_one_pattern(data: str) -> None:
    assert len(_matching(data)) <= 1


@given(
    st.integers(min_value=1, max_value=2**63 - 1),
    st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
)
def test_round_trip_of_choices(question_id: int, entry_id: str) -> None:
    data = callbacks.choice(question_id, entry_id)
    match = callbacks.CHOICE.match(data)
    assert match is not None
    assert (int(match["question"]), match["entry"]) == (question_id, entry_id)
    assert len(data.encode()) <= callbacks.MAX_BYTES


def test_data_over_64_bytes_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        callbacks.entry("a" * 62)


def test_patterns_are_anchored() -> None:
    for pattern in PATTERNS.values():
        assert isinstance(pattern, re.Pattern)
        assert pattern.pattern.startswith("^")
        assert pattern.pattern.endswith("\\Z")
