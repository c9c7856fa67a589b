"""Page and sort parameters shared by every list: validated once, applied by repositories."""

from __future__ import annotations

from dataclasses import dataclass

MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class PageRequest:
    page: int = 1
    page_size: int = 50

    def __post_init__(self) -> None:
        if self.page < 1:
            raise ValueError("page starts at 1")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class SortRequest:
    """A sort key from a list's whitelist; ``descending`` when the key was given as ``-key``."""

    key: str
    descending: bool = False

    @classmethod
    def parse(cls, raw: str | None, *, allowed: tuple[str, ...], default: str) -> SortRequest:
        from aftersales.exceptions import InvalidInput
        from aftersales.kit.i18n import N_

        text = (raw or default).strip()
        descending = text.startswith("-")
        key = text.lstrip("-")
        if key not in allowed:
            raise InvalidInput(
                N_("cannot sort by '%(key)s'; choose one of %(choices)s"),
                key=key,
                choices=", ".join(allowed),
                field="sort",
            )
        return cls(key=key, descending=descending)
