"""Label free text positive / neutral / negative / mixed, offline or with Amazon Comprehend.

Importing this package is nearly free: the names below load their module on first access
(PEP 562), the offline lexicon loads on first use, and boto3 only when a Comprehend client is
created.

Examples:
    >>> from feedback_core.sentiment import LexiconSentimentAnalyzer
    >>> result = LexiconSentimentAnalyzer().analyze(["Fast delivery, love it!"])[0]
    >>> result.label.value, result.source
    ('positive', 'offline')
"""

from __future__ import annotations

from feedback_core._lazy import lazy_exports

# Not "from typing import TYPE_CHECKING": importing typing would cost more than this whole
# package; type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from feedback_core.sentiment.comprehend import (
        COMPREHEND_LANGUAGES,
        COMPREHEND_REGIONS,
        MAX_BATCH_SIZE,
        MAX_DOCUMENT_BYTES,
        ComprehendSentimentAnalyzer,
        truncate_utf8,
    )
    from feedback_core.sentiment.config import ANALYZER_CHOICES, analyzer_from_env
    from feedback_core.sentiment.evaluation import (
        Evaluation,
        LabelledText,
        evaluate,
        parse_labelled,
        read_labelled,
    )
    from feedback_core.sentiment.fallback import FallbackSentimentAnalyzer
    from feedback_core.sentiment.lexicon import LexiconSentimentAnalyzer
    from feedback_core.sentiment.memory import InMemorySentimentAnalyzer
    from feedback_core.sentiment.ports import (
        COMPREHEND_SOURCE,
        OFFLINE_SOURCE,
        DocumentFailure,
        FallibleSentimentAnalyzer,
        Label,
        SentimentAnalyzer,
        SentimentResult,
        SentimentScores,
        blank_text_result,
        is_blank,
    )

__all__ = [
    "ANALYZER_CHOICES",
    "COMPREHEND_LANGUAGES",
    "COMPREHEND_REGIONS",
    "COMPREHEND_SOURCE",
    "MAX_BATCH_SIZE",
    "MAX_DOCUMENT_BYTES",
    "OFFLINE_SOURCE",
    "ComprehendSentimentAnalyzer",
    "DocumentFailure",
    "Evaluation",
    "FallbackSentimentAnalyzer",
    "FallibleSentimentAnalyzer",
    "InMemorySentimentAnalyzer",
    "Label",
    "LabelledText",
    "LexiconSentimentAnalyzer",
    "SentimentAnalyzer",
    "SentimentResult",
    "SentimentScores",
    "analyzer_from_env",
    "blank_text_result",
    "evaluate",
    "is_blank",
    "parse_labelled",
    "read_labelled",
    "truncate_utf8",
]

_HOMES = {
    "comprehend": (
        "COMPREHEND_LANGUAGES",
        "COMPREHEND_REGIONS",
        "MAX_BATCH_SIZE",
        "MAX_DOCUMENT_BYTES",
        "ComprehendSentimentAnalyzer",
        "truncate_utf8",
    ),
    "config": ("ANALYZER_CHOICES", "analyzer_from_env"),
    "evaluation": ("Evaluation", "LabelledText", "evaluate", "parse_labelled", "read_labelled"),
    "fallback": ("FallbackSentimentAnalyzer",),
    "lexicon": ("LexiconSentimentAnalyzer",),
    "memory": ("InMemorySentimentAnalyzer",),
    "ports": (
        "COMPREHEND_SOURCE",
        "OFFLINE_SOURCE",
        "DocumentFailure",
        "FallibleSentimentAnalyzer",
        "Label",
        "SentimentAnalyzer",
        "SentimentResult",
        "SentimentScores",
        "blank_text_result",
        "is_blank",
    ),
}
__getattr__, __dir__ = lazy_exports(__name__, _HOMES, globals())
