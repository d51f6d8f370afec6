"""Closed word classes the offline analyzer treats as grammar rather than sentiment.

Every list here is written by the feedback_core project for short English customer feedback.
Multi-word entries (``"no one"``, ``"a bit"``) are merged into one token before scoring.
"""

from __future__ import annotations

from typing import Final

NEGATION_SCOPE: Final = 3
"""How many following content tokens a negator reaches (VADER also looks three words back)."""

NEGATORS: Final = frozenset(
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "without",
        "cannot", "can't", "cant", "don't", "dont", "doesn't", "doesnt", "didn't", "didnt",
        "isn't", "isnt", "wasn't", "wasnt", "aren't", "arent", "weren't", "werent", "won't",
        "wont", "wouldn't", "wouldnt", "couldn't", "couldnt", "shouldn't", "shouldnt",
        "hasn't", "hasnt", "haven't", "havent", "hadn't", "hadnt", "ain't", "aint", "nope",
        "no one", "not at all", "not even", "hardly", "barely", "could not", "can not",
        "never ever", "not once", "no longer", "lacks", "lacking", "lacked", "used to",
    }
)  # fmt: skip
"""Words that flip the sentiment of what follows them in the same clause; ``used to`` among them:
praise in the past is a decline (``it used to be great``), a problem in the past a fix."""

USED_FOR: Final = frozenset(
    {
        "is used to", "are used to", "was used to", "were used to", "be used to", "been used to",
        "being used to", "it's used to", "that's used to",
    }
)  # fmt: skip
"""The passive ``used to`` of a purpose, which negates nothing: ``this is used to clean the
lenses``. After ``I'm``/``I am`` (used to better service) it keeps its negating sense."""

NOT_NEGATING: Final = frozenset(
    {
        "not just", "not only", "not merely", "not simply", "no doubt", "no question",
        "without a doubt", "without doubt", "no wonder", "don't know", "dont know",
        "do not know", "didn't know", "didnt know", "did not know", "never knew", "can't stop",
        "cant stop", "cannot stop", "can not stop", "couldn't stop", "couldnt stop",
        "could not stop",
    }
)  # fmt: skip
"""Phrases that open with a negator and negate nothing: ``not just fast, it was friendly``,
``no doubt it will break again``, ``I don't know how I got so lucky``, ``can't stop smiling``."""

LAUGHTER: Final = frozenset(
    {
        "lol", "lolz", "lolol", "lool", "lmao", "lmfao", "rofl", "haha", "hahah", "hahaha",
        "hehe", "hehehe", "xd",
    }
)  # fmt: skip
"""Laughter, like a face, is the writer's own mood: a negation does not reach it (``the world
wouldn't be against me lol``)."""

TRANSPARENT: Final = frozenset(
    {
        "a", "an", "the", "my", "your", "our", "their", "his", "her", "its", "this", "that",
        "these", "those", "any", "single", "one", "even", "be", "been", "being", "really",
        "very", "so", "too", "at", "all", "much", "i", "it", "it's", "is", "was", "are",
        "were", "me", "us", "them", "him", "you", "have", "had", "get", "got", "getting",
        "feel", "feeling", "seem", "seems", "look", "looks", "think", "to", "would", "could",
        "should", "will", "ever", "what", "i'd", "i'll", "we'd", "we'll", "you'd", "am", "do",
        "did", "does", "as", "say", "call", "exactly", "particularly", "quite", "that's",
        "we", "they", "he", "she", "go", "going", "want", "wanted", "expect", "ask", "for",
        "of", "in", "on", "with", "about", "there", "here", "there's", "thing", "anything",
        "something", "which", "way", "nearly", "remotely", "overly", "terribly", "especially",
        "last year", "last yr", "last week", "last night", "last month", "last time",
        "last weekend", "last minute", "last summer", "last winter",
    }
)  # fmt: skip
"""Words that do not use up a negator's reach (``never had a single problem``); the ``last``
of ``last week`` among them, which is not the ``last`` of ``didn't last``."""

_MORE: Final = 1.3
_LESS: Final = 0.6

