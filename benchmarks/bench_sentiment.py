"""Offline sentiment: quality, speed and import cost against VADER, measured in the same run.

Run from the repository root::

    python benchmarks/bench_sentiment.py             # full run (about a minute)
    python benchmarks/bench_sentiment.py --quick     # fewer timing rounds
    python benchmarks/bench_sentiment.py --data DIR  # the public development sets (see below)
    python benchmarks/bench_sentiment.py --eval FILE # and a labelled set of yours, scored whole
    python benchmarks/bench_sentiment.py --dev-errors  # list our mistakes on the DEV split only
    python benchmarks/bench_sentiment.py --train     # retrain data/model.tsv (tuning parts only)
    python benchmarks/bench_sentiment.py --folds     # the shipped settings on clean folds
    python benchmarks/bench_sentiment.py --cross-set # each set scored by a model not trained on it
    python benchmarks/bench_sentiment.py --cross-domain  # movie reviews, by a model that saw none

Two kinds of labelled data:

* the project's own set, ``benchmarks/data/feedback_sentiment.tsv`` (see the README beside it),
  split into ``dev`` (errors may be inspected and the analyzer tuned on them) and ``test``
  (held out: reported, never inspected, never tuned on). It is a regression check: it was
  written by the same hands as the analyzer;
* public, human-labelled development sets nobody here wrote, read from ``--data DIR``
  (default: ``shared/data/sentiment-dev`` beside or above the repository, if it exists; never
  copied into the repository). Each set is split by a hash of each text into a ``tune`` part
  (60 %: the model is trained and the rules tuned on it) and a ``held-out`` part (40 %:
  reported, never inspected); see :func:`part_of`. The split was fixed before any tuning;
* any other labelled set: files in ``--data DIR`` besides the development sets, and each
  ``--eval FILE``, in the formats :func:`read_labelled` names (the two collections' own,
  ``text<TAB>label``, or a CSV with ``text`` and ``label`` columns). They trained nothing, so
  each is scored whole, against VADER, with its speed; their errors are never printed.

This script never prints held-out or test errors.

Metrics, per split:

* strict 2-class accuracy: on texts labelled positive or negative, the share labelled exactly
  that; neutral (or mixed) on a clearly polar text counts as wrong;
* polar-as-neutral: on the same texts, the share called neutral;
* 3-class macro-F1 over positive / neutral / negative, on texts labelled one of those three; an
  analyzer's ``mixed`` answer counts as ``neutral`` there (it is neither positive nor negative,
  and a three-way dashboard would show it as neither); texts labelled mixed are left out; a set
  without a neutral band (``uci_imdb``) has no macro-F1;
* mixed recall (ours only; VADER has no mixed label) on texts labelled mixed.

VADER's label is the usual reading of its compound score: >= 0.05 positive, <= -0.05 negative,
else neutral (the thresholds its README recommends). A rating set's text is positive if its mean
rating is >= +0.2, negative if <= -0.2, else neutral (the +/-0.05 band of VADER's paper on r/4).

The module is over 500 lines because it holds the trainer of the shipped model too: the trainer
must read the same sets through the same split, and one file keeps them from drifting apart.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import itertools
import math
import operator
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Sequence

    from feedback_core.sentiment._model import LinearModel

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data" / "feedback_sentiment.tsv"
MODEL = ROOT / "src" / "feedback_core" / "sentiment" / "data" / "model.tsv"
DEV_DATA_NAME = Path("shared") / "data" / "sentiment-dev"
DEV_DATA_CANDIDATES = (ROOT.parent / DEV_DATA_NAME, ROOT.parent.parent / DEV_DATA_NAME)
sys.path.insert(0, str(ROOT / "src"))

# name -> (file, kind): "binary" is sentence<TAB>0|1; "rating" is id<TAB>mean rating<TAB>text.
DEV_SETS = {
    "uci_imdb": ("uci_imdb_labelled.txt", "binary"),
    "tweets": ("tweets_GroundTruth.txt", "rating"),
    "movie_snippets": ("movieReviewSnippets_GroundTruth.txt", "rating"),
    "nyt_editorial": ("nytEditorialSnippets_GroundTruth.txt", "rating"),
}
TUNE_SHARE = 60
"""Percent of each development set in the tuning part; the rest is held out."""


def load_set() -> list[tuple[str, str, str, str]]:
    """Return (id, split, label, text) rows."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        assert header == ["id", "split", "label", "text"], header
        return [(row[0], row[1], row[2], row[3]) for row in reader]


def part_of(text: str) -> str:
    """Return ``"tune"`` or ``"held-out"`` for a development text: fixed by a hash of the text.

    The first 8 bytes of the SHA-256 of the UTF-8 text, as a big-endian number, modulo 100:
    below :data:`TUNE_SHARE` is tuning. It depends on nothing but the text, so it cannot drift.
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "tune" if int.from_bytes(digest[:8], "big") % 100 < TUNE_SHARE else "held-out"


def find_dev_data(given: str | None) -> Path | None:
    """Return the development-set folder: ``given``, else the first default that exists."""
    if given:
        return Path(given)
    return next((folder for folder in DEV_DATA_CANDIDATES if folder.is_dir()), None)


def load_dev_sets(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """Return each development set as (text, label) pairs, in file order.

    Raises SystemExit naming the missing files: the model's trainer and the split need all four.
    """
    missing = missing_dev_sets(folder)
    if missing:
        raise SystemExit(f"{folder}: missing development sets {', '.join(missing)}")
    return {name: read_labelled(folder / file) for name, (file, _) in DEV_SETS.items()}


def missing_dev_sets(folder: Path) -> list[str]:
    """The development sets' files that ``folder`` lacks."""
    return [file for file, _ in DEV_SETS.values() if not (folder / file).is_file()]


