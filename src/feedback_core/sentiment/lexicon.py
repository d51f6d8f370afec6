"""The offline sentiment analyzer: rules over a lexicon, and a small shipped model; no network.

The lexicon is VADER's word and emoticon list (MIT, vendored in ``data/``) overlaid with the
project's customer-feedback and review terms and emoji. The rules handle negation (``not
good``, ``never arrived``), idioms (``would not go back``), misspellings, degree words (``very``,
``a bit``), contrast (``good but slow``), concession (``although ...``), emphasis (CAPS, ``!!``,
elongation), excess (``too small``) and request-style questions. The linear model of
:mod:`feedback_core.sentiment._model` weighs the rules' evidence with the words the lexicon does
not score. The tables load on first use (:mod:`feedback_core.sentiment._tables` reads them),
so importing this module stays cheap.

The module is over 500 lines because the scoring loop is one function on purpose (see
``_evidence``): the rules share state token by token, and splitting them up costs speed. The
chunk splitter and word resolver that build its entries, and their spelling-variant tables, stay
beside it: moved to a module of their own (tried in the eleventh pass), the same tables read
from there cost a fresh analyzer's first pass 1.3 % more instructions under callgrind.
"""

from __future__ import annotations

import operator
import re
from typing import TYPE_CHECKING, Final

from feedback_core.sentiment._model import dense_features, load_model
from feedback_core.sentiment._rules import (
    AFTER_CONTRAST,
    ALL_CAPS_EMPHASIS,
    AND,
    BEFORE_CONTRAST,
    BOOST_LIMIT,
    BOOSTER_REACH,
    BOOSTERS,
    CAPS_EMPHASIS,
    CLAUSE_VERBS,
    COMPARATIVES,
    COMPARISON_DENIERS,
    CONCESSION,
    CONCESSIVE,
    CONTRAST,
    DENIED_DEGREE,
    ELONGATION_EMPHASIS,
    ENOUGH,
    ENOUGH_EMPHASIS,
    ENOUGH_VERBS,
    EXCESS,
    EXCESS_VALENCE,
    EXCLAMATION_MAX,
    EXCLAMATION_STEP,
    EXPECTATION,
    EXPECTATION_REACH,
    EXPECTATION_TARGETS,
    EXPECTATION_VALENCE,
    EXPECTED,
    EXPECTED_FAILURE,
    HYPOTHETICAL,
    JOINS,
    LAUGHTER,
    LIKE,
    LIKE_SUBJECTS,
    LINK,
    LONE_BOOSTER,
    LONE_NEGATOR,
    MENTION,
    NEGATED_NEGATIVE,
    NEGATED_POSITIVE,
    NEGATION_ENDERS,
    NEGATION_SCOPE,
    NEGATORS,
    NOT_CONTRAST_AFTER_NEGATOR,
    OBJECTS,
    QUESTION_DAMPING,
    QUESTION_OPENERS,
    REFUSALS,
    REPEAT_GAP,
    REPEATS,
    RESOLUTIONS,
    RESOLVED_NEGATIVE,
    RULE_WORDS,
    SPOILED_BY_EXCESS,
    STRONG,
    THIS,
    TRANSPARENT,
)
from feedback_core.sentiment._tables import DOUBLED as _DOUBLED
from feedback_core.sentiment._tables import FIRST_GROUP as _FIRST_GROUP
from feedback_core.sentiment._tables import Lexicon, check_terms, load_lexicon
from feedback_core.sentiment._tables import Openings as _Openings
from feedback_core.sentiment._tables import Phrases as _Phrases
from feedback_core.sentiment.ports import (
    OFFLINE_SOURCE,
    DocumentFailure,
    Label,
    SentimentResult,
    SentimentScores,
    _offline_result,
    blank_text_result,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from feedback_core.sentiment._model import LinearModel, Weights

__all__ = ["Lexicon", "LexiconSentimentAnalyzer", "load_lexicon"]

_left: Final = operator.length_hint  # how many items an iterator has left

# One token: a word (letters, inner apostrophes), a number (``10/10``, ``4.5``), a run of
# punctuation that ends a clause or sentence, or any other single non-space character (emoji).
_TOKEN: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.,/]\d+)*|[.!?;:,]+|\S")

_APOSTROPHE_MARKS: Final = ("\u2019", "\u2018", "\u00b4", "\u02bc", "\u2032")
"""Marks typed for an apostrophe and read as one: the right and left single quotation marks,
the acute accent, the modifier letter apostrophe and the prime (and the backtick, in ASCII)."""

_MISPLACED_APOSTROPHE: Final = {
    word[:-3] + "'nt": word for word in RULE_WORDS if word.endswith("n't")
}
"""``would'nt``, ``is'nt``, ``did'nt``: the negations with the apostrophe one letter late."""

