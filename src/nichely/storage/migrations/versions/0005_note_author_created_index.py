"""Index for a person's followed authors' newest notes (the feed's follow source)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The feed reads "notes by these authors up to a moment, newest first" on every request;
    # with (author_id, created_at) both stores range-scan each author instead of fetching and
    # sorting every note the author ever wrote.
    op.create_index("ix_notes_author_created", "notes", ["author_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_notes_author_created", table_name="notes")
