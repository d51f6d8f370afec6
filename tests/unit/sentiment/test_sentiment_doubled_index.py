"""The shipped doubled-letter index: equal to what the tables give, and the same answers as
trying every letter in turn (the search it replaced, kept here as the reference)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from feedback_core.sentiment import LexiconSentimentAnalyzer
from feedback_core.sentiment._tables import (
    doubling_index,
    load_lexicon,
    read_doubled,
    read_tables,
)
from feedback_core.sentiment.lexicon import _DOUBLED, _doubling_variant

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

LEXICON = load_lexicon()


def letter_by_letter(word: str, valences: Mapping[str, float]) -> float | None:
    """The search before the index: doubled letters once, then each letter doubled in turn;
    then, by brute force, the first term with two pairs or more that has them written once."""
    single = _DOUBLED.sub(r"\1", word)
    valence = valences.get(single)
    if valence is not None:
        return valence
    for index in range(1, len(single) + 1):
        valence = valences.get(single[:index] + single[index - 1 :])
        if valence is not None:
            return valence
    term = _two_pairs(valences).get(single)
    return None if term is None else valences[term]


def _two_pairs(valences: Mapping[str, float]) -> dict[str, str]:
    """Each term with two pairs or more, keyed by itself with its pairs written once; the
    first term wins a shared key."""
    found = _TWO_PAIRS.get(id(valences))
    if found is None:
        found = _TWO_PAIRS[id(valences)] = {}
        for term in valences:
            once = _once(term)
            if " " not in term and len(term) >= len(once) + 2:
                found.setdefault(once, term)
    return found


_TWO_PAIRS: dict[int, dict[str, str]] = {}


def _once(term: str) -> str:
    """``term`` with each doubled letter written once, written out without the pattern."""
    out: list[str] = []
    at = 0
    while at < len(term):
        out.append(term[at])
        at += 2 if term[at : at + 1] * 2 == term[at : at + 2] else 1
    return "".join(out)


def misspellings(term: str) -> Iterator[str]:
    """A term with one letter doubled, one doubled letter written once, and both at once."""
    for at in range(len(term)):
        doubled = term[:at] + term[at] + term[at:]
        yield doubled
        for other in range(len(term) - 1):
            if term[other] == term[other + 1]:
                yield term[:other] + term[other + 1 :]
                shift = 1 if other < at else 0
                yield doubled[: other + shift] + doubled[other + shift + 1 :]


def test_the_shipped_index_is_the_one_the_tables_give() -> None:
    """Edit a lexicon table, then run ``python benchmarks/build_lexicon_tables.py``."""
    assert read_doubled() == doubling_index(read_tables())
    assert len(LEXICON.doubled) > 2000


def test_the_index_answers_as_the_letter_by_letter_search_did() -> None:
    words = {
        variant
        for term in LEXICON.valences
        if term.isalpha() and len(term) >= 4
        for variant in misspellings(term)
    }
    words |= {"dissaster", "terible", "dissapointed", "accomodating", "reccomend", "zzzzz"}
    words |= {"sucess", "succes", "sucesful", "embarased", "embarrased", "apaling", "hapiness"}
    assert len(words) > 50_000
    differ = [
        word
        for word in sorted(words)
        if _doubling_variant(word, LEXICON.valences, LEXICON.doubled)
        != letter_by_letter(word, LEXICON.valences)
    ]
    assert differ == []


@pytest.mark.parametrize(
    "extra",
    [
        {"snappy": 2.0},  # a new term with a pair: "snapy" now finds it
        {"baad": -1.0, "badd": -2.0},  # two new terms, one key: the first pair wins
        {"ggod": 1.0},  # shares "good"'s key with an earlier pair: it wins
        {"godd": 1.0},  # shares "good"'s key with a later pair: "good" stays
        {"terrible": 1.0},  # replaces a bundled term's valence, the key kept
        {"dead pixel": -2.0},  # a phrase: no key
    ],
)
def test_extra_terms_give_the_index_built_from_every_term(extra: dict[str, float]) -> None:
    lexicon = load_lexicon(extra)
    assert lexicon.doubled == doubling_index(lexicon.valences)


def test_an_extra_term_is_found_misspelt() -> None:
    analyzer = LexiconSentimentAnalyzer(extra_terms={"snappy": 3.0})
    assert analyzer.analyze_one("Really snapy app").label.value == "positive"


def test_a_word_with_no_doubled_letter_needs_only_the_index() -> None:
    """The analyzer looks for a pair to write once only in a word that has one: for any other
    word (``terible``), the index alone must answer as the whole variant search does."""
    words = {
        variant
        for term in LEXICON.valences
        if term.isalpha() and len(term) >= 4
        for variant in misspellings(term)
        if _DOUBLED.search(variant) is None and variant not in LEXICON.valences
    }
    assert len(words) > 1_000
    differ = [
        word
        for word in sorted(words)
        if _doubling_variant(word, LEXICON.valences, LEXICON.doubled)
        != _doubling_variant(word, LEXICON.valences, LEXICON.doubled, pairs=False)
    ]
    assert differ == []


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The service was terible.", "negative"),  # no pair: one letter to double
        ("Totaly dissapointed.", "negative"),  # a pair written once, a letter not doubled
        ("The staff were so accomodating", "positive"),  # two pairs, one written once
        ("The launch was a sucess.", "positive"),  # two pairs, one written once
        ("I was so embarased.", "negative"),  # two pairs, both written once
        ("The service was apalling.", "negative"),  # the pairs moved
        ("Such hapiness.", "positive"),  # two pairs (pp, ss), both written once
    ],
)
def test_misspelt_words_with_and_without_a_pair_are_found(text: str, label: str) -> None:
    assert LexiconSentimentAnalyzer().analyze_one(text).label.value == label