_LINK_STARTS: Final = ("http://", "https://", "www.")
_MENTION: Final = re.compile(r"@\w+")
_ELONGATED: Final = re.compile(r"(.)\1{2,}")
_LAUGH: Final = re.compile(r"[bmw]{0,2}a?(?:h+a+){2,}h*|(?:h+e+){2,}h*")
"""Laughter spelt any way (``ahahaha``, ``bahaha``, ``hehehe``): it reads as ``haha``."""
_LAUGHTER_KEY: Final = "haha"
_AGAIN: Final = "again"
_MIN_VARIANT: Final = 5
"""Shorter words are not matched by their doubled-letter variants (``god`` is not ``good``)."""
# A cheap pre-check before looking for SHOUTING: two capitals in a row. Two character classes,
# not "[A-Z]{2}": a search for a pattern that opens with a class scans for that class in a tight
# loop, a repeat is set up and tried at every offset (13 % of the analyzer's instructions went
# to "{2}", a third of that with two classes). ASCII text (nearly all) is checked in bytes
# instead, each capital mapped to "A" and all else to " ", then searched for "AA": cheaper still.
_TWO_CAPITALS: Final = re.compile(r"[A-Z][A-Z]")
_CAPITALS_AS_A: Final = bytes(ord("A") if "A" <= chr(i) <= "Z" else ord(" ") for i in range(256))
_WORDS: Final = re.compile(r"[^\W\d_]{2,}")
_ALL_CAPS_SHARE: Final = 0.8
_NOTHING_SHOUTED: Final[frozenset[str]] = frozenset()
_TRAILING_PUNCTUATION: Final = ".,!?;:"
_CLAUSE_PUNCTUATION: Final = ".!?;:,"
_CLAUSE_CHARS: Final = frozenset(_CLAUSE_PUNCTUATION)  # emoticons may start with one: ":-)"
_SENTENCE_END_CHARS: Final = frozenset(".!?;")

# Variation selectors, zero-width joiners and skin-tone modifiers: an emoji's meaning is in its
# base character (the lexicon lists base characters only).
_IGNORED: Final = frozenset({"\ufe0e", "\ufe0f", "\u200d", *map(chr, range(0x1F3FB, 0x1F400))})

_INFLECTIONS: Final = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
    ("ly", ""),
    ("iest", "y"),
    ("est", "e"),
    ("est", ""),
)
"""Suffixes tried when a word is missing (``crashes`` -> ``crash``, ``slowest`` -> ``slow``,
``rudest`` -> ``rude``); stems under 3 letters never."""
_INFLECTIONS_BY_LAST: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    last: tuple(pair for pair in _INFLECTIONS if pair[0][-1] == last)
    for last in {suffix[-1] for suffix, _ in _INFLECTIONS}
}
"""The suffixes by their last letter, in :data:`_INFLECTIONS` order: one lookup by a word's last
letter finds the two or three it may end in, and most words end in none."""


# What a rule word does; the scoring loop finds it with the valence, in one memo lookup.
_PLAIN: Final = 0  # scored by its valence, if it has one
_NEGATE: Final = 1  # flips what follows: "not", "never", "no one"
_REFUSE: Final = 2  # a complaint that also negates what follows: "refused (to help)"
_RESOLVE: Final = 3  # turns the problem that follows into praise: "fixed (my problems)"
_ENOUGH: Final = 4  # undoes a negated praise word: "can't recommend them enough"
_EXPECT: Final = 5  # "expected (better)": disappointment
_BOOST: Final = 6  # scales the next sentiment word: "very", "a bit"
_EXCESS: Final = 7  # "too": the next quality is a complaint
_CONTRAST: Final = 8  # "but": what follows weighs more
_CONCEDE: Final = 9  # "although", "if you want": its clause weighs less
_CLAUSE: Final = 10  # punctuation that ends a clause: ",", "!!", "?!" (never in _ROLES)
_INERT: Final = 11  # a word with no valence and no role (never in _ROLES)
_JOIN: Final = 12  # "and I": a new clause, with nothing weighed more or less
_ACTS_ON_NEXT: Final = frozenset({_REFUSE, _RESOLVE})
_ROLES: Final[dict[str, int]] = {
    word: role
    # Later classes win for words in two ("hardly" negates rather than weakens).
    for role, words in (
        (_CONCEDE, CONCESSIVE | HYPOTHETICAL),
        (_CONTRAST, CONTRAST),
        (_JOIN, JOINS),
        (_EXCESS, EXCESS),
        (_BOOST, BOOSTERS.keys()),
        (_EXPECT, EXPECTATION),
        (_ENOUGH, {ENOUGH}),
        (_RESOLVE, RESOLUTIONS),
        (_REFUSE, REFUSALS),
        (_NEGATE, NEGATORS),
    )
    for word in words
}

_Entry = tuple[str, str, float | None, int, "Weights | None", _Openings | None]
"""A token as the scoring loop reads it, and as the token memo keeps it: the token, what the
lexicon says of it, and the phrases it may open."""

_MEMO_LIMIT: Final = 100_000
"""Distinct tokens each analyzer remembers. When it is full it starts again empty: a memo kept
as first filled would serve a long-lived process's first texts, not the ones it reads now."""

_CHUNK_LIMIT: Final = 50_000
"""Distinct whitespace-delimited chunks each analyzer remembers (about 0.25 kB each, the token
memo's entries they share included, so some 12 MB at most); when it is full it starts again
empty, as the token memo does."""

