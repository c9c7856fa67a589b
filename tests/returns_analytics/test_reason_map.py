"""The reason → responsibility map: dated defaults, unknown codes kept, per-store overrides
that only managers and owners may set, and their effect on a SKU's profile."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from aftersales.accounts import service as account_service
from aftersales.amazon import return_reasons
from aftersales.amazon import returns_vocabulary as vocabulary
from aftersales.exceptions import Forbidden, InvalidInput, NotFound
from aftersales.kit.scope import Scope
from aftersales.models import Store, User
from aftersales.returns_analytics import reason_service
from aftersales.returns_analytics import service as analytics_service
from aftersales.stores import service as store_service
from tests.returns_analytics.builders import AS_OF, SKU, build_profile


def _member(session: Session, store: Store, email: str, role: str) -> User:
    if account_service.find_user(session, email=email) is None:
        account_service.create_user(session, email=email, password="a long enough password")
    account_service.add_user_to_store(
        session, email=email, store_name=store.name, role=role, password=None
    )
    session.flush()
    user = account_service.find_user(session, email=email)
    assert user is not None
    return user


def test_every_listed_code_has_a_rule_and_unknown_codes_are_flagged() -> None:
    table = return_reasons.table()
    assert str(table.effective) == "2026-11-26"
    assert "SC-200453320" in table.source
    assert set(table.rules) == set(vocabulary.RETURN_REASONS)
    assert return_reasons.responsibility("DAMAGED_BY_FC").action == "file_claim"
    assert return_reasons.responsibility("damaged_by_carrier").responsible == "carrier"
    assert return_reasons.responsibility("SWITCHEROO").responsible == "buyer"
    new = return_reasons.responsibility("BRAND_NEW_CODE")
    assert (new.responsible, new.action, new.known) == ("unknown", "nothing", False)


def test_an_override_changes_the_map_of_that_store_only(session: Session, store: Store) -> None:
    other = store_service.add_store(session, name="other-na", region="NA")
    manager = _member(session, store, "manager@acme.test", "manager")
    _member(session, other, "manager@acme.test", "manager")
    access = account_service.access_for(session, user=manager)
    build_profile(session, store)

    reason_service.set_override(
        session,
        access=access,
        store_id=store.id,
        reason_code="defective",
        responsible="seller_listing",
        action="fix_listing",
    )

    mine = {e.code: e for e in reason_service.effective_map(session, store_id=store.id).entries}
    assert (mine["DEFECTIVE"].responsible, mine["DEFECTIVE"].source) == (
        "seller_listing",
        "override",
    )
    assert mine["NOT_AS_DESCRIBED"].source == "default"
    theirs = {e.code: e for e in reason_service.effective_map(session, store_id=other.id).entries}
    assert (theirs["DEFECTIVE"].responsible, theirs["DEFECTIVE"].source) == (
        "product_quality",
        "default",
    )
    profile = analytics_service.sku_profile(
        session, scope=Scope(store_ids=(store.id,)), sku=SKU, as_of=AS_OF
    )
    defective = next(r for r in profile.reasons if r.reason == "DEFECTIVE")
    assert (defective.responsible, defective.action) == ("seller_listing", "fix_listing")

    # A code the table does not list can be mapped too, and shows in the map.
    reason_service.set_override(
        session,
        access=access,
        store_id=store.id,
        reason_code="WEIRD_NEW_CODE",
        responsible="buyer",
        action="nothing",
    )
    entries = {e.code: e for e in reason_service.effective_map(session, store_id=store.id).entries}
    assert (entries["WEIRD_NEW_CODE"].known, entries["WEIRD_NEW_CODE"].source) == (
        False,
        "override",
    )

    reason_service.clear_override(
        session, access=access, store_id=store.id, reason_code="DEFECTIVE"
    )
    reset = {e.code: e for e in reason_service.effective_map(session, store_id=store.id).entries}
    assert (reset["DEFECTIVE"].responsible, reset["DEFECTIVE"].source) == (
        "product_quality",
        "default",
    )


def test_only_managers_and_owners_override_and_values_are_checked(
    session: Session, store: Store
) -> None:
    other = store_service.add_store(session, name="other-na", region="NA")
    viewer = account_service.access_for(
        session, user=_member(session, store, "viewer@acme.test", "viewer")
    )
    owner = account_service.access_for(
        session, user=_member(session, store, "owner@acme.test", "owner")
    )
    values = {"reason_code": "DEFECTIVE", "responsible": "buyer", "action": "nothing"}
    with pytest.raises(Forbidden):
        reason_service.set_override(session, access=viewer, store_id=store.id, **values)
    with pytest.raises(Forbidden):
        reason_service.clear_override(
            session, access=viewer, store_id=store.id, reason_code="DEFECTIVE"
        )
    with pytest.raises(NotFound):
        reason_service.set_override(session, access=owner, store_id=other.id, **values)
    with pytest.raises(InvalidInput):
        reason_service.set_override(
            session, access=owner, store_id=store.id, **{**values, "responsible": "the moon"}
        )
    with pytest.raises(InvalidInput):
        reason_service.set_override(
            session, access=owner, store_id=store.id, **{**values, "reason_code": "no spaces"}
        )
