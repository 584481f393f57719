"""Ranking features: pure functions from a query and candidate documents to a matrix.

No database here: the engine hands over analysed text and corpus statistics read from the
portable `search_terms` / `search_stats` tables, so a candidate gets the same features on
SQLite and PostgreSQL. Missing signals are NaN (LightGBM treats them as missing).

BM25 follows Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond"
(2009), with Lucene's non-negative IDF, scored per field (title, body) as in BM25F's
per-field view (Robertson, Zaragoza & Taylor, CIKM 2004).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import numpy as np

from nichely.search.analysis import STOP_WORDS, analyze, content_terms, normalise, words
from nichely.text.normalize import normalize_text
from nichely.text.units import Quantity, parse_quantities

K1, B = 1.2, 0.75
NAN = float("nan")

FEATURES = (
    "query_terms",
    "bm25_title",
    "bm25_body",
    "bm25_title_rel",
    "bm25_body_rel",
    "idf_coverage_title",
    "coverage_title",
    "coverage_any",
    "missing_title",
    "fuzzy_coverage_title",
    "fuzzy_idf_coverage_title",
    "missing_idf_max",
    "head_coverage",
    "last_term_in_head",
    "exact_word_coverage",
    "bigram_title",
    "phrase_title",
    "char3_containment",
    "char3_jaccard",
    "char3_rel",
    "char3_local_idf",
    "same_start",
    "ordered_coverage",
    "first_match_position",
    "last_term_in_title",
    "last_term_position",
    "min_window",
    "title_length",
    "number_match",
    "number_conflict",
    "attribute_match",
    "vector_sim",
    "vector_sim_rel",
    "note_matches",
    "note_count",
    "buyer_show_count",
    "trust",
    "popularity",
    "fixed_bm25_title",
    "fixed_idf_coverage_title",
    "fixed_coverage_title",
    "fixed_last_term_in_head",
    "spelling_corrected",
    "quantity_match",
    "quantity_conflict",
    "joined_pair_in_title",
    "split_word_in_title",
    "prf_title",
    "prf_head",
    "brand_in_query",
    "rarest_term_in_head",
    "vector_sim_gap",
    "vector_sim_rank",
)
PRF_DOCS = 10


class Speller(Protocol):
    """What query analysis needs from a spelling corrector (`nichely.text.spelling.SpellCorrector`)."""

    def correct(self, text: str) -> object: ...


@dataclass(frozen=True)
class FieldStats:
    """What BM25 needs about one field: document count, average length, document frequencies."""

    doc_count: int
    avg_length: float
    df: Mapping[str, int]
    _idf: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def idf(self, term: str) -> float:
        """Lucene's BM25 IDF: ln(1 + (N - df + 0.5) / (df + 0.5)), never negative."""
        value = self._idf.get(term)
        if value is None:
            df = self.df.get(term, 0)
            value = self._idf[term] = math.log1p((self.doc_count - df + 0.5) / (df + 0.5))
        return value


@dataclass(frozen=True)
class QueryInfo:
    """A query analysed once: distinct content terms, raw words, numbers, attributes."""

    text: str
    terms: tuple[str, ...]
    words: tuple[str, ...]
    numbers: frozenset[str]
    attributes: Mapping[str, str] = field(default_factory=dict)
    # Content terms of the spelling-corrected query (the same as `terms` when nothing changed).
    fixed_terms: tuple[str, ...] = ()
    quantities: tuple[Quantity, ...] = ()

    @classmethod
    def from_text(
        cls, text: str, attributes: Mapping[str, str] | None = None, speller: Speller | None = None
    ) -> QueryInfo:
        """Analyse a query string (attributes come from query understanding when available).

        With a `speller`, words unknown to the catalogue are also corrected ("toliet" -> toilet):
        retrieval searches both spellings and the `fixed_*` features score the corrected one.
        """
        raw = words(text)
        terms = tuple(content_terms(analyze(text)))
        numbers = frozenset(w for w in raw if w.isdigit())
        fixed = terms
        if speller is not None:
            correction = speller.correct(text)
            if getattr(correction, "corrected", False):
                fixed = tuple(content_terms(analyze(str(getattr(correction, "text", text)))))
        quantities = quantities_of(text)
        return cls(normalise(text), terms, tuple(raw), numbers, dict(attributes or {}), fixed, quantities)

    @property
    def search_terms(self) -> tuple[str, ...]:
        """Terms to retrieve with: the query's own, then the corrected ones it lacks."""
        return self.terms + tuple(t for t in self.fixed_terms if t not in self.terms)


