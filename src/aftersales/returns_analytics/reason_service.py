"""The reason → responsibility map of a store: the dated defaults with the store's own
overrides on top; managers and owners change or reset an entry."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from aftersales.accounts.roles import Permission
from aftersales.accounts.service import Access
from aftersales.amazon import return_reasons
from aftersales.amazon import returns_vocabulary as vocabulary
from aftersales.amazon.return_reasons import (
    ACTION_LABELS,
    RESPONSIBLE_LABELS,
    ReasonAction,
    ReasonRule,
    Responsible,
)
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_, gettext
from aftersales.models import ReturnReasonOverride
from aftersales.returns_analytics import repository
from aftersales.returns_analytics.schemas import ReasonMap, ReasonMapEntry

# Amazon's codes are upper-case words joined by "_"; a store may map a code our table
# does not list yet (Amazon adds new ones).
CODE_PATTERN = re.compile(r"^[A-Z0-9_]{1,60}$")


def _entry(rule: ReasonRule, *, override: ReturnReasonOverride | None = None) -> ReasonMapEntry:
    responsible = Responsible(override.responsible) if override else rule.responsible
    action = ReasonAction(override.action) if override else rule.action
    return ReasonMapEntry(
        code=rule.code,
        label=vocabulary.reason_label(rule.code) or rule.code,
        responsible=responsible,
        responsible_label=gettext(RESPONSIBLE_LABELS[responsible]),
        action=action,
        action_label=gettext(ACTION_LABELS[action]),
        source="override" if override else "default",
        known=rule.known,
        updated_at=override.updated_at if override else None,
    )


def rules_for(session: Session, *, store_ids: Sequence[int]) -> dict[int, dict[str, ReasonRule]]:
    """Each store's overrides as rules (the defaults apply to every other code)."""
    found: dict[int, dict[str, ReasonRule]] = {store_id: {} for store_id in store_ids}
    for row in repository.overrides_of(session, store_ids=store_ids):
        default = return_reasons.responsibility(row.reason_code)
        found[row.store_id][row.reason_code] = ReasonRule(
            row.reason_code,
            Responsible(row.responsible),
            ReasonAction(row.action),
            known=default.known,
        )
    return found


def rule_of(overrides: dict[str, ReasonRule], code: str | None) -> ReasonRule:
    default = return_reasons.responsibility(code)
    return overrides.get(default.code, default)


def effective_map(session: Session, *, store_id: int) -> ReasonMap:
    """Every listed code, and every code the store overrides, with where its answer comes
    from. The caller has checked that the store is visible."""
    table = return_reasons.table()
    overrides = {
        row.reason_code: row for row in repository.overrides_of(session, store_ids=[store_id])
    }
    codes = sorted(set(table.rules) | set(overrides))
    entries = [
        _entry(return_reasons.responsibility(code), override=overrides.get(code)) for code in codes
    ]
    return ReasonMap(
        store_id=store_id,
        store_name=repository.store_name(session, store_id=store_id),
        effective=table.effective,
        source=table.source,
        entries=entries,
    )


def maps_for(session: Session, *, access: Access, store_ids: Sequence[int] = ()) -> list[ReasonMap]:
    """The maps of the given stores (all of the user's by default); 404 for another's."""
    scope = access.scope(store_ids=tuple(store_ids))
    return [effective_map(session, store_id=store_id) for store_id in scope.store_ids]


def _code(reason_code: str) -> str:
    code = return_reasons.normalise(reason_code)
    if not CODE_PATTERN.match(code):
        raise InvalidInput(
            N_("'%(code)s' is not a return reason code"), code=reason_code, field="reason_code"
        )
    return code


def _choice(value: str, choices: type[Responsible] | type[ReasonAction], field: str) -> str:
    try:
        return choices(value).value
    except ValueError:
        raise InvalidInput(
            N_("unknown value '%(value)s'; choose one of %(choices)s"),
            value=value,
            choices=", ".join(choices),
            field=field,
        ) from None


def set_override(
    session: Session,
    *,
    access: Access,
    store_id: int,
    reason_code: str,
    responsible: str,
    action: str,
) -> ReasonMapEntry:
    access.require(store_id, Permission.MANAGE)
    code = _code(reason_code)
    chosen_responsible = _choice(responsible, Responsible, "responsible")
    chosen_action = _choice(action, ReasonAction, "action")
    row = repository.override(session, store_id=store_id, reason_code=code)
    if row is None:
        row = ReturnReasonOverride(store_id=store_id, reason_code=code)
        session.add(row)
    row.responsible = chosen_responsible
    row.action = chosen_action
    row.updated_at = datetime.now(UTC)
    row.updated_by_id = access.user_id
    session.flush()
    return _entry(return_reasons.responsibility(code), override=row)


def clear_override(
    session: Session, *, access: Access, store_id: int, reason_code: str
) -> ReasonMapEntry:
    """Back to the default; resetting an entry that has no override changes nothing."""
    access.require(store_id, Permission.MANAGE)
    code = _code(reason_code)
    repository.delete_override(session, store_id=store_id, reason_code=code)
    session.flush()
    return _entry(return_reasons.responsibility(code))