# Mixed: "clear praise and clear complaint side by side, neither dominant". A text can read as
# mixed only when its weaker side (praise or complaint) has at least MIXED_FLOOR raw evidence
# and at least MIXED_BALANCE times the stronger side's; its mixed score is then that balance
# times how torn the model is between positive and negative. Chosen on the tuning parts and the
# project's dev split (see docs/performance.md): mixed on a clearly polar text is a miss. The
# sides are counted clause by clause (_sides): praise and complaint in one clause are one
# verdict, not two (eighth pass).
MIXED_FLOOR: Final = 1.5
MIXED_BALANCE: Final = 0.65


class LexiconSentimentAnalyzer:
    """The offline analyzer: English, rule- and lexicon-based, deterministic, thread-safe.

    Fits both :class:`~feedback_core.sentiment.ports.SentimentAnalyzer` and
    :class:`~feedback_core.sentiment.ports.FallibleSentimentAnalyzer` (it never fails a
    document). Results have ``source == "offline"``.

    Args:
        extra_terms: Domain terms of your own, e.g. ``{"sluggish": -1.6, "dead pixel": -2.0}``
            (valences -4..4); they replace bundled entries.
        model: The model that weighs the rules' evidence and the words; default: the shipped
            one (``data/model.tsv``, see ``data/README.md``). Its trainer passes an empty one.

    Examples:
        >>> analyzer = LexiconSentimentAnalyzer()
        >>> [r.label.value for r in analyzer.analyze(["Great app!", "good but slow", ""])]
        ['positive', 'mixed', 'neutral']
    """

    def __init__(
        self,
        *,
        extra_terms: Mapping[str, float] | None = None,
        model: LinearModel | None = None,
    ) -> None:
        """Validate the extra terms now; the data files load on first use."""
        self._extra = check_terms(extra_terms) if extra_terms else None
        self._lexicon: Lexicon | None = None
        self._model = model
        self._memo: dict[str, _Entry] = {}
        self._chunks: dict[str, tuple[_Entry, ...]] = {}
        self._first_words: frozenset[str] | None = None

    @property
    def name(self) -> str:
        """``"offline"``."""
        return OFFLINE_SOURCE

    @property
    def model(self) -> LinearModel:
        """The shipped model that weighs the rules' evidence with the text's words."""
        if self._model is None:
            self._model = load_model()
        return self._model

    @property
    def lexicon(self) -> Lexicon:
        """The lexicon in use, loading it now if this is the first use."""
        if self._lexicon is None:
            self._lexicon = load_lexicon(self._extra)
        return self._lexicon

    def warm_up(self) -> LexiconSentimentAnalyzer:
        """Load the lexicon now (e.g. during a Lambda's init phase) and return ``self``."""
        _ = self.lexicon, self.model
        return self

    def analyze(self, texts: Sequence[str]) -> list[SentimentResult]:
        """Return one result per text, in order; blank texts are neutral.

        Args:
            texts: The texts; any length, any language (only English is understood: other
                text mostly reads as neutral, apart from emoji and emoticons).
        """
        return [self.analyze_one(text) for text in texts]

    def try_analyze(self, texts: Sequence[str]) -> list[SentimentResult | DocumentFailure]:
        """Same as :meth:`analyze`: the offline analyzer has no per-document failures."""
        return list(self.analyze(texts))

    def analyze_one(self, text: str) -> SentimentResult:
        """Return the sentiment of one text."""
        if not text or text.isspace():
            return blank_text_result()
        entries, shouted, all_caps = self._entries(text)
        evidence, words, values, clauses = self._evidence(entries, shouted, all_caps, None)
        # A question that opens like one asking for something: "How do I get ...?".
        request = "?" in text and bool(entries) and entries[0][1] in QUESTION_OPENERS
        negative, neutral, positive = (self._model or self.model).read(
            evidence, len(entries), request, words
        )
        # Praise and complaint side by side read as mixed when the weaker side is strong on its
        # own, the sides are close, and the model is torn between positive and negative.
        _, _, raw_positive, raw_negative = evidence
        # min() and max() written out (the same values): the builtins parse keyword arguments.
        weaker = raw_negative if raw_negative < raw_positive else raw_positive
        stronger = raw_negative if raw_negative > raw_positive else raw_positive
        mixed = 0.0
        if weaker >= MIXED_FLOOR and weaker >= MIXED_BALANCE * stronger:
            # Counted clause by clause, both sides lose the same amount (what each clause nets
            # out), so the balance only falls: only a text that passes here can still pass.
            weaker, stronger = _sides(values, clauses)
            if weaker >= MIXED_FLOOR and weaker >= MIXED_BALANCE * stronger:
                mixed = (1.0 - abs(positive - negative)) * weaker / stronger
        rest = 1.0 - mixed
        positive, neutral, negative = positive * rest, neutral * rest, negative * rest
        # Ties go to neutral first, then to the polar labels, then to mixed.
        label, best = Label.NEUTRAL, neutral
        if positive > best:
            label, best = Label.POSITIVE, positive
        if negative > best:
            label, best = Label.NEGATIVE, negative
        if mixed > best:
            label = Label.MIXED
        if (
            0.0 <= positive <= 1.0
            and 0.0 <= neutral <= 1.0
            and 0.0 <= negative <= 1.0
            and 0.0 <= mixed <= 1.0
        ):
            # Checked here, so the values are built without checking again (a third of the
            # cost of the public constructors, which were about a third of a short text's).
            return _offline_result(label, positive, neutral, negative, mixed)
        # Only a model with huge or non-finite weights gets here (NaN scores): the public
        # constructor refuses them, naming the score.
        scores = SentimentScores(positive=positive, neutral=neutral, negative=negative, mixed=mixed)
        return SentimentResult(label=label, scores=scores, source=OFFLINE_SOURCE)

    def features(self, text: str) -> tuple[tuple[float, ...], list[str]]:
        """Return the model's inputs for ``text``: its dense inputs and the words it weighs.

        For training and inspecting the shipped model (see ``data/README.md``).
        """
        entries, shouted, all_caps = self._entries(text)
        seen: list[str] = []
        evidence, _, _, _ = self._evidence(entries, shouted, all_caps, seen)
        request = "?" in text and bool(entries) and entries[0][1] in QUESTION_OPENERS
        return dense_features(evidence, len(entries), request), seen

    # -- internals -----------------------------------------------------------------------------

    def _entry(self, token: str) -> _Entry:
        """Resolve a lower-cased token as the scoring loop reads it, and remember it."""
        first_words = self._first_words
        if first_words is None:
            first_words = self._first_words = self.lexicon.phrases.first_words
        # One set lookup rules out the words that open no phrase (nearly all).
        options = (
            (self._lexicon or self.lexicon).phrases.openings(token)
            if token in first_words
            else None
        )
        entry: _Entry
        if token[0] in _CLAUSE_CHARS and not token.strip(_CLAUSE_PUNCTUATION):
            entry = (token, token, None, _CLAUSE, None, options)
        else:
            entry = self._resolve(token, options)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo.clear()  # full: start again, to follow the texts of now, not the first
        else:
            self._memo[token] = entry
        return entry

    def _resolve(self, token: str, options: _Openings | None) -> _Entry:
        """Resolve a lower-cased word: the key rules know it by, its valence, role and weights.

        ``options`` are the phrases it may open, kept in the entry as they are. Runs once per
        distinct word; two in three are words the lexicon does not know, so theirs is the path
        kept short (a word in the lexicon runs no regular expression, lookups come before calls).
        """
        lexicon = self._lexicon or self.lexicon
        valences = lexicon.valences
        key, emphasis = token, 1.0
        valence = valences.get(token)
        if valence is None and token not in RULE_WORDS:
            key = _MISPLACED_APOSTROPHE.get(token, token)  # "would'nt" is "wouldn't"
            # Most words have no doubled letter: one search rules out stretching ("sooo")
            # and the doubled-letter misspellings below.
            doubles = _DOUBLED.search(token) is not None
            if doubles and _ELONGATED.search(token):
                # "sooo goood": try two letters, then one; the stretching is emphasis.
                for candidate in (_ELONGATED.sub(r"\1\1", token), _ELONGATED.sub(r"\1", token)):
                    if candidate in valences or candidate in RULE_WORDS:
                        key, emphasis = candidate, ELONGATION_EMPHASIS
                        valence = valences.get(key)
                        break
            if valence is None and key not in RULE_WORDS:
                endings = _INFLECTIONS_BY_LAST.get(key[-1])
                if endings is not None:
                    valence = _inflected(key, endings, valences)
                if len(key) >= _MIN_VARIANT and valence is None:
                    valence = _doubling_variant(key, valences, lexicon.doubled, pairs=doubles)
        # Laughter has no letter but these (one C call rules out nearly every other word).
        if valence is None and not key.strip("abehmw") and _LAUGH.fullmatch(key) is not None:
            key, valence = _LAUGHTER_KEY, valences.get(_LAUGHTER_KEY)
        role = _ROLES.get(key, _PLAIN)
        # The model weighs only the words the rules do not: a word with a valence is the
        # rules' (with its negation, degree, contrast), and the dense inputs carry it.
        if not valence and role == _PLAIN:
            weights = (self._model or self.model).weights.get(key)
            return (token, key, None, _INERT, weights, options)
        return (token, key, valence * emphasis if valence else None, role, None, options)

    def _entries(self, text: str) -> tuple[list[_Entry], frozenset[str], bool]:
        """Split ``text`` into resolved tokens; also name the SHOUTED words, and if all were."""
        if "&" in text and ";" in text:
            text = _unescape(text)  # first: "&#8217;" is one of the apostrophe marks
        if not text.isascii():
            for mark in _APOSTROPHE_MARKS:
                if mark in text:
                    text = text.replace(mark, "'")
        if "`" in text:
            text = text.replace("`", "'")
        entries: list[_Entry] = []
        chunks, memo = self._chunks, self._memo
        for chunk in text.lower().split():
            # Whitespace-delimited chunks repeat across texts far more than texts do: each is
            # split and resolved once, then the scoring loop reads its entries straight away.
            known = chunks.get(chunk)
            if known is None:
                # A new chunk that is one word (most are) has no splitting to do.
                known = (
                    (memo.get(chunk) or self._entry(chunk),)
                    if chunk.isalpha()
                    else self._chunk(chunk)
                )
                if len(chunks) >= _CHUNK_LIMIT:
                    chunks.clear()  # full: start again, to follow the texts of now
                else:
                    chunks[chunk] = known
            entries += known
        if (
            # find(), not "in": bytes.__contains__ first tries its argument as an integer, and
            # builds and clears a TypeError for every text before it searches.
            text.encode().translate(_CAPITALS_AS_A).find(b"AA") < 0
            if text.isascii()
            else _TWO_CAPITALS.search(text) is None
        ):
            return entries, _NOTHING_SHOUTED, False
        words = _WORDS.findall(text)
        shouted = [word for word in words if word.isupper()]
        if len(shouted) >= 2 and len(shouted) >= _ALL_CAPS_SHARE * len(words):
            # A text in capitals throughout is loud as a whole; no single word stands out.
            return entries, _NOTHING_SHOUTED, True
        return entries, frozenset(word.lower() for word in shouted), False

    def _chunk(self, chunk: str) -> tuple[_Entry, ...]:
        """Split one lower-cased chunk into tokens and resolve each (the caller remembers it)."""
        memo, entry = self._memo, self._entry
        lexicon = self._lexicon or self.lexicon
        specials = lexicon.specials
        if chunk in specials or chunk.isalpha():
            return (memo.get(chunk) or entry(chunk),)
        stripped = chunk.rstrip(_TRAILING_PUNCTUATION)
        ending = chunk[len(stripped) :]  # one token, if any: the pattern reads the run as one
        tokens: list[str] | None
        # "good,", "wow!!", ":-)!": a word or emoticon, then one run of punctuation, is split
        # without the pattern (a third of new chunks). A word is checked first: it cannot be a
        # mention (no "@") or a web address ("www." is the one it could be).
        if stripped.isalpha() and stripped != "www":
            tokens = None
        elif chunk.startswith(_LINK_STARTS):
            tokens = [LINK]  # a web address says nothing of the writer's mood
        elif chunk[0] == "@" and (mention := _MENTION.match(chunk)) is not None:
            # "@name:" is someone named: one token for the name, whatever its words would mean.
            tokens = [MENTION, *_TOKEN.findall(chunk, mention.end())]
        elif stripped != chunk and stripped in specials:
            tokens = None
        elif stripped.endswith("-free") and stripped[:-5].isalpha():
            head = stripped[:-5]
            free_of = _free_of(stripped, memo.get(head) or entry(head))
            return (free_of, memo.get(ending) or entry(ending)) if ending else (free_of,)
        elif "-" in stripped and (joined := stripped.replace("-", "")).isalpha():
            # "over-priced" is "overpriced"; "top-notch", "well-made" are their words with no
            # hyphen between, so the phrases of those words match.
            parts = (
                [joined]
                if joined in lexicon.valences
                else [part for part in stripped.split("-") if part]
            )
            tokens = [*parts, ending] if ending else parts
        else:
            tokens = _TOKEN.findall(chunk)
        if tokens is None:
            return (memo.get(stripped) or entry(stripped), memo.get(ending) or entry(ending))
        if not _IGNORED.isdisjoint(tokens):
            tokens = [raw for raw in tokens if raw not in _IGNORED]
        return tuple([memo.get(token) or entry(token) for token in tokens])

    # One pass, one function: the rules share state token by token, and a call per rule per
    # token would cost about half the analyzer's speed.
    def _evidence(  # noqa: PLR0912, PLR0915
        self, entries: list[_Entry], shouted: frozenset[str], all_caps: bool, seen: list[str] | None
    ) -> tuple[tuple[float, float, float, float], Weights, list[float], list[int]]:
        """Return the rules' evidence and the model's word sums for a text's resolved tokens.

        The evidence is (positive, negative, raw positive, raw negative); "raw" evidence ignores
        the contrast weighting, so praise before a ``but`` still counts in full when deciding
        whether a text is mixed. The word sums add up the model's weights of the words read
        (appended to ``seen``, if given, as the model knows them), each distinct word once.
        Also returned: the rules' values, token by token, and where each clause starts
        (for :func:`_sides`).
        """
        memo, entry_of = self._memo, self._entry
        values: list[float] = []
        sentence_start, opener = 0, ""
        contrast_at = -1
        clauses = [0]  # where each clause's values start: a side of a mixed text is a clause
        negation, negator = 0, ""
        flipped_at, flipped_from = -1, 0.0
        expectation = 0
        boost, boost_reach = 1.0, 0
        # The own valence of a "no" or a "damn" that has not acted on anything yet: it counts
        # for itself if its reach runs out first ("no perks!", "damn you").
        lone_negator = lone_booster = 0.0
        excess = concession = False
        count = len(entries)
        inert, clause = _INERT, _CLAUSE
        previous = before = ""
        # The model's weights of the words read, each word once: its trainer saw a text's
        # distinct words, so "change is good. change is good." weighs "change" once too.
        words_neg = words_neu = words_pos = 0.0
        weighed: set[str] = set()
        reading = iter(entries)
        for entry in reading:
            token, key, valence, role, weights, options = entry
            # One lookup by the next token finds the phrases that may go on here, longest first.
            # "index" is the position of the entry after this one (the iterator knows how many
            # are left; asked only here, it costs less than counting every token).
            if (
                options is not None
                and (index := count - _left(reading)) < count
                and (
                    rests := options.get(entries[index][0])
                    # "order from here again": a few words between (rare; checked only here).
                    or (_bring_again(entries, index, options) if key in REPEATS else None)
                )
            ):
                for rest, merged in rests:
                    if index + len(rest) <= count and all(
                        entries[at][0] == word for at, word in enumerate(rest, index)
                    ):
                        phrase = memo.get(merged) or entry_of(merged)
                        if phrase[3] == inert and _overtaken(entries, index, len(rest), entry_of):
                            break  # "feel like a cloud": "feel", then "like a cloud" is read
                        token, key, valence, role, weights, _ = phrase
                        for _ in rest:  # the phrase's other tokens are read with it
                            next(reading)
                        break
            if role == inert:
                # Three tokens in four: a word with no valence and no role. Unless a rule is
                # still reaching forward, it only counts as a word.
                if weights is not None and key not in weighed:
                    weighed.add(key)
                    words_neg += weights[0]
                    words_neu += weights[1]
                    words_pos += weights[2]
                if not opener:
                    opener = key
                if seen is not None:
                    seen.append(key)
                previous = key
                if not (negation or boost_reach or excess or expectation):
                    continue
                role = _PLAIN
            elif role == clause:
                # A clause ends: negation, degree and "too" do not reach past it.
                if lone_negator or lone_booster:
                    _spend_lone(values, lone_negator, lone_booster)
                    lone_negator = lone_booster = 0.0
                negation, boost, boost_reach, flipped_at, expectation = 0, 1.0, 0, -1, 0
                excess = concession = False
                clauses.append(len(values))
                if not _SENTENCE_END_CHARS.isdisjoint(token):
                    if "!" in token or "?" in token:
                        _close_sentence(values, sentence_start, token, opener)
                    sentence_start, opener = len(values), ""
                continue
            else:
                if not opener:
                    opener = key
                if key == LIKE and previous not in LIKE_SUBJECTS:
                    valence = None  # "looks like", "like a toy": a comparison, not liking
                if (
                    previous == AND
                    and key in CLAUSE_VERBS
                    and (index := count - _left(reading)) < count
                    and entries[index][1] in OBJECTS
                ):
                    clauses.append(len(values))  # "... and hate the battery": a new verdict
                before, previous = previous, key
            if excess:
                role = _PLAIN
            if role != _PLAIN:
                if role == _NEGATE:
                    if lone_negator:
                        values.append(lone_negator)
                    negation, negator = NEGATION_SCOPE, key
                    lone_negator = valence * LONE_NEGATOR if valence is not None else 0.0
                elif role == _RESOLVE and negation and negator not in RESOLUTIONS:
                    # "still isn't fixed", "never resolved": a resolution that did not happen.
                    values.append(EXPECTED_FAILURE * boost)
                    negation, boost, boost_reach = 0, 1.0, 0
                    lone_negator = lone_booster = 0.0
                elif role == _REFUSE and negation and negator not in RESOLUTIONS:
                    # "never failed to impress", "didn't refuse to help": a refusal denied is
                    # mild praise, and what follows keeps its own sign.
                    if valence is not None:
                        values.append(valence * NEGATED_NEGATIVE * boost)
                    negation, boost, boost_reach = 0, 1.0, 0
                    lone_negator = lone_booster = 0.0
                elif role in _ACTS_ON_NEXT:
                    # "refused" / "fixed" carry their own valence and act on what follows.
                    if valence is not None:
                        values.append(valence * boost)
                        boost, boost_reach, lone_booster = 1.0, 0, 0.0
                    negation, negator = NEGATION_SCOPE, key
                elif role == _BOOST:
                    boost = min(boost * BOOSTERS[key], BOOST_LIMIT)
                    boost_reach = BOOSTER_REACH
                    if valence is not None:
                        if lone_booster:
                            values.append(lone_booster)
                        lone_booster = valence * LONE_BOOSTER
                elif role == _ENOUGH:
                    if flipped_at >= 0:
                        values[flipped_at] = flipped_from * ENOUGH_EMPHASIS
                        flipped_at = -1
                elif role == _EXPECT:
                    expectation = EXPECTATION_REACH
                elif role == _EXCESS:
                    excess = True
                else:  # _CONTRAST, _JOIN or _CONCEDE: a new clause starts here
                    if (
                        role == _CONTRAST
                        and negation
                        and before == negator
                        and key in NOT_CONTRAST_AFTER_NEGATOR
                    ):
                        continue  # "not yet fixed": the negation goes on, nothing contrasts
                    if lone_negator:
                        values.append(lone_negator)
                    if role == _CONTRAST and contrast_at < 0:
                        contrast_at = len(values)
                    clauses.append(len(values))
                    negation, lone_negator = 0, 0.0
                    if role != _JOIN:  # "and I" keeps an "although" clause's weight
                        concession = role == _CONCEDE
                continue
            if expectation:
                expectation -= 1
                if key in EXPECTATION_TARGETS:
                    valence, expectation, negation = EXPECTATION_VALENCE, 0, 0
                    lone_negator = 0.0
            if excess:
                # The word after "too" is the quality in excess, whatever else it could be:
                # "too good to be true" stays good; "too loud", "too small" are complaints.
                excess = False
                if valence is None or valence < STRONG or key in SPOILED_BY_EXCESS:
                    valence = EXCESS_VALENCE + min(valence or 0.0, 0.0)
            if negation and negator not in RESOLUTIONS and key in EXPECTED:
                # A missing expected event is a complaint, whatever the word's own valence:
                # "never arrived", "refused a refund", "no one will help".
                valence, negation, lone_negator = EXPECTED_FAILURE, 0, 0.0
            elif valence is None:
                if negation and key not in TRANSPARENT:
                    negation -= 1
                    if key in NEGATION_ENDERS:
                        # "don't know why I like it": the negation denied the knowing, and does
                        # not reach the clause "why" opens, nor count on its own.
                        negation, lone_negator = 0, 0.0
                    if not negation and lone_negator:
                        values.append(lone_negator)
                        lone_negator = 0.0
                if boost_reach:
                    boost_reach -= 1
                    if not boost_reach:
                        boost = 1.0
                        if lone_booster:
                            values.append(lone_booster)
                            lone_booster = 0.0
                continue
            elif negation and (not key[0].isalnum() or key in LAUGHTER):
                # A face, an emoji or a "lol" is the writer's own mood, outside the negation: "no
                # charger in the box :-(" is not a happy face. A "no" that reached nothing counts
                # alone.
                if lone_negator:
                    values.append(lone_negator)
                negation, lone_negator = 0, 0.0
            elif negation:
                negation, lone_negator = 0, 0.0
                if negator in RESOLUTIONS:
                    if valence < 0:  # "fixed all my problems"
                        valence *= RESOLVED_NEGATIVE
                elif negator in COMPARISON_DENIERS and key in COMPARATIVES:
                    pass  # "couldn't be happier", "can't ask for better": praise, not negated
                elif negator in COMPARISON_DENIERS and before in DENIED_DEGREE:
                    valence *= DENIED_DEGREE[before]  # "couldn't have been more helpful"
                elif before == THIS:
                    pass  # "never had pizza this good": a comparison denied, the quality kept
                elif valence > 0:
                    if key in ENOUGH_VERBS:  # "can't recommend them enough" may undo it
                        flipped_at, flipped_from = len(values), valence
                    valence *= NEGATED_POSITIVE
                else:
                    valence *= NEGATED_NEGATIVE
            valence *= boost
            boost, boost_reach, lone_booster = 1.0, 0, 0.0
            if shouted and token in shouted:
                valence *= CAPS_EMPHASIS
            if concession:
                valence *= CONCESSION
            values.append(valence)
        if lone_negator or lone_booster:
            _spend_lone(values, lone_negator, lone_booster)
        # The last sentence has no ending punctuation to apply (that is done where "!" or "?"
        # closes a sentence), so the text's values are complete here.
        return (
            _weigh(values, contrast_at, all_caps),
            (words_neg, words_neu, words_pos),
            values,
            clauses,
        )