def read_labelled(path: Path) -> list[tuple[str, str]]:
    """A labelled set as (text, label) pairs: the library's reader, so a team's file is read the
    same way by ``feedback-core sentiment evaluate`` (formats in
    :func:`feedback_core.sentiment.evaluation.read_labelled`). Raises ValueError naming the
    file and its first line that fits no format."""
    from feedback_core.sentiment.evaluation import read_labelled as read

    return [(example.text, example.label.value) for example in read(path)]


def other_sets(folder: Path) -> tuple[dict[str, list[tuple[str, str]]], list[str]]:
    """Every labelled set in ``folder`` but the development sets, and the files skipped.

    Named by file, without ``_labelled`` or ``_GroundTruth``. These sets trained nothing (the
    model learned from the development sets' tuning parts only), so each is scored whole.
    """
    known = {file for file, _ in DEV_SETS.values()}
    sets: dict[str, list[tuple[str, str]]] = {}
    skipped: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.name in known or path.suffix not in (".txt", ".tsv", ".csv") or not path.is_file():
            continue
        try:
            sets[set_name(path, sets)] = read_labelled(path)
        except (ValueError, UnicodeDecodeError):
            skipped.append(path.name)
    return sets, skipped


def set_name(path: Path, taken: Container[str] = ()) -> str:
    """``amazon_cells_labelled.txt`` is ``amazon_cells``; ``x_GroundTruth.txt`` is ``x``; the
    file's whole name (``x.tsv``) if that name is ``taken`` by another set already."""
    name = path.stem.removesuffix("_labelled").removesuffix("_GroundTruth")
    return path.name if name in taken else name


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


def quality(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """The library's metrics (:func:`feedback_core.sentiment.evaluation.score`) as a dict; a
    metric with no texts is NaN (macro-F1 of a set with no neutral band, mixed recall of a set
    with no mixed text), and never enters a set's score."""
    from feedback_core.sentiment.evaluation import score
    from feedback_core.sentiment.ports import Label

    result = score([Label(g) for g in gold], [Label(p) for p in predicted])
    given = {label.value: result.count(label) for label in Label}
    return {
        "strict2": _or_nan(result.strict_accuracy),
        "polar_neutral": _or_nan(result.polar_called_neutral),
        "macro_f1_3": _or_nan(result.macro_f1),
        "mixed_recall": _or_nan(result.mixed_recall),
        "n_polar": given["positive"] + given["negative"],
        "n_three": given["positive"] + given["negative"] + given["neutral"],
        "n_mixed": given["mixed"],
    }


def _or_nan(value: float | None) -> float:
    return math.nan if value is None else value


def set_score(gold: Sequence[str], q: dict[str, float]) -> float:
    """A set's score from its :func:`quality`: the mean of strict 2-class accuracy and 3-class
    macro-F1, or strict 2-class alone where the set has no neutral band (the brief's criterion)."""
    return (q["strict2"] + q["macro_f1_3"]) / 2 if "neutral" in gold else q["strict2"]


FIRST_PASS_ROUNDS = 3
BLOCK = 200
"""Texts per timed block: each block is timed for one labeler, then at once for the other."""


def _paired_pass(
    labelers: dict[str, Callable[[Sequence[str]], list[str]]], texts: list[str]
) -> dict[str, float]:
    """CPU seconds each labeler spends on one pass over ``texts``, the passes interleaved.

    The texts are walked in blocks of :data:`BLOCK`, and every labeler is timed on each block in
    turn, the first one alternating: the labelers meet the same machine within milliseconds.
    """
    spent = dict.fromkeys(labelers, 0.0)
    order = list(labelers.items())
    clock = time.process_time
    for number, start in enumerate(range(0, len(texts), BLOCK)):
        block = texts[start : start + BLOCK]
        for name, label in order if number % 2 else order[::-1]:
            began = clock()
            label(block)
            spent[name] += clock() - began
    return spent


def throughputs(
    labelers: dict[str, Callable[[Sequence[str]], list[str]]], texts: list[str], rounds: int
) -> dict[str, float]:
    """Texts per CPU second for each labeler: best of ``rounds`` warm passes over ``texts``.

    Timed in CPU time (``time.process_time``): on a shared machine other processes steal wall
    time, not this process's CPU time. They still move CPU time (shared caches, the clock
    frequency), by up to half between passes a second apart on these machines, so the passes
    are paired block by block (:func:`_paired_pass`): a slow spell costs both labelers. A first,
    untimed pass warms caches: our token and chunk memos then know every text's words, as in a
    long-lived process that has read these texts before (see :func:`first_pass_throughputs`).
    """
    for label in labelers.values():
        label(texts)
    return _best_rates(texts, rounds, lambda: labelers)


def first_pass_throughputs(texts: list[str], rounds: int) -> dict[str, float]:
    """Texts per CPU second on a fresh analyzer's first pass: no text's words are memoised yet.

    The worst case for our memos (a new process reading only texts it has never seen); the
    bundled lexicon is loaded before timing, as it is once per process. Best of ``rounds``.
    """
    return _best_rates(texts, rounds, lambda: {"ours": ours_labeler(), "VADER": vader_labeler()})


STREAM_STRETCHES = (1_000, 3_000, 10_000)
"""Where the stream of :func:`stream_throughputs` is cut: texts 1-1,000, 1,001-3,000, ..."""


def stream_throughputs(texts: list[str], rounds: int) -> list[tuple[int, int, dict[str, float]]]:
    """Texts per CPU second of a fresh analyzer reading one long stream, stretch by stretch.

    Between the two cases above: a new process that goes on reading new texts, as a Lambda
    function does for its life. Every text is new, but its words less and less so. Each round
    starts fresh analyzers and times them on every stretch in turn (cut at
    :data:`STREAM_STRETCHES`); each stretch keeps its best of ``rounds``. Returns (first text,
    last text, rates) per stretch.
    """
    bounds = [0, *(cut for cut in STREAM_STRETCHES if cut < len(texts)), len(texts)]
    stretches = list(itertools.pairwise(bounds))
    best: list[dict[str, float]] = [{} for _ in stretches]
    for _ in range(rounds):
        labelers = {"ours": ours_labeler(), "VADER": vader_labeler()}
        gc.collect()
        for fastest, (start, end) in zip(best, stretches, strict=True):
            for name, seconds in _paired_pass(labelers, texts[start:end]).items():
                fastest[name] = min(fastest.get(name, float("inf")), seconds)
    return [
        (start + 1, end, {name: (end - start) / seconds for name, seconds in fastest.items()})
        for (start, end), fastest in zip(stretches, best, strict=True)
    ]


def _best_rates(
    texts: list[str],
    rounds: int,
    labelers_for: Callable[[], dict[str, Callable[[Sequence[str]], list[str]]]],
) -> dict[str, float]:
    """Texts per CPU second of each labeler's fastest of ``rounds`` paired passes; each round
    times the labelers ``labelers_for()`` returns (the same ones, or fresh ones)."""
    best: dict[str, float] = {}
    for _ in range(rounds):
        labelers = labelers_for()
        gc.collect()
        for name, seconds in _paired_pass(labelers, texts).items():
            best[name] = min(best.get(name, float("inf")), seconds)
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
    "start = time.process_time()\n"
    "{code}\n"
    "print(time.process_time() - start)\n"
)


