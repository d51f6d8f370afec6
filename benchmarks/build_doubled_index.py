"""Write the offline analyzer's doubled-letter index, ``sentiment/data/doubled_letters.tsv``.

Usage (after any change to a lexicon table; a unit test fails until it is run)::

    python benchmarks/build_doubled_index.py

The analyzer reads a misspelling such as ``terible`` or ``dissapointed`` as the lexicon term it
stands for. It writes the word's doubled letters once and looks that up, then that with one
letter doubled. The second step used to try every letter in turn, a lookup each, for every new
word the analyzer meets that the lexicon lacks. This index answers it in one: each term keyed
by itself with one letter of a doubled pair written once, and each term with two pairs or more
by itself with all of them written once (``sucess`` finds ``success``). Building it over the
whole lexicon takes some 16 ms, too long for a Lambda's first analysis, so it ships computed.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from feedback_core.sentiment._tables import (  # noqa: E402  # after the path is set
    _DATA_DIR,
    _DOUBLED_FILE,
    doubling_index,
    load_lexicon,
)

HEADER = (
    "feedback_core offline sentiment: doubled-letter index of the bundled lexicon.",
    "key<TAB>term: the term with one letter of a doubled pair written once; where two terms share",
    "a key, the one whose pair comes first. Then each term with two pairs or more, all written",
    "once, where no such key is taken (the first term wins). Derived from the lexicon tables",
    "beside this file (their licences apply). Written by",
    "`python benchmarks/build_doubled_index.py`; do not edit.",
)


def index_text() -> str:
    """The index file's text for the lexicon tables as they are now."""
    index = doubling_index(load_lexicon().valences)
    lines = [f"# {line}" for line in HEADER]
    lines += [f"{key}\t{term}" for key, term in sorted(index.items())]
    return "\n".join(lines) + "\n"


def main() -> None:
    """Write the index beside the lexicon tables."""
    path = Path(_DATA_DIR) / _DOUBLED_FILE
    path.write_text(index_text(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
