"""Measuring an analyzer on labelled texts: the readers, the metrics, and what they refuse."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import orjson
import pytest

from feedback_core.sentiment import (
    InMemorySentimentAnalyzer,
    Label,
    LabelledText,
    LexiconSentimentAnalyzer,
    evaluate,
    parse_labelled,
    read_labelled,
)
from feedback_core.sentiment.evaluation import score

if TYPE_CHECKING:
    from pathlib import Path

P, U, N, M = Label.POSITIVE, Label.NEUTRAL, Label.NEGATIVE, Label.MIXED


def test_own_labels_are_read_in_any_case_and_blank_lines_skipped() -> None:
    examples = parse_labelled("Great app\tpositive\n\nok\tNeutral\r\nslow, but pretty\tMIXED\n")
    assert [
        LabelledText("Great app", P),
        LabelledText("ok", U),
        LabelledText("slow, but pretty", M),
    ] == examples


def test_uci_flags_are_read_and_a_next_line_mark_stays_inside_its_sentence() -> None:
    """U+0085 and U+2028 are not line ends: str.splitlines() split UCI sentences there."""
    examples = parse_labelled("Worth it\x85 truly.  \t1\nBad\u2028really.\t0")
    assert [LabelledText("Worth it\x85 truly.", P), LabelledText("Bad\u2028really.", N)] == examples


def test_mean_ratings_are_read_with_the_band_and_crlf() -> None:
    """VADER's ground truth: +0.2 and above positive, -0.2 and below negative, else neutral."""
    examples = parse_labelled("1\t2.5\tLoved it.\r\n2\t-0.2\tBroke.\r\n3\t0.19\tA box.")
    assert [P, N, U] == [example.label for example in examples]
    assert "Loved it." == examples[0].text


def test_a_file_is_read_with_its_name_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("fine\tpositive\nno tab here\n", "utf-8")
    with pytest.raises(ValueError, match=r"mine\.tsv: not a labelled set .*line 2 fits none"):
        read_labelled(path)
    path.write_text("fine\tpositive\n", "utf-8")
    assert [LabelledText("fine", P)] == read_labelled(path)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("a complaint with no label\n", "it has no tab"),
        ("my card number is 4111\tpositve\n", "its label 'positve' is none of"),
        ("1\tfoo\tmy card number is 4111\n", "its rating 'foo' is not a finite number"),
        ("1\tnan\tmy card number is 4111\n", "its rating 'nan' is not a finite number"),
        ("\tpositive\n", "a field is blank"),
        ("", "no text in it"),
        ("\n  \n", "no text in it"),
    ],
)
def test_what_fits_no_format_is_refused_without_quoting_the_text(content: str, why: str) -> None:
    """Feedback may be personal: the error says where and why, never what the text says."""
    with pytest.raises(ValueError, match="not a labelled set") as error:
        parse_labelled(content, source="f.tsv")
    assert why in str(error.value)
    assert "card" not in str(error.value)
    assert "complaint" not in str(error.value)


def test_the_metrics_on_a_worked_example() -> None:
    """Two positive, one negative, two neutral, one mixed, worked by hand below."""
    given = [P, P, N, U, U, M]
    answered = [P, U, N, M, P, M]
    result = score(given, answered)
    assert 6 == result.texts
    assert result.strict_accuracy == pytest.approx(2 / 3)  # P and N right, P as neutral wrong
    assert result.polar_called_neutral == pytest.approx(1 / 3)
    assert 1.0 == result.mixed_recall
    # 3-class, mixed answered counts as neutral: P: precision 1/2, recall 1/2 -> F1 1/2;
    # U: answered U twice (one right), given twice -> F1 1/2; N: F1 1.
    assert result.macro_f1 == pytest.approx((0.5 + 0.5 + 1.0) / 3)
    assert 1 == result.confusion[U, M]
    assert 2 == result.count(U)


def test_a_metric_with_no_texts_is_none_not_zero() -> None:
    """No neutral text: no 3-class macro-F1 (UCI's case); no mixed text: no mixed recall."""
    result = score([P, N], [P, P])
    assert 0.5 == result.strict_accuracy
    assert result.macro_f1 is None
    assert result.mixed_recall is None
    assert score([U], [U]).strict_accuracy is None
    with pytest.raises(ValueError, match="2 labels given but 1 answered"):
        score([P, N], [P])


def test_evaluate_labels_each_text_once_with_the_analyzer_given() -> None:
    fake = InMemorySentimentAnalyzer(labels={"love it": P, "broken": N}, default=U)
    examples = [LabelledText("love it", P), LabelledText("broken", N), LabelledText("meh", N)]
    result = evaluate(fake, examples)
    assert [("love it", "broken", "meh")] == fake.calls
    assert result.strict_accuracy == pytest.approx(2 / 3)
    assert result.polar_called_neutral == pytest.approx(1 / 3)


def test_json_and_lines_carry_the_counts_and_no_text() -> None:
    examples = parse_labelled("I love the secret recipe\tpositive\nterrible\tnegative\nok\tneutral")
    result = evaluate(LexiconSentimentAnalyzer(), examples)
    document = orjson.loads(orjson.dumps(result.to_json()))
    assert 3 == document["texts"]
    assert {"positive", "neutral", "negative"} == set(document["confusion"])
    assert 1 == sum(document["confusion"]["positive"].values())
    assert document["mixedRecall"] is None
    assert math.isclose(document["strictAccuracy"], result.strict_accuracy or 0.0)
    text = "\n".join(result.lines())
    assert "strict 2-class accuracy" in text
    assert "mixed recall" not in text  # no text labelled mixed
    assert "recipe" not in text


def test_a_csv_export_is_read_by_its_header_with_a_byte_order_mark(tmp_path: Path) -> None:
    """Spreadsheets export CSV with a BOM; quoted texts hold commas and line breaks."""
    path = tmp_path / "export.CSV"
    path.write_text(
        '\ufeffid,Label,Text,channel\n1,positive,"Fast, friendly",web\n'
        '2,0,"Broke.\nTwice.",app\n3,NEUTRAL,,app\n4,Mixed,"ok, but slow",web\n',
        "utf-8",
    )
    assert [
        LabelledText("Fast, friendly", P),
        LabelledText("Broke.\nTwice.", N),
        LabelledText("ok, but slow", M),
    ] == read_labelled(path)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("comment,score\nmy card is 4111,5\n", "no text and label columns in its header"),
        ("text,label\nmy card is 4111,positve\n", "line 2 has the label 'positve', none of"),
        ("text,label\n", "no text in it"),
        ("", "no text and label columns"),
    ],
)
def test_a_csv_that_is_not_labelled_is_refused_without_its_text(
    tmp_path: Path, content: str, why: str
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(ValueError, match=r"export\.csv: not a labelled set") as error:
        read_labelled(path)
    assert why in str(error.value)
    assert "card" not in str(error.value)


def test_a_byte_order_mark_is_dropped_from_a_tab_separated_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.tsv"
    path.write_text("\ufeffGreat app\tpositive\n", "utf-8")
    assert [LabelledText("Great app", P)] == read_labelled(path)


def test_lines_in_two_formats_are_refused_by_the_first_line_of_the_second() -> None:
    """Each line fits a format, but not one format every line: say where it changes."""
    with pytest.raises(ValueError, match="line 3 is not in line 1's format"):
        parse_labelled("Great\tpositive\nBad\tnegative\nFine\t1\n", source="f.tsv")
