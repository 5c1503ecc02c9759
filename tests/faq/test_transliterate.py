"""Khmer script written in Latin letters by general rules, and matched by how it sounds."""

from __future__ import annotations

import random

import pytest

from faq.content import Faq
from faq.matcher import Matcher, Thresholds, Weights
from faq.normalize import normalize
from faq.romanize import skeleton
from faq.tokens import khmer_syllables, latin_words
from faq.transliterate import romanize, spoken_syllables


@pytest.mark.parametrize(
    ("khmer", "latin"),
    [
        ("ប្រាក់សោធន", "prak sothon"),
        ("ចុះឈ្មោះ", "chos chhmous"),
        ("ការងារ", "kar ngea"),
        ("ភាគទាន", "pheak tean"),
        ("ក្រុមហ៊ុន", "krom hun"),
        ("សន្តិសុខសង្គម", "santesok sangkum"),
        ("រោងចក្រ", "rong chak"),
        ("ពេទ្យ", "pet"),
    ],
)
def test_the_commonest_spelling_sounds_like_what_workers_type(khmer: str, latin: str) -> None:
    assert skeleton(romanize(khmer)) == skeleton(latin)


def test_spoken_syllables_span_the_written_ones() -> None:
    syllables = khmer_syllables("ប្រាក់សោធន")
    spans = spoken_syllables(syllables)
    assert [(start, end) for start, end, _ in spans] == [(0, 2), (2, 3), (3, 5)]
    # ប៉ុន្មាន "pon-man": the cluster's base closes the first syllable.
    assert [spelt[0] for _, _, spelt in spoken_syllables(khmer_syllables("ប៉ុន្មាន"))] == ["b", "m"]


def test_random_spellings_vary_and_keep_other_text() -> None:
    text = normalize("ខ្ញុំចង់ដឹងថាប្រាក់សោធនបានប៉ុន្មាន NSSF 60")
    spellings = {romanize(text, random.Random(seed)) for seed in range(20)}
    assert len(spellings) > 5
    for spelt in spellings:
        assert spelt.isascii()
        assert spelt.endswith("nssf 60")
    assert romanize(text) == romanize(text)  # without a generator: always the same


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Spellings and words no lexicon, keyword or glossary lists together.
        ("bong pheaktien khluon eng tam thoneakear ey khlah", "pay-voluntary"),
        ("pdei khnhom slap pel tver kar krousar ban avei", "death-at-work"),
    ],
)
def test_a_romanized_question_is_read_as_the_khmer_it_sounds_like(
    faq: Faq, matcher: Matcher, question: str, expected: str
) -> None:
    decision = matcher.match(question)
    assert decision.kind == "answer"
    assert decision.matches[0].id == expected
    # Without the sound reading, the same question scores clearly lower.
    plain = Matcher(faq, weights=Weights(khmerize=False)).match(question)
    score = {m.id: m.score for m in plain.matches}.get(expected, 0.0)
    assert score < decision.matches[0].score - 5


@pytest.mark.parametrize(
    "question", ["what is the weather in phnom penh", "how do i renew my passport"]
)
def test_english_questions_are_not_read_as_khmer_sounds(
    faq: Faq, matcher: Matcher, question: str
) -> None:
    plain = Matcher(faq, weights=Weights(khmerize=False)).match(question)
    assert matcher.match(question) == plain
    assert plain.kind != "answer"


def test_the_spoken_word_index_is_built_on_the_first_romanized_question(faq: Faq) -> None:
    """Khmer and English questions never pay for it (a third of the start-up time)."""
    matcher = Matcher(faq)
    assert matcher._index.spoken is None
    matcher.match("កាត ប.ស.ស បាត់")
    matcher.match("my nssf card is lost")
    assert matcher._index.spoken is None
    decision = matcher.match("bong pheaktien khluon eng tam thoneakear ey khlah")
    assert matcher._index.spoken
    assert decision.matches[0].id == "pay-voluntary"


def test_warm_builds_the_spoken_word_index_ahead_and_answers_the_same(faq: Faq) -> None:
    """The bot warms its matcher at start (off the event loop): no worker's romanized
    question then waits for the index, and warming changes no decision."""
    cold, warm = Matcher(faq), Matcher(faq).warm()
    assert warm._index.spoken
    question = "bong pheaktien khluon eng tam thoneakear ey khlah"
    assert warm.match(question) == cold.match(question)


