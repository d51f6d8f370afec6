"""The offline analyzer: its rules, its scores, its data loading and its robustness."""

from __future__ import annotations

import math
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_core.sentiment import Label, LexiconSentimentAnalyzer, blank_text_result
from feedback_core.sentiment.lexicon import load_lexicon

ANALYZER = LexiconSentimentAnalyzer()


def label(text: str) -> Label:
    return ANALYZER.analyze_one(text).label


def positive(text: str) -> float:
    return ANALYZER.analyze_one(text).scores.positive


def negative(text: str) -> float:
    return ANALYZER.analyze_one(text).scores.negative


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Great app, love it", Label.POSITIVE),
        ("Terrible service", Label.NEGATIVE),
        ("I ordered the blue one", Label.NEUTRAL),
    ],
)
def test_lexicon_words_set_the_label(text: str, expected: Label) -> None:
    """Words with valence decide the label; a text without any is neutral."""
    assert expected == label(text)


def test_results_say_they_are_offline() -> None:
    """Every result names the offline analyzer as its source and has no fallback reason."""
    result = ANALYZER.analyze_one("Great")
    assert ("offline", None) == (result.source, result.fallback_reason)


@pytest.mark.parametrize("text", ["The food was not good", "I didn't like it", "Not happy."])
def test_negation_turns_praise_into_complaint(text: str) -> None:
    """A negator before a positive word makes the text negative."""
    assert Label.NEGATIVE == label(text)


@pytest.mark.parametrize(
    "text", ["No problems at all", "Never had a single problem", "Can't fault it", "Not bad"]
)
def test_negated_complaint_reads_as_praise(text: str) -> None:
    """A negator before a negative word makes the text positive."""
    assert Label.POSITIVE == label(text)


@pytest.mark.parametrize(
    "text", ["My parcel never arrived", "Nobody replied", "The app doesn't work", "No refund yet"]
)
def test_missing_expected_event_is_a_complaint(text: str) -> None:
    """An expected event that did not happen is negative, though the event word is neutral."""
    assert Label.NEGATIVE == label(text)


def test_expected_event_alone_is_neutral() -> None:
    """The same event words without negation carry no sentiment."""
    assert Label.NEUTRAL == label("My parcel arrived and the app works")


def test_negation_stops_at_the_clause() -> None:
    """A negator does not reach past a comma into the next clause."""
    assert Label.POSITIVE == label("No, it was great")


def test_intensifier_strengthens() -> None:
    """ "very good" scores more positive than "good"."""
    assert positive("very good") > positive("good")


def test_diminisher_weakens() -> None:
    """ "a bit slow" scores less negative than "slow"."""
    assert negative("a bit slow") < negative("slow")


@pytest.mark.parametrize(
    "text",
    [
        "good but slow",
        "Great product, terrible delivery.",
        "Love the design, hate the price.",
    ],
)
def test_praise_and_complaint_together_are_mixed(text: str) -> None:
    """Comparable praise and complaint in one text give the mixed label."""
    assert Label.MIXED == label(text)


def test_concession_yields_to_the_main_clause() -> None:
    """Praise in an ``although`` clause weighs less: the complaint dominates, not mixed."""
    assert Label.NEGATIVE == label("Although the staff were lovely, the room was filthy.")


def test_minor_reservation_keeps_the_verdict() -> None:
    """A diminished complaint beside strong praise leaves the text positive."""
    assert Label.POSITIVE == label("Absolutely love it, a bit pricey")


def test_contrast_favours_the_clause_after_but() -> None:
    """After "but", the same words weigh more than before it."""
    after = ANALYZER.analyze_one("It is fine but slow").scores
    before = ANALYZER.analyze_one("It is slow but fine").scores
    assert after.negative > before.negative


def test_capitals_emphasise_a_word() -> None:
    """A word in CAPS in an otherwise lower-case text scores stronger."""
    assert positive("this is GOOD") > positive("this is good")


