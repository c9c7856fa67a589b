"""SQL for stores."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales.models import Store


def by_name(session: Session, name: str) -> Store | None:
    return session.execute(select(Store).where(Store.name == name)).scalar_one_or_none()


def all_stores(session: Session) -> list[Store]:
    return list(session.execute(select(Store).order_by(Store.name)).scalars())


def count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(Store)).scalar_one())


def add(session: Session, store: Store) -> Store:
    session.add(store)
    session.flush()
    return store