def _overtaken(
    entries: list[_Entry], index: int, length: int, entry_of: Callable[[str], _Entry]
) -> bool:
    """Whether a phrase with a valence opens inside a neutral phrase and runs past its end.

    A neutral phrase only stops its words from counting (``feel like``: ``like`` compares).
    ``index`` is where its second word is and ``length`` how many words it has after its
    first. The longer reading wins: ``The pillows feel like a cloud.`` is ``feel`` and ``like a
    cloud``, not ``feel like``, ``a`` and ``cloud``.
    """
    options = entries[index][5]
    if options is None or index + 1 >= len(entries):
        return False
    rests = options.get(entries[index + 1][0])
    if rests is None:
        return False
    for rest, merged in rests:
        if (
            len(rest) >= length
            and index + 1 + len(rest) <= len(entries)
            and all(entries[at][0] == word for at, word in enumerate(rest, index + 1))
        ):
            return entry_of(merged)[2] is not None
    return False


def _bring_again(entries: list[_Entry], index: int, options: _Openings) -> _Phrases | None:
    """Move the ``again`` of ``order from here again`` to just after its verb; return its phrases.

    ``options`` are the verb's phrases and ``index`` where its next token is; up to
    :data:`REPEAT_GAP` words may come before ``again``, in the same clause (else None). The
    scoring loop then reads ``order again`` as a phrase, negation and all (``would not order
    from here again``), and the words between after it.
    """
    phrases = options.get(_AGAIN)
    if phrases is None:
        return None  # this verb has no "again" phrase (none in the tables, or none left)
    for at in range(index, min(index + REPEAT_GAP + 1, len(entries))):
        token, _, _, role, _, _ = entries[at]
        if token == _AGAIN:
            # The same length back: only these few entries move, however long the text.
            entries[index : at + 1] = [entries[at], *entries[index:at]]
            return phrases
        if role == _CLAUSE:
            return None
    return None


