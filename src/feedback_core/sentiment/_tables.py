"""The offline analyzer's tables: the bundled lexicon, read from ``data/`` on first use.

VADER's word and emoticon list (MIT, vendored), then the project's Pattern, emoji and domain
tables, each entry replacing an earlier one; the phrases to merge into one token; the chunks kept
whole; and the doubled-letter index that reads misspellings in one lookup. Kept apart from
:mod:`feedback_core.sentiment.lexicon`, which scores text with them, so that a change to a table
or to how it loads has one place to go.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import os
import re
import sys
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, cast

import attrs

from feedback_core.sentiment._rules import RULE_WORDS

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = ["Lexicon", "PhraseIndex", "data_text", "doubling_index", "load_lexicon"]

_DATA_DIR: Final = os.path.join(os.path.dirname(__file__), "data")
_VADER_FILE: Final = "vader_lexicon.tsv"
_OUR_FILES: Final = ("pattern_lexicon.tsv", "emoji.tsv", "domain_lexicon.tsv")
"""Loaded after VADER's table, in this order; a later file's entry replaces an earlier one's.

The Pattern table only adds words none of the others score (see ``data/README.md``)."""
_DOUBLED_FILE: Final = "doubled_letters.tsv"
"""The shipped lexicon's :func:`doubling_index`, computed ahead: building it takes some 16 ms,
reading it about 0.8 (a test keeps the file equal to what the tables give)."""
_PACKED_FILE: Final = "lexicon.bin"
"""The merged tables of :func:`read_tables`, packed (:func:`pack`): reading the four tables
costs some 6 ms at a Lambda's first analysis, this file about 2 (a test keeps it equal)."""

_MAX_VALENCE: Final = 4.0

DOUBLED: Final = re.compile(r"(.)\1")
"""A doubled letter. ``DOUBLED.sub(FIRST_GROUP, word)`` writes each pair once: the key a
misspelling and the term it stands for share (:func:`doubling_index`)."""
FIRST_GROUP: Final = operator.itemgetter(1)
"""``DOUBLED.sub(FIRST_GROUP, word)`` is ``DOUBLED.sub(r"\1", word)``: a replacement string
with a group in it costs a call of Python code in ``re`` for every word, this C callable nothing
where the word has no doubled letter (most words)."""


Phrases = tuple[tuple[tuple[str, ...], str], ...]
"""The phrases a word opens: (following words, merged token) pairs, longest first."""

Openings = dict[str, Phrases]
"""The phrases a word opens, by their second word (only those can match; the order is kept)."""

_RULE_PHRASES: Final = tuple(word for word in RULE_WORDS if " " in word)


class PhraseIndex(Mapping[str, Phrases]):
    """First word of a phrase to the phrases it opens (:data:`Phrases`), each built on first use.

    A fresh process's first texts hold a handful of the ~420 words that open a phrase, yet
    grouping all ~900 phrases by first and second word at load was a fifth of the instructions
    of its first result (14 M of 73 M, on Python 3.11; each analyzer grouped them again). Here
    load only sorts the phrases and notes their first words; a word's phrases are grouped once
    per process, when a text first holds it. A process that meets every such word does the
    same work in all, later (see ``docs/performance.md``, seventeenth pass). Safe to share
    between threads and analyzers: the caches only ever gain equal values.
    """

    __slots__ = ("_openings", "_phrases", "_terms", "first_words")

    def __init__(self, terms: Iterable[str]) -> None:
        """Index ``terms``, each a phrase of words separated by single spaces."""
        self._terms = sorted(terms)
        # What comes before each term's first space, all in C: half the cost of a generator.
        self.first_words: frozenset[str] = frozenset(
            map(operator.itemgetter(0), map(str.partition, self._terms, itertools.repeat(" ")))
        )
        """The words that open a phrase: a word outside it opens none (one set lookup)."""
        self._phrases: dict[str, Phrases] = {}
        self._openings: dict[str, Openings] = {}

    def __getitem__(self, first: str) -> Phrases:
        known = self._phrases.get(first)
        if known is None:
            if first not in self.first_words:
                raise KeyError(first)
            # Sorted, the phrases "first ..." are one run: from where "first " would go to where
            # "first!" would ("!" is the character after the space).
            terms = self._terms
            start = bisect.bisect_left(terms, first + " ")
            run = terms[start : bisect.bisect_left(terms, first + "!", start)]
            options = [(tuple(term.split(" ")[1:]), term) for term in run]
            known = self._phrases[first] = tuple(sorted(options, key=_longest_first))
        return known

    def __contains__(self, first: object) -> bool:
        return first in self.first_words

    def __iter__(self) -> Iterator[str]:
        return iter(self.first_words)

    def __len__(self) -> int:
        return len(self.first_words)

    def openings(self, first: str) -> Openings | None:
        """The phrases ``first`` opens grouped by their second word, in order; None if none."""
        known = self._openings.get(first)
        if known is None and first in self.first_words:
            grouped: dict[str, list[tuple[tuple[str, ...], str]]] = {}
            for option in self[first]:
                grouped.setdefault(option[0][0], []).append(option)
            known = {second: tuple(group) for second, group in grouped.items()}
            self._openings[first] = known
        return known