def fresh_process_seconds(pairs: dict[str, tuple[str, str]], repeats: int) -> dict[str, float]:
    """Median CPU seconds of each ``(setup, code)``'s ``code``, timed inside fresh interpreters.

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
    print(f"fresh interpreters (median of {repeats}, CPU time inside the process):")
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


# -- the shipped model's trainer ---------------------------------------------------------------

CLASSES = ("negative", "neutral", "positive")
MIN_TEXTS = 5
"""A word becomes a feature only if at least this many training texts contain it ...

Chosen with WORD_L2 on the inner split (fourth pass; see :func:`select` and docs/performance.md):
against the earlier 3, the best eligible inner score is higher at every word L2 that has one
(3e-4 to 3e-3), and the table ships about a fifth fewer words."""
MIN_SOURCES = 2
"""... in at least this many of the training sources: no set's own names or jargon.

3 was tried on the inner split (word L2 1e-3 to 3e-2) and scored lower at each of them."""
WORD_L2, DENSE_L2 = 3e-4, 1e-5
"""L2 penalties on word and dense weights. WORD_L2 was chosen on the inner split from 1e-4,
3e-4, 1e-3 (the earlier value), 3e-3, 1e-2 and 3e-2: stronger penalties raised tweets and NYT
a little and lowered UCI and movie snippets more; 1e-4 lowered tweets by about 0.04. The most
regularised setting was not the best: the words carry signal the rules lack."""
ITERATIONS, STEP = 300, 0.05
"""Full-batch Adam steps and step size. ITERATIONS (early stopping) was read at 50, 100, ...,
300 on the inner split; at WORD_L2 3e-4 the inner mean peaks at 150 (0.6949, shift 0.15) and
300 scores 0.6923, but every eligible setting scoring higher breaks a behaviour the unit tests
pin (a strongly mixed review reads as mixed; a text with no sentiment word stays neutral), so
300 was kept."""
NEUTRAL_SHIFT = 0.3
"""Added to the neutral bias after fitting: a text with no evidence either way reads as neutral.
Tried on the inner split at -0.15, 0, 0.15, 0.3 and 0.45; at the chosen L2, 0.15 and 0 (slightly
higher on the mean) break the pinned mixed test, 0 the non-English neutral one too; 0.3 kept.
(-0.15 was tried at word L2 1e-4 and 3e-4 only, 0.45 at 1e-3 and above only.)"""
CHECKPOINT_EVERY = 50
PRUNE = 0.02
"""Words whose weights all lie within this of their mean are left out of the table."""

MODEL_HEADER = (
    "feedback_core offline sentiment model: multinomial logistic regression over the rules'",
    "evidence (the @ inputs, see feedback_core/sentiment/_model.py) and the words of a text.",
    "Written by `python benchmarks/bench_sentiment.py --train`; do not edit by hand.",
    "Trained on the TUNING parts (60 %, by SHA-256 of the text) of the public development sets,",
    "each source weighted equally:",
    "  UCI Sentiment Labelled Sentences, imdb_labelled.txt (Kotzias, Denil, de Freitas, Smyth,",
    "    KDD 2015), CC BY 4.0;",
    "  VADER ground truth: tweets, movie review snippets, NYT editorial snippets (Hutto and",
    "    Gilbert, ICWSM 2014; vaderSentiment repository), MIT, Copyright (c) 2016 C.J. Hutto;",
    "and the dev split of benchmarks/data/feedback_sentiment.tsv (this project, MIT).",
    "The rules' lexicon: VADER's (MIT), Pattern's (pattern_lexicon.tsv, PDDL), the project's.",
    "Words kept: in >= 5 training texts from >= 2 of those sources. Licence of this table: MIT,",
    "with the attributions above (CC BY 4.0 asks for credit of the UCI set; see data/README.md).",
)


Example = tuple[str, tuple[float, ...], list[str], int]
"""A training text: (source, dense inputs, its distinct words, class index in CLASSES)."""


def tune_sources(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """The training texts, by source: each development set's tuning part, the project's dev half."""
    sources = {
        name: [pair for pair in pairs if part_of(pair[0]) == "tune"]
        for name, pairs in load_dev_sets(folder).items()
    }
    sources["project"] = [
        (text, label) for _, split, label, text in load_set() if split == "dev" and label != "mixed"
    ]
    return sources


def training_examples(sources: dict[str, list[tuple[str, str]]]) -> list[Example]:
    """(source, dense inputs, words, class) for every text of ``sources``."""
    from feedback_core.sentiment._model import empty_model
    from feedback_core.sentiment.lexicon import LexiconSentimentAnalyzer

    analyzer = LexiconSentimentAnalyzer(model=empty_model())
    examples = []
    for name, pairs in sources.items():
        for text, label in pairs:
            dense, words = analyzer.features(text)
            examples.append((name, dense, sorted(set(words)), CLASSES.index(label)))
    return examples


def vocabulary_of(
    examples: Sequence[Example], min_texts: int = MIN_TEXTS, min_sources: int = MIN_SOURCES
) -> list[str]:
    """The candidate words: in at least ``min_texts`` texts from ``min_sources`` sources."""
    texts: dict[str, int] = {}
    sources: dict[str, set[str]] = {}
    for source, _, words, _ in examples:
        for word in words:
            texts[word] = texts.get(word, 0) + 1
            sources.setdefault(word, set()).add(source)
    return sorted(w for w in texts if texts[w] >= min_texts and len(sources[w]) >= min_sources)


def fit(  # one plain loop: full-batch Adam, no numerical library
    examples: Sequence[tuple[str, tuple[float, ...], list[str], int]],
    vocabulary: list[str],
    *,
    word_l2: float = WORD_L2,
    iterations: int = ITERATIONS,
    checkpoint: Callable[[int, list[list[float]], dict[str, list[float]]], None] | None = None,
) -> tuple[list[list[float]], dict[str, list[float]]]:
    """Fit dense and word weights by full-batch Adam on the weighted cross-entropy + L2.

    ``checkpoint(step, dense, words)``, if given, sees the weights after every
    :data:`CHECKPOINT_EVERY` steps (for choosing :data:`ITERATIONS` on the inner split; it must
    not keep them: they go on changing). The loop is written out for speed (about twice the
    plain form's) and does the same floating-point operations in the same order, so it gives
    the same weights to the last bit.
    """
    index = {word: i for i, word in enumerate(vocabulary)}
    sizes: dict[str, int] = {}
    for source, *_ in examples:
        sizes[source] = sizes.get(source, 0) + 1
    # Every source weighs the same in total, whatever its size; weights average to 1.
    scale = len(examples) / len(sizes)
    rows = [
        (dense, [index[w] for w in words if w in index], label, scale / sizes[source])
        for source, dense, words, label in examples
    ]
    n_dense, n = len(rows[0][0]), len(rows)
    params = [[0.0] * 3 for _ in range(n_dense + len(vocabulary))]
    first = [[0.0] * 3 for _ in params]
    second = [[0.0] * 3 for _ in params]
    beta1, beta2 = 0.9, 0.999
    mul, exp, sqrt = operator.mul, math.exp, math.sqrt
    one_beta1, one_beta2 = 1 - beta1, 1 - beta2
    for step in range(1, iterations + 1):
        grads = [[0.0] * 3 for _ in params]
        dense_grads, word_grads = grads[:n_dense], grads[n_dense:]
        column0, column1, column2 = ([params[j][k] for j in range(n_dense)] for k in range(3))
        word_params = params[n_dense:]
        for dense, features, label, weight in rows:
            z0 = sum(map(mul, dense, column0))
            z1 = sum(map(mul, dense, column1))
            z2 = sum(map(mul, dense, column2))
            for i in features:
                row = word_params[i]
                z0, z1, z2 = z0 + row[0], z1 + row[1], z2 + row[2]
            top = z0 if z0 > z1 else z1
            top = z2 if z2 > top else top
            e0, e1, e2 = exp(z0 - top), exp(z1 - top), exp(z2 - top)
            total = e0 + e1 + e2
            r0 = (e0 / total - (label == 0)) * weight / n
            r1 = (e1 / total - (label == 1)) * weight / n
            r2 = (e2 / total - (label == 2)) * weight / n
            for x, grad in zip(dense, dense_grads, strict=True):
                if x:  # x * r is +-0.0 otherwise, and adding it changes nothing
                    grad[0] += x * r0
                    grad[1] += x * r1
                    grad[2] += x * r2
            for i in features:
                grad = word_grads[i]
                grad[0] += r0
                grad[1] += r1
                grad[2] += r2
        correction1, correction2 = 1 - beta1**step, 1 - beta2**step
        for j, (param, grad, m, v) in enumerate(zip(params, grads, first, second, strict=True)):
            l2 = DENSE_L2 if j < n_dense else word_l2
            for k in (0, 1, 2):
                g = grad[k] + l2 * param[k]
                m[k] = mk = beta1 * m[k] + one_beta1 * g
                v[k] = vk = beta2 * v[k] + one_beta2 * g * g
                param[k] -= STEP * (mk / correction1) / (sqrt(vk / correction2) + 1e-8)
        if checkpoint is not None and step % CHECKPOINT_EVERY == 0:
            checkpoint(step, params[:n_dense], {w: params[n_dense + i] for w, i in index.items()})
    words = {word: params[n_dense + i] for word, i in index.items()}
    return params[:n_dense], words


def to_model(
    dense: Sequence[Sequence[float]],
    words: dict[str, list[float]],
    neutral_shift: float = NEUTRAL_SHIFT,
) -> LinearModel:
    """The shipped form of fitted weights: centred, pruned, the neutral bias shifted."""
    from feedback_core.sentiment._model import LinearModel

    def centred(weights: Sequence[float]) -> tuple[float, float, float]:
        # Softmax ignores a constant added to all three; centring makes pruning meaningful.
        mean = sum(weights) / 3
        return (weights[0] - mean, weights[1] - mean, weights[2] - mean)

    kept = {word: centred(w) for word, w in words.items() if max(map(abs, centred(w))) >= PRUNE}
    bias = centred(dense[0])
    dense_rows = [(bias[0], bias[1] + neutral_shift, bias[2])]
    dense_rows += [centred(w) for w in dense[1:]]
    return LinearModel(dense=tuple(dense_rows), weights=kept)


def train(folder: Path) -> None:
    """Train the shipped model on the tuning parts and write ``data/model.tsv``."""
    from build_lexicon_tables import write_packed_model  # beside this script
    from feedback_core.sentiment._model import format_model

    examples = training_examples(tune_sources(folder))
    vocabulary = vocabulary_of(examples)
    print(f"training on {len(examples)} texts, {len(vocabulary)} candidate words ...")
    model = to_model(*fit(examples, vocabulary))
    MODEL.write_text(format_model(model, MODEL_HEADER), encoding="utf-8")
    # The packed copy the analyzer reads at cold start: the table as parsed, rounding and all.
    packed = write_packed_model()
    print(f"wrote {MODEL.relative_to(ROOT)} and {packed.name}: {len(model.weights)} words")


# -- choosing the trainer's settings on an inner split of the tuning parts ---------------------

INNER_TRAIN_SHARE = 75
"""Percent of each set's tuning part the inner fits train on; the rest validates them."""
GRID_WORD_L2 = (1e-3, 3e-3, 1e-2, 3e-2)
GRID_VOCABULARY = ((3, 2), (5, 2), (3, 3))
"""(MIN_TEXTS, MIN_SOURCES) pairs tried."""
GRID_NEUTRAL_SHIFT = (0.0, 0.15, 0.3, 0.45)
MAX_SET_DROP = 0.01
"""A setting is eligible only if no set's inner score falls more than this below the baseline's."""
BASELINE = (1e-3, 3, 2, 300, 0.3)
"""The second pass's (WORD_L2, MIN_TEXTS, MIN_SOURCES, ITERATIONS, NEUTRAL_SHIFT)."""


def inner_part_of(text: str) -> str:
    """Return ``"inner-train"`` or ``"inner-validation"`` for a tuning text.

    Bytes 8 to 16 of the SHA-256 of the UTF-8 text (:func:`part_of` reads bytes 0 to 8), as a
    big-endian number, modulo 100: below :data:`INNER_TRAIN_SHARE` is inner training. Fixed,
    like :func:`part_of`, before any setting was tried; it never touches the held-out parts.
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    inner = int.from_bytes(digest[8:16], "big") % 100 < INNER_TRAIN_SHARE
    return "inner-train" if inner else "inner-validation"


def inner_scores(
    model: LinearModel, validation: dict[str, list[tuple[str, str]]]
) -> dict[str, float]:
    """Each set's score on its inner validation texts, and their ``mean``.

    A set's score is the mean of its strict 2-class accuracy and its 3-class macro-F1 (strict
    2-class alone where the set has no neutral band), the criterion the brief set.
    """
    from feedback_core.sentiment.lexicon import LexiconSentimentAnalyzer

    analyzer = LexiconSentimentAnalyzer(model=model)
    scores = {}
    for name, pairs in validation.items():
        gold = [label for _, label in pairs]
        predicted = [result.label.value for result in analyzer.analyze([t for t, _ in pairs])]
        q = quality(gold, predicted)
        scores[name] = set_score(gold, q)
    scores["mean"] = sum(scores.values()) / len(scores)
    return scores


def select(
    folder: Path,
    word_l2s: Sequence[float] = GRID_WORD_L2,
    vocabularies: Sequence[tuple[int, int]] = GRID_VOCABULARY,
    shifts: Sequence[float] = GRID_NEUTRAL_SHIFT,
) -> None:
    """Fit the grid on the inner training texts and print every setting's inner scores.

    The inner split divides each development set's TUNING part (75/25 by :func:`inner_part_of`);
    the project's dev half trains every fit and validates none (it is not one of the four
    sets the criterion averages). The held-out parts are neither read for training nor scored.
    Iterations are read at every :data:`CHECKPOINT_EVERY` steps of one fit, and each neutral
    shift is applied to the same weights, so one fit per (word L2, vocabulary) pair.

    The rule the shipped settings were chosen by: the highest inner ``mean`` among the settings
    whose every set stays within :data:`MAX_SET_DROP` of the :data:`BASELINE`'s, and whose
    model, trained on the whole tuning parts, passes ``tests/unit/sentiment`` (the behaviours
    pinned there on example texts written for the tests). This prints the first half.
    """
    sources = tune_sources(folder)
    inner_train = {
        name: [p for p in pairs if name == "project" or inner_part_of(p[0]) == "inner-train"]
        for name, pairs in sources.items()
    }
    validation = {
        name: [p for p in pairs if inner_part_of(p[0]) == "inner-validation"]
        for name, pairs in sources.items()
        if name != "project"
    }
    examples = training_examples(inner_train)
    sizes = ", ".join(f"{name} {len(pairs)}" for name, pairs in validation.items())
    print(f"inner training: {len(examples)} texts; inner validation: {sizes}")
    names = [*validation, "mean"]
    print(f"{'word_l2':>8} {'min_t':>5} {'min_s':>5} {'iter':>4} {'shift':>5} {'words':>5}", end="")
    print("".join(f" {name[:9]:>9}" for name in names), flush=True)
    results: list[tuple[tuple[float, int, int, int, float], dict[str, float]]] = []
    for min_texts, min_sources in vocabularies:
        vocabulary = vocabulary_of(examples, min_texts, min_sources)
        for word_l2 in word_l2s:

            def checkpoint(
                step: int,
                dense: list[list[float]],
                words: dict[str, list[float]],
                setting: tuple[float, int, int] = (word_l2, min_texts, min_sources),
                size: int = len(vocabulary),
            ) -> None:
                for shift in shifts:
                    scores = inner_scores(to_model(dense, words, shift), validation)
                    results.append(((*setting, step, shift), scores))
                    print(
                        f"{setting[0]:>8g} {setting[1]:>5} {setting[2]:>5} {step:>4}"
                        f" {shift:>5g} {size:>5}" + "".join(f" {scores[n]:>9.4f}" for n in names),
                        flush=True,
                    )

            fit(examples, vocabulary, word_l2=word_l2, checkpoint=checkpoint)
    by_setting = dict(results)
    if BASELINE not in by_setting:
        return
    baseline = by_setting[BASELINE]
    eligible = [
        (key, scores)
        for key, scores in results
        if all(scores[n] >= baseline[n] - MAX_SET_DROP for n in validation)
    ]
    key, scores = max(eligible, key=lambda item: item[1]["mean"])
    print(f"baseline {BASELINE}: mean {baseline['mean']:.4f}")
    print(f"best eligible (no set below the baseline's - {MAX_SET_DROP}): {key}")
    print(f"  mean {scores['mean']:.4f}")


FOLDS = 4


def fold_of(text: str) -> int:
    """Which of :data:`FOLDS` folds an inner training text is in: SHA-256 bytes 16-23, mod 4."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[16:24], "big") % FOLDS