@dataclass(frozen=True)
class DocInfo:
    """A candidate document as stored in the index, plus evidence gathered for this query."""

    ref_id: int
    title: str
    title_terms: tuple[str, ...]
    body_terms: tuple[str, ...]
    trust: float = 1.0
    popularity: float = 0.0
    note_count: int = 0
    buyer_show_count: int = 0
    attributes: Mapping[str, str] = field(default_factory=dict)


def bm25_field(
    terms: Sequence[str], doc_terms: Sequence[str], stats: FieldStats, k1: float = K1, b: float = B
) -> float:
    """BM25 of distinct query `terms` against one field's terms."""
    if not doc_terms or not terms:
        return 0.0
    idf = [stats.idf(t) for t in terms]
    return _bm25(terms, idf, Counter(doc_terms), len(doc_terms), stats.avg_length, k1, b)


def within_one_edit(a: str, b: str) -> bool:
    """True when `a` becomes `b` by at most one insertion, deletion, substitution or transposition."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]


def fuzzy_match(term: str, candidates: Sequence[str]) -> bool:
    """`term` in `candidates` exactly, within one edit (4+ letters), or as a prefix either way (4+)."""
    if term in candidates:
        return True
    if len(term) < 4:
        return False
    for c in candidates:
        if len(c) >= 4 and (within_one_edit(term, c) or c.startswith(term) or term.startswith(c)):
            return True
    return False


@lru_cache(maxsize=200_000)
def char_ngrams(text: str, n: int = 3) -> frozenset[str]:
    """Character n-grams of the words of `text` run together (spaces and compounds do not matter)."""
    s = "".join(_title_words(text))
    if len(s) <= n:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i : i + n] for i in range(len(s) - n + 1))


@lru_cache(maxsize=200_000)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(_title_words(text))


@lru_cache(maxsize=200_000)
def _title_words(text: str) -> tuple[str, ...]:
    # Cached like the other per-title values: a candidate's title is analysed once per process,
    # not once per query (segmenting a Chinese title costs tens of microseconds).
    return tuple(words(text))


# Product titles name the thing first and qualify it after "in", "with", "for", a comma or a
# bracket ("Vanity Cabinet in White with Top"): the head is what the product is.
_QUALIFIER = re.compile(r"\s(?:in|with|for|by|and)\s|[,(]", re.IGNORECASE)


@lru_cache(maxsize=200_000)
def title_head(title: str) -> frozenset[str]:
    """Index terms of the title before its first qualifier."""
    return frozenset(analyze(_QUALIFIER.split(title, maxsplit=1)[0]))


@lru_cache(maxsize=200_000)
def quantities_of(text: str) -> tuple[Quantity, ...]:
    """Numbers with units in `text` ("3/4 in.", "5 gal", "2 x 4"), in canonical units."""
    return tuple(parse_quantities(normalize_text(text)))


def same_quantity(a: Quantity, b: Quantity) -> bool:
    """The same measure whatever unit it was written in ("0.75 inch" = "3/4 in."; "2x4" in "2 x 4 x 8")."""
    if a.kind != b.kind:
        return False
    if a.values and b.values:
        return set(a.values) <= set(b.values)
    return abs(a.value - b.value) <= 0.01 * max(abs(a.value), 1e-9)


def quantity_features(query: Sequence[Quantity], title: Sequence[Quantity]) -> tuple[float, float]:
    """(share of the query's quantities the title states, 1 if the title states another value of
    the same kind instead); NaN when the query has none."""
    if not query:
        return NAN, NAN
    found = [any(same_quantity(a, b) for b in title) for a in query]
    kinds = {b.kind for b in title}
    conflict = any(a.kind in kinds and not hit for a, hit in zip(query, found, strict=True))
    return sum(found) / len(query), float(conflict)


def compound_features(query_words: Sequence[str], title: str) -> tuple[float, float]:
    """(two adjacent query words written as one title word: "door knob" ~ doorknob,
    one query word written as two adjacent title words: "doorknob" ~ "door knob")."""
    qw = [w for w in query_words if not w.isdigit()]
    tw = _title_words(title)
    joined = {a + b for a, b in zip(qw, qw[1:], strict=False)}
    split = {a + b for a, b in zip(tw, tw[1:], strict=False)}
    return float(bool(joined & _word_set(title))), float(bool(set(qw) & split))


def feedback_weights(docs: Sequence[DocInfo], scores: np.ndarray, k: int = PRF_DOCS) -> dict[str, float]:
    """Pseudo-relevance feedback (RM3-style, Lavrenko & Croft 2001, uniform document weights): the
    share of the `k` best-scored candidates whose title holds each content term."""
    if not len(docs):
        return {}
    top = np.argsort(-np.nan_to_num(scores), kind="stable")[:k]
    weights: Counter = Counter()
    for i in top:
        weights.update({t for t in docs[i].title_terms if t not in STOP_WORDS})
    return {t: c / len(top) for t, c in weights.items()}


def feedback_similarity(terms: Sequence[str] | frozenset[str], weights: Mapping[str, float]) -> float:
    """Mean feedback weight of a title's distinct content terms."""
    content = {t for t in terms if t not in STOP_WORDS}
    return sum(weights.get(t, 0.0) for t in content) / len(content) if content else 0.0


