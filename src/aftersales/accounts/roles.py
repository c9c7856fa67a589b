"""What each role may do in a store: one table, read by every route's permission check."""

from __future__ import annotations

from enum import StrEnum

from aftersales.kit.i18n import N_
from aftersales.models.account import Role


class Permission(StrEnum):
    VIEW = "view"  # dashboards, lists, exports of the store's data
    IMPORT = "import"  # upload reports
    HANDLE_CASES = "handle_cases"  # buyer cases, RMA, reviews (later issues)
    PLAN = "plan"  # replenishment and inbound plans (later issues)
    MANAGE = "manage"  # claims, disposition decisions, rules (later issues)
    ADMIN = "admin"  # members, roles, invitations, store settings


PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.MANAGER: frozenset(Permission) - {Permission.ADMIN},
    Role.AGENT: frozenset({Permission.VIEW, Permission.HANDLE_CASES}),
    Role.PLANNER: frozenset({Permission.VIEW, Permission.IMPORT, Permission.PLAN}),
    Role.VIEWER: frozenset({Permission.VIEW}),
}

ROLE_LABELS: dict[Role, str] = {
    Role.OWNER: N_("Owner"),
    Role.MANAGER: N_("Manager"),
    Role.AGENT: N_("Agent"),
    Role.PLANNER: N_("Planner"),
    Role.VIEWER: N_("Viewer"),
}


def allows(role: Role | str, permission: Permission) -> bool:
    return permission in PERMISSIONS[Role(role)]


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW: N_("See dashboards, lists and exports"),
    Permission.IMPORT: N_("Upload reports"),
    Permission.HANDLE_CASES: N_("Handle buyer cases, RMAs and reviews"),
    Permission.PLAN: N_("Plan replenishment and inbound shipments"),
    Permission.MANAGE: N_("Decide dispositions, file claims, edit rules"),
    Permission.ADMIN: N_("Manage members, roles and invitations"),
}
