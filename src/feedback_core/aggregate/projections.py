"""Projections: pure functions from one item image to the counter contributions it makes.

A projection answers "what does this item add to the counters?". The fold (see
:mod:`feedback_core.aggregate.fold`) does the rest: an INSERT adds the new image's
contributions, a REMOVE subtracts the old image's, a MODIFY adds the difference. So a projection
never needs to know about events, retries or deletes, and counters always equal the sum of the
projection over the items in the table.

Counter layout. A :class:`CounterKey` names one counter item: its ``group`` (the unit a read
fetches, e.g. one poll) and its ``name`` inside the group. Each contribution adds an amount to
one flat *field* of that item. The built-in projections use:

=========================  ==================  ==============================================
group                      item name           fields
=========================  ==================  ==============================================
``poll#<pollId>``          ``tally``           ``choice:<choice>``
``feedback``               ``total``           ``count``, ``rated``, ``ratingSum``,
                                               ``rating:<n>``, ``sentiment:<label>``
``feedback``               ``day:<YYYY-MM-DD>``  ``count``, ``rated``, ``ratingSum``
``survey#<surveyId>``      ``total``           ``responses``
``survey#<surveyId>``      ``question:<id>``   ``answered``, ``sum``, ``n:<number>``,
                                               ``s:<text>``, ``b:true``/``b:false``, ``other``
=========================  ==================  ==============================================

Examples:
    >>> tally = vote_tally()
    >>> [(c.counter.group, c.field, c.amount) for c in tally({"pollId": "p1", "choice": "yes"})]
    [('poll#p1', 'choice:yes', 1)]
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from feedback_core.aggregate.ports import RESERVED_PREFIX, Amount, Contribution, CounterKey

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from feedback_core.aggregate.ports import Projection
    from feedback_core.attributes import Value

__all__ = [
    "FEEDBACK_GROUP",
    "RESERVED_PREFIX",
    "Amount",
    "Contribution",
    "CounterKey",
    "FunctionProjection",
    "combine",
    "feedback_stats",
    "number_label",
    "poll_group",
    "projection",
    "survey_distribution",
    "survey_group",
    "vote_tally",
]

FEEDBACK_GROUP = "feedback"
"""The counter group :func:`feedback_stats` writes by default."""


@attrs.frozen
class FunctionProjection:
    """A :class:`Projection` made from a plain function and a name.

    Attributes:
        name: The projection's stable identifier.
        contribute: The function from an image to its contributions.
    """

    name: str
    contribute: Callable[[Mapping[str, Value]], Iterable[Contribution]]

    def __call__(self, image: Mapping[str, Value], /) -> Iterable[Contribution]:
        """Return the contributions of ``image``."""
        return self.contribute(image)


def projection(
    name: str,
) -> Callable[[Callable[[Mapping[str, Value]], Iterable[Contribution]]], FunctionProjection]:
    """Turn a function into a named projection (a decorator).

    Args:
        name: The projection's stable identifier; it keys the progress markers.

    Returns:
        A decorator that wraps the function in a :class:`FunctionProjection`.

    Examples:
        >>> @projection("orders-by-country")
        ... def orders(image):
        ...     country = image.get("country")
        ...     if isinstance(country, str):
        ...         yield Contribution(counter=CounterKey(group="orders", name="by-country"),
        ...                            field=f"country:{country}")
        >>> [c.field for c in orders({"country": "NZ"})]
        ['country:NZ']
    """

    def wrap(
        function: Callable[[Mapping[str, Value]], Iterable[Contribution]],
    ) -> FunctionProjection:
        return FunctionProjection(name, function)

    return wrap


def combine(*projections: Projection, name: str | None = None) -> FunctionProjection:
    """Run several projections over the same image (one stream feeding several read models).

    Args:
        *projections: The projections, all applied to each image.
        name: The combined name; by default the parts' names joined with ``+``.

    Returns:
        A projection yielding every part's contributions.
    """
    parts = tuple(projections)

    def contribute(image: Mapping[str, Value]) -> Iterator[Contribution]:
        for part in parts:
            yield from part(image)

    return FunctionProjection(name or "+".join(p.name for p in parts), contribute)


def poll_group(poll_id: str) -> str:
    """Return the counter group of one poll's tally."""
    return f"poll#{poll_id}"


def survey_group(survey_id: str) -> str:
    """Return the counter group of one survey's answer distribution."""
    return f"survey#{survey_id}"


def number_label(number: int | Decimal) -> str:
    """Return the canonical text of a numeric answer: ``4``, ``4.5`` (never ``4.50``, ``1E+2``).

    Examples:
        >>> number_label(Decimal("4.50")), number_label(Decimal("1E+2")), number_label(7)
        ('4.5', '100', '7')
    """
    if isinstance(number, int):
        return str(number)
    normalized = number.normalize()
    if normalized == normalized.to_integral_value():
        return str(int(normalized))
    return format(normalized, "f")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def vote_tally() -> FunctionProjection:
    """Count votes per poll and choice: a vote item contributes ``+1`` to ``choice:<choice>``.

    Items without a string ``pollId`` and ``choice`` contribute nothing. Under the dedup
    *replace* policy a changed vote arrives as a MODIFY, which the fold turns into ``-1`` on the
    old choice and ``+1`` on the new one.

    Returns:
        The ``vote-tally`` projection.
    """

    def contribute(image: Mapping[str, Value]) -> Iterator[Contribution]:
        poll_id = image.get("pollId")
        choice = image.get("choice")
        if isinstance(poll_id, str) and isinstance(choice, str):
            yield Contribution(
                counter=CounterKey(group=poll_group(poll_id), name="tally"),
                field=f"choice:{choice}",
            )

    return FunctionProjection("vote-tally", contribute)


