"""Keep the text detectors' outputs per note and model file

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A full `nichely trust score` ran every configured detector over every note again; the
    # outputs are kept per (note, model file) with the hash of the text they were computed on.
    op.create_table(
        "trust_detector_verdicts",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=32), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("detects", sa.String(length=60), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("supported", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_trust_detector_verdicts_note_id_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("note_id", "model", name=op.f("pk_trust_detector_verdicts")),
    )


def downgrade() -> None:
    op.drop_table("trust_detector_verdicts")
