"""Accounts: users, store memberships and roles, API tokens, invitations, sign-in."""
