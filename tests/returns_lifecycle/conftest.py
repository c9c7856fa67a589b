"""The web fixtures (app on the rolled-back connection, sellers, signed-in client)."""

from tests.web.conftest import (  # noqa: F401
    app,
    client,
    db,
    seller_a,
    seller_b,
    signed_in,
    web_db,
)
