"""The platform's search: query understanding -> engine -> filters, facets, sorting -> evidence.

What the API, the pages and the CLI call. The engine (`search.engine`) retrieves and ranks each
kind; this module parses the query (`text.query`: correction, SKU attributes, need aspects,
long-tail flag), filters and boosts products by their SKUs, counts facets over the ranked pool,
reads trust at rank time (notes and people under `MIN_TRUST` sink to the end and are never
evidence), and attaches to each product up to
three notes that mention it and answer the need (buyer shows and trusted authors first).
"""

from __future__ import annotations

import gc
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import BindParameter, CompoundSelect, Integer, Select, bindparam, select, union_all
from sqlalchemy.orm import Session, selectinload

from nichely.accounts.models import User
from nichely.catalog.models import Product, Sku
from nichely.community.models import Note, NoteProduct
from nichely.errors import InvalidInput
from nichely.search.backends import LexicalBackend, lexical_backend
from nichely.search.engine import SearchEngine, SearchHit, engine_from_env
from nichely.search.evidence import Passage, best_passage, highlight_terms
from nichely.search.features import QueryInfo
from nichely.storage.pagination import MAX_OFFSET, check_limit, decode_offset, encode_offset
from nichely.text.query import ParsedQuery, QueryParser
from nichely.trust.service import trust_for_notes, trust_for_users

__all__ = [
    "KINDS",
    "SORTS",
    "TYPES",
    "Evidence",
    "Filters",
    "ProductResult",
    "SearchResult",
    "clean_query",
    "evidence_notes",
    "evidence_notes_for",
    "parser_for",
    "search",
]

MAX_QUERY = 200
PRODUCT_POOL = 60
OTHER_POOL = 30
EVIDENCE_PER_PRODUCT = 3
EVIDENCE_NOTES_READ = 40
LINKS_PER_STATEMENT = 100
MIN_TRUST = 0.3
TRUSTED = 0.6
KINDS = ("products", "notes", "people")
TYPES = ("all", *KINDS)
ENGINE_KIND = {"products": "product", "notes": "note", "people": "user"}
SORTS = ("relevance", "price_asc", "price_desc", "newest", "popular")
# SKU attribute filters: the API's name -> the keys SKUs use for it.
SKU_FIELDS: dict[str, tuple[str, ...]] = {
    "size": ("size",),
    "width": ("width",),
    "color": ("colour", "color"),
}
# What query understanding calls a field -> the filter it boosts.
PARSED_FIELDS = {"size": "size", "width": "width", "colour": "color"}
PRICE_BUCKETS: tuple[tuple[Decimal, Decimal | None], ...] = (
    (Decimal(0), Decimal(25)),
    (Decimal(25), Decimal(50)),
    (Decimal(50), Decimal(100)),
    (Decimal(100), Decimal(200)),
    (Decimal(200), None),
)
PARSER_TTL_S = 600.0
EXPAND_BELOW = 20
MAX_EXPANSIONS = 12
PARSER_TEXTS = 20_000


@dataclass(frozen=True)
class Filters:
    """What the searcher narrowed the results to (None: not narrowed)."""

    category: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    in_stock: bool | None = None
    language: str | None = None
    size: str | None = None
    width: str | None = None
    color: str | None = None

    def sku(self) -> dict[str, str]:
        """The SKU attribute filters that are set."""
        return {k: v for k in SKU_FIELDS if (v := getattr(self, k))}

    def without(self, name: str) -> Filters:
        """These filters minus one (a facet counts as if its own filter were off)."""
        values = {k: getattr(self, k) for k in self.__dataclass_fields__}
        if name == "price":
            values["price_min"] = values["price_max"] = None
        else:
            values[name] = None
        return Filters(**values)


@dataclass
class Evidence:
    """A note that backs a product for this query, with the passage that answers the need."""

    note: Note
    author: User | None
    passage: Passage
    trust: float

    @property
    def buyer_show(self) -> bool:
        return bool(self.note.verified_purchase)

    @property
    def sponsored(self) -> bool:
        return self.note.disclosure != "none"


