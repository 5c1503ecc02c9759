"""Retrieval helpers for the matcher: which postings to walk, and the shortlist's coverage.

They change how fast a question is scored, never its score: `faq/matcher.py` keeps the
scoring formulas, and docs/matching.md ("Speed") says what is bounded and where.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence

# A posting: (match string number, the term's weight in that string).
Posting = tuple[int, float]


def impact_ordered(
    postings: Mapping[str, list[Posting]], masses: Sequence[float], longer_than: int, keep: int
) -> dict[str, list[Posting]]:
    """For each posting list longer than ``longer_than``: its ``keep`` best postings.

    Best is the largest share of the string's weight that the term carries (its recall
    contribution: short strings the term says most of come first), ties in string order.
    A walk that must stop early takes these instead of the first strings of the FAQ.
    """
    ordered: dict[str, list[Posting]] = {}
    for term, found in postings.items():
        if len(found) > longer_than:
            ordered[term] = sorted(found, key=lambda p: -p[1] / masses[p[0]])[:keep]
    return ordered


def by_mass(
    postings: Mapping[str, list[Posting]], masses: Sequence[float], longer_than: int
) -> dict[str, list[Posting]]:
    """Each posting list longer than ``longer_than``, its strings lightest first."""
    return {
        term: sorted(found, key=lambda p: masses[p[0]])
        for term, found in postings.items()
        if len(found) > longer_than
    }


def nearest(
    ordered: list[Posting], masses: Sequence[float], mass: float, count: int
) -> list[Posting]:
    """``count`` postings of a list ordered by mass (:func:`by_mass`), around ``mass``.

    For an F1 score a string much lighter or much heavier than the question cannot
    score well, so a walk that must stop early takes the strings nearest in weight.
    """
    middle = bisect_left(ordered, mass, key=lambda p: masses[p[0]])
    first = max(0, min(middle - count // 2, len(ordered) - count))
    return ordered[first : first + count]


def budgeted(
    terms: Sequence[str],
    postings: Mapping[str, list[Posting]],
    impact: Mapping[str, list[Posting]] | Callable[[str, int], Sequence[Posting]],
    budget: int,
    cap: int | None = None,
) -> list[tuple[str, Sequence[Posting]]]:
    """The postings to walk for ``terms``, each list's first ``cap``, ``budget`` in all.

    When the lists (each cut at ``cap``) fit in the budget together, they are walked
    exactly as before: whole, in order. Otherwise each gets an equal share of what is
    left, the shortest first, a short list leaving its unused share to the longer ones;
    a list cut short gives its best postings (:func:`impact_ordered`) when it has them,
    or, when ``impact`` is a function, what it gives for the term and its share.
    """
    lengths = {}
    for term in terms:
        length = len(postings.get(term, ()))
        lengths[term] = length if cap is None else min(length, cap)
    if sum(lengths.values()) <= budget:
        return [(term, postings.get(term, ())[:cap]) for term in terms]
    walks: dict[str, Sequence[Posting]] = {}
    left = budget
    shortest = sorted(lengths.items(), key=lambda item: item[1])
    for position, (term, length) in enumerate(shortest):
        share = left // (len(shortest) - position)
        if length <= share:
            walks[term] = postings.get(term, ())[:cap]
            left -= length
        else:
            if callable(impact):
                walks[term] = impact(term, share)
            else:
                walks[term] = impact.get(term, postings[term])[:share]
            left -= share
    return [(term, walks[term]) for term in terms]


def coverage(
    terms: Mapping[str, float],
    units: Iterable[str],
    shortlist: Mapping[int, float],
    entry_postings: Mapping[str, Mapping[int, float]],
) -> tuple[dict[int, float], dict[int, int], dict[int, int]]:
    """Per shortlisted entry: the question's weight its whole text has, and its units.

    Returns coverage (the sum of the question's term weights times the entry's factor for
    each, added in the question's term order), explained (how many of the question's
    content units the entry's text has) and phrased (how many its match strings have).
    ``entry_postings`` maps a term to its entries and their factors.

    For each term, the shortlisted entries that have it are a set intersection (done in
    C, over the smaller side), so only the entries that gain something cost a Python
    step. The order in which the entries of one term are visited does not matter: each
    entry's sum still gets its terms in the question's order, so the floats are the same.
    """
    covered = dict.fromkeys(shortlist, 0.0)
    explained = dict.fromkeys(shortlist, 0)
    phrased = dict.fromkeys(shortlist, 0)
    listed = covered.keys()
    for term, weight in terms.items():
        found = entry_postings.get(term)
        if found:
            for entry in listed & found.keys():
                covered[entry] += weight * found[entry]
    for unit in units:
        found = entry_postings.get(unit)
        if found:
            for entry in listed & found.keys():
                explained[entry] += 1
                phrased[entry] += found[entry] == 1.0
    return covered, explained, phrased
