"""SQL building blocks shared by the list repositories: scope, prefix search, day bounds,
null-last ordering, id lookups of search hits, and pages merged across stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, false, func, select, union_all
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
    per_store: Callable[[Scope], Select[*tuple[Any, ...]]],
    sort: SortRequest,
    sort_column: str,
    nullable: bool,
    offset: int,
    limit: int,
) -> Sequence[Row[*tuple[Any, ...]]]:
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


@dataclass(frozen=True)
class ListQuery:
    """How one list (returns, orders) is read: its rows, filters, search and sort keys.

    ``conditions(scope, filters, dialect)`` gives the WHERE terms, ``search(scope, text,
    dialect)`` a subquery of matching ids; ``sort_columns`` maps each sort key to the
    column it orders by and ``result_columns`` to that column's name in the rows.
    """

    id_column: Any
    rows: Callable[[], Select[*tuple[Any, ...]]]
    conditions: Callable[[Scope, Any, str], list[ColumnElement[bool]]]
    search: Callable[[Scope, str, str], Any]
    sort_columns: dict[str, Any]
    result_columns: dict[str, str]
    nullable_sorts: frozenset[str] = field(default_factory=frozenset)

    def statement(
        self, session: Session, scope: Scope, filters: Any, sort: SortRequest
    ) -> Select[*tuple[Any, ...]]:
        dialect = dialect_of(session)
        statement: Any = self.rows()
        looked_up = False
        if filters.q is not None:
            statement, looked_up = restrict_to_hits(
                session, statement, self.search(scope, filters.q, dialect), self.id_column
            )
        column: Any = self.sort_columns[sort.key]
        if looked_up and dialect == "sqlite":
            # The same values, but not the indexed column: SQLite sorts the few matches
            # instead of walking the store's index in this order to find them.
            column = func.coalesce(column, column)
        key = order_key(
            column,
            descending=sort.descending,
            nullable=sort.key in self.nullable_sorts,
            dialect=dialect,
        )
        tiebreak = self.id_column.desc() if sort.descending else self.id_column.asc()
        selected: Select[*tuple[Any, ...]] = statement.where(
            *self.conditions(scope, filters, dialect)
        ).order_by(key, tiebreak)
        return selected

    def page(
        self,
        session: Session,
        *,
        scope: Scope,
        filters: Any,
        sort: SortRequest,
        offset: int,
        limit: int,
    ) -> Sequence[Row[*tuple[Any, ...]]]:
        if len(scope.store_ids) > 1:
            return merged_page(
                session,
                scope=scope,
                per_store=lambda one: self.statement(session, one, filters, sort),
                sort=sort,
                sort_column=self.result_columns[sort.key],
                nullable=sort.key in self.nullable_sorts,
                offset=offset,
                limit=limit,
            )
        statement = self.statement(session, scope, filters, sort).offset(offset).limit(limit)
        return session.execute(statement).all()

    def count(self, session: Session, *, scope: Scope, filters: Any, cap: int) -> int:
        """Matching rows, but never more than ``cap`` + 1 are visited."""
        dialect = dialect_of(session)
        statement: Any = select(self.id_column)
        if filters.q is not None:
            statement = restrict_to_hits(
                session, statement, self.search(scope, filters.q, dialect), self.id_column
            )[0]
        limited = (
            statement.where(*self.conditions(scope, filters, dialect)).limit(cap + 1).subquery()
        )
        return int(session.execute(select(func.count()).select_from(limited)).scalar_one())

    def chunks(
        self, session: Session, *, scope: Scope, filters: Any, sort: SortRequest, chunk_size: int
    ) -> Iterator[Sequence[Row[*tuple[Any, ...]]]]:
        """The matching rows in chunks of ``chunk_size`` (a server-side cursor on PostgreSQL)."""
        statement = self.statement(session, scope, filters, sort).execution_options(
            yield_per=chunk_size
        )
        yield from session.execute(statement).partitions()
