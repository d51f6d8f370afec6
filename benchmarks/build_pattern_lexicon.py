"""Build the offline analyzer's Pattern table from Pattern's English adjective lexicon.

Usage::

    pip download textblob==0.20.1 --no-deps -d /tmp/tb
    unzip -o /tmp/tb/textblob-0.20.1-py3-none-any.whl textblob/en/en-sentiment.xml -d /tmp/tb
    python benchmarks/build_pattern_lexicon.py /tmp/tb/textblob/en/en-sentiment.xml \\
        --data ../shared/data/sentiment-dev
    python benchmarks/bench_sentiment.py --data ../shared/data/sentiment-dev --train

``en-sentiment.xml`` is the English subjectivity lexicon of Pattern (T. De Smedt and
W. Daelemans, CLiPS, University of Antwerp), shipped by Pattern and by TextBlob; the file
declares its licence as PDDL (Open Data Commons Public Domain Dedication and License). It rates
about 1,500 adjectives (and some other words) frequent in reviews, per word sense, with a
polarity in -1..+1 assigned by hand.

What is kept, decided before any development text was scored with it:

- one valence per word: the mean polarity of its senses (what Pattern's own analyzer uses),
  times :data:`SCALE` (the least-squares slope of VADER's valence on that mean over the words
  both lexicons have, 3.17 on 492 words with correlation 0.88, rounded);
- only single words (letters and hyphens) whose mean is at least :data:`FLOOR` from zero;
- not a word the bundled lexicon already scores (VADER's, the emoji table, the project's), nor
  one the rules give a role (negations, degree words, contrast words: ``can't`` has a polarity
  in Pattern);
- not a word the model learns a weight for: a candidate of the model's vocabulary on the tuning
  parts (in >= 5 texts from >= 2 sources, computed with the lexicon *without* this table). A
  word with a valence is the rules' and leaves the model, and the inner split of the tuning parts
  showed the learned weights beating Pattern's valences on frequent words (inner mean 0.6775
  against 0.6923 with every Pattern word in) while Pattern's valences help on words too rare to
  learn (0.6990 against 0.6923). So the table gives coverage where the training data has none.

Run it before ``--train``: the model's vocabulary depends on which words have a valence.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_sentiment as bench

# One <word .../> element per line; read with a pattern rather than an XML parser (no entities,
# no DTD: nothing in the file can make reading it expand or fetch anything).
_WORD = re.compile(r'<word form="([^"]*)"[^>]*? polarity="([^"]*)"')
TABLE = bench.ROOT / "src" / "feedback_core" / "sentiment" / "data" / "pattern_lexicon.tsv"
SCALE = 3.0
FLOOR = 0.1
HEADER = (
    "Words from Pattern's English subjectivity lexicon (en-sentiment.xml 1.3, as in TextBlob",
    "0.20.1) by Tom De Smedt and Walter Daelemans, CLiPS, University of Antwerp; licence of that",
    "file: PDDL (Open Data Commons Public Domain Dedication and License 1.0). Credit: T. De Smedt",
    'and W. Daelemans, "Pattern for Python", Journal of Machine Learning Research 13, 2012.',
    "Changes: one valence per word, the mean polarity of its senses times 3 (VADER's scale);",
    "only words the other tables do not score, the rules give no role, and the model does not",
    "learn. Written by `python benchmarks/build_pattern_lexicon.py`; do not edit by hand.",
)


def pattern_means(xml_file: Path) -> dict[str, float]:
    """Each single word's mean polarity over its senses in ``en-sentiment.xml``."""
    senses: dict[str, list[float]] = {}
    for match in _WORD.finditer(xml_file.read_text(encoding="utf-8")):
        form = match[1].lower()
        if form.replace("-", "").isalpha():
            senses.setdefault(form, []).append(float(match[2]))
    return {form: sum(values) / len(values) for form, values in senses.items()}


def write_table(kept: dict[str, float]) -> None:
    """Write the header and ``kept`` (word to valence) to :data:`TABLE`."""
    lines = [f"# {line}" for line in HEADER]
    lines += [f"{form}\t{valence:g}" for form, valence in kept.items()]
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(xml_file: Path, folder: Path) -> dict[str, float]:
    """Write the table and return it (see the module docstring for what is kept)."""
    from build_lexicon_tables import write_derived  # beside this script
    from feedback_core.sentiment._rules import RULE_WORDS
    from feedback_core.sentiment._tables import load_lexicon

    # The model's vocabulary and the bundled lexicon are read *without* this table: write it
    # empty first, and the packed lexicon and doubled-letter index the analyzer reads from it
    # (the lexicon loads on first use, after this).
    write_table({})
    write_derived()
    known = load_lexicon().valences
    learned = set(bench.vocabulary_of(bench.training_examples(bench.tune_sources(folder))))
    # Pattern's polarities lie in -1..1, so every valence is within -3..3 (VADER's -4..4).
    kept = {
        form: round(mean * SCALE, 2)
        for form, mean in sorted(pattern_means(xml_file).items())
        if abs(mean) >= FLOOR and form not in known and form not in RULE_WORDS
        and form not in learned
    }  # fmt: skip
    write_table(kept)
    write_derived()
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xml", type=Path, help="Pattern's en-sentiment.xml")
    parser.add_argument("--data", help="folder of the public development sets")
    args = parser.parse_args()
    folder = bench.find_dev_data(args.data)
    if folder is None or not folder.is_dir():
        raise SystemExit("the development sets are needed (--data DIR): the model's vocabulary")
    kept = build(args.xml, folder)
    print(f"wrote {TABLE.relative_to(bench.ROOT)}: {len(kept)} words")


if __name__ == "__main__":
    main()