def feedback_stats(*, group: str = FEEDBACK_GROUP) -> FunctionProjection:
    """Count feedback: totals, rating sum and histogram, sentiment labels and per-day counts.

    A feedback item (one with a string ``feedbackId``) contributes ``count`` +1; with an integer
    ``rating`` also ``rated`` +1, ``ratingSum`` +rating and ``rating:<n>`` +1; with a string
    ``sentiment`` also ``sentiment:<label>`` +1; and, keyed by the first ten characters of
    ``createdAt``, ``count``, ``rated`` and ``ratingSum`` on the day's item. When sentiment lands
    later (a MODIFY that only adds ``sentiment``), only the sentiment field changes.

    Args:
        group: The counter group to write, e.g. one per tenant.

    Returns:
        The ``feedback-stats`` projection.
    """
    total = CounterKey(group=group, name="total")

    def contribute(image: Mapping[str, Value]) -> Iterator[Contribution]:
        if not isinstance(image.get("feedbackId"), str):
            return
        rating = image.get("rating")
        rated = _is_int(rating)
        created = image.get("createdAt")
        day = (
            CounterKey(group=group, name=f"day:{created[:10]}")
            if isinstance(created, str) and len(created) >= 10
            else None
        )
        yield Contribution(counter=total, field="count")
        if day is not None:
            yield Contribution(counter=day, field="count")
        if rated:
            assert isinstance(rating, int)
            yield Contribution(counter=total, field="rated")
            yield Contribution(counter=total, field="ratingSum", amount=rating)
            yield Contribution(counter=total, field=f"rating:{rating}")
            if day is not None:
                yield Contribution(counter=day, field="rated")
                yield Contribution(counter=day, field="ratingSum", amount=rating)
        sentiment = image.get("sentiment")
        if isinstance(sentiment, str) and sentiment:
            yield Contribution(counter=total, field=f"sentiment:{sentiment}")

    return FunctionProjection(
        "feedback-stats" if group == FEEDBACK_GROUP else f"feedback-stats:{group}", contribute
    )


def _answer_fields(answer: Value, max_length: int) -> tuple[list[str], Amount | None]:
    """Return the distribution fields one answer adds, and its numeric value if it has one."""
    if isinstance(answer, bool):
        return [f"b:{'true' if answer else 'false'}"], None
    if isinstance(answer, int | Decimal):
        return [f"n:{number_label(answer)}"], answer
    if isinstance(answer, str):
        return ([f"s:{answer}"] if 0 < len(answer) <= max_length else ["other"]), None
    if isinstance(answer, list):
        fields: list[str] = []
        for choice in dict.fromkeys(a for a in answer if isinstance(a, str | int | Decimal)):
            if isinstance(choice, bool):
                continue
            if isinstance(choice, str):
                fields.append(f"s:{choice}" if 0 < len(choice) <= max_length else "other")
            else:
                fields.append(f"n:{number_label(choice)}")
        return fields, None
    return ["other"], None


def survey_distribution(*, max_answer_length: int = 100) -> FunctionProjection:
    """Count survey answers per survey, question and answer.

    A response (an item with a string ``surveyId`` and a map ``answers``) contributes
    ``responses`` +1 on the survey's ``total`` item and, for each question, ``answered`` +1 on
    the ``question:<id>`` item plus one field per answer: ``n:<number>`` (and the number added
    to ``sum``), ``s:<text>``, ``b:true``/``b:false``; each distinct string or number of a list
    answer (multiple choice) counts once. Strings longer than ``max_answer_length`` (free text)
    and other shapes count under ``other``, so that free text cannot grow a counter item past
    DynamoDB's 400 KB item limit.

    Args:
        max_answer_length: The longest string answer tallied by its text.

    Returns:
        The ``survey-distribution`` projection.
    """

    def contribute(image: Mapping[str, Value]) -> Iterator[Contribution]:
        survey_id = image.get("surveyId")
        answers = image.get("answers")
        if not isinstance(survey_id, str) or not isinstance(answers, dict):
            return
        group = survey_group(survey_id)
        yield Contribution(counter=CounterKey(group=group, name="total"), field="responses")
        for question_id, answer in answers.items():
            question = CounterKey(group=group, name=f"question:{question_id}")
            yield Contribution(counter=question, field="answered")
            fields, numeric = _answer_fields(answer, max_answer_length)
            for field in fields:
                yield Contribution(counter=question, field=field)
            if numeric is not None:
                yield Contribution(counter=question, field="sum", amount=numeric)

    return FunctionProjection("survey-distribution", contribute)
