"""The database tables, as SQLAlchemy 2 typed models.

Privacy first: a worker is a Telegram user id, a language and consent flags. No name,
username or phone number is stored, because workers may fear their employer. Every row a
worker owns references ``workers`` with ON DELETE CASCADE, so deleting the worker deletes
their questions, feedback and deep links in one statement.

Shapes left for later issues: ``cases`` (escalation through a staff forum topic) will
reference ``questions.id`` and ``workers.id``; broadcast subscribers hang off ``workers``
(``consent_broadcasts``, ``blocked_at``); ``inbound_updates`` is the durable queue the
runner fills before an update is handled; ``outbox`` is everything the bot owes, written
in the same transaction as the state change that produced it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "Campaign",
    "Case",
    "CaseMessage",
    "DeepLink",
    "Delivery",
    "FaqDraft",
    "Feedback",
    "InboundUpdate",
    "Question",
    "Rsvp",
    "Subscriber",
    "SubscriberTopic",
    "Worker",
    "utcnow",
]

# Named constraints, so Alembic batch mode on SQLite can drop and recreate them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments an INTEGER PRIMARY KEY; a BIGINT key would need explicit ids.
SurrogateKey = BigInteger().with_variant(Integer(), "sqlite")
# JSONB on PostgreSQL (indexable, compact); JSON text elsewhere.
JsonColumn = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the offset (timestamptz); SQLite stores text without one, so values
    are normalized to UTC on the way in and tagged as UTC on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: use timezone-aware UTC times")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base: shared metadata with the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UtcDateTime()}


class Worker(Base):
    """A worker who wrote to the bot: Telegram id, language, consent; never a name."""

    __tablename__ = "workers"

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    language: Mapped[str] = mapped_column(String(8))
    # False while the language is only the default; True once the worker picked one.
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Consent flags default to "no": the worker opts in, in the chat, per purpose.
    consent_share_name: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    consent_broadcasts: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    first_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set when Telegram says the worker blocked the bot; cleared when they write again.
    blocked_at: Mapped[dt.datetime | None]
    # The payload of the first t.me/<bot>?start=<payload> link that brought the worker.
    start_payload: Mapped[str | None] = mapped_column(String(64))


class Question(Base):
    """One question a worker asked (or an answer they opened from /topics)."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), index=True
    )
    # The Telegram update that carried the question: a redelivered update finds its row
    # instead of creating a second one. NULL for questions that did not come from Telegram.
    update_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    normalized: Mapped[str] = mapped_column(Text)
    # The matcher's decision: answer, choices or none; "browse" for an answer opened
    # from /topics.
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(32))
    # [{"id": entry id, "score": 0-100}, ...], best first.
    matches: Mapped[list[dict[str, Any]]] = mapped_column(JsonColumn, default=list)
    # Who gave the answer: "faq", "none" (nobody yet), later "staff".
    answered_by: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class Feedback(Base):
    """Whether an answer helped: one row per question, the latest tap wins."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), unique=True
    )
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DeepLink(Base):
    """A /start <payload> the worker arrived with (campaign attribution comes later)."""

    __tablename__ = "deep_links"

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class InboundUpdate(Base):
    """A raw Telegram update, stored before it is handled so a crash cannot lose it."""

    __tablename__ = "inbound_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payload: Mapped[str] = mapped_column(Text)  # the update's JSON, exactly as received
    # The chat (or user) it came from: the processor keeps each chat's updates in order
    # and takes chats fairly (bot/telegram_io/runner.py). NULL when it has none.
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)


class OutboundMessage(Base):
    """One Bot API call the bot owes someone, written in the transaction that decided it.

    The sender (bot/telegram_io/sender.py) delivers rows in ``id`` order per chat, at
    Telegram's pace, and records the outcome here. ``params`` holds the call's parameters
    (text, keyboard, …) until the row is final; then it is blanked, keeping the outcome.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # 0 interactive replies, 1 staff-group traffic, 2 bulk (see sender.Priority).
    priority: Mapped[int] = mapped_column(SmallInteger)
    method: Mapped[str] = mapped_column(String(32))  # Bot API method, e.g. "sendMessage"
    params: Mapped[dict[str, Any]] = mapped_column(JsonColumn, default=dict)
    # What to do if an edit finds its message gone: "send" it as a new message, or None.
    fallback: Mapped[str | None] = mapped_column(String(16))
    # pending → sending → sent | failed | dropped | unknown (see sender.py).
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Sends whose outcome was unknown (timed out after the request went out, or in
    # flight at a crash); an interactive row is sent again once, a bulk row never.
    unknown: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None]
    # The id Telegram gave the message sent (for later edits and relays).
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    # A producer's own key, e.g. "case:12" (escalation) or "campaign:3" (broadcasts).
    ref: Mapped[str | None] = mapped_column(String(64), index=True)
    # The inbound update whose handling produced the row: its existence means the update
    # was handled (the runner does not handle it again after a crash).
    update_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


# --- escalation to union staff (issue #8) ---------------------------------------------


