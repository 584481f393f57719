"""One partial GIN index of the search tsvector per kind (PostgreSQL)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

KINDS = ("product", "note", "user")


def upgrade() -> None:
    # One GIN index over every kind made a product or people search walk the notes' postings too
    # ("办公椅" read 124,726 documents of all kinds to keep 4,005 products: 122 ms; 5.6 ms with a
    # products-only index). SQLite has one FTS5 table per kind already. The indexes are built in
    # the migration's transaction, so writes to search_documents wait for them (about 4 s for
    # 625,000 documents). KINDS must stay search.models.KINDS (a test checks it).
    if op.get_bind().dialect.name != "postgresql":
        return
    for kind in KINDS:
        op.execute(
            f"CREATE INDEX ix_search_documents_tsv_{kind} ON search_documents USING gin (tsv) "
            f"WHERE kind = '{kind}'"
        )
    op.execute("DROP INDEX ix_search_documents_tsv")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)")
    for kind in KINDS:
        op.execute(f"DROP INDEX ix_search_documents_tsv_{kind}")
