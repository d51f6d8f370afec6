"""Projections and the pure fold: what items contribute, and how events combine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedback_core.aggregate import (
    Contribution,
    CounterKey,
    ExpiryPolicy,
    combine,
    feedback_stats,
    fold,
    projection,
    recount,
    survey_distribution,
    vote_tally,
)
from feedback_core.aggregate.stream import StreamRecord, decode_record
from feedback_core.attributes import to_item
from feedback_core.errors import StreamConfigurationError

TALLY = ("poll#p1", "tally")


def rec(
    sequence: int,
    name: str,
    *,
    new: dict[str, Any] | None = None,
    old: dict[str, Any] | None = None,
    expiry: bool = False,
    view: str = "NEW_AND_OLD_IMAGES",
) -> StreamRecord:
    data: dict[str, Any] = {"SequenceNumber": str(sequence), "StreamViewType": view, "Keys": {}}
    if new is not None:
        data["NewImage"] = to_item(new)
    if old is not None:
        data["OldImage"] = to_item(old)
    raw: dict[str, Any] = {"eventName": name, "dynamodb": data}
    if expiry:
        raw["userIdentity"] = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    return decode_record(raw)


def vote(choice: str, poll: str = "p1") -> dict[str, Any]:
    return {"pollId": poll, "userId": "u1", "choice": choice}


def test_a_vote_counts_one_for_its_choice() -> None:
    """The vote tally gives +1 on the poll's tally item, field choice:<choice>."""
    contributions = list(vote_tally()(vote("yes")))
    assert [
        Contribution(counter=CounterKey(group="poll#p1", name="tally"), field="choice:yes")
    ] == contributions


def test_an_item_without_a_choice_counts_nothing() -> None:
    """Items that are not votes (or are malformed) contribute nothing."""
    assert [] == list(vote_tally()({"pollId": "p1", "userId": "u1"}))


def test_feedback_counts_rating_sentiment_and_day() -> None:
    """A feedback item adds count, rating sum, histogram, sentiment and its day's counts."""
    item: dict[str, Any] = {
        "feedbackId": "f1",
        "rating": 4,
        "sentiment": "positive",
        "createdAt": "2026-11-22T23:20:32Z",
    }
    assert {
        ("feedback", "total"): {
            "count": 1,
            "rated": 1,
            "ratingSum": 4,
            "rating:4": 1,
            "sentiment:positive": 1,
        },
        ("feedback", "day:2026-11-22"): {"count": 1, "rated": 1, "ratingSum": 4},
    } == recount([item], feedback_stats()).as_dict()


def test_sentiment_landing_later_changes_only_the_sentiment_field() -> None:
    """A MODIFY that adds the sentiment label changes nothing but that label's count."""
    before = {"feedbackId": "f1", "rating": 2, "createdAt": "2026-11-22T10:00:00Z"}
    after = {**before, "sentiment": "negative", "sentimentScores": {"negative": Decimal("0.9")}}
    deltas = fold([rec(1, "MODIFY", new=after, old=before)], feedback_stats())
    assert {("feedback", "total"): {"sentiment:negative": 1}} == deltas.as_dict()


def test_survey_answers_count_per_question_and_answer() -> None:
    """Numbers, booleans, texts and list answers each land in their question's distribution."""
    response: dict[str, Any] = {
        "surveyId": "s1",
        "responseId": "r1",
        "answers": {"nps": 9, "ok": True, "plan": "pro", "features": ["api", "sso", "api"]},
    }
    assert {
        ("survey#s1", "question:features"): {"answered": 1, "s:api": 1, "s:sso": 1},
        ("survey#s1", "question:nps"): {"answered": 1, "n:9": 1, "sum": 9},
        ("survey#s1", "question:ok"): {"answered": 1, "b:true": 1},
        ("survey#s1", "question:plan"): {"answered": 1, "s:pro": 1},
        ("survey#s1", "total"): {"responses": 1},
    } == recount([response], survey_distribution()).as_dict()


def test_long_free_text_counts_as_other() -> None:
    """Free text past the answer length limit is counted, not tallied by its text."""
    response: dict[str, Any] = {"surveyId": "s1", "responseId": "r1", "answers": {"why": "x" * 101}}
    deltas = recount([response], survey_distribution(max_answer_length=100))
    assert {"answered": 1, "other": 1} == dict(
        deltas.counters[CounterKey(group="survey#s1", name="question:why")]
    )


def test_decimal_answers_use_canonical_labels_and_exact_sums() -> None:
    """4.50 is tallied as n:4.5 and summed exactly."""
    response: dict[str, Any] = {
        "surveyId": "s1",
        "responseId": "r1",
        "answers": {"score": Decimal("4.50")},
    }
    deltas = recount([response], survey_distribution())
    assert {"answered": 1, "n:4.5": 1, "sum": Decimal("4.5")} == dict(
        deltas.counters[CounterKey(group="survey#s1", name="question:score")]
    )


def test_insert_adds_the_new_image() -> None:
    """INSERT adds P(new)."""
    assert {TALLY: {"choice:yes": 1}} == fold(
        [rec(1, "INSERT", new=vote("yes"))], vote_tally()
    ).as_dict()


