"""The matcher's decisions on the shipped FAQ: answers, choices, none, and bad input."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from faq.content import SIBLINGS_FILE, Faq
from faq.matcher import (
    MAX_QUERY_CHARS,
    Analysis,
    Decision,
    Match,
    Matcher,
    Thresholds,
    Weights,
    load_siblings,
)
from faq.normalize import normalize


def test_every_question_finds_itself_at_100(faq: Faq, matcher: Matcher) -> None:
    for entry in faq.entries:
        for question in (entry.question.km, entry.question.en):
            decision = matcher.match(question)
            assert decision.kind == "answer", (entry.id, question, decision)
            assert decision.matches[0] == (entry.id, 100.0) or (
                decision.matches[0].id == entry.id and decision.matches[0].score == 100.0
            )


def test_every_khmer_phrasing_ranks_its_own_entry_first(faq: Faq, matcher: Matcher) -> None:
    for entry in faq.entries:
        for phrasing in entry.phrasings.km:
            decision = matcher.match(phrasing)
            assert decision.matches[0].id == entry.id, (entry.id, phrasing, decision.matches)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?", "pension-age"),
        ("ថៅកែកាត់លុយ ប.ស.ស ពីប្រាក់ខែខ្ញុំ តែមិនបង់ឱ្យ ប.ស.ស", "employer-deducts-not-pays"),
        ("prak sothon ban ponman", "pension-amount"),
        ("what money do I get while I am injured from work", "accident-pay"),
    ],
)
def test_typical_questions(matcher: Matcher, question: str, expected: str) -> None:
    decision = matcher.match(question)
    assert decision.kind in ("answer", "choices")
    assert expected in [m.id for m in decision.matches[:3]], decision


@pytest.mark.parametrize(
    "question",
    [
        "how do I renew my passport",
        "who won the football",
        "ថ្ងៃនេះភ្លៀងទេ?",
        "ម្ហូបសម្លម្ជូរគ្រឿងធ្វើយ៉ាងម៉េច?",
        "wifi password please",
    ],
)
def test_off_topic_questions_get_no_answer(matcher: Matcher, question: str) -> None:
    assert matcher.match(question).kind != "answer"


BAD_INPUT = {
    "empty": "",
    "whitespace": " \t\n ",
    "punctuation": "?!?!។៕...",
    "emoji": "😀🙏👍🏽",
    "huge": "ប្រាក់សោធន " * 2_000,
    "control characters": "\x00\x01\x02\x1b[31m",
    "zero-width space": "\u200b",
    "mixed scripts": "Привет 你好 مرحبا",
    "binary": bytes(range(256)).decode("latin-1"),
    "lone marks": "\u17b6\u17c6\u17d2",
}


@pytest.mark.parametrize("text", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_never_crashes_and_gets_none(matcher: Matcher, text: str) -> None:
    decision = matcher.match(text)
    assert isinstance(decision, Decision)
    assert decision.kind == "none", decision


def test_legacy_limon_text_gets_no_confident_match(matcher: Matcher) -> None:
    # "PaKTan" is ភាគទាន in the Limon font; read as Latin it sounds like "pheak tean", so
    # offering the contribution entries is fair, answering outright is not.
    assert matcher.match("PaKTan nigmGal").kind != "answer"


def test_huge_input_is_refused_before_scoring(matcher: Matcher) -> None:
    decision = matcher.match("ក" * 20_000)
    assert decision.kind == "none" and decision.reason == "too long"
    assert len(normalize("ក" * (MAX_QUERY_CHARS + 1))) > MAX_QUERY_CHARS


# Confusable pairs from the glossary: one must not stand in for the other.
CONFUSABLE = [
    ("បង់", "បង"),  # pay / older sibling
    ("និវត្តន៍", "នៅវត្តនោះ"),  # retirement / at that pagoda
    ("កាត", "កាត់"),  # card / cut
    ("និយោជក", "និយោជិត"),  # employer / employee
    ("សំណង", "សំណង់"),  # compensation / construction
    ("ប្រព័ន្ធ", "ប្រពន្ធ"),  # system / wife
    ("ផ្ទៃពោះ", "ឈឺពោះ"),  # pregnancy / stomach ache
    ("សម្រាល", "សម្រាក"),  # give birth / rest
]


@pytest.mark.parametrize(("left", "right"), CONFUSABLE)
def test_confusable_pairs_do_not_match_each_other(left: str, right: str) -> None:
    from faq.content import Entry

    def entry(entry_id: str, text: str) -> Entry:
        return Entry.model_validate(
            {
                "id": entry_id,
                "category": "test",
                "question": {"km": text, "en": entry_id},
                "answer": {"km": text, "en": entry_id},
                "phrasings": {"km": [text, f"{text} ទេ", f"តើ {text}", f"{text} ណា"]},
                "sources": {"facts": [1], "urls": ["https://nssf.gov.kh/"]},
                "legal_basis": {"km": "ច្បាប់", "en": "Law"},
                "last_reviewed": "2026-11-24",
                "review_due": "2027-05-24",
            }
        )

    assert normalize(left) != normalize(right)
    tiny = Matcher([entry("left", left), entry("right", right)])
    for query, own in ((left, "left"), (right, "right")):
        decision = tiny.match(query)
        assert decision.matches[0].id == own
        other = [m.score for m in decision.matches if m.id != own]
        assert not other or other[0] < 100.0


def test_the_index_is_built_once(faq: Faq, monkeypatch: pytest.MonkeyPatch) -> None:
    """Matching a question normalizes the question only, never the FAQ again."""
    import faq.matcher as matcher_module

    matcher = Matcher(faq)
    calls: list[str] = []
    original = matcher_module.normalize

    def counting(text: str) -> str:
        calls.append(text)
        return original(text)

    monkeypatch.setattr(matcher_module, "normalize", counting)
    matcher.match("ប្រាក់សោធន")
    assert calls == ["ប្រាក់សោធន"]


def test_matches_are_best_first_and_at_most_three(matcher: Matcher) -> None:
    decision = matcher.match("ភាគទាន")
    assert len(decision.matches) <= 3
    scores = [m.score for m in decision.matches]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ជំរាបសួរ", "greeting"),
        ("សួស្តី បាទ", "greeting"),
        ("hello bot", "greeting"),
        ("អរគុណច្រើនបង", "thanks"),
        ("Thank you!", "thanks"),
    ],
)
def test_greetings_and_thanks_are_small_talk(matcher: Matcher, text: str, kind: str) -> None:
    decision = matcher.match(text)
    assert (decision.kind, decision.reason) == ("none", kind)


def test_a_greeting_with_a_question_is_a_question(matcher: Matcher) -> None:
    assert matcher.match("hello, how do I get my nssf card?").kind != "none"


@pytest.mark.parametrize("question", ["អ្វីទៅជា ប.ស.ស", "nssf is what"])
def test_a_question_of_only_common_words_still_finds_its_entry(
    matcher: Matcher, question: str
) -> None:
    decision = matcher.match(question)
    assert decision.kind != "none"
    assert decision.matches[0].id == "what-is-nssf"


def test_a_message_of_only_particles_is_not_a_question(matcher: Matcher) -> None:
    assert matcher.match("តើ ខ្ញុំ ទេ").kind == "none"


def test_romanized_and_mixed_questions_need_a_larger_lead(matcher: Matcher) -> None:
    """Romanized (read by sound) and mixed Khmer/English questions err more often."""
    mixed = matcher.analyse("NSSF card បាត់ ធ្វើម៉េច")
    assert mixed.script == "mixed"
    assert matcher.analyse("កាត ប.ស.ស បាត់").script == "khmer"  # NSSF alone is not English
    assert matcher.analyse("kat pet bat tver mech").script == "romanized"
    assert matcher.analyse("how do i replace a lost nssf card").script == "english"
    best, second = (m.score for m in mixed.ranking.matches[:2])
    lead = best - second
    # With the mixed margin just above the lead the answer is withheld; just below, given.
    base = replace(Thresholds(), answer=0.0, margin=0.0)
    assert matcher.decide(mixed, replace(base, mixed_margin=lead + 0.1)).kind == "choices"
    assert matcher.decide(mixed, replace(base, mixed_margin=lead - 0.1)).kind == "answer"


def test_an_english_question_needs_a_larger_lead_too(faq: Faq, matcher: Matcher) -> None:
    """English questions err more than Khmer ones (cross-validation), so they need a lead
    ``english_margin`` larger than ``margin`` to be answered outright. A disability pension
    asked in English, where the lifelong-disability entry leads the pensions entry by about
    10, is offered as choices, not answered with the wrong one."""
    question = "person with disability can get pension from nssf?"
    decision = matcher.match(question)
    assert matcher.analyse(question).script == "english"
    assert decision.kind == "choices"
    assert "invalidity-survivor" in decision.choice_ids
    # With margin 12 its lead of about 10 no longer reaches even the plain margin, so the
    # English margin is shown on a question whose lead falls between the two margins.
    question = "my husband died at work, what does the family get"
    analysis = matcher.analyse(question)
    assert analysis.script == "english"
    best, second = (m.score for m in analysis.ranking.matches[:2])
    t = Thresholds()
    assert best >= t.answer
    assert t.margin <= best - second < t.margin + t.english_margin
    assert matcher.decide(analysis).kind == "choices"
    loose = Matcher(faq, thresholds=replace(t, english_margin=0.0))
    assert loose.match(question).answer_id == "death-at-work"
    # The margin applies to English only: just above the lead withheld, just below given.
    base = replace(t, answer=0.0, margin=0.0)
    lead = best - second
    assert matcher.decide(analysis, replace(base, english_margin=lead + 0.1)).kind == "choices"
    assert matcher.decide(analysis, replace(base, english_margin=lead - 0.1)).kind == "answer"


def test_romanized_questions_may_have_words_that_sound_like_nothing(matcher: Matcher) -> None:
    """A spelling too far from ours is not an unknown topic, up to a point."""
    analysis = matcher.analyse("kat pet bat tver mech")
    assert analysis.script == "romanized"
    strict = replace(Thresholds(), romanized_unknown=0)
    lenient = replace(Thresholds(), romanized_unknown=2)
    crafted = replace(analysis, ranking=replace(analysis.ranking, unknown=2))
    assert matcher._unexplained(crafted, strict) == "unknown words"
    assert matcher._unexplained(crafted, lenient) != "unknown words"
    # Khmer questions get no such allowance.
    khmer = matcher.analyse("កាត ប.ស.ស បាត់")
    khmer = replace(khmer, ranking=replace(khmer.ranking, unknown=1))
    assert matcher._unexplained(khmer, lenient) == "unknown words"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Written for this test, not among the FAQ's phrasings: a Khmer sentence with the
        # English NSSF words workers type, and the spoken register (ហ្នឹង, អត់, បង).
        ("NSSF card បាត់ ធ្វើម៉េចបង", "nssf-card"),
        ("pension បង់បានតែ 6 ខែ ហើយឈប់ធ្វើការ លុយបាត់អត់?", "short-contributions"),
        ("boss អត់ព្រម register NSSF ឲ្យខ្ញុំទេ", "employer-refuses-register"),
        ("ទៅពិនិត្យពោះហ្នឹង គេឲ្យលុយអត់បង?", "prenatal-payments"),
    ],
)
def test_mixed_and_spoken_khmer_questions_are_answered(
    matcher: Matcher, question: str, expected: str
) -> None:
    decision = matcher.match(question)
    assert decision.kind == "answer"
    assert decision.answer_id == expected


def test_a_clear_lead_answers_at_a_lower_score(matcher: Matcher) -> None:
    """Spoken, misspelt and romanized questions score lower against every entry; when the
    best entry still stands far above the rest, it is answered."""
    analysis = matcher.analyse("កាត ប.ស.ស បាត់")
    best = analysis.ranking.matches[0]
    t = Thresholds()
    assert t.lead_answer < t.answer

    def scored(top: float, second: float) -> Analysis:
        ranked = [Match(best.id, top), Match("other", second)]
        return replace(analysis, ranking=replace(analysis.ranking, matches=ranked))

    low = t.lead_answer + 1
    assert low < t.answer
    assert matcher.decide(scored(low, low - t.lead_margin - 1), t).kind == "answer"
    # A smaller lead, or a lower score, is not enough.
    assert matcher.decide(scored(low, low - t.lead_margin + 1), t).kind == "choices"
    below = t.lead_answer - 1
    assert matcher.decide(scored(below, below - t.lead_margin - 5), t).kind == "choices"
    # The entry must still explain the question (here: an aspect it never asks).
    crafted = replace(scored(low, low - t.lead_margin - 1), aspects=frozenset({"who"}))
    assert matcher.decide(crafted, t).kind == "choices"


def test_an_ambiguous_romanized_word_needs_both_readings_to_agree() -> None:
    """A romanized word can sound like two Khmer words about as well ("bet": បាត់ lost,
    ពេទ្យ hospital); a question resting on it is answered outright only when both
    readings put the same entry first."""
    from faq.content import Entry

    def entry(entry_id: str, phrasings: list[str]) -> Entry:
        return Entry.model_validate(
            {
                "id": entry_id,
                "category": "test",
                "question": {"km": phrasings[0], "en": entry_id},
                "answer": {"km": phrasings[0], "en": entry_id},
                "phrasings": {"km": phrasings[1:]},
                "sources": {"facts": [1], "urls": ["https://nssf.gov.kh/"]},
                "legal_basis": {"km": "ច្បាប់", "en": "Law"},
                "last_reviewed": "2026-11-24",
                "review_due": "2027-05-24",
            }
        )

    entries = [
        entry("lost", ["កាតបាត់", "កាតខ្ញុំបាត់", "បាត់កាត", "បាត់សៀវភៅ", "គេបាត់"]),
        entry("hospital", ["ទៅពេទ្យ", "ទៅពេទ្យហើយ", "ខ្ញុំទៅពេទ្យ", "នៅពេទ្យ", "ពេទ្យរដ្ឋ"]),
    ]
    strict = Matcher(entries)
    khmer, _, ambiguous = strict._khmerize(["bet"])
    assert ambiguous
    other = strict._khmerize(["bet"], second=True)[0]
    assert {"".join(khmer), "".join(other)} == {"បាត់", "ពេទ្យ"}
    decision = strict.match("bet")
    assert decision.kind == "choices"
    assert decision.choice_ids[0] == "lost"  # the first reading still ranks
    # Without the check the first reading alone is answered outright.
    lenient = Matcher(entries, weights=Weights(ambiguity=0.0))
    assert lenient.match("bet").kind == "answer"
    # A word with one reading near it is not ambiguous, and is answered.
    assert not strict._khmerize(["pet"])[2]
    assert strict.match("tov pet").answer_id == "hospital"


def test_a_misspelt_khmer_syllable_is_not_an_unknown_topic(faq: Faq, matcher: Matcher) -> None:
    """ពោ for ពោះ (a mark left off) is near a syllable the FAQ has: a typo, which must not
    withhold the answer as a word of another topic would."""
    from faq.tokens import tokenize

    typo = tokenize(normalize("ប្រពន្ធខ្ញុំផ្ទៃពោ"))
    assert "ពោ" in typo.khmer
    assert matcher._query_terms(typo)[2] == 0

    # A worker question imported as a phrasing has the same typo, so on the shipped FAQ
    # ពោ is now a known word; the rule is checked with the phrasings that have it held
    # out (as cross-validation does).
    def has_typo(text: str) -> bool:
        return "ពោ" in tokenize(normalize(text)).khmer

    entries = [
        e.model_copy(
            update={
                "phrasings": e.phrasings.model_copy(
                    update={"km": tuple(p for p in e.phrasings.km if not has_typo(p))}
                )
            }
        )
        for e in faq.entries
    ]
    assert not any(has_typo(p) for e in entries for p in e.phrasings.km)
    assert Matcher(entries)._query_terms(typo)[2] == 0
    strict = Matcher(entries, weights=Weights(typo_ratio=100.0, short_typo=0))
    assert strict._query_terms(typo)[2] == 1
    # A Latin word no FAQ text has is still unknown.
    assert matcher._query_terms(tokenize(normalize("nssf card weather")))[2] == 1


def test_romanized_questions_are_offered_choices_at_a_lower_score(matcher: Matcher) -> None:
    """A spelling read by sound meets fewer terms, so romanized questions score lower
    against every entry: they get choices from a lower best score than Khmer ones."""
    t = Thresholds()
    assert t.romanized_choices < t.choices
    score = (t.romanized_choices + t.choices) / 2
    for question, script, kind in (
        ("kat pet bat tver mech", "romanized", "choices"),
        ("កាត ប.ស.ស បាត់", "khmer", "none"),
    ):
        analysis = matcher.analyse(question)
        assert analysis.script == script
        ranked = [Match(analysis.ranking.matches[0].id, score)]
        # The crafted score is the question's own: no romanized example lifted it.
        own = replace(analysis.ranking, matches=ranked, units=3, lift={})
        assert matcher.decide(replace(analysis, ranking=own), t).kind == kind


def test_romanized_answer_when_the_sound_channel_agrees(matcher: Matcher) -> None:
    """A romanized question whose sound alone ranks the same entry first as its words
    read as Khmer is answered with a smaller lead; without that agreement, or for
    another script, the usual lead is needed."""
    analysis = matcher.analyse("kat pet bat tver mech")
    assert analysis.script == "romanized"
    assert analysis.ranking.sound_agrees
    t = Thresholds()
    best = analysis.ranking.matches[0]
    top = t.agree_answer + 1
    assert top < t.answer
    assert t.agree_margin < t.lead_margin + t.romanized_margin

    def scored(agrees: bool, second: float, script: str = "romanized") -> Analysis:
        ranked = [Match(best.id, top), Match("other", second)]
        # The crafted scores are the question's own: no romanized example lifted them.
        ranking = replace(analysis.ranking, matches=ranked, sound_agrees=agrees, lift={})
        return replace(analysis, ranking=ranking, script=script)

    second = top - t.agree_margin - 1
    assert matcher.decide(scored(True, second), t).kind == "answer"
    assert matcher.decide(scored(False, second), t).kind == "choices"
    assert matcher.decide(scored(True, second, "mixed"), t).kind == "choices"
    # A smaller lead, or a score below agree_answer, is still not enough.
    assert matcher.decide(scored(True, top - t.agree_margin + 1), t).kind == "choices"
    low = replace(t, agree_answer=top + 1)
    assert matcher.decide(scored(True, second), low).kind == "choices"
    # The entry must still explain the question.
    asks = replace(scored(True, second), aspects=frozenset({"who"}))
    assert matcher.decide(asks, t).kind == "choices"


def test_sound_agreement_is_that_of_the_phonetic_channel(matcher: Matcher) -> None:
    """The flag compares the phonetic channel's own best entry with the ranking's."""
    from faq.tokens import tokenize

    for question in ("kat pet bat tver mech", "prak sothon ban ponman", "chheu pet tov na"):
        analysis = matcher.analyse(question)
        sounds = matcher._sound_scores(tokenize(analysis.normalized).latin)
        loudest = max(sounds.items(), key=lambda item: (item[1], -item[0]))[0]
        assert analysis.ranking.sound_agrees == (loudest == analysis.ranking.best)
    # Khmer questions have no phonetic channel.
    assert not matcher.analyse("កាត ប.ស.ស បាត់").ranking.sound_agrees


def test_the_spoken_first_person_is_a_function_word(faq: Faq, matcher: Matcher) -> None:
    """ញ៉ុម is how ខ្ញុំ (I) is said and typed in the spoken register: a pronoun, not an
    unknown topic. Each Khmer phrasing with ខ្ញុំ, said with ញ៉ុម, keeps its entry and is
    still answered outright (before, the word withheld every such answer)."""
    from faq.tokens import tokenize

    assert matcher._query_terms(tokenize(normalize("ញ៉ុមចង់ដឹង")))[2] == 0
    asked = same = answered = spoken_answered = 0
    for entry in faq.entries:
        for phrasing in entry.phrasings.km:
            if "ខ្ញុំ" not in phrasing:
                continue
            written, spoken = matcher.match(phrasing), matcher.match(phrasing.replace("ខ្ញុំ", "ញ៉ុម"))
            asked += 1
            same += spoken.matches[0].id == entry.id
            answered += written.kind == "answer"
            spoken_answered += spoken.kind == "answer"
    assert asked > 100
    assert same >= 0.98 * asked
    assert spoken_answered >= 0.9 * answered


def test_mixed_answer_when_its_khmer_and_latin_halves_agree(matcher: Matcher) -> None:
    """A mixed question whose Khmer words alone and Latin words alone each rank the same
    entry first is answered with a smaller lead (two readings that share no word)."""
    # Written for this test (the earlier pay-by-app question now leads by 0.4 only).
    agreeing = matcher.analyse("ថៅកែកាត់លុយ NSSF ពីប្រាក់ខែ but not pay")
    assert agreeing.script == "mixed"
    assert agreeing.ranking.halves_agree
    best, second = agreeing.ranking.matches[:2]
    t = Thresholds()
    assert t.mixed_agree_margin <= best.score - second.score < t.margin + t.mixed_margin
    assert matcher.decide(agreeing).answer_id == "employer-deducts-not-pays"
    # Without the agreement rule its lead is not enough.
    crafted = replace(agreeing, ranking=replace(agreeing.ranking, halves_agree=False))
    assert matcher.decide(crafted).kind == "choices"
    # Here the Khmer words alone (pregnant, how much money) rank the prenatal payments
    # first, "maternity" the maternity pay: no agreement, choices. (The earlier two-jobs
    # question is now answered with a large lead.)
    split = matcher.analyse("ប្រពន្ធខ្ញុំមានផ្ទៃពោះ maternity ប.ស.ស ឱ្យលុយប៉ុន្មាន")
    assert split.script == "mixed"
    assert matcher._may_decide(split.ranking, "mixed")
    assert not split.ranking.halves_agree
    assert matcher.decide(split).kind == "choices"
    t = Thresholds()
    top = t.mixed_agree_answer + 1
    assert top < t.lead_answer
    best = agreeing.ranking.matches[0]

    def scored(agree: bool, second: float) -> Analysis:
        ranked = [Match(best.id, top), Match("other", second)]
        crafted = replace(agreeing.ranking, matches=ranked, halves_agree=agree)
        return replace(agreeing, ranking=crafted)

    second = top - t.mixed_agree_margin - 1
    assert matcher.decide(scored(True, second), t).kind == "answer"
    assert matcher.decide(scored(False, second), t).kind == "choices"
    assert matcher.decide(scored(True, top - t.mixed_agree_margin + 1), t).kind == "choices"
    higher = replace(t, mixed_agree_answer=top + 1)
    assert matcher.decide(scored(True, second), higher).kind == "choices"
    # The entry must still explain the question.
    asks = replace(scored(True, second), aspects=frozenset({"who"}))
    assert matcher.decide(asks, t).kind == "choices"


def test_the_halves_are_scored_only_when_they_could_decide(
    matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scoring the halves costs two more scorings: only for a mixed question whose best
    entry could be answered by agreement and not otherwise."""
    calls: list[str] = []
    halves = matcher._halves_agree

    def spy(normalized: str, ranking: object) -> bool:
        calls.append(normalized)
        return halves(normalized, ranking)  # type: ignore[arg-type]

    monkeypatch.setattr(matcher, "_halves_agree", spy)
    asked = {
        "កាត ប.ស.ស បាត់": False,  # Khmer
        "how do i replace a lost nssf card": False,  # English
        "NSSF card បាត់ ធ្វើម៉េច": False,  # answered anyway: a large lead
        "ថៅកែកាត់លុយ NSSF ពីប្រាក់ខែ but not pay": True,
        "ខ្ញុំ pay NSSF ខ្លួនឯង តាម app បានទេ": False,  # a lead of 0.4: no agreement helps
        "ប្រពន្ធខ្ញុំមានផ្ទៃពោះ maternity ប.ស.ស ឱ្យលុយប៉ុន្មាន": True,
        "ធ្វើការ 2 company ព្រឹកមួយល្ងាចមួយ NSSF គិតម៉េចដែរ": False,  # a large lead now
    }
    for question, scored in asked.items():
        calls.clear()
        matcher.analyse(question)
        assert bool(calls) == scored, question