def test_words_joined_with_a_short_skeleton_are_read_when_spelt_alike(faq: Faq) -> None:
    """The words "kar ngear" (ការងារ) have the skeleton "kG", too short to look up loosely; spelt
    this close to the FAQ's own "kar ngea" it is read as the Khmer word."""
    matcher = Matcher(faq)
    khmer, _, _ = matcher._khmerize(["kanleng", "kar", "ngear"])
    assert "".join(khmer).endswith("ការងារ")
    off = Matcher(faq, weights=Weights(short_joined=101.0))
    assert "ការងារ" not in "".join(off._khmerize(["kanleng", "kar", "ngear"])[0])
    # A loose likeness is not enough.
    assert "ការងារ" not in "".join(matcher._khmerize(["ko", "nga"])[0])


def test_random_romanized_spellings_of_the_faq_find_their_entry(faq: Faq) -> None:
    """Robustness of the sound reading: each entry's Khmer question and first phrasings,
    written in Latin letters with random usual spellings (vowels, aspiration, splits),
    find their own entry, and are almost never answered with another one."""
    matcher = Matcher(faq)
    rng = random.Random(7)
    asked = first = top3 = wrong = 0
    for entry in faq.entries:
        for text in (entry.question.km, *entry.phrasings.km[:3]):
            decision = matcher.match(romanize(normalize(text), rng))
            ids = [m.id for m in decision.matches]
            asked += 1
            first += ids[:1] == [entry.id]
            top3 += entry.id in ids[:3]
            wrong += decision.kind == "answer" and ids[0] != entry.id
    assert first >= 0.95 * asked
    assert top3 >= 0.98 * asked
    assert wrong <= 0.01 * asked


