"""Broadcasts: subscribers and their topics, campaigns, the delivery ledger, RSVPs.

Independent of the cases tables (0003): it only references ``workers``.

Revision ID: 0004_broadcasts
Revises: 0003_cases
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_broadcasts"
down_revision: str | None = "0003_cases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the model types: a migration must not change when bot/models.py does.
SURROGATE_KEY = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the broadcast tables."""
    op.create_table(
        "subscribers",
        sa.Column("worker_id", SURROGATE_KEY, nullable=False),
        sa.Column("subscribed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("opted_in_at", TIMESTAMP, nullable=True),
        sa.Column("opted_out_at", TIMESTAMP, nullable=True),
        sa.Column("reason", sa.String(16), nullable=True),
        sa.Column("source", sa.String(64), nullable=True),
        sa.Column("province", sa.String(32), nullable=True),
        sa.Column("sector", sa.String(32), nullable=True),
        sa.Column("employer", sa.String(128), nullable=True),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_subscribers_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_subscribers")),
    )
    op.create_table(
        "subscriber_topics",
        sa.Column("worker_id", SURROGATE_KEY, nullable=False),
        sa.Column("topic", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["subscribers.worker_id"],
            name=op.f("fk_subscriber_topics_worker_id_subscribers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("worker_id", "topic", name=op.f("pk_subscriber_topics")),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("parent_id", SURROGATE_KEY, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("step", sa.String(16), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("approved_by", sa.BigInteger(), nullable=True),
        sa.Column("text_km", sa.Text(), nullable=True),
        sa.Column("text_en", sa.Text(), nullable=True),
        sa.Column("media_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("media_message_id", sa.BigInteger(), nullable=True),
        sa.Column("topics", JSON, nullable=True),
        sa.Column("filters", JSON, nullable=False),
        sa.Column("scheduled_at", TIMESTAMP, nullable=True),
        sa.Column("recurrence", sa.String(8), nullable=True),
        sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("rsvp", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("paid", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("recipients", sa.Integer(), server_default="0", nullable=False),
        sa.Column("status_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("status_message_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=True),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["campaigns.id"],
            name=op.f("fk_campaigns_parent_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_index(op.f("ix_campaigns_parent_id"), "campaigns", ["parent_id"])
    op.create_index(op.f("ix_campaigns_status"), "campaigns", ["status"])
    op.create_table(
        "deliveries",
        sa.Column("id", SURROGATE_KEY, nullable=False),
        sa.Column("campaign_id", SURROGATE_KEY, nullable=False),
        sa.Column("worker_id", SURROGATE_KEY, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("outbox_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_deliveries_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_deliveries_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("campaign_id", "worker_id", name=op.f("uq_deliveries_campaign_id")),
    )
    op.create_index(op.f("ix_deliveries_worker_id"), "deliveries", ["worker_id"])
    op.create_index(
        "ix_deliveries_campaign_status_id", "deliveries", ["campaign_id", "status", "id"]
    )
    op.create_table(
        "rsvps",
        sa.Column("campaign_id", SURROGATE_KEY, nullable=False),
        sa.Column("worker_id", SURROGATE_KEY, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_rsvps_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["workers.id"],
            name=op.f("fk_rsvps_worker_id_workers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "worker_id", name=op.f("pk_rsvps")),
    )


def downgrade() -> None:
    """Drop the broadcast tables."""
    op.drop_table("rsvps")
    op.drop_index("ix_deliveries_campaign_status_id", table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_worker_id"), table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index(op.f("ix_campaigns_status"), table_name="campaigns")
    op.drop_index(op.f("ix_campaigns_parent_id"), table_name="campaigns")
    op.drop_table("campaigns")
    op.drop_table("subscriber_topics")
    op.drop_table("subscribers")
