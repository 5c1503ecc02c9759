"""Retrieval bounds (faq/index.py): what a budgeted walk takes, and the shortlist's coverage."""

from __future__ import annotations

from faq.content import Entry, Faq
from faq.index import budgeted, by_mass, coverage, impact_ordered, nearest
from faq.matcher import Matcher, Weights
from faq.normalize import normalize
from faq.tokens import tokenize

POSTINGS = {
    "rare": [(1, 1.0), (2, 1.0)],
    "common": [(n, 1.0) for n in range(10)],
    "other": [(n, 1.0) for n in range(5, 15)],
}
# String n has mass 20 - n: the later strings are shorter, so a term says more of them.
MASSES = [20.0 - n for n in range(15)]


def test_walks_every_posting_in_order_when_they_fit() -> None:
    walks = budgeted(["common", "rare"], POSTINGS, {}, budget=12)
    assert walks == [("common", POSTINGS["common"]), ("rare", POSTINGS["rare"])]
    capped = budgeted(["common", "rare"], POSTINGS, {}, budget=12, cap=4)
    assert capped == [("common", POSTINGS["common"][:4]), ("rare", POSTINGS["rare"])]


def test_a_cut_list_gives_its_best_postings_and_the_total_stays_in_budget() -> None:
    impact = impact_ordered(POSTINGS, MASSES, longer_than=2, keep=6)
    assert impact["common"][:3] == [(9, 1.0), (8, 1.0), (7, 1.0)]
    assert "rare" not in impact  # short lists are never cut
    walks = dict(budgeted(["rare", "common", "other"], POSTINGS, impact, budget=10))
    assert walks["rare"] == POSTINGS["rare"]  # whole, leaving its share to the others
    assert walks["common"] == [(9, 1.0), (8, 1.0), (7, 1.0), (6, 1.0)]
    assert walks["other"] == [(14, 1.0), (13, 1.0), (12, 1.0), (11, 1.0)]
    assert sum(map(len, walks.values())) <= 10


def test_a_cut_sound_list_gives_the_strings_nearest_the_question_in_weight() -> None:
    ordered = by_mass(POSTINGS, MASSES, longer_than=2)["common"]
    assert [n for n, _ in ordered] == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]  # lightest first
    assert [n for n, _ in nearest(ordered, MASSES, 14.5, 4)] == [7, 6, 5, 4]
    assert [n for n, _ in nearest(ordered, MASSES, 1.0, 3)] == [9, 8, 7]  # at an end

    def cut(term: str, count: int) -> list[tuple[int, float]]:
        return nearest(ordered, MASSES, 14.5, count) if term == "common" else []

    walks = dict(budgeted(["rare", "common"], POSTINGS, cut, budget=6))
    assert walks == {"rare": POSTINGS["rare"], "common": nearest(ordered, MASSES, 14.5, 4)}


def test_coverage_is_the_term_by_term_sum(matcher: Matcher) -> None:
    index = matcher._index
    for question in ("ប.ស.ស ជាអ្វី ហើយខ្ញុំត្រូវចុះឈ្មោះទេ?", "how much is the pension"):
        terms, units, _ = matcher._query_terms(tokenize(normalize(question)))
        shortlist = dict.fromkeys(range(0, len(matcher.entries), 2), 1.0)  # half of them
        covered, explained, phrased = coverage(terms, units, shortlist, index.entry_postings)
        for entry in shortlist:
            has = index.entry_terms[entry]
            expected = 0.0
            for term, weight in terms.items():
                if term in has:
                    expected += weight * has[term]
            assert covered[entry] == expected
            assert explained[entry] == sum(unit in has for unit in units)
            assert phrased[entry] == sum(has.get(unit) == 1.0 for unit in units)


def _copy(entry: Entry, number: int, phrasing: str) -> Entry:
    return entry.model_copy(
        update={
            "id": f"{entry.id}-{number}",
            "phrasings": entry.phrasings.model_copy(update={"km": (), "en": (phrasing,)}),
            "keywords": (),
        }
    )


def test_a_walk_cut_short_still_finds_the_entry_two_common_words_are_all_about(
    faq: Faq,
) -> None:
    # 40 entries say "contribution" and "rate" among other words; the last one says only
    # them. The question has only these common words, and the walk is cut to 12
    # postings: it keeps the strings the words say most of, not the first entries'.
    base = faq.entries[0]
    filler = [
        "alpha",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "theta",
        "iota",
        "kappa",
        "lambda",
        "sigma",
    ]
    entries = [
        _copy(base, n, " ".join(["contribution", "rate", *filler[: 2 + n % 8], f"x{n}"]))
        for n in range(40)
    ]
    entries.append(_copy(base, 40, "contribution rate"))
    small = Weights(max_postings=5, fallback_budget=12)
    found = Matcher(entries, weights=small).scores("rate contribution")[1]
    assert found[0].id == f"{base.id}-40"
    assert Matcher(entries).scores("rate contribution")[1][0].id == f"{base.id}-40"