@dataclass
class ProductResult:
    """A ranked product with its price range, stock and evidence."""

    product: Product
    score: float
    note_matches: int
    min_price: Decimal | None
    in_stock: bool
    attribute_match: int = 0
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class _SkuRow:
    attributes: dict[str, Any]
    price: Decimal
    stock: int


@dataclass(frozen=True)
class _Candidate:
    """What filters, facets and sorting read of a ranked product; only the page shown is loaded
    in full (ORM rows with their SKUs), a pool of about a hundred is read as plain rows."""

    id: int
    category: str
    sold_count: int
    note_count: int
    skus: list[_SkuRow]


@dataclass
class _Ranked:
    product: _Candidate
    score: float
    note_matches: int
    min_price: Decimal | None
    in_stock: bool
    attribute_match: int = 0


@dataclass
class SearchResult:
    """What a search found, per kind, plus what it understood of the query."""

    query: str
    parsed: ParsedQuery
    kinds: tuple[str, ...]
    sort: str = "relevance"
    filters: Filters = field(default_factory=Filters)
    products: list[ProductResult] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    note_passages: dict[int, Passage] = field(default_factory=dict)
    people: list[User] = field(default_factory=list)
    note_authors: dict[int, User] = field(default_factory=dict)
    facets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    total: int = 0
    next_cursor: str | None = None
    truncated: bool = False

    @property
    def language(self) -> str:
        return self.parsed.language

    @property
    def did_you_mean(self) -> str | None:
        return self.parsed.corrected if self.parsed.was_corrected else None


# -- the query ----------------------------------------------------------------------------------