def test_all_capitals_do_not_single_out_words() -> None:
    """A text in capitals throughout is still labelled by its words."""
    assert Label.NEGATIVE == label("WORST SERVICE EVER")


def test_exclamation_marks_emphasise() -> None:
    """ "Great!!!" scores more positive than "Great."."""
    assert positive("Great!!!") > positive("Great.")


def test_elongated_words_are_understood() -> None:
    """Stretched spellings are matched ("sooo goood") and count as emphasis."""
    assert positive("sooo goood") > positive("so good") > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\N{THUMBS UP SIGN}", Label.POSITIVE),
        ("\N{THUMBS UP SIGN}\N{EMOJI MODIFIER FITZPATRICK TYPE-4}", Label.POSITIVE),
        ("\N{HEAVY BLACK HEART}\ufe0f\N{HEAVY BLACK HEART}\ufe0f", Label.POSITIVE),
        ("\N{POUTING FACE}", Label.NEGATIVE),
        ("Delivery was fine\N{THUMBS DOWN SIGN}\N{THUMBS DOWN SIGN}", Label.NEGATIVE),
    ],
)
def test_emoji_carry_sentiment(text: str, expected: Label) -> None:
    """Emoji count, with skin tones and variation selectors ignored, also glued to words."""
    assert expected == label(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [(":)", Label.POSITIVE), (":-(", Label.NEGATIVE), ("ok then :D", Label.POSITIVE)],
)
def test_emoticons_carry_sentiment(text: str, expected: Label) -> None:
    """ASCII emoticons count as whole tokens."""
    assert expected == label(text)


def test_emoticon_before_punctuation_is_found() -> None:
    """An emoticon followed by punctuation is still recognised."""
    assert Label.NEGATIVE == label("Still waiting :(.")


@pytest.mark.parametrize(
    "word",
    ["slow", "broken", "laggy", "overpriced", "late", "rude", "crashes", "refund", "buggy"],
)
def test_customer_feedback_terms_are_negative(word: str) -> None:
    """Complaint words VADER lacks or underrates are negative here."""
    assert negative(f"it was {word}") > 0


def test_too_marks_an_excess() -> None:
    """ "too" makes a neutral quality a complaint."""
    assert Label.NEGATIVE == label("The jacket is too small")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The frosting is way too sweet.", Label.NEGATIVE),
        ("The sauce was far too rich for me.", Label.NEGATIVE),
        ("The coffee is too strong.", Label.NEGATIVE),
        ("The screen is too bright at night, even on the lowest setting.", Label.NEGATIVE),
        ("This deal is too good to be true.", Label.POSITIVE),  # before too: a guard
        ("Not too sweet, just right.", Label.POSITIVE),
    ],
)
def test_too_makes_a_complaint_of_qualities_that_spoil_in_excess(
    text: str, expected: Label
) -> None:
    """A strong quality survives "too" (``too good``), but sweet, rich, strong and bright are
    complaints in excess however strong their valence."""
    assert expected == label(text)


@pytest.mark.parametrize(
    "text", ["How do I get a refund?", "Can the app export a broken order list?"]
)
def test_request_questions_stay_neutral(text: str) -> None:
    """A question asking for something is not a complaint, whatever words it uses."""
    assert Label.NEUTRAL == label(text)


def test_why_questions_still_complain() -> None:
    """ "Why" questions are complaints and keep their sentiment."""
    assert Label.NEGATIVE == label("Why is the app always so slow and broken?")


def test_expected_better_is_disappointment() -> None:
    """ "expected better" is negative, though "better" is a positive word."""
    assert Label.NEGATIVE == label("I expected a lot better")


def test_cannot_recommend_enough_is_praise() -> None:
    """ "can't recommend them enough" undoes the negation."""
    assert Label.POSITIVE == label("Can't recommend them enough!")


def test_fixed_problems_are_praise() -> None:
    """A resolution verb turns the problem it fixed into praise."""
    assert Label.POSITIVE == label("The update fixed all my problems")


