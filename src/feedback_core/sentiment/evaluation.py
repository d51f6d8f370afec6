r"""Measure a sentiment analyzer on labelled texts of your own, with the project's metrics.

The figures in ``docs/performance.md`` are these metrics on public sets; run them on your own
feedback before relying on them (``feedback-core sentiment evaluate FILE`` does, for the offline
analyzer). Any :class:`~feedback_core.sentiment.ports.SentimentAnalyzer` can be measured, a
``ComprehendSentimentAnalyzer`` too (it is billed per text).

The metrics:

* *strict 2-class accuracy*: on the texts labelled positive or negative, the share given
  exactly that label; neutral or mixed on a clearly polar text counts as wrong;
* *polar texts called neutral*: on the same texts, the share labelled neutral;
* *3-class macro-F1* over positive, neutral and negative, on the texts labelled one of those
  three, only if some are labelled neutral; a ``mixed`` answer counts as neutral there (it is
  neither positive nor negative);
* *mixed recall*: on the texts labelled mixed, the share labelled mixed.

Examples:
    >>> from feedback_core.sentiment import InMemorySentimentAnalyzer, Label
    >>> examples = parse_labelled("love it\tpositive\nbroken\tnegative\nok\tneutral\n")
    >>> fake = InMemorySentimentAnalyzer(labels={"love it": Label.POSITIVE})
    >>> result = evaluate(fake, examples)
    >>> result.strict_accuracy, result.polar_called_neutral
    (0.5, 0.5)
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from feedback_core.sentiment.ports import Label

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Mapping, Sequence

    from feedback_core.sentiment.ports import SentimentAnalyzer

__all__ = [
    "RATING_BAND",
    "Evaluation",
    "LabelledText",
    "evaluate",
    "parse_labelled",
    "parse_labelled_csv",
    "read_labelled",
    "score",
]

RATING_BAND = 0.2
"""A mean rating on [-4, +4] at or above +0.2 is positive, at or below -0.2 negative."""

_POLAR = (Label.POSITIVE, Label.NEGATIVE)
_WORDS = {label.value: label for label in Label}  # text<TAB>label
_FLAGS = {"1": Label.POSITIVE, "0": Label.NEGATIVE}  # text<TAB>0|1
_ANY_LABEL = {**_WORDS, **_FLAGS}  # a CSV's label column
_ACCEPTED = ", ".join(_ANY_LABEL)
_THREE = (Label.POSITIVE, Label.NEUTRAL, Label.NEGATIVE)


@attrs.frozen
class LabelledText:
    """A text and the label a person gave it."""

    text: str
    label: Label


def read_labelled(path: str | os.PathLike[str]) -> list[LabelledText]:
    """Read a labelled file: UTF-8 (a byte-order mark is dropped), one text per line.

    A ``.csv`` file is read by :func:`parse_labelled_csv`, any other by :func:`parse_labelled`.

    Raises:
        ValueError: the file is not a labelled set (the message names it and the line).
        OSError: the file cannot be read.
    """
    path = Path(path)
    # utf-8-sig: spreadsheet programs start their UTF-8 exports with a byte-order mark.
    content = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        return parse_labelled_csv(content, source=str(path))
    return parse_labelled(content, source=str(path))


def parse_labelled_csv(content: str, *, source: str = "<csv>") -> list[LabelledText]:
    """Read a CSV export of labelled texts, one per row after a header row.

    The header names a ``text`` and a ``label`` column (any case; other columns are ignored);
    rows with a blank text are skipped.

    Labels are ``positive``, ``negative``, ``neutral``, ``mixed`` (any case), or ``1`` and
    ``0`` for positive and negative. Quoted texts may hold commas and line breaks.

    Raises:
        ValueError: no such header, or a row whose label is none of those; the message names
            ``source`` and the row's line, without quoting its text.
    """
    rows = csv.reader(io.StringIO(content, newline=""))
    header = [name.strip().lower() for name in next(rows, [])]
    if "text" not in header or "label" not in header:
        raise ValueError(f"{source}: not a labelled set: no text and label columns in its header")
    text_at, label_at = header.index("text"), header.index("label")
    examples = []
    try:
        for row in rows:
            if len(row) <= max(text_at, label_at) or not row[text_at].strip():
                continue
            label = _ANY_LABEL.get(row[label_at].strip().lower())
            if label is None:
                raise ValueError(
                    f"{source}: not a labelled set: line {rows.line_num} has the label"
                    f" {row[label_at].strip()[:20]!r}, none of {_ACCEPTED}"
                )
            examples.append(LabelledText(text=row[text_at].strip(), label=label))
    except csv.Error as error:  # e.g. a field over the csv module's size limit
        raise ValueError(f"{source}: not a labelled set: line {rows.line_num}: {error}") from None
    if not examples:
        raise ValueError(f"{source}: not a labelled set: no text in it")
    return examples


def parse_labelled(content: str, *, source: str = "<text>") -> list[LabelledText]:
    r"""Read labelled texts, one per line, in file order; blank lines are skipped.

    The format is the first of these that every line fits:

    * ``id<TAB>mean rating<TAB>text``, a mean of ratings on [-4, +4] read with
      :data:`RATING_BAND`: VADER's ground-truth files;
    * ``text<TAB>1`` or ``text<TAB>0``, positive or negative: the UCI *Sentiment Labelled
      Sentences* files;
    * ``text<TAB>label``, the label one of ``positive``, ``negative``, ``neutral``, ``mixed``
      (any case): your own.

    Lines end at ``\n`` (a ``\r`` before it is dropped) and nowhere else: ``U+0085`` and
    ``U+2028`` occur inside sentences (``str.splitlines()`` would break there).

    Raises:
        ValueError: no format fits every line; the message names ``source`` and the number of
            the first line that fits none, and says why, without quoting its text.
    """
    numbered = [
        (number, line.removesuffix("\r"))
        for number, line in enumerate(content.split("\n"), 1)
        if line.strip()
    ]
    if not numbered:
        raise ValueError(f"{source}: not a labelled set: no text in it")
    for reader in _READERS:
        examples = []
        for _, line in numbered:  # a format that fails a line is not tried on the rest
            example = reader(line)
            if example is None:
                break
            examples.append(example)
        else:
            return examples
    formats = "(id<TAB>rating<TAB>text, text<TAB>0|1 or text<TAB>label)"
    for number, line in numbered:
        if all(reader(line) is None for reader in _READERS):
            raise ValueError(
                f"{source}: not a labelled set {formats}: line {number} fits none, {_why(line)}"
            )
    # Every line fits a format, but not all the same one.
    first = next(reader for reader in _READERS if reader(numbered[0][1]) is not None)
    number = next(number for number, line in numbered if first(line) is None)
    raise ValueError(
        f"{source}: not a labelled set {formats}: line {number} is not in line"
        f" {numbered[0][0]}'s format"
    )


def _why(line: str) -> str:
    """Say what is wrong with a line without quoting its text (feedback may be personal)."""
    fields = line.split("\t")
    if len(fields) == 1:
        return "it has no tab"
    if not fields[0].strip() or not fields[-1].strip():
        return "a field is blank"
    if len(fields) == 2:  # text, label
        return f"its label {fields[1].strip()[:20]!r} is none of {_ACCEPTED}"
    return f"its rating {fields[1].strip()[:20]!r} is not a finite number"


def _named(line: str) -> LabelledText | None:
    return _labelled(line, _WORDS)


def _flagged(line: str) -> LabelledText | None:
    return _labelled(line, _FLAGS)


def _labelled(line: str, labels: Mapping[str, Label]) -> LabelledText | None:
    """``text<TAB>label``, the label one of ``labels`` (any case, blanks around it ignored)."""
    text, tab, raw = line.rpartition("\t")
    label = labels.get(raw.strip().lower())
    if not tab or not text.strip() or label is None:
        return None
    return LabelledText(text=text.strip(), label=label)


def _rated(line: str) -> LabelledText | None:
    fields = line.split("\t", 2)
    if len(fields) != 3 or not fields[2].strip():  # id, rating, text
        return None
    try:
        mean = float(fields[1])
    except ValueError:
        return None
    if not math.isfinite(mean):
        return None
    label = (
        Label.POSITIVE
        if mean >= RATING_BAND
        else Label.NEGATIVE
        if mean <= -RATING_BAND
        else Label.NEUTRAL
    )
    return LabelledText(text=fields[2], label=label)


_READERS: tuple[Callable[[str], LabelledText | None], ...] = (_rated, _flagged, _named)


@attrs.frozen
class Evaluation:
    """An analyzer's answers against people's labels; a metric is None where it has no texts.

    Attributes:
        texts: How many texts.
        strict_accuracy: Strict 2-class accuracy (see the module's docstring).
        polar_called_neutral: The share of polar texts labelled neutral.
        macro_f1: 3-class macro-F1, if some texts are labelled neutral.
        mixed_recall: The share of texts labelled mixed that the analyzer called mixed.
        confusion: How many texts had each (label given, label answered) pair.
    """

    texts: int
    strict_accuracy: float | None
    polar_called_neutral: float | None
    macro_f1: float | None
    mixed_recall: float | None
    confusion: Mapping[tuple[Label, Label], int]

    def count(self, given: Label) -> int:
        """How many texts people gave ``given``."""
        return sum(n for (label, _), n in self.confusion.items() if label is given)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict: the metrics, and the confusion as ``{given: {answered: n}}``."""
        return {
            "texts": self.texts,
            "strictAccuracy": self.strict_accuracy,
            "polarCalledNeutral": self.polar_called_neutral,
            "macroF1": self.macro_f1,
            "mixedRecall": self.mixed_recall,
            "confusion": {
                given.value: {
                    answered.value: self.confusion.get((given, answered), 0) for answered in Label
                }
                for given in Label
                if self.count(given)
            },
        }

    def lines(self) -> list[str]:
        """The metrics and the confusion matrix, for a terminal."""
        given = [label for label in Label if self.count(label)]
        shown = (
            ("strict 2-class accuracy", self.strict_accuracy),
            ("polar texts called neutral", self.polar_called_neutral),
            ("3-class macro-F1", self.macro_f1),
            ("mixed recall", self.mixed_recall),
        )
        lines = [f"  {name:<27} {value:.3f}" for name, value in shown if value is not None]
        lines.append("  given / answered " + "".join(f"{label.value:>10}" for label in Label))
        lines += [
            f"  {label.value:<17}"
            + "".join(f"{self.confusion.get((label, answered), 0):>10,}" for answered in Label)
            for label in given
        ]
        return lines


def score(given: Sequence[Label], answered: Sequence[Label]) -> Evaluation:
    """Compare the labels an analyzer answered with the labels people gave, text by text.

    Raises:
        ValueError: the two sequences differ in length.
    """
    if len(given) != len(answered):
        raise ValueError(f"{len(given)} labels given but {len(answered)} answered")
    pairs = list(zip(given, answered, strict=True))
    confusion: dict[tuple[Label, Label], int] = {}
    for pair in pairs:
        confusion[pair] = confusion.get(pair, 0) + 1
    polar = [(g, a) for g, a in pairs if g in _POLAR]
    mixed = [(g, a) for g, a in pairs if g is Label.MIXED]
    three = [(g, Label.NEUTRAL if a is Label.MIXED else a) for g, a in pairs if g in _THREE]
    return Evaluation(
        texts=len(pairs),
        strict_accuracy=_share(polar, lambda g, a: g is a),
        polar_called_neutral=_share(polar, lambda _, a: a is Label.NEUTRAL),
        macro_f1=_macro_f1(three) if any(g is Label.NEUTRAL for g, _ in three) else None,
        mixed_recall=_share(mixed, lambda _, a: a is Label.MIXED),
        confusion=confusion,
    )


def evaluate(analyzer: SentimentAnalyzer, examples: Sequence[LabelledText]) -> Evaluation:
    """Label every example's text with ``analyzer`` and :func:`score` it against its label."""
    results = analyzer.analyze([example.text for example in examples])
    return score([example.label for example in examples], [result.label for result in results])


def _share(
    pairs: Sequence[tuple[Label, Label]], counts: Callable[[Label, Label], bool]
) -> float | None:
    return sum(counts(g, a) for g, a in pairs) / len(pairs) if pairs else None


def _macro_f1(pairs: Sequence[tuple[Label, Label]]) -> float:
    """The mean over the three labels of F1 (0 where a label has no true positive)."""
    scores = []
    for label in _THREE:
        hits = sum(g is label and a is label for g, a in pairs)
        answered = sum(a is label for _, a in pairs)
        given = sum(g is label for g, _ in pairs)
        precision = hits / answered if answered else 0.0
        recall = hits / given if given else 0.0
        total = precision + recall
        scores.append(2 * precision * recall / total if total else 0.0)
    return sum(scores) / len(scores)
