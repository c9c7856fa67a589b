"""What one request looks at: a set of stores (already checked against the user's
memberships) and optionally a set of marketplaces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """Stores and marketplaces a service call may read.

    ``store_ids`` is never empty: the transports build a Scope only from stores the user
    is a member of, so a repository that filters on it cannot leak another seller's data.
    An empty ``marketplace_ids`` means every marketplace of those stores.
    """

    store_ids: tuple[int, ...]
    marketplace_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.store_ids:
            raise ValueError("a Scope needs at least one store")
