"""Pair features that need corpus statistics: IDFs from a large unlabelled text collection.

The IDFs of `relevance.TitleStats` come from the titles being scored (or a catalogue), which is
fine for ranking candidates of one query but noisy for small sets. `CorpusIdf` holds document
frequencies of character unigrams, character bigrams and words counted once over a large
unlabelled collection (titles plus real queries) when a model is trained, and travels inside the
model file (pruned to terms seen at least `min_df` times, gzip-compressed), so scoring needs no
corpus. The features computed with it (`CORPUS_FEATURES`):

- IDF-weighted coverage of the query's characters, bigrams and words by the title, the IDF of the
  query words it lacks (sum and largest), and the mean IDF of the query words (how specific the
  query is);
- cosine of character 1-2-gram TF-IDF vectors (Salton & Buckley 1988), and BM25 over bigrams
  (Robertson & Zaragoza 2009) divided by the query's summed bigram IDF (1 for one occurrence of
  every bigram in a title of average length);
- where the title answers: the share of the title in the longest common subsequence, the position
  of the first query bigram in the title, the spread of matches, and coverage by the title's
  *head* (the part before the first " - ", "_" or "|": web and shop titles put the page's subject
  there and the site or shop name after);
- whether every number of the query is in the title, question cues (怎么, 什么, 哪, 如何 ...) on each
  side, character Jaccard, length ratio, query word count, and the IDF share of the title's words
  that the query holds (a long title about something else scores low).
"""

from __future__ import annotations

import base64
import gzip
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from nichely.text.normalize import normalize_text
from nichely.text.segment import segment

__all__ = ["CORPUS_FEATURES", "CorpusIdf", "corpus_features", "char_grams", "ordered_overlap"]

CORPUS_FEATURES = (
    "char_tfidf_cosine",
    "idf_char_coverage",
    "idf_bigram_coverage",
    "corpus_idf_word_coverage",
    "corpus_missing_word_idf",
    "max_missing_word_idf",
    "mean_query_word_idf",
    "bigram_bm25_ratio",
    "title_lcs_share",
    "first_match_position",
    "match_spread",
    "length_ratio",
    "head_bigram_coverage",
    "head_ordered_coverage",
    "title_segments",
    "numbers_found",
    "query_has_numbers",
    "question_query",
    "question_title",
    "char_jaccard",
    "query_words",
    "idf_title_precision",
)

_RUN = re.compile(r"[^\W_]+", re.UNICODE)
_WORDLIKE = re.compile(r"[^\W_]", re.UNICODE)
# Where a web or shop title's subject ends and the site, shop or channel name begins.
_TITLE_SEPARATOR = re.compile(r"\s*[-_|–—]+\s*|\s+")
_QUESTION = re.compile(r"怎么|怎样|什么|哪|如何|为什么|为何|多少|几|吗|是否|能不能|可以")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Bounds on the quadratic subsequence: longer texts are judged by their start.
_QUERY_CHARS = 64
_TITLE_CHARS = 160


class _Analysed(Protocol):
    @property
    def text(self) -> str: ...

    @property
    def words(self) -> tuple[str, ...]: ...


def char_grams(text: str, n: int) -> list[str]:
    """Character n-grams inside each run of letters, digits and Han characters (none across spaces)."""
    out: list[str] = []
    for run in _RUN.findall(text):
        out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def ordered_overlap(a: str, b: str) -> int:
    """Length of the longest common subsequence of `a` and `b` (characters in the same order)."""
    previous = [0] * (len(b) + 1)
    for ca in a:
        current = [0]
        for j, cb in enumerate(b):
            current.append(previous[j] + 1 if ca == cb else max(previous[j + 1], current[-1]))
        previous = current
    return previous[-1]


def _words(text: str) -> list[str]:
    return [w for w in segment(text) if _WORDLIKE.search(w)]