def folds(folder: Path) -> None:
    """Score the shipped settings, against VADER, on folds of the inner TRAINING texts.

    The sixth pass and those before it read the inner validation texts' errors to find rule
    bugs, so the inner scores of later changes came out optimistic: the sixth pass's tweets
    macro-F1 was 0.762 there and 0.660 on the held-out part. The inner training texts were
    never listed. Each fold here is a quarter of them (:func:`fold_of`); a model is trained on
    every other tuning text and scored on it. Prints scores only, never texts: reading a
    fold's errors spends it. The held-out parts are neither read for training nor scored.
    """
    from feedback_core.sentiment.lexicon import LexiconSentimentAnalyzer

    sources = tune_sources(folder)
    names = [name for name in sources if name != "project"]
    vader = vader_labeler()
    totals: dict[tuple[str, str], dict[str, float]] = {}
    print(f"{'fold':<4} {'set':<15} {'n':>5} {'analyzer':<8} {'strict 2-class acc':>18}", end="")
    print(f" {'polar->neutral':>15} {'3-class macro-F1':>17}", flush=True)
    for fold in range(FOLDS):

        def in_fold(name: str, text: str, fold: int = fold) -> bool:
            return (
                name != "project" and inner_part_of(text) == "inner-train" and fold_of(text) == fold
            )

        examples = training_examples(
            {name: [p for p in pairs if not in_fold(name, p[0])] for name, pairs in sources.items()}
        )
        analyzer = LexiconSentimentAnalyzer(model=to_model(*fit(examples, vocabulary_of(examples))))
        for name in names:
            pairs = [pair for pair in sources[name] if in_fold(name, pair[0])]
            gold, texts = [label for _, label in pairs], [text for text, _ in pairs]
            ours = [result.label.value for result in analyzer.analyze(texts)]
            for who, predicted in (("ours", ours), ("VADER", vader(texts))):
                q = quality(gold, predicted)
                total = totals.setdefault((name, who), {})
                for key, value in (*q.items(), ("score", set_score(gold, q))):
                    total[key] = total.get(key, 0.0) + value / FOLDS
                row = quality_cells(gold, predicted)
                print(f"{fold:<4} {name:<15} {len(pairs):>5} {who:<8} {row}", flush=True)
    print("mean of the folds:")
    for who in ("ours", "VADER"):
        cells = [
            f"{name} {totals[name, who]['strict2']:.3f}"
            + (f" / {totals[name, who]['macro_f1_3']:.3f}" if name != "uci_imdb" else "")
            for name in names
        ]
        mean = sum(totals[name, who]["score"] for name in names) / len(names)
        print(f"  {who:<6} strict / macro-F1: {', '.join(cells)}; mean set score {mean:.4f}")


