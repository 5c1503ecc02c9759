"""Requests to talk to a person are recognised, not matched against the FAQ."""

from __future__ import annotations

import csv
from pathlib import Path

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


@pytest.mark.parametrize(
    "text",
    [
        # A request verb and, later, a person (none of these is a pattern of person.txt).
        "ខ្ញុំចង់ពិគ្រោះជាមួយបុគ្គលិក",
        "ខ្ញុំចង់ទូរស័ព្ទទៅមន្ត្រីសហជីព",
        "សុំទំនាក់ទំនងបុគ្គលិកផ្ទាល់",
        "nhom chong jub montrey sahachip",
        "khnhom chong teak tong neak sahachip",
        "let me speak with somebody from the union",
        "i want to speak to a representative",
        "transfer me to a person",
        "ខ្ញុំចង់ call ទៅ staff សហជីព",
        "i want choub union staff",
        # A person, then a verb done to me: "someone call me".
        "please have someone from the union call me back",
        "សូមឱ្យមន្ត្រីសហជីពទាក់ទងមកខ្ញុំវិញ",
        "bong ach tel mok nhom ban ot",
        # A number or contact and a person.
        "give me the union's number",
        "phone number of union officer",
        "som lek tursap bong staff",
        "សុំលេខទំនាក់ទំនងសហជីព",
        # Not the bot.
        "i dont want bot, i want human",
        "ot chong niyeay jea muoy robot te",
        "អត់ចង់ឆាតជាមួយបូតទេ",
        # A person alone, with words of asking only.
        "real human needed",
        "is there a human here",
        "មនុស្សពិតនៅទីនោះទេ?",
        # Typing errors in English words, spellings of romanized ones.
        "tlak to human",
        "i want to talk to a humen",
        "nhom chong niyeay cheamouy monuss",
        "som choub neak tvea kar sahachib",
        # Khmer words misspelt keep their consonants.
        "សុំនិយាយជាមួយមនុស ពិតៗ",
        "ខ្ញុំចង់សួរសហជិពផ្ទាល់",
        # The union's hotline is its number (NSSF's is an FAQ entry, below).
        "what is the union hotline",
        # A romanized word with one typing error; not understanding is no grievance.
        "knhom chong niyeay jea muoy montrie sahachiip",
        "i dont understand, talk to human",
        "ខ្ញុំមិនយល់ទេ សុំនិយាយជាមួយមនុស្ស",
        # A person and a verb after it, nothing else; a long Khmer word of bare
        # consonant syllables (រោ ង ច ក្រ) is still one word.
        "any staff available to chat?",
        "សុំឈ្មោះនិងលេខទូរស័ព្ទតំណាងសហជីពនៅរោងចក្រ",
        # Call me, with nothing else; messaging words of chat apps.
        "can you call me",
        "dm me pls",
        "ខលមកខ្ញុំផង",
        "can union staff inbox me",
        "i want to contact support team",
    ],
)
def test_person_requests_by_structure(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).kind == "person"


@pytest.mark.parametrize(
    "text",
    [
        # A negation without the bot: a grievance, not a request.
        "my boss won't let me talk to the union",
        "ថៅកែមិនឱ្យខ្ញុំនិយាយជាមួយសហជីព",
        "thao kae min oy knhom niyeay jea muoy sahachip",
        # NSSF's or a ministry's number and office are FAQ entries.
        "where can i meet NSSF officers in my province",
        "which number to call ministry of labour",
        "what is the NSSF hotline",
        # Joining the union is a question, not a request to talk to it.
        "ខ្ញុំចង់ចូលរួមសហជីព",
        "i want to join the union",
        # A domestic worker is no person to talk to; a word one letter from a filler
        # ("phtah", house, for "phtal", directly) is still content.
        "nok thveu ka phtah",
        "អ្នកធ្វើការផ្ទះ",
        "i need stuff",
        # What the union helps with is a question; "you" is no person to phone.
        "សហជីពជួយអ្វីខ្លះ",
        "can you tell me the number to call for my pension",
        # "Help me" asks for help, not for a person; a call about a topic is a question.
        "help me please",
        "call me when my card is ready",
        # "who" is no person to ask for; a machine at work is no bot.
        "ខ្ញុំធ្លាក់ពីលើម៉ាស៊ីន ត្រូវប្រាប់អ្នកណាខ្លះ",
        "accident at work ហើយ ត្រូវ report ទៅអ្នកណា",
        # A person doing something to me is no request; nor is a question about a topic.
        "hospital staff asked me to pay money",
        "the line leader talks to me very rudely",
        "can i ask staff about maternity pay and the birth allowance and my leave",
        # Short skeletons are English words too ("report" ~ "robot"), words joined are
        # not one word ("muayna drouv" ~ "montrei").
        "lek 1258 rue 1286 muayna drouv",
    ],
)
def test_near_misses_are_not_person_requests(matcher: Matcher, text: str) -> None:
    assert matcher.match(text).kind != "person"


def test_tuning_person_list(matcher: Matcher) -> None:
    # benchmarks/data/tuning-person.tsv: my own list (optimistic: the words were chosen
    # with it in view). Person rows are recognised, near misses never are.
    path = Path(__file__).resolve().parents[2] / "benchmarks/data/tuning-person.tsv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    requests = [row["text"] for row in rows if row["expected"] == "person"]
    others = [row["text"] for row in rows if row["expected"] != "person"]
    recognised = [text for text in requests if matcher.match(text).kind == "person"]
    assert len(recognised) >= 0.95 * len(requests)
    assert [text for text in others if matcher.match(text).kind == "person"] == []