def test_romanized_words_are_read_as_typed_not_stemmed(
    faq: Faq, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The English stemmer cuts a final "s" ("chmous" -> "chmou"), which changes how a
    romanized word is spelt, and so which Khmer it reads as: the reading gets the words
    as typed, and what it leaves as Latin is stemmed like the FAQ's words."""
    from faq.tokens import latin_words, tokenize

    question = "dak chmous kromhun"
    assert tokenize(normalize(question)).latin == ("dak", "chmou", "kromhun")
    assert latin_words(normalize(question)) == ["dak", "chmous", "kromhun"]
    matcher = Matcher(faq)
    assert "ឈ្មោះ" in "".join(matcher._khmerize(["chmous"])[0])
    assert "ឈ្មោះ" not in "".join(matcher._khmerize(["chmou"])[0])
    seen: list[list[str]] = []
    reading = matcher._reading

    def spy(
        words: list[str], second: bool = False, long: bool = True
    ) -> tuple[list[str], list[str], bool, int]:
        seen.append(list(words))
        return reading(words, second, long)

    monkeypatch.setattr(matcher, "_reading", spy)
    matcher.match(question)
    assert seen[0] == ["dak", "chmous", "kromhun"]
    # Words left as Latin are stemmed, as the FAQ's own Latin words are.
    assert matcher._khmerize(["workers"])[1] == ["worker"]


def test_a_romanized_cluster_written_with_an_apostrophe_is_one_word(matcher: Matcher) -> None:
    """ "kh'nhom" is ខ្ញុំ: its "kh" must not be left over as an unknown Latin word."""
    joined = matcher._khmerize(latin_words(normalize("khnhom chos chmous")))
    assert matcher._khmerize(latin_words(normalize("kh'nhom chos chmous"))) == joined
    assert "kh" not in joined[1]


def test_english_words_in_a_romanized_question_also_stand_for_their_khmer(faq: Faq) -> None:
    """ "certificate" is English the FAQ has, so it stayed English and never met the
    Khmer phrasings the rest of the question is read against; now it also stands for
    its Khmer (faq/romanized.tsv), as a romanized spelling does."""
    question = "certificate kamkor krao prapoan chea ey"
    # Without the romanized questions asked before, which lift the entry either way.
    decision = Matcher(faq, examples=[]).match(question)
    assert decision.kind == "answer"
    assert decision.matches[0].id == "informal-certificate"
    off = Matcher(faq, weights=Weights(bridge=0.0), examples=[]).match(question)
    assert off.matches[0].id != "informal-certificate"


def test_an_english_question_is_not_bridged_to_khmer(faq: Faq, matcher: Matcher) -> None:
    """Only a question with romanized Khmer in it: English stays English."""
    question = "self employ nssf cost per month"
    assert matcher.match(question) == Matcher(faq, weights=Weights(bridge=0.0)).match(question)


def test_an_english_word_typed_apart_is_one_word(matcher: Matcher) -> None:
    """ "hot line" is the FAQ's "hotline", not "lek hot" read as លិខិត (a letter)."""
    khmer, latin, _ = matcher._khmerize(["mean", "lek", "hot", "line", "tov", "boss"])
    assert "hotline" in latin
    assert "លិខិត" not in "".join(khmer)
    decision = matcher.match("mean lek hot line tov pdeng boss ot")
    assert decision.matches[0].id == "hotline"


def test_of_two_readings_spelt_about_as_alike_the_commoner_khmer_wins(faq: Faq) -> None:
    """ "prak" is spelt a little more like ពីប្រាក់ ("piprak") than like ប្រាក់ ("brak"),
    but the FAQ says ប្រាក់ (money) far more often: the likelier word is read."""
    matcher = Matcher(faq)
    assert "".join(matcher._khmerize(["prak"])[0]) == "ប្រាក់"
    assert "".join(matcher._khmerize(["kommokor"])[0]) == "កម្មករ"
    spelling_only = Matcher(faq, weights=Weights(frequency=0.0))
    assert "".join(spelling_only._khmerize(["prak"])[0]) != "ប្រាក់"


def test_a_long_romanized_word_helps_to_rank_never_to_answer(faq: Faq) -> None:
    """ "rothaphibal" is រដ្ឋាភិបាល, four spoken syllables typed as one word: read as such
    only when nothing shorter reads it, it lifts its entry, but a question is answered
    outright only as it would be without that reading (such readings erred on
    cross-validation when they could answer)."""
    matcher = Matcher(faq, examples=[])  # the examples lift the entry either way
    assert "".join(matcher._khmerize(["rothaphibal"])[0]) == "រដ្ឋាភិបាល"
    short = Matcher(faq, weights=Weights(long_ratio=101.0), examples=[])
    assert short._khmerize(["rothaphibal"])[0] == []
    # The question used before is now answered either way: a new phrasing scores it best
    # without the word. Written for this test: what is the government's social
    # protection policy.
    question = "rothaphibal mean kolnayobay kakpea sangkum ey klah"
    decision, plain = matcher.match(question), short.match(question)
    assert decision.matches[0].id == "social-protection-policy"
    plain_scores = {m.id: m.score for m in short.analyse(question).ranking.matches}
    assert decision.matches[0].score > plain_scores["social-protection-policy"] + 5
    assert plain.matches[0].id != "social-protection-policy"
    assert decision.kind == plain.kind == "choices"
    answering = Matcher(faq, thresholds=Thresholds(answer_guessed=True), examples=[]).match(
        question
    )
    assert (answering.kind, answering.answer_id) == ("answer", "social-protection-policy")


@pytest.mark.parametrize(
    ("khmer", "plain", "regrouped"),
    [
        # After a long vowel a sonorant closes the syllable: គោល|នយោបាយ "kol-no-yo-bay".
        ("គោលនយោបាយ", ["ko", "lon", "yo", "bay"], ["kol", "no", "yo", "bay"]),
        ("ពេលសម្រាក", ["pe", "los", "mreak"], ["pel", "sam", "reak"]),
        # A bare consonant before a split cluster opens a syllable: ទៅ|មន្ទីរ.
        ("ទៅមន្ទីរពេទ្យ", ["tovm", "nti", "pet"], ["tov", "mon", "ti", "pet"]),
        # Where the text ends, or a stop follows a glide, both read the same.
        ("ប្រាក់សោធន", ["brak", "sao", "thon"], ["brak", "sao", "thon"]),
        ("ទៅយក", ["tov", "yok"], ["tov", "yok"]),
    ],
)
def test_syllables_that_group_two_ways_are_also_read_the_other_way(
    khmer: str, plain: list[str], regrouped: list[str]
) -> None:
    syllables = khmer_syllables(khmer)
    assert [spelt for _, _, spelt in spoken_syllables(syllables)] == plain
    assert [spelt for _, _, spelt in spoken_syllables(syllables, regroup=True)] == regrouped
    # romanize keeps the first grouping: generated questions stay comparable.
    assert skeleton(romanize(khmer)) == skeleton(" ".join(plain))


def test_a_word_typed_as_the_other_grouping_is_read(matcher: Matcher) -> None:
    """ "kolnayobay" (គោលនយោបាយ, policy) and "mondipet" (មន្ទីរពេទ្យ, hospital) are typed
    as heard, "kol-no-yo-bay" and "mon-ti-pet"; the FAQ's text grouped another way
    ("ko-lon", "tovm-ti" after ទៅ) read them as nothing."""
    assert "".join(matcher._khmerize(["kolnayobay"])[0]) == "គោលនយោបាយ"
    assert "".join(matcher._khmerize(["mondipet"])[0]) == "មន្ទីរពេទ្យ"
    decision = matcher.match("kolnayobay kakpea sangkum")
    assert decision.matches[0].id == "social-protection-policy"


def test_an_english_stem_typed_as_common_khmer_counts_both_ways(
    faq: Faq, matcher: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "chang" is the stem of the FAQ's "changes", and also ចង់ (want), which the FAQ
    says very often: in a romanized question it stands for both."""
    khmer, latin, _ = matcher._khmerize(["knhom", "chang", "chol", "nssf"])
    assert "ចង់" in "".join(khmer)
    assert "chang" in latin
    # A word the FAQ says rarely in Khmer stays English only; English questions are
    # not read by sound at all.
    assert "ចង់" not in "".join(matcher._khmerize(["changes"])[0])
    question = "what changes in the pension"
    monkeypatch.setattr("faq.matcher.ALSO_KHMER_COUNT", 10**9)
    assert "ចង់" not in "".join(Matcher(faq)._khmerize(["knhom", "chang", "chol", "nssf"])[0])
    assert Matcher(faq).match(question) == matcher.match(question)


def test_a_short_romanized_word_reads_as_a_common_content_word(faq: Faq) -> None:
    """ "chheu" (ឈឺ sick), "luy" (លុយ money), "khae" (ខែ month) have skeletons of one
    letter, too short to look up, and were never read. One such typed word is now read
    when spelt very alike as a content word the FAQ says often; a function word ("tov"
    ទៅ, "oy" ឱ្យ) stays unread: it says nothing of the topic."""
    matcher = Matcher(faq)
    assert "".join(matcher._khmerize(["chheu"])[0]) == "ឈឺ"
    assert "".join(matcher._khmerize(["luy"])[0]) == "លុយ"
    assert "".join(matcher._khmerize(["khae"])[0]) == "ខែ"
    assert matcher._khmerize(["tov"])[0] == []
    assert matcher._khmerize(["nov"])[0] == []  # នៅ (at), in place of "oy": see below
    off = Matcher(faq, weights=Weights(short_word=101.0))
    assert off._khmerize(["chheu"])[0] == []


def test_oy_reads_as_no_content_word(matcher: Matcher) -> None:
    """ "oy" (ឱ្យ, give/let) is a function word and says nothing of the topic, whether
    it reads as ឱ្យ or as អោយ, the informal spelling many worker questions use."""
    assert matcher._khmerize(["oy"])[0] == []


def test_a_guessed_reading_lifts_the_entry_it_names(faq: Faq) -> None:
    """Short words and spellings less alike (60-65) are read as guesses: "chheu", "chas"
    say what NSSF helps with (sickness, old age), so the general entry comes first."""
    question = "nssf chuoy ey klah: pel chheu, pel kroh thnak, pel chas"
    # Without the romanized questions asked before, which lift the entry either way.
    decision = Matcher(faq, examples=[]).match(question)
    sure_only = Matcher(faq, weights=Weights(short_word=101.0, spoken_ratio=65.0), examples=[])
    assert decision.kind == "choices"
    assert decision.matches[0].id == "what-is-nssf"
    assert sure_only.match(question).matches[0].id != "what-is-nssf"


def test_a_guessed_reading_never_answers(faq: Faq) -> None:
    """A question with a guessed word is answered only as it is without the guesses,
    with the same entry first: here the reading without the guess is not answered, so the
    bot offers choices even though the full reading would be answered. Checked without
    the stored romanized questions: when one of them agrees with the entry, that second
    channel may answer (docs/matching.md, rom6), which is another rule."""
    matcher = Matcher(faq, examples=[])
    # The question used before is now answered without its guesses too. Written for this
    # test: a child fell sick, went to a private clinic; does NSSF pay it back.
    question = "kon chheu tov clinic ekachun nssf sang luy ot"
    assert matcher._reading(latin_words(normalize(question)))[3] > 0
    decision = matcher.match(question)
    assert decision.kind == "choices"
    assert decision.matches[0].id == "emergency-other-hospital"
    answering = Matcher(faq, thresholds=Thresholds(answer_guessed=True), examples=[]).match(
        question
    )
    assert answering.kind == "answer"
    assert answering.matches[0].id == "emergency-other-hospital"
    # Answered without the guesses: answered so, with them read.
    answered = "somrak chheu 2 atit, ke oy luy ponman"
    assert matcher._reading(latin_words(normalize(answered)))[3] > 0
    assert matcher.match(answered).kind == "answer"
    assert matcher.match(answered).matches[0].id == "sick-pay"
