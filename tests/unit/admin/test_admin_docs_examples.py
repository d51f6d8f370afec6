"""The listing and erasure example in docs/erasure.md runs and prints what the page says."""

from __future__ import annotations

from docs.examples.admin import erase_and_list


def test_the_example_lists_erases_and_lists_again() -> None:
    """Four listed newest first, two erased, the other customers' two left."""
    assert (["f3", "f2", "f1", "f0"], 2, ["f3", "f1"]) == erase_and_list.main()
