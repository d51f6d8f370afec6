"""Rules both dedup adapters apply before touching storage, so they refuse the same inputs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from feedback_core.dedup.keys import Key
    from feedback_core.dedup.ports import Expiry, Item

__all__ = ["check_changes", "claimed_item", "next_revision"]


def claimed_item(key: Key, item: Item, expiry: Expiry | None, now: int) -> Item:
    """Return ``item`` with the key attributes (and the expiry stamp, if any) written in.

    Raises:
        ValueError: if the item holds a key attribute with another value than the key's.
    """
    for name, value in key.parts():
        if name in item and item[name] != value:
            raise ValueError(
                f"the item's {name!r} is {item[name]!r} but the key says {value!r}; "
                "leave key attributes out of the item or make them agree"
            )
    stamped = item.evolve(key.as_dict())
    if expiry is not None:
        stamped = stamped.evolve({expiry.attribute: expiry.stamp(now)})
    return stamped


def check_changes(key: Key, changes: Item, revision_attribute: str) -> None:
    """Refuse a revision that is empty or would rewrite the key or the revision number.

    Raises:
        ValueError: for empty changes, a key attribute or the revision attribute in them.
    """
    if not changes:
        raise ValueError("a revision must change at least one attribute")
    touched = set(changes) & {*key.names, revision_attribute}
    if touched:
        raise ValueError(
            f"a revision cannot set {sorted(touched)}: key attributes never change, and the "
            "store numbers revisions itself"
        )


def next_revision(expected_revision: int | None) -> int:
    """Return the revision number after ``expected_revision`` (absent counts as 1)."""
    return (1 if expected_revision is None else expected_revision) + 1
