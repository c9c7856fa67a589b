"""SQL building blocks shared by the list repositories: scope, prefix search, day bounds,
null-last ordering, id lookups of search hits, and pages merged across stores."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, false, select, union_all
from sqlalchemy.orm import Session

from aftersales.kit.pagination import SortRequest
from aftersales.kit.scope import Scope

# Above U+10FFFF nothing exists: "text" <= value < "text" + this is a prefix match that
# SQLite answers from an index (SQLite compares text bytewise; its LIKE cannot use one).
_PREFIX_END = "\U0010ffff"
# Up to this many search matches are fetched first and looked up by id.
SEARCH_LOOKUP_LIMIT = 5_000


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def in_scope(model: Any, scope: Scope) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = model.store_id.in_(scope.store_ids)
    if scope.marketplace_ids:
        condition = and_(condition, model.marketplace_id.in_(scope.marketplace_ids))
    return condition


def starts_with(column: Any, text: str, dialect: str) -> ColumnElement[bool]:
    """A case-sensitive prefix match that can use a B-tree index on either backend."""
    if dialect == "sqlite":
        return and_(column >= text, column < text + _PREFIX_END)
    # PostgreSQL: a byte range would be wrong under a linguistic collation; LIKE is right
    # under any collation (and uses the index under C or with text_pattern_ops).
    return column.startswith(text, autoescape=True)  # type: ignore[no-any-return]


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def order_key(column: Any, *, descending: bool, nullable: bool, dialect: str) -> Any:
    """ORDER BY term with missing values last on both backends, without defeating an index
    where the backend already puts them last (SQLite: descending; PostgreSQL: ascending)."""
    key = column.desc() if descending else column.asc()
    if nullable and descending == (dialect != "sqlite"):
        key = key.nulls_last()
    return key


def restrict_to_hits(session: Session, statement: Any, search: Any, id_column: Any) -> Any:
    """Restrict ``statement`` to the ids a search subquery finds.

    Few matches are fetched first and looked up by id: joined or as ``id IN (subquery)``
    SQLite preferred walking the whole store in sort order, probing each row. Many
    matches are joined: then walking in sort order finds a page quickly. The flag says
    whether the few matches were looked up (then sort them, do not walk an index).
    """
    hits = search.subquery("hits")
    ids = session.scalars(select(hits.c.id).limit(SEARCH_LOOKUP_LIMIT + 1)).all()
    if len(ids) <= SEARCH_LOOKUP_LIMIT:
        return statement.where(id_column.in_(ids) if ids else false()), True
    return statement.join(hits, hits.c.id == id_column), False


def merged_page(
    session: Session,
    *,
    scope: Scope,
    per_store: Callable[[Scope], Select[Any]],
    sort: SortRequest,
    sort_column: str,
    nullable: bool,
    offset: int,
    limit: int,
) -> Sequence[Row[Any]]:
    """A page over several stores: each store's first ``offset + limit`` rows in sort order
    (read from that store's index, not by sorting everything), merged and cut.

    One statement over ``store_id IN (...)`` cannot walk a (store_id, date) index in date
    order, so SQLite sorted every matching row of every store (seconds at a million).
    ``per_store`` builds the sorted statement of one store; ``sort_column`` is the result
    column the sort key orders by.
    """
    parts = [
        per_store(Scope(store_ids=(store_id,), marketplace_ids=scope.marketplace_ids))
        .limit(offset + limit)
        .subquery()
        for store_id in scope.store_ids
    ]
    merged = union_all(*(select(part) for part in parts)).subquery("merged")
    key = order_key(
        merged.c[sort_column],
        descending=sort.descending,
        nullable=nullable,
        dialect=dialect_of(session),
    )
    tiebreak = merged.c.id.desc() if sort.descending else merged.c.id.asc()
    statement = select(merged).order_by(key, tiebreak).offset(offset).limit(limit)
    return session.execute(statement).all()
