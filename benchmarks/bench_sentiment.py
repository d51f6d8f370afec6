"""Offline sentiment: quality, speed and import cost against VADER, measured in the same run.

Run from the repository root::

    python benchmarks/bench_sentiment.py             # full run (well under a minute)
    python benchmarks/bench_sentiment.py --quick     # fewer timing rounds
    python benchmarks/bench_sentiment.py --dev-errors  # list our mistakes on the DEV split only

The labelled set is ``benchmarks/data/feedback_sentiment.tsv`` (see the README beside it). It is
split into ``dev`` (errors may be inspected and the analyzer tuned on them) and ``test``
(held out: reported, never inspected, never tuned on). This script never prints test errors.

Metrics, per split:

* strict 2-class accuracy: on texts labelled positive or negative, the share labelled exactly
  that; neutral (or mixed) on a clearly polar text counts as wrong;
* polar-as-neutral: on the same texts, the share called neutral;
* 3-class macro-F1 over positive / neutral / negative, on texts labelled one of those three; an
  analyzer's ``mixed`` answer counts as ``neutral`` there (it is neither positive nor negative,
  and a three-way dashboard would show it as neither); texts labelled mixed are left out;
* mixed recall (ours only; VADER has no mixed label) on texts labelled mixed.

VADER's label is the usual reading of its compound score: >= 0.05 positive, <= -0.05 negative,
else neutral (the thresholds its README recommends).
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "feedback_sentiment.tsv"
sys.path.insert(0, str(ROOT / "src"))

LABELS3 = ("positive", "neutral", "negative")
POLAR = ("positive", "negative")


def load_set() -> list[tuple[str, str, str, str]]:
    """Return (id, split, label, text) rows."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == ["id", "split", "label", "text"], header
        return [(row[0], row[1], row[2], row[3]) for row in reader]