CROSS_SET_SETTINGS: dict[str, tuple[float, int, int]] = {
    "shipped": (WORD_L2, MIN_TEXTS, MIN_SOURCES),
    "word L2 1e-3": (1e-3, MIN_TEXTS, MIN_SOURCES),
    "word L2 3e-3": (3e-3, MIN_TEXTS, MIN_SOURCES),
    "word L2 1e-2": (1e-2, MIN_TEXTS, MIN_SOURCES),
    "min sources 3": (WORD_L2, MIN_TEXTS, 3),
    "no words": (WORD_L2, MIN_TEXTS, 0),
}
"""(WORD_L2, MIN_TEXTS, MIN_SOURCES) of each model :func:`cross_set` trains; ``MIN_SOURCES`` 0
means no word features at all (the rules' dense inputs only). The twelfth pass's question was
whether another setting carries better to a set of another kind; see docs/performance.md."""


MOVIE_DOMAIN = ("uci_imdb", "movie_snippets")
"""The development sets of one domain, movie reviews, left out together by ``--cross-domain``."""


def cross_set(folder: Path, *, domain: bool = False) -> None:
    """Score each development set with models trained without it (leave one set out).

    The model is trained on the other three sets' tuning parts and the project's dev half, and
    scored on the left-out set's TUNING part: how the shipped trainer carries to text of another
    kind, which is the independent review sets' case (the folds and the held-out parts are
    scored by models that saw their own set). VADER is scored on the same texts. Scores only,
    never texts. Each setting of :data:`CROSS_SET_SETTINGS` is trained four times (some minutes).

    With ``domain``, both sets of :data:`MOVIE_DOMAIN` are left out together, so the model has
    seen no movie review at all (tweets, editorials and the project's feedback only): a shift
    of domain, as from those to product reviews. Each setting is trained once.
    """
    from feedback_core.sentiment.lexicon import LexiconSentimentAnalyzer

    sources = tune_sources(folder)
    names = [name for name in sources if name != "project"]
    groups = [MOVIE_DOMAIN] if domain else [(name,) for name in names]
    scored = [name for group in groups for name in group]
    examples = training_examples(sources)
    texts = {name: [text for text, _ in sources[name]] for name in scored}
    golds = {name: [label for _, label in sources[name]] for name in scored}
    vader = vader_labeler()
    print(f"{'setting':<14} " + " ".join(f"{name[:14]:>14}" for name in scored) + f" {'mean':>7}")
    _cross_set_row(
        "VADER",
        {name: set_score(golds[name], quality(golds[name], vader(texts[name]))) for name in scored},
    )
    for setting, (word_l2, min_texts, min_sources) in CROSS_SET_SETTINGS.items():
        scores = {}
        for group in groups:
            kept = [example for example in examples if example[0] not in group]
            vocabulary = vocabulary_of(kept, min_texts, min_sources) if min_sources else []
            analyzer = LexiconSentimentAnalyzer(
                model=to_model(*fit(kept, vocabulary, word_l2=word_l2))
            )
            for name in group:
                predicted = [result.label.value for result in analyzer.analyze(texts[name])]
                scores[name] = set_score(golds[name], quality(golds[name], predicted))
        _cross_set_row(setting, scores)
    print("(set score: strict 2-class accuracy, and its mean with 3-class macro-F1 where the set")
    print(
        " has a neutral band; each set's tuning part, scored by models trained without"
        + (" any movie review)" if domain else " that set)")
    )


