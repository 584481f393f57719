"""Stylometric features of a text: rates and shapes that do not depend on the topic.

Deception studies (Ott et al., ACL 2011; Newman et al., 2003) report that invented reviews use
more first-person singular pronouns and fewer concrete details (numbers, prices, places), and
machine-written text is known for uniform sentence lengths and a narrow vocabulary. Every
feature here is a length-normalised rate, so short and long notes are comparable.

Three more families (format 2 of the detector files):

* LIWC-like lexicon categories written from the deception literature, not mined from any data
  set (Ott et al. 2011; Li et al., ACL 2014): spatial and concrete service detail (truthful
  reviewers describe the place), family and trip context, superlatives and emotion words
  (invented reviews praise in general terms), certainty, tentative and cognitive words, and
  references to "the hotel" itself;
* word frequency: how common the words are in general English, as Zipf values from the
  `wordfreq` package (its word lists ship inside the package). Language models favour common
  words, so machine-written text sits higher and narrower on this scale (the unigram part of
  GLTR, Gehrmann et al., ACL 2019);
* typing habits that people have and generators do not: unknown (often misspelt) words, a space
  before punctuation or none after it, double spaces, lower-case sentence starts, a lone "i",
  doubled punctuation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

_WORD = re.compile(r"\w+(?:'\w+)?")
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")
_FIRST_SINGULAR = frozenset(["i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"])
_FIRST_PLURAL = frozenset(["we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll"])
_SECOND = frozenset(["you", "your", "yours", "yourself", "you're", "you'll", "you've"])
_FUNCTION = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "is",
        "was",
        "were",
        "be",
        "been",
        "it",
        "this",
        "that",
        "as",
        "by",
        "from",
        "not",
        "no",
        "so",
        "if",
        "then",
        "than",
        "there",
        "here",
        "very",
    ]
)

_LETTER_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# Hand-written categories (see the module docstring); lower-case words, matched whole.
LEXICON: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "spatial": "floor floors room rooms bathroom bathrooms elevator elevators lobby door doors window "
        "windows bed beds shower tub bathtub sink closet desk hallway hall corridor street streets block "
        "blocks corner walk walking distance location located view views upstairs downstairs above below "
        "across near nearby next behind inside outside side front back top level wall walls ceiling carpet "
        "size small large tiny huge big space spacious cramped narrow",
        "concrete_service": "check checked checkin checkout parking valet garage wifi internet fee fees "
        "charge charged charges bill price rate rates dollar dollars night nights minute minutes hour hours "
        "am pm key keys card ice machine towel towels sheets pillow pillows tv television fridge minibar "
        "coffee breakfast bar restaurant pool gym",
        "family_trip": "husband wife boyfriend girlfriend fiance fiancee kids kid children child son "
        "daughter family families mother father mom dad parents friend friends vacation vacations honeymoon "
        "anniversary wedding birthday trip getaway weekend business conference meeting meetings work "
        "colleague colleagues",
        "superlative": "best worst amazing wonderful fantastic incredible excellent perfect perfectly "
        "luxurious luxury elegant beautiful gorgeous stunning outstanding superb exceptional spectacular "
        "magnificent lovely terrible horrible awful disgusting horrendous unacceptable ever truly absolutely "
        "extremely highly definitely",
        "positive_emotion": "good great nice love loved enjoy enjoyed pleasant happy comfortable "
        "friendly helpful recommend recommended clean impressed pleasure welcoming",
        "negative_emotion": "bad poor dirty rude disappointed disappointing disappointment unfortunately "
        "problem problems issue issues complain complained noisy broken smell smelled stained",
        "certainty": "always never definitely certainly surely sure absolutely completely totally every "
        "all clearly",
        "tentative": "maybe perhaps probably seemed seem seems somewhat bit little fairly pretty quite "
        "guess though although however but",
        "time": "when then after before during while later soon morning evening night day days arrived "
        "arrival left stayed stay until time",
        "cognitive": "think thought know knew because reason since realize realized expect expected "
        "wonder consider decided believe felt feel",
        "place_reference": "hotel hotels establishment property resort inn",
    }.items()
}

# Name -> one-line meaning; the order is the column order of `style_matrix`.
FEATURES: dict[str, str] = {
    "log_words": "length (log of the number of words)",
    "mean_word_length": "mean word length",
    "long_word_rate": "share of words of 7 letters or more",
    "type_token_ratio": "vocabulary richness (distinct words / sqrt(words))",
    "mean_sentence_length": "mean sentence length in words",
    "sentence_length_spread": "spread of sentence lengths (standard deviation)",
    "first_person_singular_rate": "first-person singular pronoun rate (I, me, my)",
    "first_person_plural_rate": "first-person plural pronoun rate (we, us, our)",
    "second_person_rate": "second-person pronoun rate (you, your)",
    "function_word_rate": "function-word rate (the, of, and, ...)",
    "exclamation_rate": "exclamation marks per word",
    "question_rate": "question marks per word",
    "comma_rate": "commas per word",
    "other_punctuation_rate": "brackets, dashes, quotes and ellipses per word",
    "digit_rate": "share of characters that are digits (prices, room numbers, dates)",
    "capital_rate": "share of letters that are capitals",
    "line_break_rate": "line breaks per sentence",
    **{f"lexicon_{name}_rate": f"rate of {name.replace('_', ' ')} words" for name in LEXICON},
    "name_rate": "capitalised words inside a sentence (names of places and brands)",
    "zipf_mean": "mean word frequency in general English (Zipf scale)",
    "zipf_spread": "spread of word frequencies (standard deviation, Zipf scale)",
    "zipf_low_decile": "frequency of the rarest tenth of the words (Zipf scale)",
    "rare_word_rate": "share of rare words (Zipf below 3)",
    "common_word_rate": "share of very common words (Zipf 6 or more)",
    "unknown_word_rate": "share of words unknown to the English word list (often misspellings)",
    "space_before_punctuation_rate": "spaces before a comma or full stop, per word",
    "missing_space_rate": "punctuation glued to the next word, per word",
    "double_space_rate": "double spaces, per word",
    "lowercase_sentence_start_rate": "sentences starting in lower case, per word",
    "lone_lowercase_i_rate": "a lower-case 'i' as a word, per word",
    "doubled_punctuation_rate": "doubled punctuation (!!, ??, ..), per word",
}


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    """How common `word` is in general English: log10 of its count per billion words (0 if unknown)."""
    from wordfreq import zipf_frequency  # its word lists load on first use, not at import

    return float(zipf_frequency(word, "en"))


def _frequency_features(lower_words: list[str]) -> list[float]:
    known = [z for z in map(zipf, lower_words) if z > 0]
    n = max(len(lower_words), 1)
    unknown = sum(1 for w in lower_words if len(w) > 2 and zipf(w) == 0) / n
    if not known:
        return [0.0, 0.0, 0.0, 0.0, 0.0, unknown]
    z = np.asarray(known)
    return [
        float(z.mean()),
        float(z.std()),
        float(np.percentile(z, 10)),
        float(np.mean(z < 3)),
        float(np.mean(z >= 6)),
        unknown,
    ]


def _typing_features(text: str, n: int) -> list[float]:
    return [
        len(re.findall(r"\w [,.!?;:](?!\w)", text)) / n,
        len(re.findall(r"[a-z][,.!?;:)][A-Za-z]", text)) / n,
        len(re.findall(r"\S  +\S", text)) / n,
        len(re.findall(r"[.!?]\s+[a-z]", text)) / n,
        len(re.findall(r"\bi\b", text)) / n,
        len(re.findall(r"([!?.])\1", text)) / n,
    ]


def style_features(text: str) -> list[float]:
    """The stylometric feature vector of one text, in the order of `FEATURES`."""
    text = text.strip()
    words = _WORD.findall(text)
    lower = [w.lower() for w in words]
    n = max(len(words), 1)
    sentences = [len(_WORD.findall(s)) for s in _SENTENCE.findall(text) if _WORD.search(s)] or [0]
    letters = [c for c in text if c.isalpha()]
    return [
        math.log1p(len(words)),
        sum(map(len, words)) / n,
        sum(len(w) >= 7 for w in words) / n,
        len(set(lower)) / math.sqrt(n),
        float(np.mean(sentences)),
        float(np.std(sentences)),
        sum(w in _FIRST_SINGULAR for w in lower) / n,
        sum(w in _FIRST_PLURAL for w in lower) / n,
        sum(w in _SECOND for w in lower) / n,
        sum(w in _FUNCTION for w in lower) / n,
        (text.count("!") + text.count("！")) / n,
        (text.count("?") + text.count("？")) / n,
        (text.count(",") + text.count("，")) / n,
        sum(text.count(c) for c in '()-"…') / n + text.count("...") / n,
        sum(c.isdigit() for c in text) / max(len(text), 1),
        sum(c.isupper() for c in letters) / max(len(letters), 1),
        text.count("\n") / len(sentences),
        *_lexicon_features(text),
    ]


def _lexicon_features(text: str) -> list[float]:
    letter_words = _LETTER_WORD.findall(text.lower())
    n = max(len(letter_words), 1)
    categories = [sum(w in words for w in letter_words) / n for words in LEXICON.values()]
    names = len(re.findall(r"(?<=[a-z,;] )[A-Z][a-z]+", text)) / n
    return [*categories, names, *_frequency_features(letter_words), *_typing_features(text, n)]


def style_matrix(texts: Iterable[str]) -> np.ndarray:
    """Stylometric features of many texts, one row per text."""
    rows = [style_features(t) for t in texts]
    return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURES))