def clean_query(query: str | None) -> tuple[str, bool]:
    """The query as searched and logged (control characters out, spaces collapsed, cut to
    MAX_QUERY characters), and whether it was cut."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in (query or "")[: MAX_QUERY * 4])
    text = " ".join(text.split())
    return (text[:MAX_QUERY].rstrip(), True) if len(text) > MAX_QUERY else (text, False)


_PARSERS: dict[str, tuple[float, QueryParser]] = {}


def parser_for(session: Session) -> QueryParser:
    """A query parser whose speller knows this store's words (product and note titles), rebuilt
    at most every PARSER_TTL_S seconds so new words reach it without a restart."""
    key = str(session.get_bind().engine.url)
    now = time.monotonic()
    cached = _PARSERS.get(key)
    if cached is not None and now - cached[0] < PARSER_TTL_S:
        return cached[1]
    titles = list(
        session.scalars(
            select(Product.title)
            .where(Product.status == "active")
            .order_by(Product.sold_count.desc(), Product.id.desc())
            .limit(PARSER_TEXTS)
        )
    )
    titles += session.scalars(
        select(Note.title).where(Note.status == "published").order_by(Note.id.desc()).limit(PARSER_TEXTS)
    )
    # The parser holds hundreds of thousands of long-lived objects (its speller's words and
    # their variants). Left to the cyclic collector, every full collection walks them all: on
    # the search benchmark one request in 40 paid about 100 ms for it. Once built, they (and
    # everything else built before them: engines, dictionaries) are moved out of its reach;
    # the previous parser is handed back first so that its cycles can still be freed.
    gc.unfreeze()
    parser = QueryParser.from_texts(titles)
    _PARSERS[key] = (now, parser)
    gc.collect()
    gc.freeze()
    return parser


@lru_cache(maxsize=1)
def default_engines() -> dict[str, SearchEngine]:
    """The engines of this process, one per kind, sharing the ranker from the environment.

    Their pools are smaller than the engine's defaults: ranking features cost about 0.3 ms per
    candidate in Python and a page shows ten results, so products rank 60 lexical candidates plus
    the products of the 60 best-matching notes, and notes and people rank 30.
    """
    base = engine_from_env()

    def sized(pool: int, evidence: int) -> SearchEngine:
        return SearchEngine(
            base.ranker, backend=base.backend, pool=pool, evidence_pool=evidence, encoder=base.encoder
        )

    return {
        "product": sized(PRODUCT_POOL, PRODUCT_POOL),
        "note": sized(OTHER_POOL, OTHER_POOL),
        "user": sized(OTHER_POOL, OTHER_POOL),
    }


class _OnceLexical:
    """A lexical backend that answers each (kind, terms) once per request.

    On a large store most of a search's time is the FTS match (scoring every document that has
    any query term), and a type=all search asks for the same notes twice: as the notes that bring
    in products, and as note results. Both want the best-scored prefix, so the deeper answer
    serves the shallower ask.
    """

    def __init__(self, inner: LexicalBackend) -> None:
        self.inner = inner
        self.seen: dict[tuple[str, tuple[str, ...]], tuple[int, list[int]]] = {}

    def match(self, session: Session, kind: str, terms: Sequence[str], limit: int) -> list[int]:
        key = (kind, tuple(terms))
        cached = self.seen.get(key)
        if cached is not None and (cached[0] >= limit or len(cached[1]) < cached[0]):
            return cached[1][:limit]
        ids = self.inner.match(session, kind, terms, limit)
        self.seen[key] = (limit, ids)
        return ids

    def put(self, session: Session, kind: str, rows: Sequence[tuple[int, str, str]]) -> None:
        self.inner.put(session, kind, rows)

    def remove(self, session: Session, kind: str, ref_ids: Sequence[int]) -> None:
        self.inner.remove(session, kind, ref_ids)

    def clear(self, session: Session, kind: str) -> None:
        self.inner.clear(session, kind)


def _for_request(engines: dict[str, SearchEngine], session: Session) -> dict[str, SearchEngine]:
    """The engines with one shared, per-request `_OnceLexical` backend."""
    first = next(iter(engines.values()))
    backend = _OnceLexical(first.backend or lexical_backend(session.get_bind().dialect.name))
    return {kind: _like(e, backend=backend) for kind, e in engines.items()}


def _like(
    engine: SearchEngine, *, backend: LexicalBackend | None = None, pool: int | None = None
) -> SearchEngine:
    """A copy of `engine` with another backend or pool that shares its loaded vectors."""
    copy = SearchEngine(
        engine.ranker,
        backend=backend or engine.backend,
        pool=pool or engine.pool,
        evidence_pool=engine.evidence_pool,
        encoder=engine.encoder,
    )
    # The vectors are loaded once per process; a per-request copy must not load them again.
    copy._vectors = engine._vectors
    return copy


def _deeper(engine: SearchEngine, want: int) -> SearchEngine:
    """`engine`, or one like it with a pool deep enough for page `want` (later pages rank more)."""
    return engine if engine.pool >= want else _like(engine, pool=want)


def _check(type: str, sort: str, limit: int, cursor: str | None) -> int:
    check_limit(limit)
    if type not in TYPES:
        raise InvalidInput(f"type must be one of {list(TYPES)}, got {type!r}", field="type")
    if sort not in SORTS:
        raise InvalidInput(f"sort must be one of {list(SORTS)}, got {sort!r}", field="sort")
    if type == "all" and cursor:
        raise InvalidInput(
            "cursor pages one type at a time; add type=products, notes or people", field="cursor"
        )
    return decode_offset(cursor)


# -- products: SKUs, filters, facets ------------------------------------------------------------


def _norm(value: Any) -> str:
    """A SKU attribute value as compared: lower-case, and 42.0 == "42"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().lower()
    try:
        number = float(text)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def _sku_values(product: Product | _Candidate, name: str) -> set[str]:
    keys = SKU_FIELDS[name]
    return {_norm(s.attributes[k]) for s in product.skus for k in keys if k in (s.attributes or {})}


def _has_sku(product: Product | _Candidate, wanted: dict[str, str], in_stock: bool = False) -> bool:
    """Whether one SKU has every wanted attribute value (and stock, if asked)."""
    for sku in product.skus:
        if in_stock and sku.stock <= 0:
            continue
        attrs = sku.attributes or {}
        if all(any(_norm(attrs.get(k, "")) == _norm(v) for k in SKU_FIELDS[n]) for n, v in wanted.items()):
            return True
    return False


def _price_ok(result: ProductResult | _Ranked, f: Filters) -> bool:
    if f.price_min is None and f.price_max is None:
        return True
    prices = [s.price for s in result.product.skus]
    return any(
        (f.price_min is None or p >= f.price_min) and (f.price_max is None or p <= f.price_max)
        for p in prices
    )


