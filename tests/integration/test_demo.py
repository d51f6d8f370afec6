"""``feedback-core demo`` runs the platform locally and its summary adds up."""

from __future__ import annotations

import itertools
import random

import attrs
import pytest

from feedback_core.cli import demo
from feedback_core.cli.demo import Check, DemoSummary, ResultsSummary, RouteSummary, run_demo
from feedback_core.cli.main import main


@pytest.fixture(scope="module")
def summary() -> DemoSummary:
    return run_demo(requests=150, seed=3)


def test_every_request_gets_one_answer(summary: DemoSummary) -> None:
    """On every route each request is counted once: by outcome, by rejection, or as a 5xx."""
    for route in summary.routes:
        answered = sum(route.counts.values()) + sum(route.rejected.values()) + route.server_errors
        assert route.sent == answered, route.title
    assert [150, 75, 75, 50] == [route.sent for route in summary.routes]


def test_tables_hold_exactly_what_the_answers_say(summary: DemoSummary) -> None:
    """No 5xx, and every table check holds (the command's exit status depends on it)."""
    assert 0 == summary.server_errors
    assert summary.accepted == summary.items_stored
    assert summary.ok
    # Tables: feedback 1, votes 2 (reject) + 3 (replace), surveys 2. Live results: polls 3 + 3,
    # analytics 4, surveys 2, the redelivery 1. The further steps check themselves.
    assert 21 == len(summary.accepted)
    assert [True, True, True, True, True] == [step.ok for step in summary.steps]


def test_feedback_route_replays_and_refuses(summary: DemoSummary) -> None:
    """Retried feedback is replayed; oversized and non-JSON bodies are refused."""
    feedback = summary.route("POST /feedback")
    assert feedback.counts["replayed retries (201)"] > 0
    assert {"413 payload-too-large", "415 unsupported-media-type"} <= set(feedback.rejected)


def test_votes_under_reject_refuse_second_votes(summary: DemoSummary) -> None:
    """Under reject, second votes are 409 and retries are replayed; nothing changes."""
    votes = summary.route("POST /polls/{pollId}/votes, VotePolicy=reject")
    assert votes.counts["rejected as duplicates (409)"] > 0
    assert votes.counts["replayed retries (201)"] > 0
    assert 0 == votes.counts["changed (200)"] + votes.counts["unchanged (200)"]


def test_votes_under_replace_change_what_reject_refuses(summary: DemoSummary) -> None:
    """The same traffic under replace: every 409 of reject is a change or a no-op instead."""
    reject = summary.route("POST /polls/{pollId}/votes, VotePolicy=reject")
    replace = summary.route("POST /polls/{pollId}/votes, VotePolicy=replace")
    assert 0 == replace.counts["rejected as duplicates (409)"]
    assert replace.counts["changed (200)"] > 0
    assert replace.counts["unchanged (200)"] > 0
    assert reject.counts["rejected as duplicates (409)"] == (
        replace.counts["changed (200)"] + replace.counts["unchanged (200)"]
    )
    assert reject.counts["accepted (201)"] == replace.counts["accepted (201)"]


def test_survey_responses_replay_refuse_and_require_a_key(summary: DemoSummary) -> None:
    """Survey retries replay, second answers and reused keys are refused, a key is required."""
    surveys = summary.route("POST /surveys/{surveyId}/responses")
    assert all(n > 0 for n in surveys.counts.values()), surveys.counts
    assert {"400 invalid-idempotency-key"} == set(surveys.rejected)


def test_live_results_equal_a_recount_of_the_tables(summary: DemoSummary) -> None:
    """Every GET route answers, and its numbers are those the tables imply."""
    assert [
        "stream delivery: each table's stream into its aggregator, 100 records a batch",
        "GET /polls/{pollId}/results, VotePolicy=reject",
        "GET /polls/{pollId}/results, VotePolicy=replace",
        "GET /analytics",
        "GET /surveys/{surveyId}/summary",
        "redelivery: every batch of every stream delivered again (as after a crash)",
    ] == [section.title for section in summary.results]
    for section in summary.results:
        assert (0, True) == (section.server_errors, all(c.holds for c in section.checks))
    votes = summary.result("GET /polls/{pollId}/results, VotePolicy=replace").checks[0]
    stored = summary.route("POST /polls/{pollId}/votes, VotePolicy=replace").checks[0]
    assert (votes.found, votes.found) == (stored.found, votes.expected)


