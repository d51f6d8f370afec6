"""Label a batch of feedback offline: no AWS account, no network, no model download."""

from __future__ import annotations

from feedback_core.sentiment import LexiconSentimentAnalyzer

analyzer = LexiconSentimentAnalyzer()  # cheap: the lexicon loads on first use


def main() -> list[str]:
    """Label four texts; return one line per text: label, its score, the text."""
    texts = [
        "Arrived a day early and works perfectly \N{THUMBS UP SIGN}",
        "Good food but the service was painfully slow.",
        "Still waiting for my refund after three weeks!!",
        "",  # blank: the defined neutral result
    ]
    results = analyzer.analyze(texts)  # one result per text, in order
    return [
        f"{result.label.value:<8} {result.scores.of(result.label):.2f} {result.source} {text!r}"
        for text, result in zip(texts, results, strict=True)
    ]