def test_remove_subtracts_the_old_image() -> None:
    """REMOVE subtracts P(old): a withdrawn vote is taken back."""
    assert {TALLY: {"choice:yes": -1}} == fold(
        [rec(1, "REMOVE", old=vote("yes"))], vote_tally()
    ).as_dict()


def test_modify_adds_the_difference() -> None:
    """A changed vote moves one count from the old choice to the new one, not +1 overall."""
    deltas = fold([rec(1, "MODIFY", new=vote("no"), old=vote("yes"))], vote_tally())
    assert {TALLY: {"choice:no": 1, "choice:yes": -1}} == deltas.as_dict()


def test_zero_deltas_vanish() -> None:
    """A MODIFY that changes nothing counted produces no delta at all."""
    unchanged = fold(
        [rec(1, "MODIFY", new={**vote("yes"), "revision": 2}, old=vote("yes"))], vote_tally()
    )
    assert {} == unchanged.as_dict()


def test_deltas_for_the_same_counter_coalesce() -> None:
    """Many records on one poll fold into one item's deltas."""
    records = [rec(i, "INSERT", new=vote("yes" if i % 3 else "no")) for i in range(1, 10)]
    assert {TALLY: {"choice:no": 3, "choice:yes": 6}} == fold(records, vote_tally()).as_dict()


@pytest.mark.parametrize(
    ("name", "new", "old", "missing"),
    [
        ("INSERT", None, None, "new"),
        ("REMOVE", None, None, "old"),
        ("MODIFY", {"choice": "a"}, None, "old"),
        ("MODIFY", None, {"choice": "a"}, "new"),
    ],
)
def test_a_missing_image_is_a_configuration_error(
    name: str, new: dict[str, Any] | None, old: dict[str, Any] | None, missing: str
) -> None:
    """A record without the image its event needs names the stream view type to use."""
    with pytest.raises(StreamConfigurationError, match=f"no {missing} image.*NEW_AND_OLD_IMAGES"):
        fold([rec(1, name, new=new, old=old, view="KEYS_ONLY")], vote_tally())


def test_a_ttl_expiry_is_not_a_retraction_by_default() -> None:
    """An expired vote still counts: expiry is housekeeping."""
    assert {} == fold([rec(1, "REMOVE", old=vote("yes"), expiry=True)], vote_tally()).as_dict()


def test_a_ttl_expiry_retracts_under_the_retract_policy() -> None:
    """With RETRACT, an expiry subtracts like a delete."""
    deltas = fold(
        [rec(1, "REMOVE", old=vote("yes"), expiry=True)], vote_tally(), expiry=ExpiryPolicy.RETRACT
    )
    assert {TALLY: {"choice:yes": -1}} == deltas.as_dict()


def test_an_ignored_expiry_needs_no_old_image() -> None:
    """Under IGNORE an expiry is skipped even on a stream without old images."""
    assert {} == fold([rec(1, "REMOVE", expiry=True, view="NEW_IMAGE")], vote_tally()).as_dict()


def test_combined_projections_contribute_both() -> None:
    """combine() runs every part over the same image."""
    both = combine(vote_tally(), feedback_stats())
    item = {**vote("yes"), "feedbackId": "f1"}
    assert ("vote-tally+feedback-stats", 2) == (both.name, len(recount([item], both).counters))


def test_a_custom_projection_is_a_decorated_function() -> None:
    """Integrators write projections as plain functions with a name."""

    @projection("orders-by-country")
    def orders(image: Any) -> Any:
        yield Contribution(counter=CounterKey(group="orders", name="all"), field=f"c:{image['c']}")

    assert {("orders", "all"): {"c:NZ": 2}} == recount([{"c": "NZ"}, {"c": "NZ"}], orders).as_dict()


@pytest.mark.parametrize(("group", "name"), [("", "x"), ("~marker", "x"), ("g", "~1~x"), ("g", "")])
def test_reserved_or_empty_counter_names_are_refused(group: str, name: str) -> None:
    """Stores keep markers and write shards under '~': counter names may not start with it."""
    with pytest.raises(ValueError, match="counter"):
        CounterKey(group=group, name=name)


choices = st.sampled_from(["a", "b", "c"])
events = st.lists(
    st.tuples(st.sampled_from(["put", "delete"]), st.integers(0, 4), choices), max_size=30
)


@given(events)
def test_folding_the_stream_equals_recounting_the_table(
    operations: list[tuple[str, int, str]],
) -> None:
    """However items are written, changed and deleted, the fold of the stream is a recount."""
    table: dict[int, dict[str, Any]] = {}
    records = []
    for sequence, (operation, user, choice) in enumerate(operations, start=1):
        old = table.get(user)
        if operation == "put":
            new = {"pollId": "p1", "userId": f"u{user}", "choice": choice}
            table[user] = new
            records.append(rec(sequence, "MODIFY" if old else "INSERT", new=new, old=old))
        elif old is not None:
            del table[user]
            records.append(rec(sequence, "REMOVE", old=old))
    assert recount(table.values(), vote_tally()) == fold(records, vote_tally())
