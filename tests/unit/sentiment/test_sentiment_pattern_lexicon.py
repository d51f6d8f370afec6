"""The words taken from Pattern's lexicon: credited, disjoint from the rest, read by the rules.

The example texts were written for these tests; the words in them are ones only the Pattern
table scores (the analyzer before it called each of these texts neutral).
"""

from __future__ import annotations

import pytest

from feedback_core.sentiment import Label, LexiconSentimentAnalyzer
from feedback_core.sentiment._model import load_model
from feedback_core.sentiment._rules import RULE_WORDS
from feedback_core.sentiment._tables import data_text, read_table, read_vader

ANALYZER = LexiconSentimentAnalyzer()
TABLE = read_table("pattern_lexicon.tsv")


def test_the_table_credits_pattern_and_names_its_licence() -> None:
    header = "\n".join(
        line for line in data_text("pattern_lexicon.tsv").splitlines() if line[:1] == "#"
    )
    assert all(part in header for part in ("Pattern", "De Smedt", "Daelemans", "PDDL"))


def test_the_table_only_adds_single_words_no_other_source_scores() -> None:
    """No entry replaces VADER's, the emoji table's or the project's, or a rule word's role."""
    others = {**read_vader(), **read_table("emoji.tsv"), **read_table("domain_lexicon.tsv")}
    assert len(TABLE) > 400
    assert [] == [word for word in TABLE if word in others or word in RULE_WORDS]
    assert [] == [word for word in TABLE if not word.replace("-", "").isalpha()]
    assert all(0.0 < abs(valence) <= 4.0 for valence in TABLE.values())


def test_the_model_weighs_none_of_its_words() -> None:
    """A word with a valence is the rules'; the table was built from words the model lacks."""
    assert [] == [word for word in load_model().weights if word in TABLE]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The service was impeccable.", Label.POSITIVE),
        ("Skilled staff.", Label.POSITIVE),
        ("An abundant breakfast.", Label.POSITIVE),
        ("Incoherent manual.", Label.NEGATIVE),
        ("The delivery was abrupt.", Label.NEGATIVE),
    ],
)
def test_a_word_only_pattern_scores_decides_the_text(text: str, expected: Label) -> None:
    assert expected == ANALYZER.analyze_one(text).label


def test_negation_reaches_a_pattern_word() -> None:
    """Pattern's words go through the same rules as VADER's: ``not impeccable`` is less praise."""
    plain = ANALYZER.analyze_one("The service was impeccable.").scores
    negated = ANALYZER.analyze_one("The service was not impeccable.").scores
    assert negated.positive < plain.positive
    assert negated.negative > plain.negative