def _longest_first(option: tuple[tuple[str, ...], str]) -> tuple[int, tuple[tuple[str, ...], str]]:
    """Sort key of a word's phrases: the longest first, then in order (a fixed order)."""
    return -len(option[0]), option


@attrs.frozen(kw_only=True)
class Lexicon:
    """The analyzer's data: valences, phrases to merge into one token, whole-chunk specials.

    Attributes:
        valences: Token (or merged phrase) to valence, about -4 (worst) to +4 (best).
        phrases: First word of a phrase to ``(following words, merged token)`` pairs,
            longest first (a :class:`PhraseIndex`: each word's are built on first use).
        specials: Whitespace-delimited chunks kept whole: emoticons (``:-)``), ``10/10``, ``A+``.
        doubled: A term with one letter of a doubled pair written once, to that term
            (``terible`` -> ``terrible``; see :func:`doubling_index`).
    """

    valences: Mapping[str, float]
    phrases: PhraseIndex
    specials: frozenset[str]
    doubled: Mapping[str, str]


def data_text(name: str) -> str:
    """Return the text of the package data file ``name`` (in ``data/``), UTF-8."""
    return data_bytes(name).decode("utf-8")


def data_bytes(name: str) -> bytes:
    """Return the bytes of the package data file ``name`` (in ``data/``)."""
    try:
        # The package's files are on disk in every ordinary install (and in Lambda); reading
        # them directly avoids importing importlib.resources on the cold-start path.
        with open(os.path.join(_DATA_DIR, name), "rb") as handle:
            return handle.read()
    except FileNotFoundError:  # e.g. imported from a zip archive
        from importlib import resources  # rare path, keep import cheap

        return resources.files(__package__).joinpath("data", name).read_bytes()


def pack(names: Sequence[str], values: Sequence[float]) -> bytes:
    """Pack names and numbers for :func:`read_packed`, for a table that loads at cold start.

    The layout: the byte length of the names (4 bytes, little-endian), the names in UTF-8 joined
    by newlines (none may hold one), then the numbers as little-endian IEEE 754 doubles. Parsing
    thousands of decimal numbers is most of the cost of reading a text table; these are copied.
    """
    import struct  # only the writers pack

    if any("\n" in name for name in names):
        raise ValueError("a packed name must not hold a newline")
    text = "\n".join(names).encode("utf-8")
    return len(text).to_bytes(4, "little") + text + struct.pack(f"<{len(values)}d", *values)


def read_packed(name: str) -> tuple[list[str], list[float]] | None:
    """Read a table :func:`pack` wrote: (names, numbers); None on a big-endian machine.

    The numbers are read in the machine's own byte order (one C-level copy, no parsing), so a
    big-endian machine reads the text tables instead (the caller's fallback).
    """
    if sys.byteorder != "little":
        return None
    data = data_bytes(name)
    size = int.from_bytes(data[:4], "little")
    names = data[4 : 4 + size].decode("utf-8").split("\n")
    # typeshed types tolist() as list[int] whatever the format; a "d" view gives floats.
    return names, cast("list[float]", memoryview(data)[4 + size :].cast("d").tolist())


def read_table(name: str) -> dict[str, float]:
    """Read a commented ``term<TAB>valence`` table (terms may be phrases with spaces)."""
    table: dict[str, float] = {}
    for line in data_text(name).splitlines():
        if line and not line.startswith("#"):
            term, _, valence = line.partition("\t")
            table[term.lower()] = float(valence)
    return table


def read_vader() -> dict[str, float]:
    """Read the vendored VADER table: no comments, no spaces in terms, so split() parses it."""
    fields = data_text(_VADER_FILE).split()
    table = dict(zip(fields[::2], map(float, fields[1::2]), strict=True))
    # Tokens are matched lower-cased; VADER lists some emoticons in capitals only (":-D").
    for term in list(itertools.filterfalse(str.islower, table)):
        table.setdefault(term.lower(), table[term])
    return table


def read_tables() -> dict[str, float]:
    """Read and merge the bundled text tables: VADER's, then ours.

    A later entry replaces an earlier one. :data:`_PACKED_FILE` holds the result, packed.
    """
    merged = read_vader()
    for name in _OUR_FILES:
        merged.update(read_table(name))
    return merged


def check_terms(terms: Mapping[str, float]) -> dict[str, float]:
    checked: dict[str, float] = {}
    for term, valence in terms.items():
        key = " ".join(term.lower().split())  # tokens are matched lower-cased
        if not key:
            raise ValueError("a lexicon term must not be blank")
        if isinstance(valence, bool) or not math.isfinite(valence):
            raise ValueError(f"the valence of {term!r} must be a finite number")
        if abs(valence) > _MAX_VALENCE:
            raise ValueError(f"the valence of {term!r} must be within -4..4, not {valence}")
        checked[key] = float(valence)
    return checked


