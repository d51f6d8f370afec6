"""Write the offline analyzer's files derived from its lexicon tables, in ``sentiment/data/``.

Usage (after any change to a lexicon table; a unit test fails until it is run)::

    python benchmarks/build_lexicon_tables.py

Two files, both read at a Lambda's first analysis, so both ship computed:

- ``doubled_letters.tsv``, the doubled-letter index. The analyzer reads a misspelling such as
  ``terible`` or ``dissapointed`` as the lexicon term it stands for. It writes the word's doubled
  letters once and looks that up, then that with one letter doubled. The second step used to try
  every letter in turn, a lookup each, for every new word the analyzer meets that the lexicon
  lacks. This index answers it in one: each term keyed by itself with one letter of a doubled
  pair written once, and each term with two pairs or more by itself with all of them written
  once (``sucess`` finds ``success``). Building it over the whole lexicon takes some 16 ms.
- ``lexicon.bin``, the merged tables packed (``_tables.pack``): reading and merging the four
  text tables takes some 6 ms, reading this about 2.

The model's packed table, ``model.bin``, is written with ``model.tsv`` by the trainer
(``bench_sentiment.py --train``), or from it by ``--pack-model``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from feedback_core.sentiment import _model  # noqa: E402  # after the path is set
from feedback_core.sentiment._tables import (  # noqa: E402  # after the path is set
    _DATA_DIR,
    _DOUBLED_FILE,
    _PACKED_FILE,
    doubling_index,
    pack,
    read_tables,
)

HEADER = (
    "feedback_core offline sentiment: doubled-letter index of the bundled lexicon.",
    "key<TAB>term: the term with one letter of a doubled pair written once; where two terms share",
    "a key, the one whose pair comes first. Then each term with two pairs or more, all written",
    "once, where no such key is taken (the first term wins). Derived from the lexicon tables",
    "beside this file (their licences apply). Written by",
    "`python benchmarks/build_lexicon_tables.py`; do not edit.",
)


def index_text(valences: dict[str, float]) -> str:
    """The index file's text for the merged lexicon tables ``valences``."""
    index = doubling_index(valences)
    lines = [f"# {line}" for line in HEADER]
    lines += [f"{key}\t{term}" for key, term in sorted(index.items())]
    return "\n".join(lines) + "\n"


def write_packed_model() -> Path:
    """Pack ``model.tsv`` as the analyzer reads it into ``model.bin`` beside it."""
    path = Path(_DATA_DIR) / _model._PACKED_FILE  # the file this script writes
    path.write_bytes(_model.packed_table())
    return path


def write_derived() -> tuple[Path, Path]:
    """Write the doubled-letter index and the packed lexicon from the text tables as they are."""
    valences = read_tables()
    index = Path(_DATA_DIR) / _DOUBLED_FILE
    index.write_text(index_text(valences), encoding="utf-8")
    packed = Path(_DATA_DIR) / _PACKED_FILE
    packed.write_bytes(pack(list(valences), list(valences.values())))
    return index, packed


def main() -> None:
    """Write the derived files beside the lexicon tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pack-model", action="store_true", help="only pack model.tsv")
    if parser.parse_args().pack_model:
        print(f"wrote {write_packed_model()}")
        return
    index, packed = write_derived()
    print(f"wrote {index} and {packed}")


if __name__ == "__main__":
    main()