def _positions(terms: Sequence[str] | frozenset[str], doc_terms: Sequence[str]) -> dict[str, int]:
    first: dict[str, int] = {}
    for i, t in enumerate(doc_terms):
        if t in terms and t not in first:
            first[t] = i
    return first


def min_window(terms: Sequence[str], doc_terms: Sequence[str]) -> float:
    """Shortest span of `doc_terms` holding every matched query term, per matched term (1 is tight)."""
    wanted = set(terms) & set(doc_terms)
    if not wanted:
        return NAN
    best = len(doc_terms)
    have: Counter = Counter()
    left = 0
    for right, t in enumerate(doc_terms):
        if t in wanted:
            have[t] += 1
        while len(have) == len(wanted):
            best = min(best, right - left + 1)
            lt = doc_terms[left]
            if lt in have:
                have[lt] -= 1
                if not have[lt]:
                    del have[lt]
            left += 1
    return best / len(wanted)


def ordered_coverage(terms: Sequence[str], doc_terms: Sequence[str]) -> float:
    """Share of query terms found in the title in the query's order (longest common subsequence)."""
    if not terms:
        return 0.0
    prev = [0] * (len(doc_terms) + 1)
    for t in terms:
        cur = [0] * (len(doc_terms) + 1)
        for j, d in enumerate(doc_terms, 1):
            cur[j] = prev[j - 1] + 1 if t == d else max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1] / len(terms)


def local_idf_containment(query_grams: frozenset[str], doc_grams: Sequence[frozenset[str]]) -> np.ndarray:
    """Share of the query's character n-grams in each title, each n-gram weighted by its IDF among
    these candidates (the "computed over the titles being scored" IDF): rare shared pieces count most."""
    if not query_grams or not doc_grams:
        return np.zeros(len(doc_grams))
    grams = sorted(query_grams)
    n = len(doc_grams)
    hits = np.array([[g in dg for g in grams] for dg in doc_grams], dtype=np.float64)
    idf = np.log1p(n / (1.0 + hits.sum(axis=0)))
    total = idf.sum()
    return hits @ idf / total if total > 0 else np.zeros(n)


@dataclass(frozen=True)
class QueryView:
    """What every candidate's features need from one query and the title statistics, computed
    once per query rather than once per candidate (a page ranks about a hundred)."""

    terms: tuple[str, ...]
    term_set: frozenset[str]
    idf: tuple[float, ...]
    idf_all: float
    idf_max: float
    rarest: str
    words: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    phrase: str
    grams: frozenset[str]
    compound_words: frozenset[str]
    joined: frozenset[str]
    fixed_terms: tuple[str, ...]
    fixed_idf: tuple[float, ...]
    fixed_idf_all: float
    corrected: bool

    @classmethod
    def of(cls, q: QueryInfo, title: FieldStats) -> QueryView:
        terms = q.terms
        idf = tuple(title.idf(t) for t in terms)
        fixed = q.fixed_terms or q.terms
        fixed_idf = tuple(title.idf(t) for t in fixed)
        qw = [w for w in q.words if not w.isdigit()]
        return cls(
            terms=terms,
            term_set=frozenset(terms),
            idf=idf,
            idf_all=sum(idf) or 1.0,
            idf_max=max(idf, default=0.0) or 1.0,
            rarest=max(terms, key=title.idf) if terms else "",
            words=tuple(w for w in q.words if w not in STOP_WORDS) or tuple(q.words),
            pairs=tuple(zip(terms, terms[1:], strict=False)),
            phrase=f" {' '.join(terms)} ",
            grams=char_ngrams(q.text),
            compound_words=frozenset(qw),
            joined=frozenset(a + b for a, b in zip(qw, qw[1:], strict=False)),
            fixed_terms=fixed,
            fixed_idf=fixed_idf,
            fixed_idf_all=sum(fixed_idf) or 1.0,
            corrected=bool(q.fixed_terms) and q.fixed_terms != q.terms,
        )


