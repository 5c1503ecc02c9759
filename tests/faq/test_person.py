"""Requests to talk to a person are recognised, not matched against the FAQ."""

from __future__ import annotations

import pytest

from faq.matcher import Matcher


@pytest.mark.parametrize(
    "text",
    [
        "I want to talk to a human",
        "can I speak to someone please",
        "I want to ask the union",
        "ខ្ញុំចង់និយាយជាមួយមនុស្ស",
        "ខ្ញុំចង់និយាយជាមួយ មនុស្ស ពិតៗ",
        "សូមឱ្យបុគ្គលិកខលមកខ្ញុំវិញ",
        "ខ្ញុំចង់សួរសហជីព",
        "knhom chong niyeay jea muoy mnus",
        "chong niyay cheamuoy neak",
    ],
)
def test_person_requests(matcher: Matcher, text: str) -> None:
    decision = matcher.match(text)
    assert decision.kind == "person", decision
    assert decision.matches == ()


@pytest.mark.parametrize(
    "text",
    [
        "what does the union demand from NSSF",
        "do workers have representatives on the NSSF board",
        "សហជីពទាមទារអ្វីខ្លះពី ប.ស.ស",
        # A question that mentions the union but asks about something else entirely.
        "can the union help me when my employer deducts NSSF from my wage but never pays it",
    ],
)
def test_questions_that_mention_people_are_still_questions(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).kind != "person"
