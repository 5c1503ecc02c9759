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


@pytest.mark.parametrize(
    "text",
    [
        # Words saying whom to reach or how (union, staff, directly, urgent, "I", "bong")
        # next to a pattern are not counted as another topic.
        "សូមភ្ជាប់ខ្ញុំទៅបុគ្គលិកសហជីពផ្ទាល់ ខ្ញុំមានការបន្ទាន់",
        "bong nhom chong choup neak sahachip phtal",
        "knhom chong niyeay cheamuoy neak tver kar nov sahachip",
        # Everyday ways added to faq/person.txt: phone me, the union's number, an admin.
        "សុំលេខទូរស័ព្ទសហជីពផង",
        "បងអាចខលមកខ្ញុំបានទេ",
        "can you connect me with a person",
        "I need to chat with staff",
        "admin",
    ],
)
def test_more_person_requests(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).kind == "person"


@pytest.mark.parametrize(
    "text",
    [
        # "call" alone is no request: asking which number to call is a question.
        "which number do I call to ask NSSF",
        "who do I call when my employer does not register me",
        "ខ្ញុំចង់ទៅសួរផ្ទាល់នៅការិយាល័យ ប.ស.ស",
        # Whom-words do not hide a real topic next to a pattern.
        "can union staff help me get my unpaid maternity cash back from my employer",
    ],
)
def test_calls_and_whom_words_in_questions(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).kind != "person"


def test_no_faq_phrasing_is_a_person_request(matcher: Matcher) -> None:
    for entry in matcher.entries:
        for text in (
            entry.question.en,
            entry.question.km,
            *entry.phrasings.en,
            *entry.phrasings.km,
        ):
            assert matcher.match(text).kind != "person", (entry.id, text)


@pytest.mark.parametrize("text", ["sahachip nov na", "sahachip chuoy ey klah"])
def test_a_romanized_word_is_not_a_pattern_whose_other_word_vanishes(
    matcher: Matcher, text: str
) -> None:
    # "sour sahachip" (ask the union): skeletons "s" + "scp" join to "scp", the skeleton
    # of "sahachip" alone; where the union is, or how it helps, is a question.
    assert matcher.match(text).kind != "person"
    assert matcher.match("knhom chong sour sahachip").kind == "person"