def _cross_set_row(setting: str, scores: dict[str, float]) -> None:
    mean = sum(scores.values()) / len(scores)
    row = " ".join(f"{score:>14.4f}" for score in scores.values())
    print(f"{setting:<14} {row} {mean:>7.4f}", flush=True)


def quality_cells(gold: Sequence[str], predicted: Sequence[str]) -> str:
    """Format strict 2-class accuracy, polar-as-neutral and macro-F1 ("n/a" without neutrals)."""
    q = quality(gold, predicted)
    f1 = f"{q['macro_f1_3']:>17.3f}" if "neutral" in gold else f"{'n/a':>17}"
    return f"{q['strict2']:>18.3f} {q['polar_neutral']:>15.3f} {f1}"


def report_dev_sets(
    folder: Path, labelers: dict[str, Callable[[Sequence[str]], list[str]]], rounds: int
) -> None:
    """Quality per set, per part, per analyzer; then speed per set, all in this one run."""
    sets = load_dev_sets(folder)
    print(f"development sets: {folder} (parts by SHA-256 of the text, {TUNE_SHARE} % tune)")
    print(
        f"{'set':<15} {'part':<9} {'n':>5} {'analyzer':<8} {'strict 2-class acc':>18}"
        f" {'polar->neutral':>15} {'3-class macro-F1':>17}"
    )
    for name, pairs in sets.items():
        predicted = {who: label([text for text, _ in pairs]) for who, label in labelers.items()}
        for part in ("tune", "held-out"):
            chosen = [i for i, (text, _) in enumerate(pairs) if part_of(text) == part]
            gold = [pairs[i][1] for i in chosen]
            for who, labels in predicted.items():
                cells = quality_cells(gold, [labels[i] for i in chosen])
                print(f"{name:<15} {part:<9} {len(chosen):>5} {who:<8} {cells}")
    print()
    for name, pairs in sets.items():
        speed = throughputs(labelers, [text for text, _ in pairs], rounds)
        print(_speed_line(f"throughput {name:<15}", speed))
    print("first pass of a fresh analyzer (every word new to its memos):")
    for name, pairs in sets.items():
        speed = first_pass_throughputs([text for text, _ in pairs], FIRST_PASS_ROUNDS)
        print(_speed_line(f"first pass {name:<15}", speed))
    # Every set's texts in one stream, mixed in the order of their SHA-256 (fixed, no seed).
    stream = sorted(
        (text for pairs in sets.values() for text, _ in pairs),
        key=lambda text: hashlib.sha256(text.encode("utf-8")).digest(),
    )
    print(f"a fresh analyzer reading all {len(stream):,} texts as one stream, by stretch:")
    for first, last, speed in stream_throughputs(stream, FIRST_PASS_ROUNDS):
        print(_speed_line(f"stream texts {first:>6,}-{last:<6,}", speed))


