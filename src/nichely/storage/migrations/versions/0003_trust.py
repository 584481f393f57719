"""trust: scores, automatic flags, violation points, appeals, MinHash signatures and LSH bands

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trust_scores",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "ref_id", name=op.f("pk_trust_scores")),
    )
    op.create_table(
        "trust_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(length=8), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("group_key", sa.String(length=40), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_flags")),
        sa.UniqueConstraint("subject_type", "subject_id", "kind", name="uq_trust_flags_subject_kind"),
    )
    op.create_index("ix_trust_flags_status_subject", "trust_flags", ["status", "subject_type", "subject_id"])
    op.create_table(
        "trust_violations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["moderation_actions.id"],
            name=op.f("fk_trust_violations_action_id_moderation_actions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_trust_violations_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_violations")),
    )
    op.create_index(op.f("ix_trust_violations_user_id"), "trust_violations", ["user_id"])
    op.create_table(
        "trust_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["moderation_actions.id"],
            name=op.f("fk_trust_appeals_action_id_moderation_actions"),
        ),
        sa.ForeignKeyConstraint(["decided_by"], ["users.id"], name=op.f("fk_trust_appeals_decided_by_users")),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_trust_appeals_note_id_notes"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_trust_appeals_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_appeals")),
    )
    op.create_index(op.f("ix_trust_appeals_user_id"), "trust_appeals", ["user_id"])
    op.create_index(op.f("ix_trust_appeals_note_id"), "trust_appeals", ["note_id"])
    op.create_index(op.f("ix_trust_appeals_action_id"), "trust_appeals", ["action_id"])
    op.create_index(op.f("ix_trust_appeals_status"), "trust_appeals", ["status"])
    op.create_table(
        "trust_note_signatures",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_trust_note_signatures_note_id_notes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("note_id", name=op.f("pk_trust_note_signatures")),
    )
    op.create_table(
        "trust_lsh_bands",
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("key", sa.BigInteger(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_trust_lsh_bands_note_id_notes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("band", "key", "note_id", name=op.f("pk_trust_lsh_bands")),
    )
    op.create_index("ix_trust_lsh_bands_note", "trust_lsh_bands", ["note_id"])


def downgrade() -> None:
    op.drop_index("ix_trust_lsh_bands_note", table_name="trust_lsh_bands")
    op.drop_table("trust_lsh_bands")
    op.drop_table("trust_note_signatures")
    for name in ("status", "action_id", "note_id", "user_id"):
        op.drop_index(op.f(f"ix_trust_appeals_{name}"), table_name="trust_appeals")
    op.drop_table("trust_appeals")
    op.drop_index(op.f("ix_trust_violations_user_id"), table_name="trust_violations")
    op.drop_table("trust_violations")
    op.drop_index("ix_trust_flags_status_subject", table_name="trust_flags")
    op.drop_table("trust_flags")
    op.drop_table("trust_scores")
