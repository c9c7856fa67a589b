"""Disposition tests use the web fixtures (signed-in clients, sellers) too."""

from tests.web.conftest import (  # noqa: F401
    app,
    client,
    db,
    seller_a,
    seller_b,
    signed_in,
    web_db,
)