def _inflected(
    word: str, endings: tuple[tuple[str, str], ...], valences: Mapping[str, float]
) -> float | None:
    """Return the valence of the term ``word`` inflects, trying ``endings`` in order, or None.

    A consonant doubled before the suffix is written once if the stem as it stands is no term
    (``scammed`` is ``scam``, ``saddest`` is ``sad``, ``nagging`` is ``nag``); ``missed``
    finds ``miss`` first.
    """
    for suffix, replacement in endings:
        stem_length = len(word) - len(suffix)
        if stem_length >= 3 and word.endswith(suffix):
            stem = word[:stem_length] + replacement
            valence = valences.get(stem)
            if valence is None and not replacement and stem[-1] == stem[-2]:
                valence = valences.get(stem[:-1])
            if valence is not None:
                return valence
    return None


def _free_of(compound: str, head: _Entry) -> _Entry:
    """Read ``<head>-free`` as one entry: free of what ``head`` names.

    ``hassle-free`` and ``trouble-free`` are a complaint negated, praise; ``fun-free`` the
    opposite; ``gluten-free`` and ``hands-free`` a plain thing, nothing, the model reading the
    thing as a word. ``free`` is no praise in any of them, and one entry keeps
    the negation from reaching the next words (``the hands-free kit stopped working``).
    """
    valence = head[2]
    if valence:
        factor = NEGATED_NEGATIVE if valence < 0 else NEGATED_POSITIVE
        return (compound, compound, valence * factor, _PLAIN, None, None)
    return (compound, head[1], None, _INERT, head[4], None)