def _passes(result: ProductResult | _Ranked, f: Filters) -> bool:
    p = result.product
    if f.category and p.category != f.category.strip().lower():
        return False
    if not _price_ok(result, f):
        return False
    wanted = f.sku()
    if wanted or f.in_stock:
        return _has_sku(p, wanted, in_stock=bool(f.in_stock))
    return True


def _bucket_label(low: Decimal, high: Decimal | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}-"


def product_facets(pool: Sequence[ProductResult | _Ranked], f: Filters) -> dict[str, list[dict[str, Any]]]:
    """Counts per facet value over the pool, each facet counted with the other filters applied."""
    facets: dict[str, list[dict[str, Any]]] = {}
    off = {name: f.without(name) for name in ("category", "price", "in_stock", *SKU_FIELDS)}
    cats = Counter(r.product.category for r in pool if r.product.category and _passes(r, off["category"]))
    facets["category"] = [{"value": k, "count": n} for k, n in cats.most_common(12)]
    priced = [r for r in pool if _passes(r, off["price"])]
    buckets = []
    for low, high in PRICE_BUCKETS:
        n = sum(
            1
            for r in priced
            if any(s.price >= low and (high is None or s.price < high) for s in r.product.skus)
        )
        if n:
            buckets.append(
                {"value": _bucket_label(low, high), "min": str(low), "max": _opt(high), "count": n}
            )
    facets["price"] = buckets
    for name in SKU_FIELDS:
        counts: Counter[str] = Counter()
        for r in pool:
            if _passes(r, off[name]):
                counts.update(_sku_values(r.product, name))
        facets[name] = [{"value": k, "count": n} for k, n in sorted(counts.items(), key=_facet_order)][:30]
    stocked = sum(1 for r in pool if r.in_stock and _passes(r, off["in_stock"]))
    facets["in_stock"] = [{"value": "true", "count": stocked}] if stocked else []
    return facets


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _facet_order(item: tuple[str, int]) -> tuple[int, float, str]:
    # Sizes read best in numeric order; other values by count.
    try:
        return (0, float(item[0]), item[0])
    except ValueError:
        return (1, -item[1], item[0])


_PRODUCT_SORTS: dict[str, Callable[[_Ranked], Any]] = {
    "price_asc": lambda r: (r.min_price is None, r.min_price or 0, -r.product.id),
    "price_desc": lambda r: (r.min_price is None, -(r.min_price or 0), -r.product.id),
    "newest": lambda r: (-r.product.id,),
    "popular": lambda r: (-(r.product.sold_count + r.product.note_count), -r.product.id),
}


def _query_info(parsed: ParsedQuery, expanded: bool = False) -> QueryInfo:
    attrs = {k: str(v) for k, v in parsed.sku_attributes.items() if isinstance(v, str | int | float)}
    text = parsed.corrected
    if expanded:
        text = " ".join([text, *parsed.expansions[:MAX_EXPANSIONS]])
    return QueryInfo.from_text(text, attrs)


def _hits(session: Session, engine: SearchEngine, parsed: ParsedQuery, kind: str) -> list[SearchHit]:
    """The engine's ranking for the query as typed; when that finds little and the query has
    synonyms (宽脚 -> wide feet, pies anchos), what the expanded query adds is ranked after it.
    Expanding only then keeps a well-answered query's ranking as the ranker made it, and lets a
    Chinese or Spanish need reach products and notes written in another language."""
    hits = engine.search(session, _query_info(parsed), kind, engine.pool)
    if len(hits) >= EXPAND_BELOW or not parsed.expansions:
        return hits
    seen = {h.ref_id for h in hits}
    more = engine.search(session, _query_info(parsed, expanded=True), kind, engine.pool)
    return hits + [h for h in more if h.ref_id not in seen]


def _highlight_terms(parsed: ParsedQuery) -> list[str]:
    return highlight_terms(" ".join([parsed.corrected, *parsed.expansions[:MAX_EXPANSIONS]]))


