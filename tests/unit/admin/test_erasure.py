"""ErasureService: a customer's feedback goes, nobody else's, and repeating it is harmless."""

from __future__ import annotations

from feedback_core.feedback import InMemoryFeedbackLog
from feedback_core.usecases import EraseCustomer, Erasure, ErasureConfig, ErasureService


def seeded() -> InMemoryFeedbackLog:
    log = InMemoryFeedbackLog()
    for n, customer in enumerate(["c1", "c2", "c1", None, "c1"]):
        item: dict[str, object] = {"feedbackId": f"f{n}", "createdAt": f"2026-11-22T10:0{n}:00Z"}
        if customer is not None:
            item["customerId"] = customer
        log.add(item)
    return log


def test_erasure_deletes_the_customers_feedback_and_counts_it() -> None:
    """Three records of c1 go; the count says 3."""
    log = seeded()
    outcome = ErasureService(log=log).erase(EraseCustomer(customer_id="c1"))
    assert (Erasure(customer_id="c1", erased=3), []) == (outcome, list(log.customer_feedback("c1")))


def test_erasure_leaves_other_customers_alone() -> None:
    """c2's record and the one without a customer stay."""
    log = seeded()
    ErasureService(log=log).erase(EraseCustomer(customer_id="c1"))
    remaining = {log.delete(feedback_id) for feedback_id in ("f1", "f3")}
    assert {True} == remaining


def test_repeating_an_erasure_erases_nothing_more() -> None:
    """The second call answers 0: idempotent."""
    service = ErasureService(log=seeded())
    service.erase(EraseCustomer(customer_id="c1"))
    assert 0 == service.erase(EraseCustomer(customer_id="c1")).erased


def test_the_erasure_answer_names_the_customer_and_count() -> None:
    """The body is customerId and erased."""
    assert {"customerId": "c9", "erased": 0} == Erasure(customer_id="c9", erased=0).to_json()


def test_config_reads_the_table() -> None:
    """FEEDBACK_TABLE is the only setting."""
    assert ErasureConfig(table="fb") == ErasureConfig.from_env({"FEEDBACK_TABLE": "fb"})
