"""Index the product links by product, then note (replaces the product-only index)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Search evidence reads "the newest notes of this product" for every product on a page. With
    # (product_id, note_id) both stores walk one product's links newest first straight off the
    # index and stop at the LIMIT; the product-only index it replaces had to fetch every link of
    # the product (266,000 for the most popular one on the search benchmark store) and sort them.
    op.create_index("ix_note_products_product_note", "note_products", ["product_id", "note_id"])
    op.drop_index("ix_note_products_product", table_name="note_products")


def downgrade() -> None:
    op.create_index("ix_note_products_product", "note_products", ["product_id"])
    op.drop_index("ix_note_products_product_note", table_name="note_products")
