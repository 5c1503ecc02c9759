"""Cases: questions handed to union staff in forum topics, the messages relayed, and
FAQ entries staff write from them (drafts, live once approved).

Revision ID: 0003_cases
Revises: 0002_outbox
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_cases"
down_revision: str | None = "0002_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the model types: a migration must not change when bot/models.py does.
SURROGATE_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    """Create the cases and case_messages tables."""
    op.create_table(
        "cases",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("worker_id", SURROGATE_KEY, nullable=False),
        sa.Column("question_id", SURROGATE_KEY, nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("stage", sa.String(10), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("first_message_id", sa.BigInteger(), nullable=True),
        sa.Column("category", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("employer", sa.String(200), nullable=True),
        sa.Column("share_name", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("card_message_id", sa.BigInteger(), nullable=True),
        sa.Column("owner_id", sa.BigInteger(), nullable=True),
        sa.Column("owner_name", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("helped", sa.Boolean(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("opened_at", TIMESTAMP, nullable=True),
        sa.Column("first_response_at", TIMESTAMP, nullable=True),
        sa.Column("closed_at", TIMESTAMP, nullable=True),
        sa.Column("reminded_at", TIMESTAMP, nullable=True),
        sa.Column("escalated_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_cases_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_cases_question_id_questions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index(op.f("ix_cases_worker_id"), "cases", ["worker_id"])
    op.create_index(op.f("ix_cases_thread_id"), "cases", ["thread_id"])
    op.create_index("ix_cases_status_opened_at", "cases", ["status", "opened_at"])
    op.create_table(
        "case_messages",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("case_id", SURROGATE_KEY, nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("worker_message_id", sa.BigInteger(), nullable=True),
        sa.Column("staff_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_messages_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_messages")),
    )
    op.create_index(op.f("ix_case_messages_case_id"), "case_messages", ["case_id"])
    op.create_index(
        op.f("ix_case_messages_staff_message_id"), "case_messages", ["staff_message_id"]
    )

    op.create_table(
        "faq_drafts",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("case_id", SURROGATE_KEY, nullable=True),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("question_km", sa.Text(), nullable=False),
        sa.Column("answer_km", sa.Text(), nullable=False),
        sa.Column("question_en", sa.Text(), nullable=True),
        sa.Column("answer_en", sa.Text(), nullable=True),
        sa.Column("phrasings", JSON, nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("author_name", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("approver_id", sa.BigInteger(), nullable=True),
        sa.Column("approver_name", sa.String(64), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("decided_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_faq_drafts_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_drafts")),
    )
    op.create_index(op.f("ix_faq_drafts_status"), "faq_drafts", ["status"])


def downgrade() -> None:
    """Drop the case tables."""
    op.drop_index(op.f("ix_faq_drafts_status"), table_name="faq_drafts")
    op.drop_table("faq_drafts")
    op.drop_index(op.f("ix_case_messages_staff_message_id"), table_name="case_messages")
    op.drop_index(op.f("ix_case_messages_case_id"), table_name="case_messages")
    op.drop_table("case_messages")
    op.drop_index("ix_cases_status_opened_at", table_name="cases")
    op.drop_index(op.f("ix_cases_thread_id"), table_name="cases")
    op.drop_index(op.f("ix_cases_worker_id"), table_name="cases")
    op.drop_table("cases")