def _wanted_from_query(parsed: ParsedQuery) -> dict[str, str]:
    return {PARSED_FIELDS[k]: _norm(v) for k, v in parsed.sku_attributes.items() if k in PARSED_FIELDS}


def _candidates(session: Session, ids: Sequence[int]) -> dict[int, _Candidate]:
    """The active products among `ids` with their SKUs, as plain rows (two statements)."""
    skus: dict[int, list[_SkuRow]] = {i: [] for i in ids}
    for product_id, attributes, price, stock in session.execute(
        select(Sku.product_id, Sku.attributes, Sku.price, Sku.stock)
        .where(Sku.product_id.in_(ids))
        .order_by(Sku.id)
    ):
        skus[product_id].append(_SkuRow(attributes or {}, price, stock))
    rows = session.execute(
        select(Product.id, Product.category, Product.sold_count, Product.note_count).where(
            Product.id.in_(ids), Product.status == "active"
        )
    )
    return {i: _Candidate(i, category, sold, notes, skus[i]) for i, category, sold, notes in rows}


def _page(session: Session, ranked: Sequence[_Ranked]) -> list[ProductResult]:
    """The page's products loaded in full (with their SKUs), in ranked order."""
    if not ranked:
        return []
    products = {
        p.id: p
        for p in session.scalars(
            select(Product)
            .where(Product.id.in_([r.product.id for r in ranked]))
            .options(selectinload(Product.skus))
        )
    }
    return [
        ProductResult(
            products[r.product.id],
            r.score,
            r.note_matches,
            r.min_price,
            r.in_stock,
            attribute_match=r.attribute_match,
        )
        for r in ranked
        if r.product.id in products
    ]


def _products(
    session: Session, engine: SearchEngine, parsed: ParsedQuery, f: Filters, sort: str
) -> tuple[list[_Ranked], dict[str, list[dict[str, Any]]]]:
    hits = _hits(session, engine, parsed, "product")
    if not hits:
        return [], product_facets([], f)
    by_id = _candidates(session, [h.ref_id for h in hits])
    wanted = _wanted_from_query(parsed)
    pool = []
    for hit in hits:
        p = by_id.get(hit.ref_id)
        if p is None:
            continue
        prices = [s.price for s in p.skus]
        match = sum(1 for k, v in wanted.items() if _has_sku(p, {k: v}))
        pool.append(
            _Ranked(
                p,
                hit.score,
                hit.note_matches,
                min(prices) if prices else None,
                any(s.stock > 0 for s in p.skus),
                attribute_match=match,
            )
        )
    facets = product_facets(pool, f)
    kept = [r for r in pool if _passes(r, f)]
    if sort == "relevance":
        # SKU attributes named in the query (42码, wide, black) lift the products that have them,
        # in stock or not, above those that do not; the ranker's order holds within each tier.
        kept.sort(key=lambda r: -r.attribute_match)
    else:
        kept.sort(key=_PRODUCT_SORTS[sort])
    return kept, facets


def _newest_links(product_id: BindParameter[int], shown: bool, limit: int) -> Select[int, int]:
    """The ids of the newest `limit` published notes (buyer shows or not) that mention a product.

    Ordered by the link's note id, so both stores walk the `(product_id, note_id)` index of
    `note_products` backwards and stop at the LIMIT, however many notes the product has."""
    return (
        select(NoteProduct.product_id, NoteProduct.note_id)
        .join(Note, Note.id == NoteProduct.note_id)
        .where(
            NoteProduct.product_id == product_id,
            Note.status == "published",
            Note.verified_purchase == shown,
        )
        .order_by(NoteProduct.note_id.desc())
        .limit(limit)
    )


@lru_cache(maxsize=64)
def _links_statement(products: int, limit: int) -> CompoundSelect:
    """The UNION ALL of the walks of `products` products (bound as p0, p1, ...), built once per
    size: building twenty subqueries cost more than running them."""
    walks = [
        _newest_links(bindparam(f"p{i}", type_=Integer), shown, limit).subquery().select()
        for i in range(products)
        for shown in (True, False)
    ]
    return union_all(*walks)


