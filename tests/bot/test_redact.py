"""Phone numbers and long digit runs are redacted from stored questions; money and dates are
not (bot/redact.py), by example and by property."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.db import Database
from bot.models import Question
from bot.redact import PLACEHOLDER, redact
from bot.services import Desk, questions
from faq.normalize import normalize

KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


@pytest.mark.parametrize(
    "phone",
    [
        "012 345 678",
        "012345678",
        "012-345-678",
        "012.345.678",
        "012 34 56 78",
        "097 123 4567",
        "0971234567",
        "023 880 123",
        "+855 12 345 678",
        "+85512345678",
        "+855 (0)12 345 678",
        "+855-97-123-4567",
        "855 12 345 678",
        "85512345678",
        "00855 12 345 678",
        "០១២ ៣៤៥ ៦៧៨",
        "+៨៥៥ ១២ ៣៤៥ ៦៧៨",
        "0 1 2 3 4 5 6 7 8",
    ],
)
def test_cambodian_phone_numbers_in_every_common_form(phone: str) -> None:
    for text in (phone, f"ខ្ញុំ {phone} ចង់ដឹង", f"call me on {phone}, thanks", f"({phone})"):
        redacted = redact(text)
        assert redacted == text.replace(phone, PLACEHOLDER), text
        assert redact(normalize(text)).count(PLACEHOLDER) == 1, text  # as stored


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my ID is 123456789", "my ID is [number]"),
        ("NSSF no. 1234567", "NSSF no. [number]"),
        ("account 0001234567890123", "account [number]"),
        ("២០២៤០០១២៣៤៥", PLACEHOLDER),
        ("two: 012 345 678 and 098765432", "two: [number] and [number]"),
    ],
)
def test_other_long_digit_runs(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "400,000 riel",
        "៤០០,០០០ រៀល",
        "$ 208",
        "$208 a month",
        "I earn 850000 riel",
        "1,500,000 riel",
        "1500000 riel",
        "2000000 រៀល",
        "1.000.000",
        "1 000 000",
        "in 2026",
        "born 1985",
        "01/12/2026",
        "01.12.2026",
        "from 2020 to 2026",
        "2.6%",
        "call 1286 or 1297",
        "123456",
        "0.8",
    ],
)
def test_money_years_dates_and_hotlines_stay(text: str) -> None:
    assert redact(text) == text


def test_normalized_money_stays_with_its_currency() -> None:
    # The stored text is the normalized one: "1,500,000" loses its commas there.
    assert redact(normalize("1,500,000 riel")) == "1500000 riel"
    assert redact(normalize("៤០០,០០០ រៀល")) == "400000 រៀល"


# --- properties -------------------------------------------------------------------------

_DIGITS = st.sampled_from("0123456789")
_SEPARATORS = st.sampled_from(["", " ", "-", "."])
_WORDS = st.text(alphabet="abcxyz កខគ?!,", max_size=12)


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """A Cambodian number as people type it: local or +855, grouped, maybe in Khmer."""
    operator = draw(st.sampled_from(["12", "15", "17", "23", "70", "77", "85", "96", "97"]))
    subscriber = "".join(draw(st.lists(_DIGITS, min_size=6, max_size=7)))
    digits = operator + subscriber
    separator = draw(_SEPARATORS)
    cut = draw(st.integers(3, len(digits) - 3))
    grouped = separator.join([digits[:2], digits[2:cut], digits[cut:]])
    prefix = draw(st.sampled_from(["0", "+855 ", "+855", "855 ", "00855 ", "+855 (0)", "855-"]))
    number = prefix + grouped
    return number.translate(KHMER_DIGITS) if draw(st.booleans()) else number


@given(before=_WORDS, phone=phone_numbers(), after=_WORDS)
def test_any_phone_number_in_any_text_is_redacted(before: str, phone: str, after: str) -> None:
    text = f"{before} {phone} {after}"
    redacted = redact(text)
    assert redacted == f"{before} {PLACEHOLDER} {after}"
    assert PLACEHOLDER in redact(normalize(text))
    assert not re.search(r"\d{4}", redact(normalize(text)).replace("2026", ""))


# No currency word can be spelled with these letters, so no long run may survive.
_NUMBERY = st.text(alphabet="0123456789០១២៣៤៥៦៧៨៩ .,-+()abcxyzកខ/%", max_size=60)


@given(_NUMBERY)
def test_no_run_of_seven_digits_survives(text: str) -> None:
    assert not re.search("[0-9០-៩]{7,}", redact(text))


@given(_NUMBERY)
def test_redacting_twice_changes_nothing(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"])))
def test_text_without_digits_is_unchanged(text: str) -> None:
    assert redact(text) == text


@given(
    before=_WORDS,
    amount=st.integers(0, 10**12),
    currency=st.sampled_from(["", " riel", " រៀល", "៛", " $", " USD"]),
    after=_WORDS,
)
def test_amounts_with_thousands_separators_stay(
    before: str, amount: int, currency: str, after: str
) -> None:
    text = f"{before} {amount:,}{currency} {after}"
    assert redact(text) == text


@given(before=_WORDS, number=st.integers(0, 999_999), after=_WORDS)
def test_numbers_of_up_to_six_digits_stay(before: str, number: int, after: str) -> None:
    text = f"{before} {number} {after}"
    assert redact(text) == text


# --- where questions are stored ----------------------------------------------------------


async def test_a_stored_question_keeps_no_phone_number(database: Database, desk: Desk) -> None:
    text = "ខ្ញុំឈ្មោះសុខា លេខទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨ តើ ប.ស.ស ជាអ្វី? wage 400,000 riel"
    async with database.transaction() as session:
        await questions.ask(session, desk, user_id=5, text=text, update_id=1)
    async with database.transaction() as session:
        stored = await session.scalar(select(Question.normalized))
    assert stored is not None
    assert "345" not in stored and "៣៤៥" not in stored
    assert PLACEHOLDER in stored
    assert "400000 riel" in stored