BOOSTERS: Final[dict[str, float]] = {
    **dict.fromkeys(
        (
            "absolutely", "amazingly", "awfully", "completely", "considerably", "decidedly",
            "deeply", "entirely", "especially", "exceptionally", "extremely", "fully", "greatly",
            "highly", "hugely", "incredibly", "insanely", "intensely", "majorly", "most",
            "particularly", "properly", "quite", "really", "remarkably", "ridiculously", "so",
            "soo", "super", "seriously", "substantially", "terribly", "thoroughly", "totally",
            "truly", "tremendously", "unbelievably", "unusually", "utterly", "very", "way",
            "genuinely", "honestly", "rly", "sooo", "mega", "damn", "bloody", "painfully",
            "horribly", "at all", "by far", "real", "nothing short of", "nothing if not",
            "awful lot", "an awful lot",
        ),
        _MORE,
    ),
    **dict.fromkeys(
        (
            "almost", "fairly", "kinda", "kind of", "sort of", "sorta",
            "less", "little", "a little", "a bit", "a little bit", "a tad", "bit", "marginally",
            "mildly", "occasionally", "partly", "pretty", "rather", "reasonably", "slightly",
            "somewhat", "tiny bit", "a tiny bit", "only", "mostly", "minor", "small",
        ),
        _LESS,
    ),
}  # fmt: skip
"""Degree words and the factor they apply to the next sentiment word's valence."""

BOOSTER_REACH: Final = 2
"""How many following tokens a booster reaches (``so incredibly helpful``)."""

BOOST_LIMIT: Final = 100.0
"""The most that degree words in a row multiply by (``very`` 18 times): thousands of them would
otherwise overflow a float, and the scores would be NaN."""

CONTRAST: Final = frozenset({"but", "however", "yet", "nevertheless", "nonetheless", "except"})
"""Conjunctions after which the writer's main point follows (``good but slow``)."""
JOINS: Final = frozenset(
    {
        "and i", "and we", "and they", "and he", "and she", "and it", "and you", "and i'm",
        "and it's", "and they're", "and we're", "and you're",
    }
)  # fmt: skip
"""``and`` before a subject opens a clause of its own: ``I love the screen and I hate the
battery`` states two verdicts; ``a bitter and lonely widow`` one."""
AND: Final = "and"
CLAUSE_VERBS: Final = frozenset(
    {
        "love", "loved", "loves", "hate", "hated", "hates", "like", "liked", "likes", "dislike",
        "disliked", "dislikes", "enjoy", "enjoyed", "enjoys", "adore", "adored", "adores",
        "loathe", "loathed", "loathes", "despise", "despised", "despises", "appreciate",
        "appreciated", "appreciates", "regret", "regretted", "regrets",
    }
)  # fmt: skip
"""Verbs of liking and loathing: after ``and`` and before their object (:data:`OBJECTS`) they
open a clause of their own, their subject left out. ``Love the screen and hate the battery``
states two verdicts, as ``and I hate`` does; ``peace and love`` is a noun in one clause."""
OBJECTS: Final = frozenset(
    {
        "the", "a", "an", "this", "that", "these", "those", "it", "them", "him", "her", "my",
        "our", "your", "his", "their", "its", "every", "everything", "all", "how", "what",
    }
)  # fmt: skip
"""Words that open the object of a verb in :data:`CLAUSE_VERBS` (``hate the battery``)."""
NOT_CONTRAST_AFTER_NEGATOR: Final = frozenset({"yet"})
"""Contrast words that are none right after a negator: ``not yet fixed`` is still not fixed."""
NEGATION_ENDERS: Final = frozenset({"why"})
"""Words opening a clause that a negation before them does not reach: ``I don't know why I
like it`` asserts the liking."""

CONCESSIVE: Final = frozenset(
    {"although", "though", "tho", "even though", "despite", "while", "whilst"}
)
"""Conjunctions that open a subordinate, concession clause (``although it's pricey, ...``)."""

HYPOTHETICAL: Final = frozenset(
    {
        "if you want", "if you like", "if you love", "if you need", "if you enjoy",
        "if you prefer", "if you're looking for", "if you are looking for", "if you're after",
        "if you are after", "if you're into", "if you are into",
    }
)  # fmt: skip
"""Openings of a clause that names what a reader may want, not what the writer found: ``if you
want a good burger, go elsewhere``. Its words weigh as a concession clause's do."""

BEFORE_CONTRAST: Final = 0.5
AFTER_CONTRAST: Final = 1.25
CONCESSION: Final = 0.5

QUESTION_OPENERS: Final = frozenset(
    {
        "how", "what", "where", "when", "which", "who", "is", "are", "can", "could", "do",
        "does", "did", "will", "would", "should", "may", "any", "has", "have", "was", "were",
        "am", "whats", "what's", "hows", "how's", "anyone", "i'd",
    }
)  # fmt: skip
"""First words of a question that asks for something rather than complains (``why`` complains)."""