def evidence_notes_for(
    session: Session, product_ids: Sequence[int], limit: int = EVIDENCE_NOTES_READ
) -> dict[int, list[Note]]:
    """For each product, the published notes that mention it, buyer shows first, newest first, at
    most `limit` each.

    Each product gets its own `limit` (one product with many buyer shows does not crowd out the
    others' notes). All products' links are read by one statement (a UNION ALL of one bounded
    walk per product and badge) and their notes by one more, instead of two round trips per
    product.
    """
    if not product_ids:
        return {}
    unique = list(dict.fromkeys(product_ids))
    links: dict[int, list[int]] = {pid: [] for pid in unique}
    # SQLite allows 500 terms in a compound SELECT: at most 200 a statement (a page is <= 100).
    for start in range(0, len(unique), LINKS_PER_STATEMENT):
        chunk = unique[start : start + LINKS_PER_STATEMENT]
        params = {f"p{i}": pid for i, pid in enumerate(chunk)}
        for pid, note_id in session.execute(_links_statement(len(chunk), limit), params):
            links[pid].append(note_id)
    # A UNION ALL promises no order across its parts: sort each product's by badge, then newest.
    wanted = {i for ids in links.values() for i in ids}
    notes = {n.id: n for n in session.scalars(select(Note).where(Note.id.in_(wanted)))}
    out: dict[int, list[Note]] = {}
    for pid, ids in links.items():
        found = [notes[i] for i in ids if i in notes]
        found.sort(key=lambda n: (not n.verified_purchase, -n.id))
        out[pid] = found[:limit]
    return out


def evidence_notes(session: Session, product: Product, limit: int = EVIDENCE_NOTES_READ) -> list[Note]:
    """The published notes that mention `product`, buyer shows first, newest first, at most `limit`."""
    return evidence_notes_for(session, [product.id], limit)[product.id]


def attach_evidence(session: Session, parsed: ParsedQuery, results: Sequence[ProductResult]) -> None:
    """Up to EVIDENCE_PER_PRODUCT notes per product that mention it and answer the query's need:
    buyer shows first, then trusted authors, then the better passage."""
    if not results:
        return
    per_product = evidence_notes_for(session, [r.product.id for r in results])
    read = {n.id: n for ns in per_product.values() for n in ns}
    note_trust = trust_for_notes(session, list(read))
    author_trust = trust_for_users(session, {n.author_id for n in read.values()})
    terms = _highlight_terms(parsed)
    for result in results:
        # The order's first two keys (buyer show, trusted author) need no passage, so passages
        # are found tier by tier, and not at all in the tiers below a filled page of evidence.
        tiers: dict[tuple[bool, bool], list[tuple[Note, float]]] = {}
        for note in per_product.get(result.product.id, []):
            trust = min(note_trust.get(note.id, 0.5), author_trust.get(note.author_id, 0.5))
            if trust >= MIN_TRUST:
                tiers.setdefault((not note.verified_purchase, trust < TRUSTED), []).append((note, trust))
        found: list[Evidence] = []
        for tier in sorted(tiers):
            if len(found) >= EVIDENCE_PER_PRODUCT:
                break
            answered = []
            for note, trust in tiers[tier]:
                passage = best_passage(f"{note.title}. {note.body}", terms, parsed.aspects)
                if passage is not None:
                    answered.append(Evidence(note, None, passage, trust))
            answered.sort(key=lambda e: (-len(e.passage.aspects), -e.passage.score, -e.trust, -e.note.id))
            found += answered
        result.evidence = found[:EVIDENCE_PER_PRODUCT]
    shown = {e.note.author_id for r in results for e in r.evidence}
    authors = {u.id: u for u in session.scalars(select(User).where(User.id.in_(shown)))} if shown else {}
    for result in results:
        for e in result.evidence:
            e.author = authors.get(e.note.author_id)


# -- notes and people ---------------------------------------------------------------------------


