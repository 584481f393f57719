"""search index: analysed documents, term statistics, vectors, FTS5 (SQLite) / tsvector (PostgreSQL)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FTS_KINDS = ("product", "note", "user")


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("body_terms", sa.Text(), nullable=False),
        sa.Column("title_length", sa.Integer(), nullable=False),
        sa.Column("body_length", sa.Integer(), nullable=False),
        sa.Column("trust", sa.Float(), nullable=False),
        sa.Column("popularity", sa.Float(), nullable=False),
        sa.Column("note_count", sa.Integer(), nullable=False),
        sa.Column("buyer_show_count", sa.Integer(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "ref_id", name="uq_search_documents_kind_ref"),
    )
    op.create_table(
        "search_terms",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=8), nullable=False),
        sa.Column("term", sa.String(length=120), nullable=False),
        sa.Column("df", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "field", "term", name=op.f("pk_search_terms")),
    )
    op.create_table(
        "search_stats",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=8), nullable=False),
        sa.Column("doc_count", sa.Integer(), nullable=False),
        sa.Column("total_length", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "field", name=op.f("pk_search_stats")),
    )
    op.create_table(
        "search_vectors",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=40), nullable=False),
        sa.Column("text_hash", sa.String(length=40), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "ref_id", "model", name=op.f("pk_search_vectors")),
    )
    with op.batch_alter_table("search_vectors", schema=None) as batch_op:
        batch_op.create_index("ix_search_vectors_kind_model", ["kind", "model"], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # One FTS5 table per kind, rowid = the product/note/user id; the text is already
        # segmented and stemmed by nichely.search.analysis, so unicode61 only splits on spaces.
        for kind in FTS_KINDS:
            op.execute(
                f"CREATE VIRTUAL TABLE search_fts_{kind} USING fts5("
                "title, body, tokenize = 'unicode61 remove_diacritics 0')"
            )
    elif dialect == "postgresql":
        # The terms are already analysed: build lexemes from them directly, bypassing the parser.
        op.execute(
            "ALTER TABLE search_documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            "array_to_tsvector(array_remove(string_to_array(title_terms || ' ' || body_terms, ' '), ''))"
            ") STORED"
        )
        op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for kind in FTS_KINDS:
            op.execute(f"DROP TABLE IF EXISTS search_fts_{kind}")
    with op.batch_alter_table("search_vectors", schema=None) as batch_op:
        batch_op.drop_index("ix_search_vectors_kind_model")
    op.drop_table("search_vectors")
    op.drop_table("search_stats")
    op.drop_table("search_terms")
    op.drop_table("search_documents")