QUESTION_DAMPING: Final = 0.3
"""Factor on the sentiment of a request-style question (``How do I get a refund?``)."""

EXPECTED: Final = frozenset(
    {
        "work", "works", "worked", "working", "arrive", "arrived", "arrives", "came", "come",
        "comes", "respond", "responded", "response", "reply", "replied", "replies", "answer",
        "answered", "answers", "fit", "fits", "charge", "charges", "charging", "connect",
        "connects", "connected", "load", "loads", "loaded", "turn on", "turns on", "show up",
        "showed up", "shows up", "deliver", "delivered", "receive", "received", "recieved",
        "fix", "fixed", "fixes", "last", "lasted", "start", "starts", "started", "open",
        "opens", "refund", "refunded", "callback", "call back", "called back", "update",
        "updates", "tracking", "explanation", "communication", "apology", "apologise",
        "apologize", "apologised", "apologized", "compensation", "information", "info",
        "sync", "syncs", "pair", "pairs", "paired", "print", "prints", "change", "acknowledge",
        "acknowledged", "explain",
        "exist", "exists", "matter", "care", "cares", "cared", "bother", "bothered",
        "get back", "got back", "help", "helped", "helps", "resolve", "resolved", "again",
        "order", "package", "parcel", "delivery", "confirmation", "receipt", "invoice",
        "seal", "seals", "sealed", "stay", "stays", "hold", "holds", "lock", "locks", "latch",
        "latches", "stick", "sticks", "refill", "refilled", "greet", "greeted", "honor", "honored",
        "honour", "honoured", "mount", "mounts", "boot", "boots", "recognize", "recognizes",
        "recognise", "recognises", "detect", "detects", "heat", "heats", "issued", "processed",
    }
)  # fmt: skip
"""Events a customer expects: neutral alone, a complaint when negated (``never arrived``)."""

EXPECTED_FAILURE: Final = -1.6
"""Valence of a negated expected event."""

REPEATS: Final = frozenset({"order", "ordering", "buy", "buying", "purchase", "use", "using"})
"""Verbs whose ``<verb> again`` phrase (``order again``: praise) also matches with a few words
between, in one clause: ``will order from here again``, ``would not buy it again``. Not
``return``: ``return it again`` is sending it back."""

REPEAT_GAP: Final = 3
"""How many words may stand between a verb of :data:`REPEATS` and its ``again``."""

EXCESS: Final = frozenset({"too", "overly", "way too", "far too", "much too"})
"""Words after which a neutral quality reads as a complaint (``too small``, ``way too loud``)."""

EXCESS_VALENCE: Final = -1.3
"""Valence of ``too`` + a word without strong sentiment of its own."""

NEGATED_POSITIVE: Final = -0.74
"""Factor on a negated positive word (VADER's N_SCALAR): ``not good`` is bad, a bit less so."""

NEGATED_NEGATIVE: Final = -0.74
"""Factor on a negated negative word: ``no problems``, ``can't fault it`` read as praise."""

COMPARISON_DENIERS: Final = frozenset(
    {
        "can't", "cant", "cannot", "couldn't", "couldnt", "could not", "can not", "never",
        "never ever", "nothing",
    }
)  # fmt: skip
"""Negators that deny a comparison rather than a quality (``couldn't be``, ``never``)."""

COMPARATIVES: Final = frozenset(
    {
        "happier", "better", "easier", "nicer", "more pleased", "more satisfied",
        "more impressed", "worse",
    }
)  # fmt: skip
"""After ``couldn't be``, ``never`` or ``nothing`` a comparative keeps its sign: ``couldn't be
happier`` and ``never felt better`` are praise, ``couldn't be worse`` is a complaint."""

DENIED_DEGREE: Final = {"more": 1.0, "less": -1.0}
"""After those negators, ``more X`` is X at its most and ``less X`` its opposite, not X negated:
``couldn't have been more helpful`` is praise, ``couldn't have been less helpful`` a complaint."""

ENOUGH: Final = "enough"
"""Undoes a negated praise verb of :data:`ENOUGH_VERBS` in its clause: ``can't recommend them
enough``. After any other word it is a complaint: ``not good enough``, ``not fast enough``."""
ENOUGH_VERBS: Final = frozenset(
    {
        "recommend", "thank", "thanks", "praise", "love", "appreciate", "commend", "enjoy",
        "like", "rave",
    }
)  # fmt: skip
ENOUGH_EMPHASIS: Final = 1.3

