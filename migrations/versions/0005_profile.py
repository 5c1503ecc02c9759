"""Broadcasts: when the profile's employer question was asked.

The worker's next text within a few minutes is the answer (services/subscriptions.py);
without the time, a question typed days later would be taken for an employer's name.

Revision ID: 0005_profile
Revises: 0004_broadcasts
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_profile"
down_revision: str | None = "0004_broadcasts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the model type: a migration must not change when bot/models.py does.
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add ``subscribers.employer_asked_at``."""
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("employer_asked_at", TIMESTAMP, nullable=True))


def downgrade() -> None:
    """Drop ``subscribers.employer_asked_at``."""
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("employer_asked_at")
