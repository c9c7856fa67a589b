"""Typed business errors: each carries a stable code, an HTTP status and a CLI exit code."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error a user is meant to read."""

    code = "error"
    status_code = 400
    exit_code = 2

    def __init__(self, message: str, **details: Any) -> None:
        """``message`` may hold ``%(name)s`` placeholders filled from ``details``: the
        template is what the catalogs translate, so the web can show it in the user's language."""
        filled = _fill(message, details)
        super().__init__(filled)
        self.template = message
        self.message = filled
        self.details = details

    def localized(self) -> str:
        from aftersales.kit.i18n import gettext

        # A value that is itself translatable text (kit.i18n.Message) is translated too.
        values = {
            key: value.localized() if hasattr(value, "localized") else value
            for key, value in self.details.items()
        }
        return _fill(gettext(self.template), values)


def _fill(template: str, details: dict[str, Any]) -> str:
    if not details or "%(" not in template:
        return template
    try:
        return template % details
    except (KeyError, ValueError, TypeError):
        return template


class NotFound(AppError):
    code = "not_found"
    status_code = 404


class Conflict(AppError):
    code = "conflict"
    status_code = 409


class InvalidInput(AppError):
    code = "invalid_input"
    status_code = 422


class Unauthorized(AppError):
    code = "unauthorized"
    status_code = 401


class Forbidden(AppError):
    code = "forbidden"
    status_code = 403


class TooManyRequests(AppError):
    code = "too_many_requests"
    status_code = 429