def _bm25(
    terms: Sequence[str],
    idf: Sequence[float],
    tf: Mapping[str, int],
    length: int,
    avg: float,
    k1: float = K1,
    b: float = B,
) -> float:
    """`bm25_field` with the query's IDFs and the field's term counts already at hand."""
    if not length or not terms:
        return 0.0
    norm = k1 * (1 - b + b * length / max(avg, 1e-9))
    score = 0.0
    for term, weight in zip(terms, idf, strict=True):
        f = tf.get(term, 0)
        if f:
            score += weight * f * (k1 + 1) / (f + norm)
    return score


def query_doc_features(
    q: QueryInfo,
    d: DocInfo,
    title: FieldStats,
    body: FieldStats,
    note_matches: int = 0,
    vector_sim: float = NAN,
    view: QueryView | None = None,
) -> list[float]:
    """The features of one candidate, except the ones relative to the other candidates
    (`view`: the query's `QueryView` for `title`, when the caller already has it)."""
    v = view or QueryView.of(q, title)
    terms = v.terms
    n = len(terms)
    title_terms = d.title_terms
    title_tf = Counter(title_terms)
    tset, bset = title_tf.keys(), set(d.body_terms)
    in_title = [t in tset for t in terms]
    matched = sum(in_title)
    idf_hit = sum(w for w, hit in zip(v.idf, in_title, strict=True) if hit)
    fuzzy_hits = [hit or fuzzy_match(t, title_terms) for t, hit in zip(terms, in_title, strict=True)]
    fuzzy = sum(fuzzy_hits)
    idf_fuzzy = sum(w for w, hit in zip(v.idf, fuzzy_hits, strict=True) if hit)
    missing_idf = max((w for w, hit in zip(v.idf, in_title, strict=True) if not hit), default=0.0)
    head = title_head(d.title)
    twords = _word_set(d.title)
    title_pairs = set(zip(title_terms, title_terms[1:], strict=False))
    tgrams = char_ngrams(d.title)
    inter = len(v.grams & tgrams)
    pos = _positions(v.term_set, title_terms) if matched else {}
    tlen = max(len(title_terms), 1)
    last = terms[-1] if terms else ""
    title_numbers = {t for t in title_terms if t.isdigit()}
    if q.attributes:
        values = {str(v).lower() for v in d.attributes.values()} | set(tset) | twords
        attr = sum(str(a).lower() in values for a in q.attributes.values()) / len(q.attributes)
    else:
        attr = NAN
    bm25_title = _bm25(terms, v.idf, title_tf, len(title_terms), title.avg_length)
    if v.fixed_terms == terms:
        fixed_bm25, fixed_idf_cov, fixed_cov = (
            bm25_title,
            idf_hit / v.fixed_idf_all,
            matched / n if n else 0.0,
        )
    else:
        fixed_hits = [t in tset for t in v.fixed_terms]
        fixed_bm25 = _bm25(v.fixed_terms, v.fixed_idf, title_tf, len(title_terms), title.avg_length)
        fixed_idf_cov = (
            sum(w for w, hit in zip(v.fixed_idf, fixed_hits, strict=True) if hit) / v.fixed_idf_all
        )
        fixed_cov = sum(fixed_hits) / len(v.fixed_terms) if v.fixed_terms else 0.0
    title_words = _title_words(d.title)
    split = {a + b for a, b in zip(title_words, title_words[1:], strict=False)}
    return [
        float(n),
        bm25_title,
        _bm25(
            terms,
            tuple(body.idf(t) for t in terms),
            Counter(d.body_terms),
            len(d.body_terms),
            body.avg_length,
        ),
        NAN,  # bm25_title_rel, filled by feature_matrix
        NAN,  # bm25_body_rel
        idf_hit / v.idf_all,
        matched / n if n else 0.0,
        sum(t in tset or t in bset for t in terms) / n if n else 0.0,
        float(n - matched),
        fuzzy / n if n else 0.0,
        idf_fuzzy / v.idf_all,
        missing_idf / v.idf_max,
        sum(t in head for t in terms) / n if n else 0.0,
        float(last in head),
        sum(w in twords for w in v.words) / len(v.words) if v.words else 0.0,
        sum(p in title_pairs for p in v.pairs) / len(v.pairs) if v.pairs else NAN,
        float(bool(terms) and v.phrase in f" {' '.join(title_terms)} "),
        inter / len(v.grams) if v.grams else 0.0,
        inter / len(v.grams | tgrams) if v.grams or tgrams else 0.0,
        NAN,  # char3_rel
        NAN,  # char3_local_idf, filled by feature_matrix
        float(bool(terms) and bool(title_terms) and title_terms[0] == terms[0]),
        ordered_coverage(terms, title_terms) if matched else 0.0,
        min(pos.values()) / tlen if pos else 1.0,
        float(last in tset),
        pos[last] / tlen if last in pos else NAN,
        min_window(terms, title_terms) if matched else NAN,
        float(len(title_terms)),
        len(q.numbers & title_numbers) / len(q.numbers) if q.numbers else NAN,
        float(bool(q.numbers) and bool(title_numbers) and not (q.numbers & title_numbers)),
        attr,
        vector_sim,
        NAN,  # vector_sim_rel
        math.log1p(note_matches),
        math.log1p(d.note_count),
        math.log1p(d.buyer_show_count),
        d.trust,
        d.popularity,
        fixed_bm25,
        fixed_idf_cov,
        fixed_cov,
        float(bool(v.fixed_terms) and v.fixed_terms[-1] in head),
        float(v.corrected),
        *quantity_features(q.quantities, quantities_of(d.title)),
        float(bool(v.joined & twords)),
        float(bool(v.compound_words & split)),
        NAN,  # prf_title, filled by feature_matrix
        NAN,  # prf_head
        float(bool(first_word(d.title)) and first_word(d.title) in q.words),
        float(bool(terms) and v.rarest in head),
        NAN,  # vector_sim_gap, filled by feature_matrix
        NAN,  # vector_sim_rank
    ]


