"""The offline analyzer's shipped linear model: rule evidence and words to three labels.

The rules (:mod:`feedback_core.sentiment.lexicon`) measure praise and complaint; this model
weighs that evidence together with the words of the text, and says which of negative, neutral
and positive it reads as. It is a multinomial logistic regression, stored as a plain table in
``data/model.tsv`` (how it was trained, and on what, is written at the top of that file and in
``data/README.md``). Pure Python, and no extra lookup: a word's weights come with its valence
from the analyzer's memo. The table loads on first use.
"""

from __future__ import annotations

import itertools
import math
import operator
import threading
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "DENSE",
    "LinearModel",
    "dense_features",
    "empty_model",
    "format_model",
    "load_model",
    "pack_model",
    "packed_table",
    "parse_model",
    "unpack_model",
]

_MODEL_FILE: Final = "model.tsv"
_PACKED_FILE: Final = "model.bin"
"""``model.tsv`` packed (:func:`pack_model`): parsing the table's ten thousand decimals costs
some 4 ms at a Lambda's first analysis, reading this file about 2 (a test keeps it equal)."""

DENSE: Final = (
    "@bias", "@positive", "@negative", "@both", "@length", "@balance", "@strength", "@request"
)  # fmt: skip
"""Names of the model's dense inputs (see :func:`dense_features`), as the table lists them."""


Weights = tuple[float, float, float]
"""Weights or scores for (negative, neutral, positive)."""


def dense_features(
    evidence: tuple[float, float, float, float], words: int, request: bool
) -> tuple[float, ...]:
    """Return the dense inputs, in :data:`DENSE` order, from the rules' evidence for a text.

    Logarithms keep one very strong word from swamping the rest; ``@both`` is the weaker side's
    raw strength (praise and complaint together), ``@length`` the number of words;
    ``@balance`` is praise less complaint squashed into -1..1 (VADER's normalisation, with its
    alpha of 15) and ``@strength`` its size; ``@request`` is 1 for a question that asks for
    something (``Can I get a refund?``), whose sentiment words the rules damp.

    Args:
        evidence: The rules' (positive, negative, raw positive, raw negative) evidence.
        words: How many tokens the text has.
        request: Whether the text is a request-style question.
    """
    positive, negative, raw_positive, raw_negative = evidence
    net = positive - negative
    balance = net / math.sqrt(net * net + 15.0)
    return (
        1.0,
        math.log1p(positive),
        math.log1p(negative),
        math.log1p(min(raw_positive, raw_negative)),
        math.log1p(words) / 3.0,
        balance,
        abs(balance),
        1.0 if request else 0.0,
    )


class LinearModel:
    """Weights for (negative, neutral, positive): per dense input, and per word.

    A plain class, not an attrs one: building an attrs class costs milliseconds at import, and
    this module is imported with the analyzer; the model is read-only after construction.

    Args:
        dense: One weight triple per name in :data:`DENSE`, in that order.
        weights: Word (a token as the analyzer resolves it, e.g. a merged phrase ``no one``) to
            its weight triple; absent words weigh nothing.

    Raises:
        ValueError: ``dense`` does not have one triple per name in :data:`DENSE`.
    """

    __slots__ = ("_flat", "columns", "dense", "weights")

    def __init__(self, *, dense: Sequence[Weights], weights: Mapping[str, Weights]) -> None:
        """Keep the weights; arrange the dense ones by label for the hot path."""
        if len(dense) != len(DENSE):
            raise ValueError(f"a model needs {len(DENSE)} dense weight triples, not {len(dense)}")
        self.dense: tuple[Weights, ...] = tuple(dense)
        self.weights: Mapping[str, Weights] = weights
        # (negative weights, neutral weights, positive weights), each in DENSE order.
        self.columns: tuple[tuple[float, ...], ...] = tuple(zip(*self.dense, strict=True))
        self._flat: tuple[float, ...] = tuple(itertools.chain.from_iterable(self.columns))

    def probabilities(self, dense: Sequence[float], words: Weights) -> Weights:
        """Return (negative, neutral, positive) probabilities from dense inputs and word sums.

        Args:
            dense: The dense inputs, in :data:`DENSE` order (see :func:`dense_features`).
            words: The sums of the weights of the text's words; the analyzer adds them up as
                it reads the words, from the same lookup that finds their valences.
        """
        columns = self.columns
        negative = sum(map(operator.mul, dense, columns[0]), words[0])
        neutral = sum(map(operator.mul, dense, columns[1]), words[1])
        positive = sum(map(operator.mul, dense, columns[2]), words[2])
        return _softmax(negative, neutral, positive)

    def read(
        self,
        evidence: tuple[float, float, float, float],
        count: int,
        request: bool,
        words: Weights,
    ) -> Weights:
        """Same as ``probabilities(dense_features(evidence, count, request), words)``, faster.

        The analyzer's hot path: the dense inputs and their weighted sums written out as plain
        arithmetic cost about a quarter of the general form (a test keeps the two equal).
        """
        positive, negative, raw_positive, raw_negative = evidence
        net = positive - negative
        balance = net / math.sqrt(net * net + 15.0)
        x1, x2 = math.log1p(positive), math.log1p(negative)
        # min() and max() written out (the same values): the builtins parse keyword arguments.
        x3 = math.log1p(raw_negative if raw_negative < raw_positive else raw_positive)
        x4 = math.log1p(count) / 3.0
        x6 = abs(balance)
        (
            a0, a1, a2, a3, a4, a5, a6, a7,
            b0, b1, b2, b3, b4, b5, b6, b7,
            c0, c1, c2, c3, c4, c5, c6, c7,
        ) = self._flat  # fmt: skip
        negative = words[0] + a0 + a1 * x1 + a2 * x2 + a3 * x3 + a4 * x4 + a5 * balance + a6 * x6
        neutral = words[1] + b0 + b1 * x1 + b2 * x2 + b3 * x3 + b4 * x4 + b5 * balance + b6 * x6
        positive = words[2] + c0 + c1 * x1 + c2 * x2 + c3 * x3 + c4 * x4 + c5 * balance + c6 * x6
        if request:
            negative, neutral, positive = negative + a7, neutral + b7, positive + c7
        # _softmax, written out: one call fewer per text.
        top = neutral if neutral > negative else negative
        top = positive if positive > top else top  # max(negative, neutral, positive)
        e_neg = math.exp(negative - top)
        e_neu = math.exp(neutral - top)
        e_pos = math.exp(positive - top)
        total = e_neg + e_neu + e_pos
        return e_neg / total, e_neu / total, e_pos / total