class Case(Base):
    """A question handed to union staff: one forum topic in the staff group per case.

    The id is the case number staff and the worker see. Staff see the worker only through
    the case (pseudonymous) unless ``share_name`` says the worker agreed. ``status``:
    "draft" while the bot still asks the worker (``stage``: question, category, employer),
    then "open", then "closed" with an ``outcome``. ``thread_id`` is the topic; it is
    cleared when Telegram says the topic is gone, and a new one is made for the next
    message (bot/telegram_io/casehook.py).
    """

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_opened_at", "status", "opened_at"),)

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(10))
    stage: Mapped[str | None] = mapped_column(String(10))
    # The question as the worker wrote it (phone numbers redacted, cut), for the card.
    question: Mapped[str | None] = mapped_column(Text)
    # The worker's first message, copied into the topic when the case opens.
    first_message_id: Mapped[int | None] = mapped_column(BigInteger)
    category: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8))
    employer: Mapped[str | None] = mapped_column(String(200))
    share_name: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    thread_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # The staff member who claimed it: Telegram user id and first name (staff, not worker).
    owner_id: Mapped[int | None] = mapped_column(BigInteger)
    owner_name: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(16))
    helped: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[dt.datetime | None]
    first_response_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]
    # The first-response target (bot/services/sla.py): when the staff group was reminded,
    # and when admins were told. Set in the transaction that queued the message, so a
    # restart neither loses nor repeats one.
    reminded_at: Mapped[dt.datetime | None]
    escalated_at: Mapped[dt.datetime | None]


class CaseMessage(Base):
    """One message relayed for a case, with its id on both sides (for edits and replies).

    ``direction`` "in": the worker's message (``worker_message_id``) copied into the
    topic (``staff_message_id`` once sent); "out": a staff message (``staff_message_id``)
    copied to the worker (``worker_message_id`` once sent).
    """

    __tablename__ = "case_messages"

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    worker_message_id: Mapped[int | None] = mapped_column(BigInteger)
    staff_message_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FaqDraft(Base):
    """An FAQ entry written by staff from a case ("Promote to FAQ"): live once a second
    staff member approves it, as an overlay on the shipped FAQ (bot/services/promote.py)."""

    __tablename__ = "faq_drafts"

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    category: Mapped[str] = mapped_column(String(64))
    question_km: Mapped[str] = mapped_column(Text)
    answer_km: Mapped[str] = mapped_column(Text)
    question_en: Mapped[str | None] = mapped_column(Text)
    answer_en: Mapped[str | None] = mapped_column(Text)
    phrasings: Mapped[list[str]] = mapped_column(JsonColumn, default=list)
    author_id: Mapped[int] = mapped_column(BigInteger)
    author_name: Mapped[str] = mapped_column(String(64))
    # pending → live | rejected
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    approver_id: Mapped[int | None] = mapped_column(BigInteger)
    approver_name: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[dt.datetime | None]


# --- broadcasts (issue #9): subscribers, campaigns, the delivery ledger ------------------


class Subscriber(Base):
    """A worker's broadcast opt-in: state, when it changed, why, and the optional profile.

    Nothing is sent to a worker without a row here in state ``subscribed``. Opting out
    keeps the row (``opted_out_at``, ``reason``) so the worker is not asked again and
    again; the profile (province, sector, employer) is asked once and skippable.
    """

    __tablename__ = "subscribers"

    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), primary_key=True
    )
    subscribed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    opted_in_at: Mapped[dt.datetime | None]
    opted_out_at: Mapped[dt.datetime | None]
    # Why the last opt-out: "stop" (the worker), "blocked" (403 / my_chat_member).
    reason: Mapped[str | None] = mapped_column(String(16))
    # The campaign deep link (t.me/<bot>?start=<payload>) that led to the opt-in.
    source: Mapped[str | None] = mapped_column(String(64))
    province: Mapped[str | None] = mapped_column(String(32))
    sector: Mapped[str | None] = mapped_column(String(32))
    employer: Mapped[str | None] = mapped_column(String(128))  # "": skipped
    # When the employer question was asked: the next text soon after is the answer.
    employer_asked_at: Mapped[dt.datetime | None]


class SubscriberTopic(Base):
    """One campaign topic a subscriber receives (pension, health, accident, …)."""

    __tablename__ = "subscriber_topics"

    worker_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.worker_id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(16), primary_key=True)


class Campaign(Base):
    """A broadcast: its content, segment, schedule, approval and progress.

    draft → pending (approval) → scheduled → running ⇄ paused → finished; or cancelled,
    rejected. A recurring campaign stays ``scheduled``: each time it is due, a run (a
    child campaign with ``parent_id``) is created and ``scheduled_at`` moves on.
    """

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    # While a draft: what the organiser's next message is ("km", "en"; None: buttons).
    step: Mapped[str | None] = mapped_column(String(16))
    created_by: Mapped[int] = mapped_column(BigInteger)  # organiser's Telegram id
    approved_by: Mapped[int | None] = mapped_column(BigInteger)
    text_km: Mapped[str | None] = mapped_column(Text)
    text_en: Mapped[str | None] = mapped_column(Text)
    # A photo or document: copied from the organiser's chat (copyMessage), captioned.
    media_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    media_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # The segment: topics (None: every subscriber) × profile filters.
    topics: Mapped[list[str] | None] = mapped_column(JsonColumn)
    filters: Mapped[dict[str, str]] = mapped_column(JsonColumn, default=dict)
    scheduled_at: Mapped[dt.datetime | None]
    recurrence: Mapped[str | None] = mapped_column(String(8))  # "weekly" | "monthly"
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    rsvp: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    paid: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    recipients: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The organiser's progress message, edited in place while the broadcast runs.
    status_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    status_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]


class Delivery(Base):
    """The ledger: one row per campaign × recipient, and what became of it.

    pending → queued (an outbox row exists, ``outbox_id``) → sent | failed | blocked |
    unknown; or skipped (the worker opted out before their turn). A row is queued in the
    same transaction that writes its outbox row, so it is sent at most once.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("campaign_id", "worker_id"),
        Index("ix_deliveries_campaign_status_id", "campaign_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(SurrogateKey, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), default="pending")
    outbox_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    finished_at: Mapped[dt.datetime | None]


class Rsvp(Base):
    """A worker tapped "I'll attend" under an event campaign."""

    __tablename__ = "rsvps"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