EXPECTATION: Final = frozenset({"expected", "expecting", "hoped", "hoping", "anticipated"})
EXPECTATION_TARGETS: Final = frozenset({"better", "more"})
EXPECTATION_REACH: Final = 3
EXPECTATION_VALENCE: Final = -1.8
"""``expected better`` / ``hoped for more`` is disappointment, not praise."""

CAPS_EMPHASIS: Final = 1.3
ELONGATION_EMPHASIS: Final = 1.15
EXCLAMATION_STEP: Final = 0.15
EXCLAMATION_MAX: Final = 3
ALL_CAPS_EMPHASIS: Final = 1.15

STRONG: Final = 1.5
"""A valence at least this strong survives ``too`` (``too good to be true``)."""

SPOILED_BY_EXCESS: Final = frozenset({"sweet", "rich", "strong", "bright"})
"""Strong qualities that ``too`` makes a complaint all the same: ``way too sweet``, ``far too
rich``, ``too strong`` (a drink), ``too bright`` (a screen)."""

REFUSALS: Final = frozenset(
    {"refused", "refuse", "refuses", "failed", "fail", "fails", "unable", "forgot", "forgets"}
)
"""Words that are complaints themselves and also negate what follows (``refused to help``)."""

RESOLUTIONS: Final = frozenset(
    {
        "fixed", "fixes", "solved", "solves", "resolved", "resolves", "sorted", "sorts",
        "replaced", "repaired", "repairs", "removed", "removes", "eliminated", "eliminates",
        "cured", "cures", "got rid of", "gets rid of", "gone are",
    }
)  # fmt: skip
"""Words that turn the problem they act on into praise (``fixed all my problems``)."""

THIS: Final = "this"
"""Before a negated word, a comparison denied: ``never had pizza this good`` is praise."""

LIKE: Final = "like"
"""The verb of liking that is also a comparison (``feels like a toy``, ``like a charm``)."""

LIKE_SUBJECTS: Final = frozenset(
    {
        "i", "we", "you", "they", "he", "she", "everyone", "everybody", "people", "kids",
        "who", "really", "also", "just", "actually", "truly", "definitely", "still", "do",
        "did", "does", "don't", "dont", "didn't", "didnt", "doesn't", "doesnt", "not", "would",
        "i'd", "we'd", "you'd", "they'd", "will", "i'll", "we'll", "you'll", "all", "both",
        "absolutely", "totally", "personally", "sure", "much", "especially", "always", "so",
        "to", "certainly", "genuinely", "honestly", "mostly", "quite", "and i", "and we",
        "and they", "and you",
    }
)  # fmt: skip
"""After these, ``like`` is a verb of liking; elsewhere (``looks like``, ``like a toy``), a
comparison with no sentiment of its own."""

RESOLVED_NEGATIVE: Final = -1.0
"""Factor on a problem a resolution acted on: ``fixed all my problems`` is full-strength praise."""

LINK: Final = "<link>"
"""The token a web address (``https://...``, ``www....``) becomes: no word of it is read."""

MENTION: Final = "<mention>"
"""The token an ``@name`` becomes: a user name (``@anonymous``, ``@BadBankCo``) is not sentiment."""

LONE_NEGATOR: Final = 1.0
"""Factor on the own valence of a negator that flips nothing (VADER's ``no``: -1.2): ``no
perks!``, ``No TV.``: a lack is a complaint."""

LONE_BOOSTER: Final = 1.0
"""Factor on the own valence of a degree word that modifies nothing: ``damn you``, ``Damn.``
(``damn good`` stays a degree word)."""

RULE_WORDS: Final = frozenset(
    NEGATORS
    | NOT_NEGATING
    | USED_FOR
    | BOOSTERS.keys()
    | CONTRAST
    | JOINS
    | CONCESSIVE
    | HYPOTHETICAL
    | EXCESS
    | EXPECTED
    | TRANSPARENT
    | QUESTION_OPENERS
    | REFUSALS
    | RESOLUTIONS
    | EXPECTATION
    | {ENOUGH}
)
"""Every word or phrase a rule acts on: never matched by a variant of a lexicon word, and its
phrases are merged into one token like the lexicon's."""
