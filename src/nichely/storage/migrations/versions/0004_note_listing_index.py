"""Index for listing published notes newest first

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_notes_status_id", "notes", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_notes_status_id", table_name="notes")
