"""Romanized questions asked before (faq/romanized_questions.tsv) lift the entries they
asked, compared by sound; they rank and offer, and never answer on their own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from faq.content import Faq
from faq.matcher import (
    EXAMPLES_FILE,
    Analysis,
    Match,
    Matcher,
    Thresholds,
    _example_keys,
    load_examples,
)
from faq.tokens import latin_words

# Written for these tests: a two-jobs question and a domestic-worker one.
TWO_JOBS = "nhom tverkar pir kon laeng bong nssf pir dorng or"
DOMESTIC = "neak bomrer phteah ban chos chmous bss te"


@pytest.fixture(scope="module")
def plain(faq: Faq) -> Matcher:
    return Matcher(faq, examples=[])


@pytest.mark.parametrize(
    ("one", "other"),
    [("tver kar", "tverkar"), ("chos chmous", "chuh chhmuos"), ("pi kanleng", "pir konlaeng")],
)
def test_sound_keys_meet_across_spellings_and_word_splits(one: str, other: str) -> None:
    assert _example_keys(one.split()) & _example_keys(other.split())


def test_sound_keys_leave_out_numbers_and_nssf() -> None:
    assert _example_keys(latin_words("nssf 2")) == set()


def test_a_question_asked_before_lifts_its_entry_by_sound(faq: Faq, plain: Matcher) -> None:
    """Spelt otherwise than the stored question, it still sounds like it."""
    store = Matcher(faq, examples=[("domestic-workers", DOMESTIC)])
    question = "nak bomreu pteah chos chmuos ban ort"
    before, after = plain.analyse(question).ranking, store.analyse(question).ranking
    assert before.matches[0].id == after.matches[0].id == "domestic-workers"
    assert after.matches[0].score > before.matches[0].score + 20
    assert after.lift["domestic-workers"] > 20
    # The lift ranks: the answer is still decided on the question's own scores.
    assert plain.match(question).kind == store.match(question).kind == "choices"


def test_a_lifted_entry_is_offered_never_answered(faq: Faq, plain: Matcher) -> None:
    """A store that names another entry for a question puts that entry first, but the
    bot then offers choices instead of answering with it."""
    assert plain.match(TWO_JOBS).answer_id == "two-jobs"
    store = Matcher(faq, examples=[("unemployment-benefit", TWO_JOBS)])
    analysis = store.analyse(TWO_JOBS)
    assert analysis.ranking.lifted
    decision = store.decide(analysis)
    assert decision.matches[0].id == "unemployment-benefit"
    assert decision.kind == "choices"
    assert "two-jobs" in decision.choice_ids


def test_the_lift_counts_for_answering_only_when_asked(faq: Faq) -> None:
    store = Matcher(faq, examples=[("two-jobs", "knhom tver kar pi kanleng bong bss pi dong")])
    analysis = store.analyse(TWO_JOBS)
    assert store.decide(analysis).answer_id == "two-jobs"
    lift = analysis.ranking.lift["two-jobs"]
    ranked = [Match("two-jobs", 30.0 + lift), Match("who-must-register", 30.0)]
    crafted = replace(analysis, ranking=replace(analysis.ranking, matches=ranked))
    assert store.decide(crafted).kind != "answer"  # no lead of its own
    counted = replace(Thresholds(), lift_answers=True, answer=30.0, lead_answer=30.0)
    assert store.decide(crafted, counted).kind == "answer"


@pytest.mark.parametrize(
    "question",
    ["how do I register with nssf", "ខ្ញុំធ្វើការពីរកន្លែង ត្រូវបង់ ប.ស.ស ពីរដងទេ"],
)
def test_english_and_khmer_questions_are_not_lifted(faq: Faq, question: str) -> None:
    store = Matcher(faq, examples=[("two-jobs", TWO_JOBS), ("domestic-workers", DOMESTIC)])
    assert store.analyse(question).ranking.lift == {}


def test_the_shipped_store_is_romanized_and_names_faq_entries(faq: Faq) -> None:
    examples = load_examples(EXAMPLES_FILE)
    ids = {entry.id for entry in faq.entries}
    assert len(examples) >= 400
    assert {entry_id for entry_id, _ in examples} <= ids
    assert all(text.isascii() for _, text in examples)
    assert len({text for _, text in examples}) == len(examples)


def test_examples_of_unknown_entries_are_skipped(faq: Faq, plain: Matcher) -> None:
    store = Matcher(faq, examples=[("no-such-entry", TWO_JOBS)])
    assert store.analyse(TWO_JOBS).ranking.lift == {}


def test_the_lift_never_turns_an_off_topic_question_into_choices(faq: Faq, plain: Matcher) -> None:
    """Whether anything is offered is decided on the question's own scores: a stored
    question that sounds like an off-topic one reorders, it does not offer."""
    question = "klach chkae nas"  # "very afraid of dogs"
    store = Matcher(faq, examples=[("nssf-office", "klach chkae kham kon oy chheu")])
    analysis = store.analyse(question)
    assert analysis.ranking.matches[0].id == "nssf-office"
    assert plain.match(question).kind == store.decide(analysis).kind == "none"
    counted = replace(Thresholds(), lift_floor=0.0)
    assert store.decide(analysis, counted).kind == "choices"


def test_a_stored_question_that_agrees_lowers_the_lead_needed(faq: Faq) -> None:
    """When the most alike stored question asks the entry that the question's own scores
    put first, a lower own score and lead answer (as when two channels agree), unless a
    word of the question is one the FAQ never uses."""
    store = Matcher(faq, examples=[("nssf-office", "kariyalai nssf nov khet kampong cham nov na")])
    analysis = store.analyse("kariyalay bss khet kampong cham nov na bong")
    assert analysis.ranking.examples_agree
    t = Thresholds()
    assert t.examples_answer < t.lead_answer
    ranked = [
        Match("nssf-office", t.examples_answer + 2),
        Match("when-can-i-use-card", t.examples_answer + 2 - t.examples_margin - 1),
    ]

    def crafted(agree: bool, unknown: int = 0) -> Analysis:
        own = replace(
            analysis.ranking,
            matches=ranked,
            lift={},
            examples_agree=agree,
            unknown=unknown,
            sound_agrees=False,  # the other channel that may lower the lead needed
        )
        return replace(analysis, ranking=own)

    assert store.decide(crafted(True), t).kind == "answer"
    assert store.decide(crafted(False), t).kind == "choices"
    assert store.decide(crafted(True, unknown=1), t).kind == "choices"
    # A smaller lead is not enough.
    closer = [ranked[0], Match(ranked[1].id, ranked[1].score + 2)]
    near = replace(analysis, ranking=replace(crafted(True).ranking, matches=closer))
    assert store.decide(near, t).kind == "choices"


def test_stored_questions_of_two_entries_alike_do_not_agree(faq: Faq) -> None:
    """The most alike stored question must stand out from those of any other entry."""
    text = "kariyalai nssf nov khet kampong cham nov na"
    store = Matcher(faq, examples=[("nssf-office", text), ("nssf-card", text + " te")])
    assert not store.analyse("kariyalay bss khet kampong cham nov na bong").ranking.examples_agree