@lru_cache(maxsize=200_000)
def first_word(title: str) -> str:
    """The title's first word: usually the brand ("BEHR Premium ...")."""
    found = _title_words(title)
    return found[0] if found else ""


_REL = (
    (FEATURES.index("bm25_title_rel"), FEATURES.index("bm25_title")),
    (FEATURES.index("bm25_body_rel"), FEATURES.index("bm25_body")),
    (FEATURES.index("char3_rel"), FEATURES.index("char3_containment")),
    (FEATURES.index("vector_sim_rel"), FEATURES.index("vector_sim")),
)


def gap_to_best(column: np.ndarray) -> np.ndarray:
    """How far each value is below the best one among these candidates (NaN stays NaN)."""
    if not len(column) or np.all(np.isnan(column)):
        return np.full(len(column), NAN)
    return np.nanmax(column) - column


def rank_within(column: np.ndarray) -> np.ndarray:
    """1 + how many candidates score strictly higher (1 is the best; ties share a rank; NaN stays NaN)."""
    known = np.sort(column[~np.isnan(column)])[::-1]
    ranks = 1.0 + np.searchsorted(-known, -column, side="left")
    return np.where(np.isnan(column), NAN, ranks)


def feature_matrix(
    q: QueryInfo,
    docs: Sequence[DocInfo],
    title: FieldStats,
    body: FieldStats,
    note_matches: Mapping[int, int] | None = None,
    vector_sims: Mapping[int, float] | None = None,
) -> np.ndarray:
    """Features of every candidate of one query, as a (len(docs), len(FEATURES)) float matrix.

    Vector similarity is NaN when no encoder is configured; the `*_rel` columns divide a score
    by the best score among these candidates (NaN stays NaN).
    """
    note_matches = note_matches or {}
    vector_sims = vector_sims or {}
    view = QueryView.of(q, title)
    rows = [
        query_doc_features(
            q, d, title, body, note_matches.get(d.ref_id, 0), vector_sims.get(d.ref_id, NAN), view
        )
        for d in docs
    ]
    x = np.array(rows, dtype=np.float64).reshape(len(docs), len(FEATURES))
    x[:, FEATURES.index("char3_local_idf")] = local_idf_containment(
        char_ngrams(q.text), [char_ngrams(d.title) for d in docs]
    )
    weights = feedback_weights(docs, x[:, FEATURES.index("bm25_title")])
    x[:, FEATURES.index("prf_title")] = [feedback_similarity(d.title_terms, weights) for d in docs]
    x[:, FEATURES.index("prf_head")] = [feedback_similarity(title_head(d.title), weights) for d in docs]
    for rel, base in _REL:
        column = x[:, base]
        top = np.nanmax(column) if len(docs) and not np.all(np.isnan(column)) else 0.0
        x[:, rel] = column / top if top > 0 else (column * 0.0)
    # A cosine means little on its own (e5 puts most pairs between 0.7 and 0.9); its distance
    # from the query's best candidate and its rank among the candidates carry the signal.
    sims = x[:, FEATURES.index("vector_sim")]
    x[:, FEATURES.index("vector_sim_gap")] = gap_to_best(sims)
    x[:, FEATURES.index("vector_sim_rank")] = rank_within(sims)
    return x
