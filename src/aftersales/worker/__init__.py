"""The Huey instance (SQLite storage by default, Redis when configured) and after-commit enqueueing."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy import event
from sqlalchemy.orm import Session

from aftersales.config import get_settings

_PENDING = "aftersales_after_commit"


@lru_cache(maxsize=1)
def get_huey() -> Huey:
    settings = get_settings()
    if settings.redis_url:
        return RedisHuey("aftersales", url=settings.redis_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("aftersales", filename=str((settings.data_dir / "jobs.db").resolve()))


def after_commit(session: Session, action: Callable[[], Any]) -> None:
    """Run ``action`` once the session's transaction commits; drop it on rollback.

    Jobs carry ids of rows written in the same transaction, so they must not start before
    those rows are visible, nor at all if the transaction fails.
    """
    session.info.setdefault(_PENDING, []).append(action)


@event.listens_for(Session, "after_commit")
def _run_pending(session: Session) -> None:
    for action in session.info.pop(_PENDING, []):
        action()


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous: Any) -> None:
    session.info.pop(_PENDING, None)