def report_other_sets(
    sets: dict[str, list[tuple[str, str]]],
    labelers: dict[str, Callable[[Sequence[str]], list[str]]],
    rounds: int,
) -> None:
    """Quality and speed on labelled sets that trained nothing, each whole, in this one run.

    No errors are printed: such a set is a check, like the held-out parts.
    """
    print("sets the model never saw (each scored whole; no errors printed):")
    print(
        f"{'set':<22} {'n':>6} {'analyzer':<8} {'strict 2-class acc':>18}"
        f" {'polar->neutral':>15} {'3-class macro-F1':>17} {'set score':>10}"
    )
    for name, pairs in sets.items():
        gold = [label for _, label in pairs]
        for who, label in labelers.items():
            predicted = label([text for text, _ in pairs])
            score = set_score(gold, quality(gold, predicted))
            cells = quality_cells(gold, predicted)
            print(f"{name:<22} {len(pairs):>6} {who:<8} {cells} {score:>10.4f}")
    for name, pairs in sets.items():
        texts = [text for text, _ in pairs]
        print(_speed_line(f"throughput {name:<22}", throughputs(labelers, texts, rounds)))
        speed = first_pass_throughputs(texts, FIRST_PASS_ROUNDS)
        print(_speed_line(f"first pass {name:<22}", speed))


