"""Cross-validate the matcher on the FAQ's own phrasings (a second measure besides eval).

The phrasings are split into K folds; for each fold the index is built without it and
the fold's phrasings are asked as questions. A phrasing whose words appear nowhere else
in its entry cannot be found this way, so the figure is a pessimistic estimate of how
the bot does on new wordings, over ~2,300 questions instead of the dev set's 125.

With ``--romanized`` the held-out Khmer phrasings are also asked written in Latin
letters (faq/transliterate.py, random spellings), as "km-rom": romanized questions whose
spellings and wording nobody listed.

With ``--wrong`` each question answered outright with another entry is printed too
(language, expected entry, the best three with their scores, the question).

    python scripts/crossval.py [--folds 5] [--seed 1] [--romanized] [--wrong]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Iterator

from faq.content import Entry, load_faq
from faq.matcher import Matcher, Thresholds, Weights
from faq.normalize import normalize
from faq.transliterate import romanize


def held_out(
    entries: tuple[Entry, ...], folds: int, seed: int, weights: Weights | None = None
) -> Iterator[tuple[Matcher, list[tuple[str, str, str]]]]:
    """For each fold: a matcher without the fold's phrasings, and them as (id, lang, text)."""
    rng = random.Random(seed)
    held: list[tuple[int, str, str, int]] = []  # (entry index, lang, text, fold)
    for number, entry in enumerate(entries):
        for lang in ("km", "en"):
            for text in getattr(entry.phrasings, lang):
                held.append((number, lang, text, rng.randrange(folds)))
    for fold in range(folds):
        out = {(n, text) for n, _, text, f in held if f == fold}
        reduced = [
            e.model_copy(
                update={
                    "phrasings": e.phrasings.model_copy(
                        update={
                            lang: tuple(t for t in getattr(e.phrasings, lang) if (n, t) not in out)
                            for lang in ("km", "en")
                        }
                    )
                }
            )
            for n, e in enumerate(entries)
        ]
        questions = [(entries[n].id, lang, text) for n, lang, text, f in held if f == fold]
        yield Matcher(reduced, weights=weights), questions


def crossval(
    entries: tuple[Entry, ...],
    folds: int,
    seed: int,
    weights: Weights | None = None,
    thresholds: Thresholds | None = None,
    romanized: bool = False,
    wrong: list[str] | None = None,
) -> dict[str, float]:
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    rng = random.Random(seed)
    for matcher, questions in held_out(entries, folds, seed, weights):
        if romanized:
            questions = questions + [
                (expected, "km-rom", romanize(normalize(text), rng))
                for expected, lang, text in questions
                if lang == "km"
            ]
        for expected, lang, text in questions:
            decision = matcher.decide(matcher.analyse(text), thresholds)
            ids = [m.id for m in decision.matches]
            totals[lang] += 1
            hits[f"{lang} top-1"] += ids[:1] == [expected]
            hits[f"{lang} top-3"] += expected in ids[:3]
            hits[f"{lang} direct right"] += decision.kind == "answer" and ids[0] == expected
            hits[f"{lang} direct WRONG"] += decision.kind == "answer" and ids[0] != expected
            if wrong is not None and decision.kind == "answer" and ids[0] != expected:
                top = " ".join(f"{m.id}:{m.score}" for m in decision.matches)
                wrong.append(f"{lang}\t{expected}\t{top}\t{text}")
    return {key: hits[key] / totals[key.split()[0]] for key in sorted(hits)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--romanized", action="store_true")
    parser.add_argument("--wrong", action="store_true", help="print the WRONG answers")
    args = parser.parse_args()
    faq = load_faq()
    wrong: list[str] | None = [] if args.wrong else None
    figures = crossval(faq.entries, args.folds, args.seed, romanized=args.romanized, wrong=wrong)
    for key, value in figures.items():
        print(f"{key:<16} {100 * value:5.1f} %")
    for line in wrong or ():
        print(line)


if __name__ == "__main__":
    main()
