"""``feedback-core sentiment evaluate``: the offline analyzer measured on your labelled texts.

``feedback-core sentiment evaluate FILE [FILE ...]`` labels every text of each file with the
offline analyzer and prints the metrics the project publishes (strict 2-class accuracy, polar
texts called neutral, 3-class macro-F1, mixed recall) and the confusion matrix; ``--json``
prints one JSON object per file instead. The formats are those of
:func:`~feedback_core.sentiment.evaluation.read_labelled`. Texts never leave the machine, and
no text is printed: only counts. To measure Comprehend on the same file, call
:func:`~feedback_core.sentiment.evaluation.evaluate` with a ``ComprehendSentimentAnalyzer``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson

if TYPE_CHECKING:
    import argparse

__all__ = ["register", "run"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sentiment`` command (``evaluate``) to the ``feedback-core`` parser."""
    parser = commands.add_parser("sentiment", help="measure the offline analyzer on your texts")
    actions = parser.add_subparsers(dest="sentiment", required=True)
    evaluate = actions.add_parser(
        "evaluate",
        help="score labelled texts (text<TAB>label per line, or a CSV) with the offline analyzer",
    )
    evaluate.add_argument("files", nargs="+", metavar="FILE", help="a labelled file (UTF-8)")
    evaluate.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate each file; exit 0, or 2 if a file cannot be read or is not a labelled set."""
    from feedback_core.sentiment.evaluation import evaluate, read_labelled
    from feedback_core.sentiment.lexicon import LexiconSentimentAnalyzer

    analyzer = LexiconSentimentAnalyzer()
    for file in args.files:
        try:
            examples = read_labelled(file)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            print(f"feedback-core sentiment evaluate: {error}")
            return 2
        result = evaluate(analyzer, examples)
        if args.json:
            document = {"file": file, "analyzer": analyzer.name, **result.to_json()}
            print(orjson.dumps(document).decode())
        else:
            print(f"{file}: {result.texts:,} texts, {analyzer.name} analyzer")
            print("\n".join(result.lines()))
    return 0
