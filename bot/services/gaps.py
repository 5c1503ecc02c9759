"""Content gaps: the questions the FAQ could not answer, grouped, biggest group first.

Unanswered questions (no match, a request for a person, "did you mean" left untapped)
and answers marked 👎 are grouped by similarity with rapidfuzz over the stored,
normalized text. Khmer has no spaces between words, so each text is compared as its
Khmer syllables and Latin words (faq.tokens), not as raw characters; rapidfuzz's own
preprocessing is never used (it strips Khmer marks). Greedy single pass: each question
joins the first group whose first question is similar enough, else starts a group.
Staff read the biggest groups (``nssf-bot gaps``, ``/gaps`` in the staff group) to know
which FAQ entries to write next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Feedback, Question
from bot.services import Desk
from bot.services.replies import Msg, Reply, Text
from faq.tokens import tokenize

__all__ = ["Gap", "cluster", "find_gaps", "report"]

SIMILAR = 70.0  # token-set similarity (0-100) to join a group
MAX_QUESTIONS = 20_000


@dataclass(slots=True)
class Gap:
    """A group of similar questions: how many, and a few of them as examples."""

    size: int
    examples: list[str] = field(default_factory=list)


def _comparable(text: str) -> str:
    tokens = tokenize(text)
    return " ".join((*tokens.khmer, *tokens.latin))


def cluster(
    texts: Sequence[str], *, similar: float = SIMILAR, limit: int = 10, examples: int = 3
) -> list[Gap]:
    """The biggest groups of similar texts (already normalized), largest first."""
    heads: list[str] = []
    groups: list[Gap] = []
    for text in texts:
        key = _comparable(text)
        if not key:
            continue
        found = process.extractOne(
            key, heads, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=similar
        )
        if found is None:
            heads.append(key)
            groups.append(Gap(1, [text]))
            continue
        gap = groups[found[2]]
        gap.size += 1
        if len(gap.examples) < examples and text not in gap.examples:
            gap.examples.append(text)
    groups.sort(key=lambda gap: -gap.size)
    return groups[:limit]


async def find_gaps(
    session: AsyncSession, *, since: dt.datetime, limit: int = 10
) -> tuple[int, list[Gap]]:
    """How many unanswered or 👎 questions were asked since ``since``, and their biggest
    groups."""
    unhelpful = sa.select(Feedback.question_id).where(Feedback.helpful.is_(False))
    rows = (
        await session.scalars(
            sa.select(Question.normalized)
            .where(Question.created_at >= since, Question.normalized != "")
            .where(
                sa.or_(
                    sa.and_(Question.answered_by == "none", Question.decision != "browse"),
                    Question.id.in_(unhelpful),
                )
            )
            .order_by(Question.id.desc())
            .limit(MAX_QUESTIONS)
        )
    ).all()
    return len(rows), cluster(rows, limit=limit)


async def report(session: AsyncSession, desk: Desk, *, now: dt.datetime, days: int = 30) -> Reply:
    """/gaps in the staff group: the biggest groups, with examples, in the staff language."""
    total, gaps = await find_gaps(session, since=now - dt.timedelta(days=days))
    lang = desk.staff_language
    if not gaps:
        return Reply(lang, (Msg("gaps-none", {"days": str(days)}),))
    parts: list[Text] = [Msg("gaps-title", {"count": str(total), "days": str(days)})]
    for gap in gaps:
        examples = " · ".join(f"“{example[:120]}”" for example in gap.examples)
        parts.append(Msg("gaps-line", {"size": str(gap.size), "examples": examples}))
    return Reply(lang, tuple(parts))
