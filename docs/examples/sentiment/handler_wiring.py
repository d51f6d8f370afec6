"""What a handler does with sentiment: build the analyzer once, label, store Decimal scores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from feedback_core.attributes import to_attribute
from feedback_core.sentiment import analyzer_from_env

if TYPE_CHECKING:
    from collections.abc import Sequence

    from feedback_core.sentiment import SentimentAnalyzer, SentimentResult

# Once per process, at cold start: SENTIMENT_ANALYZER=offline|comprehend|comprehend-strict,
# COMPREHEND_REGION, COMPREHEND_LANGUAGE. A wrong setting fails here, not per request.
ANALYZER: SentimentAnalyzer = analyzer_from_env()


def sentiment_update(feedback_id: str, result: SentimentResult) -> dict[str, Any]:
    """Return UpdateItem arguments that store ``result`` on a feedback item.

    The attributes are ``sentiment``, ``sentimentScores`` (a map of Decimals, 4 places) and
    ``sentimentSource``; ``to_attribute`` refuses floats, and there are none.
    """
    attributes = result.to_attributes()
    # SET each attribute from a named placeholder pair: #a0 = :v0, #a1 = :v1, ...
    names = {f"#a{i}": name for i, name in enumerate(attributes)}
    values = {f":v{i}": to_attribute(value) for i, value in enumerate(attributes.values())}
    assignments = ", ".join(f"#a{i} = :v{i}" for i in range(len(attributes)))
    return {
        "Key": {"feedbackId": {"S": feedback_id}},
        "UpdateExpression": f"SET {assignments}",
        # Only label feedback that exists; never create a bare item from a late stream record.
        "ConditionExpression": "attribute_exists(#key)",
        "ExpressionAttributeNames": {**names, "#key": "feedbackId"},
        "ExpressionAttributeValues": values,
    }


def label_batch(items: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Label ``(feedbackId, message)`` pairs in one call; return one UpdateItem each."""
    results = ANALYZER.analyze([message for _, message in items])
    return [
        sentiment_update(feedback_id, result)
        for (feedback_id, _), result in zip(items, results, strict=True)
    ]