def test_khmer_answer_when_its_sound_agrees(faq: Faq, matcher: Matcher) -> None:
    """A Khmer question that scores a little low (spoken, misspelt) but whose sound alone
    (its phonetic skeleton, as for romanized questions) ranks the same entry first is
    answered with a smaller lead."""
    from faq.romanize import khmer_skeleton
    from faq.tokens import tokenize

    # Written for this test; with the worker questions among the phrasings it now scores
    # high enough to be answered on the shipped FAQ without the sound.
    assert matcher.match("ពោះធំហើយ ត្រូវទៅប្រាប់គេម៉េចខ្លះ").answer_id == "report-pregnancy"
    # With margin 12 the rule acts only on a best score in [khmer_agree_answer, answer):
    # checked on a matcher over four entries, where this question (written for this test:
    # fell at work, broke an arm) scores just that.
    four = {"report-pregnancy", "maternity-pay", "report-accident", "sick-pay"}
    small = Matcher([e for e in faq.entries if e.id in four])
    analysis = small.analyse("ដួលពេលធ្វើការ ដៃបាក់")
    assert analysis.script == "khmer"
    t = Thresholds()
    ranked = analysis.ranking.matches
    assert t.khmer_agree_answer <= ranked[0].score < t.lead_answer
    assert small._may_decide(analysis.ranking, "khmer")
    sounds = small._shape_sounds(khmer_skeleton(list(tokenize(analysis.normalized).khmer)))
    assert max(sounds.items(), key=lambda i: (i[1], -i[0]))[0] == analysis.ranking.best
    assert analysis.ranking.sound_agrees
    assert small.decide(analysis).answer_id == "report-accident"
    disagreeing = replace(analysis, ranking=replace(analysis.ranking, sound_agrees=False))
    assert small.decide(disagreeing).kind == "choices"
    # Not below khmer_agree_answer, nor with a lead under khmer_agree_margin.
    best = ranked[0]

    def scored(top: float, second: float) -> Analysis:
        crafted = [Match(best.id, top), Match("other", second)]
        return replace(analysis, ranking=replace(analysis.ranking, matches=crafted))

    top = t.khmer_agree_answer + 1
    assert small.decide(scored(top, top - t.khmer_agree_margin - 1)).kind == "answer"
    assert small.decide(scored(top, top - t.khmer_agree_margin + 1)).kind == "choices"
    low = t.khmer_agree_answer - 1
    assert small.decide(scored(low, low - t.khmer_agree_margin - 5)).kind == "choices"
    # A question answered anyway, or scoring too low, never pays for the sound.
    assert not matcher.analyse("កាត ប.ស.ស បាត់").ranking.sound_agrees


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        # Written for this test: ទែ for ទេ, ឫ for ឬ, ម៍ for ម៌ (one character off).
        (
            "ប្រពន្ធខ្ញុំមានផ្ទៃពោះ ត្រូវប្រកាសទៅ ប.ស.ស ដែរទែ",
            "ប្រពន្ធខ្ញុំមានផ្ទៃពោះ ត្រូវប្រកាសទៅ ប.ស.ស ដែរទេ",
        ),
        ("មន្ត្រីរាជការ ត្រូវបង់ ប.ស.ស ដែរឫទេ", "មន្ត្រីរាជការ ត្រូវបង់ ប.ស.ស ដែរឬទេ"),
        ("កាតសមធម៍ ប្រើនៅពេទ្យរដ្ឋបានទេ", "កាតសមធម៌ ប្រើនៅពេទ្យរដ្ឋបានទេ"),
    ],
)
def test_a_short_misspelt_syllable_is_not_an_unknown_topic(
    matcher: Matcher, typed: str, meant: str
) -> None:
    """A syllable of one or two characters the FAQ lacks is too short for rapidfuzz to
    call a typo (one character off is ratio 50): it is taken for one, not for a word of
    another topic, and the question is decided as if typed right."""
    analysis = matcher.analyse(typed)
    assert analysis.ranking.unknown == 0
    right, decision = matcher.match(meant), matcher.decide(analysis)
    assert (decision.kind, decision.answer_id) == (right.kind, right.answer_id)
    assert decision.kind == "answer"


