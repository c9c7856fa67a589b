"""Typed business errors: each carries a stable code, an HTTP status and a CLI exit code."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error a user is meant to read."""

    code = "error"
    status_code = 400
    exit_code = 2

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(AppError):
    code = "not_found"
    status_code = 404


class Conflict(AppError):
    code = "conflict"
    status_code = 409


class InvalidInput(AppError):
    code = "invalid_input"
    status_code = 422