def _softmax(negative: float, neutral: float, positive: float) -> Weights:
    """Turn three scores into probabilities (shifted by the largest, so exp never overflows)."""
    top = max(negative, neutral, positive)
    e_neg = math.exp(negative - top)
    e_neu = math.exp(neutral - top)
    e_pos = math.exp(positive - top)
    total = e_neg + e_neu + e_pos
    return e_neg / total, e_neu / total, e_pos / total


def parse_model(text: str) -> LinearModel:
    """Parse a model table: ``#`` comments, then ``feature<TAB>w_neg<TAB>w_neu<TAB>w_pos`` lines.

    Raises:
        ValueError: a line is malformed, or a dense input of :data:`DENSE` is missing.
    """
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    # One split and one float() pass over every field, not a split per line: this runs at a
    # Lambda's first analysis, and the table has thousands of rows.
    fields = "\t".join(rows).split("\t")
    if len(fields) != 4 * len(rows):
        raise ValueError("every model table row must be: feature, then three weights")
    values = list(map(float, fields[1::4]))
    neutral = list(map(float, fields[2::4]))
    positive = list(map(float, fields[3::4]))
    weights: dict[str, Weights] = dict(
        zip(fields[0::4], zip(values, neutral, positive, strict=True), strict=True)
    )
    missing = [name for name in DENSE if name not in weights]
    if missing:
        raise ValueError(f"the model table lacks the dense inputs {missing}")
    return LinearModel(dense=tuple(weights.pop(name) for name in DENSE), weights=weights)


def format_model(model: LinearModel, header: Sequence[str]) -> str:
    """Write ``model`` as a table :func:`parse_model` reads, ``header`` lines as comments first.

    A word feature starting with ``#`` (the lone ``#`` token) is left out: its row would read
    as a comment, so the table would claim a weight the analyzer never uses.
    """
    lines = [f"# {line}".rstrip() for line in header]
    words = sorted((name, w) for name, w in model.weights.items() if not name.startswith("#"))
    rows = [*zip(DENSE, model.dense, strict=True), *words]
    lines += [f"{name}\t{w[0]:.3g}\t{w[1]:.3g}\t{w[2]:.3g}" for name, w in rows]
    return "\n".join(lines) + "\n"


def pack_model(model: LinearModel) -> bytes:
    """Pack ``model`` for :func:`unpack_model`: names (dense inputs first), then the weights."""
    from feedback_core.sentiment._tables import pack

    names = [*DENSE, *model.weights]
    values = [w for triple in (*model.dense, *model.weights.values()) for w in triple]
    return pack(names, values)


def packed_table() -> bytes:
    """``model.tsv`` as the analyzer reads it (rounding and all), packed for ``model.bin``."""
    from feedback_core.sentiment._tables import data_text

    return pack_model(parse_model(data_text(_MODEL_FILE)))


def unpack_model(names: Sequence[str], values: Sequence[float]) -> LinearModel:
    """Build the model :func:`pack_model` packed, from the names and numbers read back.

    Raises:
        ValueError: the numbers are not three per name, or the dense inputs do not come first.
    """
    if len(values) != 3 * len(names) or tuple(names[: len(DENSE)]) != DENSE:
        raise ValueError("a packed model needs the dense inputs first and three weights a name")
    triples = iter(values)
    # One iterator three times: consecutive triples (lengths checked above).
    rows = zip(triples, triples, triples, strict=False)
    weights: dict[str, Weights] = dict(zip(names, rows, strict=True))
    return LinearModel(dense=tuple(weights.pop(name) for name in DENSE), weights=weights)


def empty_model() -> LinearModel:
    """Return a model with no weights at all (every text reads as a three-way tie)."""
    return LinearModel(dense=tuple((0.0, 0.0, 0.0) for _ in DENSE), weights={})


_default: LinearModel | None = None
_lock = threading.Lock()


def load_model() -> LinearModel:
    """Return the shipped model, read from the package data on first call."""
    global _default  # noqa: PLW0603  # a process-wide, lazily loaded, read-only cache
    if _default is None:
        with _lock:
            if _default is None:
                # Loads attrs: on first use, not at import.
                from feedback_core.sentiment._tables import data_text, read_packed

                packed = read_packed(_PACKED_FILE)
                _default = (
                    parse_model(data_text(_MODEL_FILE)) if packed is None else unpack_model(*packed)
                )
    return _default
