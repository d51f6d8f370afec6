"""Social-media text: web addresses, @names, lone negators and expletives, and the token memo.

The texts were written for these tests; none comes from a labelled set.
"""

from __future__ import annotations

import pytest

from feedback_core.sentiment import Label, LexiconSentimentAnalyzer
from feedback_core.sentiment import lexicon as lexicon_module

ANALYZER = LexiconSentimentAnalyzer()


def label(text: str) -> Label:
    return ANALYZER.analyze_one(text).label


# -- web addresses and @names are not the writer's words ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Loved the new release http://example.com/awful-terrible-bug-report",
        "Loved the new release https://example.com/worst/ever",
        "Loved the new release www.horrible-example.com",
    ],
)
def test_words_inside_a_web_address_do_not_count(text: str) -> None:
    """A link's words (``awful``, ``worst``) do not turn praise into a complaint."""
    assert Label.POSITIVE == label(text)


def test_a_web_address_is_one_token() -> None:
    """A link counts as one token of the text, not as its pieces."""
    dense_link = ANALYZER.features("see https://example.com/a/b/c/d")[0]
    dense_word = ANALYZER.features("see there")[0]
    assert dense_word == dense_link


@pytest.mark.parametrize(
    "text",
    [
        "@TerribleTom thanks so much for the help!",
        "@worst_service_ever thanks so much for the help!",
        "RT @HateMondays: thanks so much for the help!",
    ],
)
def test_an_at_name_is_not_sentiment(text: str) -> None:
    """An ``@name`` is someone's name: its words do not count."""
    assert Label.POSITIVE == label(text)


def test_every_at_name_reads_the_same() -> None:
    """Whoever is named, the text reads the same."""
    first = ANALYZER.analyze_one("@alice the parcel came today")
    second = ANALYZER.analyze_one("@bob_the_builder the parcel came today")
    assert first == second


# -- a negator or an expletive that acts on nothing counts for itself --------------------------


@pytest.mark.parametrize(
    "text",
    [
        "No perks, no snacks, no heating.",
        "Still no dividend.",
        "No tv in the room",
    ],
)
def test_a_lack_is_a_complaint(text: str) -> None:
    """``no`` before a word with no sentiment of its own reads as a complaint."""
    assert Label.NEGATIVE == label(text)


def test_no_still_flips_a_sentiment_word() -> None:
    """``no`` before a complaint word still negates it rather than adding its own valence."""
    assert Label.POSITIVE == label("No problems at all, it just works.")


@pytest.mark.parametrize(
    "text",
    [
        "Damn you, printer.",
        "Damn. Missed the bus again",
        "damn this traffic",
    ],
)
def test_an_expletive_on_its_own_is_a_complaint(text: str) -> None:
    """``damn`` that modifies no sentiment word is an expletive: a complaint."""
    assert Label.NEGATIVE == label(text)


def test_an_expletive_before_praise_is_a_degree_word() -> None:
    """``damn good`` is strong praise: ``damn`` only strengthens ``good`` there."""
    plain = ANALYZER.analyze_one("good coffee").scores.positive
    strong = ANALYZER.analyze_one("damn good coffee")
    assert Label.POSITIVE == strong.label
    assert plain < strong.scores.positive


# -- the memo of tokens changes speed, never results -------------------------------------------


def test_results_do_not_depend_on_the_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """An analyzer that remembers nothing gives the results of one that remembers everything."""
    texts = [
        "Not bad at all, but the plot drags!!",
        "@anna sooo GOOD :) http://x.example",
        "I couldn't be happier, would not go back though?",
    ]
    remembering = LexiconSentimentAnalyzer().analyze(texts + texts)
    monkeypatch.setattr(lexicon_module, "_MEMO_LIMIT", 0)
    monkeypatch.setattr(lexicon_module, "_CHUNK_LIMIT", 0)
    forgetting = LexiconSentimentAnalyzer()
    assert remembering == forgetting.analyze(texts + texts)
    assert ({}, {}) == (forgetting._chunks, forgetting._memo)  # nothing was remembered


def test_a_full_memo_starts_again_and_follows_the_newest_texts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past its limit the chunk memo is emptied, not frozen: later texts are remembered too."""
    monkeypatch.setattr(lexicon_module, "_CHUNK_LIMIT", 2)
    analyzer = LexiconSentimentAnalyzer()
    before = analyzer.analyze(["good food", "slow service", "friendly staff"])
    assert len(analyzer._chunks) <= 2
    analyzer.analyze_one("lovely view")
    assert "view" in analyzer._chunks  # the newest text's chunks, not only the first text's
    assert before == analyzer.analyze(["good food", "slow service", "friendly staff"])
