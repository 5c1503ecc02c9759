"""Content gaps: unanswered questions grouped by similarity, biggest first."""

from __future__ import annotations

from bot.services.gaps import cluster
from faq.normalize import normalize


def test_similar_questions_group_together_in_khmer_and_english() -> None:
    texts = [
        normalize(text)
        for text in [
            "my supervisor shouts at me",
            "supervisor shouts at me every day",
            "ប្រធានក្រុមស្រែកដាក់ខ្ញុំ",
            "the supervisor shouts at me",
            "ប្រធានក្រុមស្រែកដាក់ខ្ញុំរាល់ថ្ងៃ",
            "can i get a loan from nssf",
            "",
        ]
    ]
    gaps = cluster(texts)
    assert [gap.size for gap in gaps] == [3, 2, 1]
    assert gaps[0].examples[0] == "my supervisor shouts at me"
    assert gaps[1].examples == ["ប្រធានក្រុមស្រែកដាក់ខ្ញុំ", "ប្រធានក្រុមស្រែកដាក់ខ្ញុំរាល់ថ្ងៃ"]
    assert cluster([]) == []


def test_examples_and_groups_are_limited() -> None:
    words = ["football", "passport", "weather", "phone", "visa", "rice", "bus", "bank"]
    texts = [f"question number {n} about wages" for n in range(10)] + words
    gaps = cluster(texts, limit=5, examples=2)
    assert len(gaps) == 5
    assert gaps[0].size == 10 and len(gaps[0].examples) == 2
    assert [gap.size for gap in gaps[1:]] == [1, 1, 1, 1]