def doubling_index(terms: Iterable[str]) -> dict[str, str]:
    """Map each term's doubled-letter misspelling key to the term: ``terible`` -> ``terrible``.

    A key is the term with one letter of a doubled pair written once. Where two terms share a
    key, the one whose pair comes first wins: the term the analyzer's left-to-right search for
    a doubled letter would meet first (the lexicon module's ``_doubling_variant``). A term with
    two pairs or more is also keyed by itself with every pair written once (``success`` by
    ``suces``, so ``sucess`` and ``succes`` find it), where no one-pair key is the same; among
    such terms the first in ``terms`` wins. Terms with spaces are left out: a token never has
    one.
    """
    words = [term for term in terms if " " not in term]
    index = {key: term for key, (_, term) in _first_pairs(words).items()}
    for key, term in _all_pairs_once(words):
        index.setdefault(key, term)
    return index


def _all_pairs_once(terms: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Each term with two doubled pairs or more, keyed by itself with every pair written once."""
    for term in terms:
        key = DOUBLED.sub(FIRST_GROUP, term)
        if len(term) - len(key) >= 2:  # two pairs: one pair is the other keys' job
            yield key, term


def _first_pairs(terms: Iterable[str]) -> dict[str, tuple[int, str]]:
    """:func:`doubling_index` with where each term's pair starts: key to (place, term)."""
    first: dict[str, tuple[int, str]] = {}
    for term in terms:
        if " " in term:
            continue
        for at in range(len(term) - 1):
            if term[at] == term[at + 1]:
                key = term[:at] + term[at + 1 :]
                known = first.get(key)
                if known is None or at < known[0]:
                    first[key] = (at, term)
    return first


def read_doubled() -> dict[str, str]:
    """Read the shipped :func:`doubling_index`: ``#`` comment lines, then ``key<TAB>term`` lines.

    Keys and terms hold no whitespace (terms with spaces are not indexed), so one ``split()``
    of the text after the comments parses it, as :func:`read_vader` does.
    """
    text = data_text(_DOUBLED_FILE)
    start = 0
    while text.startswith("#", start):
        start = text.index("\n", start) + 1
    fields = text[start:].split()
    return dict(zip(fields[0::2], fields[1::2], strict=True))


def _doubled_at(key: str, term: str) -> float:
    """Where ``term`` doubles a letter of ``key`` (the first such place), for a shipped entry.

    Infinity for a term keyed with all its pairs written once: any one-pair key wins over it.
    """
    if len(term) != len(key) + 1:
        return math.inf
    return next(at for at in range(len(key)) if key[:at] + key[at] + key[at:] == term)


def _with_extras(doubled: Mapping[str, str], extra: Iterable[str]) -> dict[str, str]:
    """The shipped doubling index with ``extra`` terms' keys merged in, as if built from all."""
    merged = dict(doubled)
    words = [term for term in extra if " " not in term]
    for key, (at, term) in _first_pairs(words).items():
        known = merged.get(key)
        if known is None or at < _doubled_at(key, known):
            merged[key] = term
    for key, term in _all_pairs_once(words):
        merged.setdefault(key, term)  # a bundled term comes before every extra one
    return merged


def _build(valences: dict[str, float], doubled: Mapping[str, str]) -> Lexicon:
    # Every term with a space is a phrase, merged into one token when a text holds its words.
    # The C-level filter skips the plain words, which are nearly all of them.
    other = list(itertools.filterfalse(str.isalpha, valences))
    phrases = PhraseIndex({*(term for term in other if " " in term), *_RULE_PHRASES})
    # Chunks that tokenizing would split (":-)", "a+++", "10/10") are matched whole.
    specials = frozenset(
        term
        for term in other
        if len(term) > 1 and " " not in term and not term.replace("'", "").isalpha()
    )
    return Lexicon(valences=valences, phrases=phrases, specials=specials, doubled=doubled)


_default: Lexicon | None = None
_default_lock = threading.Lock()


def load_lexicon(extra_terms: Mapping[str, float] | None = None) -> Lexicon:
    """Return the bundled lexicon, read from the package data on first call, plus any extras.

    Args:
        extra_terms: Your own terms (a word, a phrase of space-separated words, an emoticon or
            an emoji) with valences in -4..4; they replace bundled entries.

    Returns:
        The shared default lexicon when ``extra_terms`` is empty, else a new one.

    Raises:
        ValueError: an extra term is blank or its valence is not a finite number in -4..4.
    """
    global _default  # noqa: PLW0603  # a process-wide, lazily loaded, read-only cache
    if _default is None:
        with _default_lock:
            if _default is None:
                packed = read_packed(_PACKED_FILE)
                merged = read_tables() if packed is None else dict(zip(*packed, strict=True))
                _default = _build(merged, read_doubled())
    if not extra_terms:
        return _default
    extra = check_terms(extra_terms)
    return _build({**_default.valences, **extra}, _with_extras(_default.doubled, extra))
