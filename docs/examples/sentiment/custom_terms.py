"""Teach the offline analyzer your product's words."""

from __future__ import annotations

from feedback_core.sentiment import LexiconSentimentAnalyzer

# Valences run from -4 (worst) to +4 (best); phrases are space-separated words.
analyzer = LexiconSentimentAnalyzer(
    extra_terms={
        "dead pixel": -2.2,
        "ghosting": -1.8,  # for monitors, not for dating apps
        "buttery": 1.8,  # "buttery smooth scrolling"
    }
)


def main() -> list[str]:
    """Label two monitor reviews."""
    results = analyzer.analyze(["A dead pixel out of the box.", "Buttery motion, no ghosting"])
    return [result.label.value for result in results]