def _unescape(text: str) -> str:
    """Read HTML character references as what they stand for.

    A form or a feed that escapes its text sends ``I &lt;3 it`` for ``I <3 it``, and ``&gt;``
    is not VADER's ``gt`` (good try). The standard library's reader, imported on the first text
    that needs it (some 2 ms, its table of named references), not with the analyzer.
    """
    from html import unescape  # only texts with '&' and ';' pay for the import

    return unescape(text)


def _doubling_variant(
    word: str, valences: Mapping[str, float], doubled: Mapping[str, str], *, pairs: bool = True
) -> float | None:
    """Return the valence of ``word`` misspelt by a doubled letter, or None.

    Doubled letters are the commonest misspelling: one added (``dissaster``), one dropped
    (``terible``), or both (``dissapointed``). Write every doubled letter once, then try that,
    and that with one letter doubled: the first from the left that makes a term, which the
    lexicon's :func:`doubling_index` names in one lookup, as it names a term with two pairs
    (``sucess``, ``embarased``). Runs once per distinct unknown word. ``pairs=False`` says the
    caller found no doubled letter in ``word`` and no term ``word``: there is no pair to write
    once, and only one letter to double (``terible``), which the index alone names.
    """
    if pairs:
        single = _DOUBLED.sub(_FIRST_GROUP, word)
        valence = valences.get(single)
    else:
        single, valence = word, None
    if valence is None and (term := doubled.get(single)) is not None:
        # .get: a table rebuilt without rebuilding the index (a test catches that) loses a
        # variant, not every analysis.
        valence = valences.get(term)
    return valence