def test_a_look_alike_mark_is_read_as_the_mark_meant(faq: Faq, matcher: Matcher) -> None:
    """ឹ for ឺ, ែ for ៃ, ៈ for ះ, or a small mark (៉ ៊ ់ ៍) left off: on a phone these are
    one tap apart, and the syllable they make is the indexed one the worker meant."""
    from faq.matcher import _fold_marks
    from faq.tokens import tokenize

    for typed, meant in (("ឈឹ", "ឈឺ"), ("ផ្ទែ", "ផ្ទៃ"), ("ខ្លៈ", "ខ្លះ"), ("មេ", "ម៉េ")):
        assert typed != meant and _fold_marks(typed) == _fold_marks(meant)
        assert matcher._look_alike().get(_fold_marks(typed)) in (meant, None)
    # Worker questions imported as phrasings have these very typos (ឈឹ, ផ្ទែ, ខ្លៈ), so
    # on the shipped FAQ they are known words; the rule is checked with those phrasings
    # held out (as cross-validation does).
    typos = {"ឈឹ", "ផ្ទែ", "ខ្លៈ"}

    def clean(texts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(p for p in texts if not typos & set(tokenize(normalize(p)).khmer))

    held = Matcher(
        [
            e.model_copy(
                update={"phrasings": e.phrasings.model_copy(update={"km": clean(e.phrasings.km)})}
            )
            for e in faq.entries
        ]
    )
    assert not any(t in held._look_alike().values() for t in typos)
    terms, _, unknown = held._query_terms(tokenize(normalize("ខ្ញុំឈឹ")))
    assert "ឈឺ" in terms and "ឈឹ" not in terms and unknown == 0
    # Written for this test: the same question with two marks mistyped is matched and
    # decided as the question typed right.
    for m in (matcher, held):
        right = m.match("ប្រពន្ធខ្ញុំមានផ្ទៃពោះ ត្រូវប្រាប់ ប.ស.ស ម៉េចខ្លះ")
        typed = m.match("ប្រពន្ធខ្ញុំមានផ្ទែពោះ ត្រូវប្រាប់ ប.ស.ស ម៉េចខ្លៈ")
        assert (right.kind, right.answer_id) == ("answer", "report-pregnancy")
        assert (typed.kind, typed.answer_id) == (right.kind, right.answer_id)
    # A folded form two indexed syllables share chooses neither.
    from faq.content import Entry

    def entry(entry_id: str, text: str) -> Entry:
        return Entry.model_validate(
            {
                "id": entry_id,
                "category": "test",
                "question": {"km": text, "en": entry_id},
                "answer": {"km": text, "en": entry_id},
                "phrasings": {"km": [f"{text} {tail}" for tail in ("ទេ", "ហើយ", "ណាស់", "ដែរ")]},
                "sources": {"facts": [1], "urls": ["https://nssf.gov.kh/"]},
                "legal_basis": {"km": "ច្បាប់", "en": "Law"},
                "last_reviewed": "2026-11-24",
                "review_due": "2027-05-24",
            }
        )

    small = Matcher([entry("a", "ឈឺក្បាល"), entry("b", "ឈឹងក្បាល ឈឹ")])
    assert _fold_marks("ឈឺ") == _fold_marks("ឈឹ")
    assert _fold_marks("ឈឺ") not in small._look_alike()


def test_remembered_misspellings_decide_as_a_fresh_matcher_does(faq: Faq) -> None:
    # Misspelt syllables (a letter dropped, doubled or swapped) are looked up once and
    # remembered: the second time, and after the memory is full and starts again, the
    # decisions are the ones a matcher that never saw them makes.
    questions = ["ប្រាក់សោធនចូលនិវតន៍", "កាតបាតត់ធ្វើម៉េច", "ចុះឈ្មោះកម្ករ", "ប្រាក់សោធនចូលនិវតន៍"]
    used = Matcher(faq)
    used._near_syllables.update({f"x{n}": None for n in range(4096)})  # full
    for question in questions:
        assert used.match(question) == Matcher(faq).match(question)
    remembered = used._near_syllables
    assert remembered and "x0" not in remembered  # it started again, and remembers


def test_siblings_are_symmetric_and_name_entries(faq: Faq, tmp_path: Path) -> None:
    """faq/siblings.txt: every entry named exists, and siblinghood goes both ways."""
    ids = {entry.id for entry in faq.entries}
    siblings = load_siblings(SIBLINGS_FILE, ids)
    assert siblings["sick-pay"] >= {"accident-pay"}
    for entry, others in siblings.items():
        assert entry in ids and entry not in others
        assert all(entry in siblings[other] for other in others)
    groups = tmp_path / "siblings.txt"
    groups.write_text("# a comment\na b c  # three\nb gone\n", encoding="utf-8")
    assert load_siblings(groups, {"a", "b", "c"}) == {
        "a": frozenset({"b", "c"}),
        "b": frozenset({"a", "c"}),
        "c": frozenset({"a", "b"}),
    }


def test_the_family_package_is_a_sibling_of_the_equity_card(faq: Faq) -> None:
    """Two kinds of help for poor families (faq/siblings.txt): a family-package phrasing
    held out of the FAQ (as cross-validation does) used to score the equity card's health
    care first, the family package 10 points behind. With the worker questions among the
    phrasings the family package now ranks first, 14 ahead; both are still offered."""
    held = "i have id poor card, can get family package?"
    entries = [
        e.model_copy(
            update={
                "phrasings": e.phrasings.model_copy(
                    update={"en": tuple(p for p in e.phrasings.en if p != held)}
                )
            }
        )
        for e in faq.entries
    ]
    decision = Matcher(entries).match(held)
    assert decision.kind == "choices"
    assert decision.choice_ids[:2] == ["family-package", "idpoor-hef"]
    siblings = load_siblings(SIBLINGS_FILE)
    assert "idpoor-hef" in siblings["family-package"]
    assert "pension-for-all" in siblings["self-employed-join"]
    assert "domestic-workers" in siblings["who-must-register"]


def test_what_tells_a_sibling_second_apart_is_measured(matcher: Matcher) -> None:
    """With a sibling second, the analysis weighs the question's terms that only the best
    entry's match strings have, and those that only the sibling's have."""
    analysis = matcher.analyse("I am sick and off work, does NSSF pay me each day?")
    ranking = analysis.ranking
    assert [m.id for m in ranking.matches[:2]] == ["sick-pay", "accident-pay"]
    assert 0 < ranking.distinct < 1 and 0 < ranking.counter < 1
    assert ranking.distinct + ranking.counter <= 1
    # Not a sibling second: nothing is measured.
    # (The pension-age question used here before now has the pension amount, a sibling,
    # second.)
    other = matcher.analyse("I lost my nssf card what should I do")
    assert other.ranking.matches[0].id == "nssf-card"
    assert other.ranking.matches[1].id not in load_siblings(SIBLINGS_FILE).get("nssf-card", ())
    assert other.ranking.distinct == other.ranking.counter == -1.0


@pytest.mark.parametrize(
    "question",
    [
        "ខ្ញុំឈឺសម្រាកពីរអាទិត្យ មានលុយជំនួសពី ប.ស.ស ទេ",
        "ខ្ញុំឈឺ សម្រាកបីអាទិត្យ ថៅកែអត់បើកលុយខែ ប.ស.ស ជួយទេ",
    ],
)
def test_a_word_characteristic_of_the_sibling_withholds_the_answer(
    faq: Faq, matcher: Matcher, question: str
) -> None:
    """ឈឺ (sick) is in many of the sick-pay entry's phrasings and in none of accident
    pay's. These sick-leave questions (two weeks off, no wage) used to rank accident pay
    first; with the worker questions among the phrasings they now rank sick pay first and
    are answered with it."""
    decision = matcher.match(question)
    assert (decision.kind, decision.answer_id) == ("answer", "sick-pay")
    # The rule, on a matcher over four entries: this question (written for this test:
    # injured at work, in much pain, two weeks off) ranks accident pay first by about 24,
    # enough to be answered, but says ឈឺ, characteristic of the sibling: it is offered as
    # a button, not answered (sick pay, 24 behind, is past the choice gap).
    four = {"sick-pay", "accident-pay", "pension-age", "pension-amount"}
    small = Matcher([e for e in faq.entries if e.id in four])
    analysis = small.analyse("ខ្ញុំរងរបួសពេលធ្វើការ ឈឺខ្លាំង អត់បានធ្វើការពីរអាទិត្យ")
    assert [m.id for m in analysis.ranking.matches[:2]] == ["accident-pay", "sick-pay"]
    t = small.thresholds
    assert analysis.ranking.marker >= t.sibling_marker
    decision = small.decide(analysis)
    assert decision.kind == "choices"
    assert decision.choice_ids[0] == "accident-pay"
    assert small.decide(analysis, replace(t, sibling_marker=math.inf)).kind == "answer"


def test_a_sibling_second_the_question_points_to_needs_a_larger_lead(matcher: Matcher) -> None:
    """When the second entry is a sibling of the best one and the question has enough
    of what only the sibling's phrasings say, the lead must be `sibling_margin`: else the
    two are offered as buttons."""
    analysis = matcher.analyse("I am sick and off work, does NSSF pay me each day?")
    t = replace(Thresholds(), english_margin=0.0)  # the sibling rule alone
    assert t.sibling_margin > t.margin

    def scored(lead: float, counter: float, sibling: bool = True) -> Analysis:
        second = "accident-pay" if sibling else "other"
        ranked = [Match("sick-pay", 75.0), Match(second, 75.0 - lead)]
        ranking = replace(
            analysis.ranking,
            matches=ranked,
            distinct=0.3 if sibling else -1.0,
            counter=counter if sibling else -1.0,
        )
        return replace(analysis, ranking=ranking)

    lead = (t.margin + t.sibling_margin) / 2
    assert matcher.decide(scored(lead, t.sibling_counter), t).kind == "choices"
    assert matcher.decide(scored(lead, t.sibling_counter / 2), t).kind == "answer"
    assert matcher.decide(scored(lead, 0.0, sibling=False), t).kind == "answer"
    assert matcher.decide(scored(t.sibling_margin + 1, 0.5), t).kind == "answer"
    decision = matcher.decide(scored(lead, 0.5), t)
    assert decision.choice_ids[:2] == ["sick-pay", "accident-pay"]


def test_a_word_characteristic_of_any_second_entry_withholds_the_answer(faq: Faq) -> None:
    """Held out of the FAQ (as cross-validation does), this reimbursement phrasing ranks
    the accident report first (they share paying the hospital oneself), 10 points ahead
    of the emergency-care entry, which is no sibling of it. But the question says
    emergency (បន្ទាន់), which a fifth of the emergency entry's phrasings say and the
    accident report's hardly ever do (1 in 70): the worker gets both as buttons, not the
    report's answer."""
    question = "ខ្ញុំបង់លុយពេទ្យខ្លួនឯងពេលបន្ទាន់ សុំលុយវិញពី ប.ស.ស បានទេ?"
    entries = []
    for entry in faq.entries:
        phrasings = entry.phrasings
        km = tuple(text for text in phrasings.km if text != question)
        entries.append(
            entry.model_copy(update={"phrasings": phrasings.model_copy(update={"km": km})})
        )
    assert (
        sum(len(e.phrasings.km) for e in entries)
        == sum(len(e.phrasings.km) for e in faq.entries) - 1
    )
    matcher = Matcher(entries)
    analysis = matcher.analyse(question)
    ranked = analysis.ranking.matches
    assert [m.id for m in ranked[:2]] == ["report-accident", "emergency-other-hospital"]
    assert "emergency-other-hospital" not in matcher._siblings.get("report-accident", ())
    t = matcher.thresholds
    assert analysis.ranking.rare >= t.rare_marker
    assert matcher.decide(analysis, replace(t, rare_marker=math.inf)).kind == "answer"
    decision = matcher.decide(analysis)
    assert decision.kind == "choices"
    assert decision.choice_ids[:2] == ["report-accident", "emergency-other-hospital"]