def _notes(
    session: Session, engine: SearchEngine, parsed: ParsedQuery, f: Filters, want: int
) -> tuple[list[Note], dict[str, list[dict[str, Any]]]]:
    hits = _hits(session, engine, parsed, "note")
    ids = [h.ref_id for h in hits]
    # Distrusted notes (an undisclosed ad the detectors flagged) sink to the end until a
    # moderator decides; they are never used as evidence.
    trust = trust_for_notes(session, ids)
    ids.sort(key=lambda i: trust.get(i, 0.5) < MIN_TRUST)
    languages = dict(
        session.execute(
            select(Note.id, Note.language).where(Note.id.in_(ids), Note.status == "published")
        ).all()
    )
    ids = [i for i in ids if i in languages]
    facet = Counter(languages[i] for i in ids)
    if f.language:
        ids = [i for i in ids if languages[i] == f.language]
    page_ids = ids[:want]
    notes = {
        n.id: n
        for n in session.scalars(
            select(Note)
            .where(Note.id.in_(page_ids))
            .options(selectinload(Note.tags), selectinload(Note.photos), selectinload(Note.product_links))
        )
    }
    facets = {"language": [{"value": k, "count": n} for k, n in facet.most_common()]}
    return [notes[i] for i in page_ids if i in notes], facets | {"_total": [{"count": len(ids)}]}


def _people(session: Session, engine: SearchEngine, parsed: ParsedQuery, want: int) -> tuple[list[User], int]:
    hits: list[SearchHit] = engine.search(session, _query_info(parsed), "user", engine.pool)
    ids = [h.ref_id for h in hits]
    trust = trust_for_users(session, ids)
    ids.sort(key=lambda i: trust.get(i, 0.5) < MIN_TRUST)
    users = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_(ids[:want]), User.status == "active"))
    }
    return [users[i] for i in ids[:want] if i in users], len(ids)


# -- the search ---------------------------------------------------------------------------------


def search(
    session: Session,
    query: str | None,
    *,
    type: str = "all",
    limit: int = 10,
    cursor: str | None = None,
    filters: Filters | None = None,
    sort: str = "relevance",
    engine: SearchEngine | None = None,
    parser: QueryParser | None = None,
) -> SearchResult:
    """Run a search; `type` 'all' gives the top `limit` of each kind, one kind pages with a cursor.

    Any text is accepted: an empty or punctuation-only query finds nothing, a long one is cut to
    MAX_QUERY characters (`truncated`), and the query is only ever data (terms are bound
    parameters or FTS tokens the backend quotes).
    """
    offset = _check(type, sort, limit, cursor)
    f = filters or Filters()
    text, truncated = clean_query(query)
    parser = parser or parser_for(session)
    parsed = parser.parse(text)
    kinds = KINDS if type == "all" else (type,)
    result = SearchResult(text, parsed, kinds, sort=sort, filters=f, truncated=truncated)
    if not text:
        return result
    engines = _for_request(
        dict.fromkeys(("product", "note", "user"), engine) if engine else default_engines(), session
    )
    want = offset + limit + 1
    more = False
    if "products" in kinds:
        products, facets = _products(session, _deeper(engines["product"], want), parsed, f, sort)
        result.facets.update(facets)
        result.total += len(products)
        page = _page(session, products[offset : offset + limit])
        more = more or len(products) > offset + limit
        attach_evidence(session, parsed, page)
        result.products = page
    if "notes" in kinds:
        notes, facets = _notes(session, _deeper(engines["note"], want), parsed, f, want)
        result.total += facets.pop("_total")[0]["count"]
        result.facets.update(facets)
        result.notes = notes[offset : offset + limit]
        more = more or len(notes) > offset + limit
        terms = _highlight_terms(parsed)
        for note in result.notes:
            passage = best_passage(f"{note.title}. {note.body}", terms, parsed.aspects)
            if passage is not None:
                result.note_passages[note.id] = passage
        result.note_authors = {
            u.id: u
            for u in session.scalars(select(User).where(User.id.in_({n.author_id for n in result.notes})))
        }
    if "people" in kinds:
        people, count = _people(session, _deeper(engines["user"], want), parsed, want)
        result.total += count
        result.people = people[offset : offset + limit]
        more = more or len(people) > offset + limit
    if type != "all" and more and offset + limit < MAX_OFFSET:
        result.next_cursor = encode_offset(offset + limit)
    return result