def test_the_stream_carries_every_change_once(summary: DemoSummary) -> None:
    """The replace stack's votes stream holds one INSERT per vote and one MODIFY per change."""
    delivered = {d.function_name: d.records for d in summary.result("stream delivery").deliveries}
    replace = summary.route("POST /polls/{pollId}/votes, VotePolicy=replace").counts
    reject = summary.route("POST /polls/{pollId}/votes, VotePolicy=reject").counts
    assert (
        replace["accepted (201)"] + replace["changed (200)"]
        == delivered["votes-aggregate-local-replace"]
    )
    assert reject["accepted (201)"] == delivered["votes-aggregate-local"]


def test_a_redelivery_changes_no_answer(summary: DemoSummary) -> None:
    """Every record delivered a second time, and every GET answer stays exactly the same."""
    first = summary.result("stream delivery").deliveries
    again = summary.result("redelivery")
    assert [d.records for d in first] == [d.records for d in again.deliveries]
    (unchanged,) = again.checks
    assert (True, 10) == (unchanged.holds, unchanged.expected)  # 3 + 3 polls, 1, 3 surveys


def test_vote_generator_retries_repeat_the_request_exactly() -> None:
    """Each retry is its original request again: same key, same body."""
    requests = demo.vote_requests(200, random.Random(1))
    pairs = [(a, b) for (kind, a), (_, b) in itertools.pairwise(requests) if kind == "retried"]
    assert pairs
    assert all(a == b for a, b in pairs)
    keys = [e["headers"]["Idempotency-Key"] for kind, e in requests if kind != "retry"]
    assert len(keys) == len(set(keys))  # a new key for every other request


def test_a_mismatch_fails_the_command_check() -> None:
    """One table disagreeing with the answers makes the summary not ok."""
    check = Check(what="items in the table", found=4, expected=5, because="accepted")
    route = RouteSummary(
        title="POST /x", sent=5, counts={}, rejected={}, server_errors=0, checks=(check,)
    )
    broken = DemoSummary(routes=(route,), sentiment={})
    assert (False, False) == (broken.ok, broken.items_stored == broken.accepted)
    assert "MISMATCH" in "\n".join(broken.lines())
    fixed = attrs.evolve(route, checks=(attrs.evolve(check, found=5),))
    assert DemoSummary(routes=(fixed,), sentiment={}).ok


def test_a_live_results_mismatch_or_error_fails_the_command_check() -> None:
    """A live count that differs from the recount, or a 5xx from a GET route, is not ok."""
    check = Check(what="votes counted live", found=3, expected=4, because="items")
    wrong = ResultsSummary(title="GET /polls/{pollId}/results", checks=(check,))
    failing = ResultsSummary(title="GET /analytics", server_errors=1)
    assert [False, False, True] == [
        DemoSummary(routes=(), sentiment={}, results=(section,)).ok
        for section in (wrong, failing, attrs.evolve(wrong, checks=(attrs.evolve(check, found=4),)))
    ]
    assert "MISMATCH" in "\n".join(DemoSummary(routes=(), sentiment={}, results=(wrong,)).lines())


def test_demo_command_prints_summary(capsys: pytest.CaptureFixture[str]) -> None:
    """The command exits 0 and prints the counts of every route."""
    assert 0 == main(["demo", "--requests", "60"])
    out = capsys.readouterr().out
    assert "items in the feedback table" in out
    assert "VotePolicy=replace" in out
    assert "found by index bySurveyDay" in out
    assert "GET answers unchanged" in out
    assert "MISMATCH" not in out