def test_unfixed_problem_is_a_complaint() -> None:
    """A negated resolution is a failure, not praise and not nothing."""
    assert Label.NEGATIVE == label("The issue still isn't fixed")


def test_refusal_negates_what_follows() -> None:
    """Being "refused" help is a complaint, though "help" is a positive word."""
    assert Label.NEGATIVE == label("They refused to help")


def test_blank_text_is_the_defined_neutral_result() -> None:
    """Empty and whitespace-only texts get the shared blank result."""
    assert [blank_text_result()] * 3 == ANALYZER.analyze(["", " ", "\n\t"])


def test_one_result_per_text_in_order() -> None:
    """analyze returns exactly one result per text, in the order given."""
    texts = ["Great", "", "Awful", "Order 12"]
    assert [Label.POSITIVE, Label.NEUTRAL, Label.NEGATIVE, Label.NEUTRAL] == [
        r.label for r in ANALYZER.analyze(texts)
    ]


def test_try_analyze_never_fails_a_document() -> None:
    """The offline analyzer has no per-document failures."""
    assert ANALYZER.analyze(["a", "b"]) == ANALYZER.try_analyze(["a", "b"])


@given(st.text(max_size=300))
def test_any_text_gets_valid_scores(text: str) -> None:
    """For any text the scores are in [0, 1], sum to 1, and the label has the top score."""
    result = ANALYZER.analyze_one(text)
    scores = result.scores
    values = [scores.positive, scores.neutral, scores.negative, scores.mixed]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert math.isclose(1.0, sum(values), rel_tol=1e-9)
    assert scores.of(result.label) == max(values)


def test_lone_surrogates_and_control_characters_are_harmless() -> None:
    """Broken text from a decoder does not raise."""
    assert Label.NEGATIVE == label("awful \ud800 \x00\x1b service")


def test_non_english_text_is_neutral_without_error() -> None:
    """Text in another language mostly reads as neutral (the lexicon is English)."""
    assert Label.NEUTRAL == label("配送はいつですか")


def test_extra_terms_extend_the_lexicon() -> None:
    """Your own words and phrases take part like bundled ones."""
    custom = LexiconSentimentAnalyzer(extra_terms={"zorpy": -2.5, "Dead Pixel": -2.0})
    assert (Label.NEGATIVE, Label.NEGATIVE) == (
        custom.analyze_one("the widget is zorpy").label,
        custom.analyze_one("one dead pixel").label,
    )
    assert Label.NEUTRAL == label("the widget is zorpy")


@pytest.mark.parametrize(
    ("terms", "message"),
    [({" ": 1.0}, "blank"), ({"x": math.nan}, "finite"), ({"x": 4.5}, "within -4..4")],
)
def test_invalid_extra_terms_are_refused(terms: dict[str, float], message: str) -> None:
    """Blank terms and valences that are not finite numbers in -4..4 raise ValueError."""
    with pytest.raises(ValueError, match=message):
        LexiconSentimentAnalyzer(extra_terms=terms)


def test_default_lexicon_is_shared() -> None:
    """All default analyzers share one loaded lexicon."""
    assert load_lexicon() is LexiconSentimentAnalyzer().warm_up().lexicon


def test_bundled_lexicon_has_vader_and_our_terms() -> None:
    """The vendored VADER table and the project's terms and emoji are all loaded."""
    valences = load_lexicon().valences
    assert (3.2, -1.5, 2.0) == (valences["love"], valences["slow"], valences["\N{THUMBS UP SIGN}"])


def test_concurrent_use_gives_the_same_results() -> None:
    """Threads sharing one analyzer get what a single thread gets."""
    texts = [f"{word} service, order {i}" for i, word in enumerate(["great", "awful", "ok"] * 50)]
    expected = LexiconSentimentAnalyzer().analyze(texts)
    shared = LexiconSentimentAnalyzer()
    outputs: list[list[object]] = []
    lock = threading.Lock()

    def work() -> None:
        result = shared.analyze(texts)
        with lock:
            outputs.append(list(result))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [expected] * 4 == outputs