@dataclass
class CorpusIdf:
    """Document frequencies of character 1-2-grams and words over `n` texts (BM25 IDFs)."""

    n: int
    grams: dict[str, int]
    words: dict[str, int]
    min_df: int = 1
    _cache: dict[str, float] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_texts(cls, texts: Iterable[str], min_df: int = 2) -> CorpusIdf:
        """Count each distinct text once; keep terms seen in at least `min_df` texts."""
        grams: Counter[str] = Counter()
        words: Counter[str] = Counter()
        n = 0
        for raw in dict.fromkeys(texts):
            text = normalize_text(raw or "")
            n += 1
            grams.update(set(char_grams(text, 1)) | set(char_grams(text, 2)))
            words.update(set(_words(text)))
        return cls(
            n,
            {t: c for t, c in grams.items() if c >= min_df},
            {t: c for t, c in words.items() if c >= min_df},
            min_df,
        )

    def idf(self, term: str, table: dict[str, int]) -> float:
        """BM25 IDF, log(1 + (N - df + 0.5) / (df + 0.5)); a pruned term counts as seen once."""
        df = table.get(term, 1 if self.min_df > 1 else 0)
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))

    def gram_idf(self, gram: str) -> float:
        """IDF of a character unigram or bigram (memoised)."""
        value = self._cache.get(gram)
        if value is None:
            value = self._cache[gram] = self.idf(gram, self.grams)
        return value

    def to_json(self) -> dict[str, Any]:
        """A compact JSON form: the tables as gzip-compressed, base64-encoded `term<TAB>df` lines."""

        def pack(table: dict[str, int]) -> str:
            lines = "\n".join(f"{t}\t{c}" for t, c in sorted(table.items()))
            return base64.b64encode(gzip.compress(lines.encode("utf-8"), mtime=0)).decode("ascii")

        return {"n": self.n, "min_df": self.min_df, "grams": pack(self.grams), "words": pack(self.words)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CorpusIdf:
        """Read the form written by `to_json`."""

        def unpack(blob: str) -> dict[str, int]:
            text = gzip.decompress(base64.b64decode(blob)).decode("utf-8")
            table: dict[str, int] = {}
            for line in text.split("\n"):
                term, _, count = line.rpartition("\t")
                if term:
                    table[term] = int(count)
            return table

        return cls(int(data["n"]), unpack(data["grams"]), unpack(data["words"]), int(data["min_df"]))


def _tfidf(text: str, idf: CorpusIdf) -> dict[str, float]:
    counts = Counter(char_grams(text, 1) + char_grams(text, 2))
    return {g: c * idf.gram_idf(g) for g, c in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _idf_coverage(grams: Sequence[str], title: str, idf: CorpusIdf) -> float:
    weights = [idf.gram_idf(g) for g in grams]
    total = sum(weights)
    return sum(w for g, w in zip(grams, weights, strict=True) if g in title) / total if total else 0.0


def _bm25_ratio(query: str, title: str, idf: CorpusIdf, k1: float = 1.2, b: float = 0.75) -> float:
    """BM25 of the query's distinct bigrams in the title over their summed IDF (0 when none is found)."""
    counts = Counter(char_grams(title, 2))
    # 20 bigrams: about the length of a web or product title (the pruned corpus keeps no lengths).
    norm = k1 * (1 - b + b * sum(counts.values()) / 20.0)
    bigrams = set(char_grams(query, 2))
    ceiling = sum(idf.gram_idf(g) for g in bigrams)
    score = sum(idf.gram_idf(g) * counts[g] * (k1 + 1) / (counts[g] + norm) for g in bigrams if counts[g])
    return score / ceiling if ceiling else 0.0


def corpus_features(query: _Analysed, title: _Analysed, idf: CorpusIdf) -> list[float]:
    """The `CORPUS_FEATURES` of one analysed (normalised, segmented) pair."""
    q, t = query.text, title.text
    unigrams, bigrams = char_grams(q, 1), char_grams(q, 2)
    words = list(query.words)
    word_idfs = [idf.idf(w, idf.words) for w in words]
    found = [w in t for w in words]
    total_word_idf = sum(word_idfs)
    missing = [i for i, f in zip(word_idfs, found, strict=True) if not f]
    head_q, head_t = q[:_QUERY_CHARS], t[:_TITLE_CHARS]
    common = ordered_overlap(head_q, head_t)
    positions = [p for p in (t.find(g) for g in set(bigrams)) if p >= 0]
    parts = [p for p in _TITLE_SEPARATOR.split(t) if p]
    head = parts[0] if parts else ""
    numbers = _NUMBER.findall(q)
    q_chars, t_chars = set(unigrams), set(char_grams(t, 1))
    title_words = list(title.words)
    title_idfs = [idf.idf(w, idf.words) for w in title_words]
    q_question, t_question = bool(_QUESTION.search(q)), bool(_QUESTION.search(t))
    return [
        _cosine(_tfidf(q, idf), _tfidf(t, idf)),
        _idf_coverage(unigrams, t, idf),
        _idf_coverage(bigrams, t, idf),
        sum(i for i, f in zip(word_idfs, found, strict=True) if f) / total_word_idf
        if total_word_idf
        else 0.0,
        sum(missing),
        max(missing, default=0.0),
        total_word_idf / len(words) if words else 0.0,
        _bm25_ratio(q, t, idf),
        common / len(head_t) if head_t else 0.0,
        min(positions) / len(t) if positions else 1.0,
        (max(positions) - min(positions)) / len(t) if positions else 0.0,
        len(q) / max(len(t), 1),
        sum(g in head for g in bigrams) / len(bigrams) if bigrams else 0.0,
        ordered_overlap(head_q, head[:_TITLE_CHARS]) / len(head_q) if head_q else 0.0,
        float(len(parts)),
        float(all(n in t for n in numbers)),
        float(bool(numbers)),
        float(q_question),
        float(t_question),
        len(q_chars & t_chars) / len(q_chars | t_chars) if q_chars | t_chars else 0.0,
        float(len(words)),
        sum(i for w, i in zip(title_words, title_idfs, strict=True) if w in q) / sum(title_idfs)
        if title_idfs and sum(title_idfs)
        else 0.0,
    ]
