"""Khmer as typed: matching must not depend on the spaces between words."""

from __future__ import annotations

import pytest

from faq.content import Faq
from faq.matcher import Matcher
from faq.normalize import NSSF_TOKEN, normalize


def test_removing_every_space_from_shipped_khmer_changes_nothing(
    faq: Faq, matcher: Matcher
) -> None:
    changed, total = [], 0
    for entry in faq.entries:
        for text in (entry.question.km, *entry.phrasings.km):
            if " " not in text:
                continue
            total += 1
            spaced, glued = matcher.match(text), matcher.match(text.replace(" ", ""))
            same_top = [m.id for m in spaced.matches[:1]] == [m.id for m in glued.matches[:1]]
            if spaced.kind != glued.kind or not same_top:
                changed.append((text, spaced.kind, glued.kind))
    assert total > 500
    # Measured at 0 of 1,158 (0 of 958 before the spoken-register phrasings); the
    # issue's bar is "within 2 points of spaced".
    assert len(changed) / total <= 0.02, changed[:10]


@pytest.mark.parametrize(
    "text",
    ["កាតប.ស.សបាត់", "កាតបសសខ្ញុំបាត់ធ្វើម៉េច", "ចុះឈ្មោះប.ស.សនៅណា", "កាតNSSFបាត់", "ខ្ញុំបាត់កាតnssf"],
)
def test_the_abbreviation_glued_to_its_neighbours_is_recognised(text: str) -> None:
    assert NSSF_TOKEN in normalize(text).split()


@pytest.mark.parametrize("text", ["គ.ស.ស", "ប.ឈ.ម", "សសរ", "ប្រសស"])
def test_look_alikes_are_not_the_abbreviation(text: str) -> None:
    assert NSSF_TOKEN not in normalize(text).split()


def test_lost_card_typed_without_spaces_is_answered_like_the_spaced_form(
    matcher: Matcher,
) -> None:
    """A lost-card question glued together is decided as its spaced form. (The shortest,
    កាត ប.ស.ស បាត់, now leads by 8.6 only, under margin 12: choices, spaced or glued.)"""
    for spaced_text, glued, kind in (
        ("កាត ប.ស.ស បាត់", "កាតប.ស.សបាត់", "choices"),
        ("កាត បសស ខ្ញុំបាត់ធ្វើម៉េច", "កាតបសសខ្ញុំបាត់ធ្វើម៉េច", "answer"),
        # Written for this test.
        ("ខ្ញុំបាត់កាត បសស ត្រូវធ្វើថ្មីនៅណា", "ខ្ញុំបាត់កាតបសស ត្រូវធ្វើថ្មីនៅណា", "answer"),
    ):
        spaced = matcher.match(spaced_text)
        decision = matcher.match(glued)
        assert decision.kind == spaced.kind == kind
        assert decision.matches[0].id == spaced.matches[0].id == "nssf-card"
