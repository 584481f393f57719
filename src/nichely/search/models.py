"""Tables of the derived search state: documents, term statistics, vectors.

Everything here can be rebuilt from the store with `nichely search reindex`. Term statistics
are kept in portable tables (not read from FTS5 or tsvector internals) so ranking features
come out identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nichely.storage.base import Base, utcnow

KINDS = ("product", "note", "user")
FIELDS = ("title", "body")


class SearchDocument(Base):
    """One searchable thing, analysed: space-joined index terms per field plus ranking signals."""

    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "ref_id", name="uq_search_documents_kind_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    title_terms: Mapped[str] = mapped_column(Text, default="")
    body_terms: Mapped[str] = mapped_column(Text, default="")
    title_length: Mapped[int] = mapped_column(Integer, default=0)
    body_length: Mapped[int] = mapped_column(Integer, default=0)
    # Read by every ranking; 1.0 until the trust layer writes real scores.
    trust: Mapped[float] = mapped_column(Float, default=1.0)
    popularity: Mapped[float] = mapped_column(Float, default=0.0)
    note_count: Mapped[int] = mapped_column(Integer, default=0)
    buyer_show_count: Mapped[int] = mapped_column(Integer, default=0)
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SearchTerm(Base):
    """Document frequency of one term in one field of one kind."""

    __tablename__ = "search_terms"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    field: Mapped[str] = mapped_column(String(8), primary_key=True)
    term: Mapped[str] = mapped_column(String(120), primary_key=True)
    df: Mapped[int] = mapped_column(Integer, default=0)


class SearchStat(Base):
    """Document count and total length of one field of one kind (for BM25's average length)."""

    __tablename__ = "search_stats"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    field: Mapped[str] = mapped_column(String(8), primary_key=True)
    doc_count: Mapped[int] = mapped_column(Integer, default=0)
    total_length: Mapped[int] = mapped_column(Integer, default=0)


class SearchVector(Base):
    """A document embedding, keyed by the encoder and a hash of the embedded text."""

    __tablename__ = "search_vectors"
    __table_args__ = (Index("ix_search_vectors_kind_model", "kind", "model"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model: Mapped[str] = mapped_column(String(40), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(40))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
