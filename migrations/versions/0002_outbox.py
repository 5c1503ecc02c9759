"""The outbox: every message the bot owes, written with the state change that made it;
and the chat of each inbound update, so the processor can take chats fairly.

Revision ID: 0002_outbox
Revises: 0001_initial
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_outbox"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the model types: a migration must not change when bot/models.py does.
SURROGATE_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the outbox table."""
    op.create_table(
        "outbox",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("fallback", sa.String(16), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("unknown", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("next_attempt_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("ref", sa.String(64), nullable=True),
        sa.Column("update_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_index(op.f("ix_outbox_chat_id"), "outbox", ["chat_id"])
    op.create_index(op.f("ix_outbox_ref"), "outbox", ["ref"])
    op.create_index(op.f("ix_outbox_update_id"), "outbox", ["update_id"])
    op.create_index("ix_outbox_status_id", "outbox", ["status", "id"])
    with op.batch_alter_table("inbound_updates") as batch:
        batch.add_column(sa.Column("chat_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    """Drop the outbox table and the inbound updates' chat."""
    with op.batch_alter_table("inbound_updates") as batch:
        batch.drop_column("chat_id")
    op.drop_index("ix_outbox_status_id", table_name="outbox")
    op.drop_index(op.f("ix_outbox_update_id"), table_name="outbox")
    op.drop_index(op.f("ix_outbox_ref"), table_name="outbox")
    op.drop_index(op.f("ix_outbox_chat_id"), table_name="outbox")
    op.drop_table("outbox")
