"""Workers, their questions and feedback, deep links, and the inbound update queue.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the model types: a migration must not change when bot/models.py does.
SURROGATE_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the tables."""
    op.create_table(
        "workers",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("language_chosen", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("consent_share_name", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("consent_broadcasts", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("first_seen", TIMESTAMP, nullable=False),
        sa.Column("last_seen", TIMESTAMP, nullable=False),
        sa.Column("blocked_at", TIMESTAMP, nullable=True),
        sa.Column("start_payload", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workers")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_workers_telegram_user_id")),
    )
    op.create_table(
        "questions",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("worker_id", SURROGATE_KEY, nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=True),
        sa.Column("normalized", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("matches", JSON, nullable=False),
        sa.Column("answered_by", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_questions_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
        sa.UniqueConstraint("update_id", name=op.f("uq_questions_update_id")),
    )
    op.create_index(op.f("ix_questions_worker_id"), "questions", ["worker_id"])
    op.create_index(op.f("ix_questions_created_at"), "questions", ["created_at"])
    op.create_table(
        "feedback",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("question_id", SURROGATE_KEY, nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_feedback_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("question_id", name=op.f("uq_feedback_question_id")),
    )
    op.create_table(
        "deep_links",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("worker_id", SURROGATE_KEY, nullable=False),
        sa.Column("payload", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_deep_links_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deep_links")),
    )
    op.create_index(op.f("ix_deep_links_worker_id"), "deep_links", ["worker_id"])
    op.create_table(
        "inbound_updates",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("processed_at", TIMESTAMP, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_inbound_updates")),
    )
    op.create_index(op.f("ix_inbound_updates_processed_at"), "inbound_updates", ["processed_at"])


def downgrade() -> None:
    """Drop the tables."""
    op.drop_index(op.f("ix_inbound_updates_processed_at"), table_name="inbound_updates")
    op.drop_table("inbound_updates")
    op.drop_index(op.f("ix_deep_links_worker_id"), table_name="deep_links")
    op.drop_table("deep_links")
    op.drop_table("feedback")
    op.drop_index(op.f("ix_questions_created_at"), table_name="questions")
    op.drop_index(op.f("ix_questions_worker_id"), table_name="questions")
    op.drop_table("questions")
    op.drop_table("workers")