def _spend_lone(values: list[float], lone_negator: float, lone_booster: float) -> None:
    """Count the own valence of a negator or degree word that acted on nothing."""
    if lone_negator:
        values.append(lone_negator)
    if lone_booster:
        values.append(lone_booster)


def _close_sentence(values: list[float], start: int, ending: str, opener: str | None) -> None:
    """Apply a finished sentence's punctuation to its values: ``!`` emphasises, ``?`` may damp."""
    if start == len(values):
        return
    factor = 1.0 + EXCLAMATION_STEP * min(ending.count("!"), EXCLAMATION_MAX)
    if "?" in ending and opener in QUESTION_OPENERS:
        factor *= QUESTION_DAMPING
    if factor != 1.0:
        for position in range(start, len(values)):
            values[position] *= factor


def _sides(values: list[float], clauses: list[int]) -> tuple[float, float]:
    """Return the weaker and the stronger side a text states clause by clause (for mixed).

    Within a clause (up to ``,`` ``;`` ``:`` ``.`` ``!`` ``?``, a contrast such as ``but``, a
    concession such as ``although``, or ``and`` before a subject), praise and complaint net
    out: ``perfectly portrays the desperation of an insecure man`` is one verdict. Across
    clauses they stand side by side: ``great product, terrible delivery``. Values are the
    rules' own, before the contrast weighting, as the raw evidence is.
    """
    positive = negative = 0.0
    ends = [*clauses[1:], len(values)]
    for start, end in zip(clauses, ends, strict=True):
        net = sum(values[start:end])
        if net > 0:
            positive += net
        else:
            negative -= net
    return (positive, negative) if positive < negative else (negative, positive)


def _weigh(
    values: list[float], contrast_at: int, all_caps: bool
) -> tuple[float, float, float, float]:
    positive = negative = raw_positive = raw_negative = 0.0
    for position, value in enumerate(values):
        weight = 1.0
        # A "but" / "yet" with nothing scored after it ("no refund yet") contrasts nothing.
        if 0 <= contrast_at < len(values):
            weight = BEFORE_CONTRAST if position < contrast_at else AFTER_CONTRAST
        if value > 0:
            positive += value * weight
            raw_positive += value
        else:
            negative -= value * weight
            raw_negative -= value
    if all_caps:
        positive *= ALL_CAPS_EMPHASIS
        negative *= ALL_CAPS_EMPHASIS
    return positive, negative, raw_positive, raw_negative