def report_public_sets(
    folder: Path | None,
    files: Sequence[str],
    labelers: dict[str, Callable[[Sequence[str]], list[str]]],
    rounds: int,
) -> None:
    """The development sets in ``folder`` by part, then every other labelled set whole."""
    others: dict[str, list[tuple[str, str]]] = {}
    if folder is not None:
        print()
        if not missing_dev_sets(folder):
            report_dev_sets(folder, labelers, rounds)
        else:
            print(f"development sets: not all in {folder}; scoring the other sets in it only")
        others, skipped = other_sets(folder)
        if skipped:
            print(f"(not labelled sets, skipped: {', '.join(skipped)})")
    for file in files:
        path = Path(file)
        try:
            others[set_name(path, others)] = read_labelled(path)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise SystemExit(f"--eval: {error}") from None
    if others:
        print()
        report_other_sets(others, labelers, rounds)


def _speed_line(what: str, speed: dict[str, float]) -> str:
    """One line of texts per CPU-second, ours and VADER's, and their ratio."""
    return (
        f"{what} ours {speed['ours']:>9,.0f} texts/CPU-s"
        f"   VADER {speed['VADER']:>9,.0f} texts/CPU-s"
        f"   ratio ours/VADER {speed['ours'] / speed['VADER']:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer timing rounds")
    parser.add_argument(
        "--dev-errors", action="store_true", help="list our mistakes on the dev split only"
    )
    parser.add_argument(
        "--data",
        help="folder of the public development sets; other labelled sets in it are scored whole",
    )
    parser.add_argument(
        "--eval",
        action="append",
        default=[],
        metavar="FILE",
        help="also score this labelled set whole (id<TAB>rating<TAB>text, text<TAB>0|1 or"
        " text<TAB>label); repeatable",
    )
    parser.add_argument(
        "--train", action="store_true", help="retrain the shipped model on the tuning parts"
    )
    parser.add_argument(
        "--select",
        action="store_true",
        help="choose the trainer's settings on an inner split of the tuning parts",
    )
    parser.add_argument(
        "--folds",
        action="store_true",
        help="score the shipped settings on folds of the inner training texts (some minutes)",
    )
    parser.add_argument(
        "--cross-set",
        action="store_true",
        help="score each set with models trained without it (leave one set out; some minutes)",
    )
    parser.add_argument(
        "--cross-domain",
        action="store_true",
        help="score the movie-review sets with models trained without either (some minutes)",
    )
    args = parser.parse_args()
    rounds, repeats = (3, 5) if args.quick else (7, 15)
    modes: dict[str, Callable[[Path], None]] = {
        "train": train,
        "select": select,
        "folds": folds,
        "cross_set": cross_set,
        "cross_domain": lambda folder: cross_set(folder, domain=True),
    }
    mode = next((modes[name] for name in modes if getattr(args, name)), None)
    folder = find_dev_data(args.data)
    if folder is None or not folder.is_dir():
        looked = args.data or " or ".join(map(str, DEV_DATA_CANDIDATES))
        print(
            f"development sets: not found ({looked}); reporting the project's own set only."
            " Pass --data DIR to measure on them."
        )
        if mode is not None:
            raise SystemExit(
                "--train, --select, --folds, --cross-set and --cross-domain need the"
                " development sets"
            )
        folder = None
    elif mode is not None:
        mode(folder)
        return

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
        f"throughput  ours {speed['ours']:>9,.0f} texts/CPU-s"
        f"   VADER {speed['VADER']:>9,.0f} texts/CPU-s"
    )
    print(f"speed ratio ours/VADER: {speed['ours'] / speed['VADER']:.2f}x")

    report_public_sets(folder, args.eval, {"ours": ours, "VADER": vader}, rounds)

    print()
    report_import_costs(repeats)

    if args.dev_errors:
        print("\nour mistakes on the dev split (gold -> predicted):")
        for row, label in zip(rows, predicted["ours"], strict=True):
            if row[1] == "dev" and label != row[2]:
                print(f"  {row[0]:<8} {row[2]:>8} -> {label:<8} {row[3]}")


if __name__ == "__main__":
    main()