def vader_labeler() -> Callable[[Sequence[str]], list[str]]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()

    def label(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            compound = vader.polarity_scores(text)["compound"]
            out.append(
                "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
            )
        return out

    return label


def ours_labeler() -> Callable[[Sequence[str]], list[str]]:
    from feedback_core.sentiment.lexicon import LexiconSentimentAnalyzer

    analyzer = LexiconSentimentAnalyzer()
    return lambda texts: [result.label.value for result in analyzer.analyze(texts)]


def macro_f1(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> float:
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def quality(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    polar = [(g, p) for g, p in zip(gold, predicted, strict=True) if g in POLAR]
    three = [
        (g, "neutral" if p == "mixed" else p)
        for g, p in zip(gold, predicted, strict=True)
        if g in LABELS3
    ]
    mixed = [p for g, p in zip(gold, predicted, strict=True) if g == "mixed"]
    return {
        "strict2": sum(g == p for g, p in polar) / len(polar),
        "polar_neutral": sum(p == "neutral" for _, p in polar) / len(polar),
        "macro_f1_3": macro_f1([g for g, _ in three], [p for _, p in three], LABELS3),
        "mixed_recall": sum(p == "mixed" for p in mixed) / len(mixed) if mixed else 0.0,
        "n_polar": len(polar),
        "n_three": len(three),
        "n_mixed": len(mixed),
    }


def throughputs(
    labelers: dict[str, Callable[[Sequence[str]], list[str]]], texts: list[str], rounds: int
) -> dict[str, float]:
    """Texts per second for each labeler: best of ``rounds`` passes over ``texts``.

    The labelers take turns within each round, so a burst of load on a shared machine hits
    both; a first, untimed pass warms caches (our lexicon, VADER's nothing in particular).
    """
    best = dict.fromkeys(labelers, float("inf"))
    for label in labelers.values():
        label(texts)
    for _ in range(rounds):
        for name, label in labelers.items():
            gc.collect()
            start = time.perf_counter()
            label(texts)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def _child_env() -> dict[str, str]:
    # Let the children write bytecode, and warm it before timing: an installed package (and
    # VADER's, here) imports from cached bytecode, not by compiling its source each time.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


TIMED = (
    "import sys, time\n"
    "sys.path.insert(0, {src!r})\n"
    "{setup}\n"
    "start = time.perf_counter()\n"
    "{code}\n"
    "print(time.perf_counter() - start)\n"
)


def fresh_process_seconds(pairs: dict[str, tuple[str, str]], repeats: int) -> dict[str, float]:
    """Median seconds of each ``(setup, code)``'s ``code``, timed inside fresh interpreters.

    Timing inside the child leaves out interpreter start-up; the entries take turns in each
    repeat so load on a shared machine hits all of them; one warm-up round writes bytecode.
    """
    times: dict[str, list[float]] = {name: [] for name in pairs}
    for attempt in range(repeats + 1):
        for name, (setup, code) in pairs.items():
            completed = subprocess.run(  # noqa: S603  # our own interpreter, fixed code
                [
                    sys.executable,
                    "-c",
                    TIMED.format(src=str(ROOT / "src"), setup=setup, code=code),
                ],
                check=True,
                capture_output=True,
                text=True,
                env=_child_env(),
            )
            if attempt:
                times[name].append(float(completed.stdout.strip()))
    return {name: statistics.median(values) for name, values in times.items()}


def import_time_us(module: str) -> int:
    """Cumulative import time of ``module`` in a fresh interpreter, from ``-X importtime``."""
    env_path = str(ROOT / "src")
    completed = subprocess.run(  # noqa: S603  # our own interpreter, fixed arguments
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            f"import sys; sys.path.insert(0, {env_path!r}); import {module}",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=_child_env(),
    )
    for line in completed.stderr.splitlines():
        parts = [part.strip() for part in line.removeprefix("import time:").split("|")]
        if len(parts) == 3 and parts[2] == module:
            return int(parts[1])
    raise RuntimeError(f"no import time line for {module}")


FIRST_OURS = (
    "from feedback_core.sentiment import LexiconSentimentAnalyzer as A;"
    " A().analyze(['Great app, but slow'])"
)
FIRST_VADER = (
    "from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as A;"
    " A().polarity_scores('Great app, but slow')"
)


def report_import_costs(repeats: int) -> None:
    """Import and first-result costs in fresh interpreters, each against VADER's."""
    print(f"fresh interpreters (median of {repeats}, timed inside the process):")
    rows = [
        ("import", "", "import feedback_core.sentiment", "import vaderSentiment.vaderSentiment"),
        ("first result (import + lexicon + one text)", "", FIRST_OURS, FIRST_VADER),
        # Every feedback_core handler has attrs loaded already (all value types are attrs
        # classes): the sentiment module's own cost is this line. VADER gets the same start.
        ("first result, attrs already imported", "import attrs", FIRST_OURS, FIRST_VADER),
    ]
    for title, setup, ours_code, vader_code in rows:
        medians = fresh_process_seconds(
            {"ours": (setup, ours_code), "VADER": (setup, vader_code)}, repeats
        )
        ours, vader = medians["ours"], medians["VADER"]
        print(
            f"  {title:<44} ours {ours * 1000:6.1f} ms   VADER {vader * 1000:6.1f} ms"
            f"   ratio VADER/ours {vader / ours:5.2f}x"
        )
    ours_us = import_time_us("feedback_core.sentiment")
    vader_us = import_time_us("vaderSentiment.vaderSentiment")
    print(
        f"  {'import, -X importtime cumulative':<44} ours {ours_us / 1000:6.1f} ms"
        f"   VADER {vader_us / 1000:6.1f} ms   ratio VADER/ours {vader_us / ours_us:5.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer timing rounds")
    parser.add_argument(
        "--dev-errors", action="store_true", help="list our mistakes on the dev split only"
    )
    args = parser.parse_args()
    rounds, repeats = (3, 5) if args.quick else (7, 15)

    rows = load_set()
    digest = hashlib.sha256(DATA.read_bytes()).hexdigest()
    print(f"labelled set: {DATA.relative_to(ROOT)} ({len(rows)} texts, sha256 {digest[:16]}...)")
    ours, vader = ours_labeler(), vader_labeler()
    texts = [row[3] for row in rows]
    predicted = {"ours": ours(texts), "VADER": vader(texts)}

    print()
    header = f"{'split':<6} {'analyzer':<8} {'strict 2-class acc':>18} {'polar->neutral':>15}"
    print(header + f" {'3-class macro-F1':>17} {'mixed recall':>13}")
    for split in ("dev", "test", "all"):
        chosen = [i for i, row in enumerate(rows) if split in ("all", row[1])]
        gold = [rows[i][2] for i in chosen]
        for name, labels in predicted.items():
            q = quality(gold, [labels[i] for i in chosen])
            mixed = f"{q['mixed_recall']:>13.3f}" if name == "ours" else f"{'n/a':>13}"
            print(
                f"{split:<6} {name:<8} {q['strict2']:>18.3f} {q['polar_neutral']:>15.3f}"
                f" {q['macro_f1_3']:>17.3f} {mixed}"
            )
    counts = quality([row[2] for row in rows], predicted["ours"])
    print(
        f"(all: {counts['n_polar']:.0f} polar texts, {counts['n_three']:.0f} in the 3-class"
        f" metric, {counts['n_mixed']:.0f} mixed)"
    )

    print()
    speed = throughputs({"ours": ours, "VADER": vader}, texts, rounds)
    print(
        f"throughput  ours {speed['ours']:>9,.0f} texts/s   VADER {speed['VADER']:>9,.0f} texts/s"
    )
    print(f"speed ratio ours/VADER: {speed['ours'] / speed['VADER']:.2f}x")

    print()
    report_import_costs(repeats)

    if args.dev_errors:
        print("\nour mistakes on the dev split (gold -> predicted):")
        for row, label in zip(rows, predicted["ours"], strict=True):
            if row[1] == "dev" and label != row[2]:
                print(f"  {row[0]:<8} {row[2]:>8} -> {label:<8} {row[3]}")


if __name__ == "__main__":
    main()
