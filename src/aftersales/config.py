"""One typed settings object, read from the environment (prefix AFTERSALES_)."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as AFTERSALES_<FIELD>."""

    model_config = SettingsConfigDict(env_prefix="AFTERSALES_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"), description="Where the SQLite file and caches live."
    )
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file at <data_dir>/aftersales.db (WAL).",
    )
    language: str = Field(
        default="",
        description=(
            "Language of the command line's messages: en or zh_CN; empty: the terminal's "
            "(LC_ALL, LC_MESSAGES, LANG)."
        ),
    )
    import_chunk_rows: int = Field(
        default=100_000, ge=1_000, description="Rows parsed and written per chunk during import."
    )
    import_max_errors: int = Field(
        default=100, ge=1, description="Errors collected per file before validation stops."
    )

    secret_key: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "Signs session cookies. Empty: a random key is created once in "
            "<data_dir>/secret_key (mode 600) and reused; there is no built-in default."
        ),
    )
    redis_url: str = Field(
        default="",
        description="Redis URL for background jobs; empty: Huey keeps jobs in <data_dir>/jobs.db.",
    )
    session_days: int = Field(default=14, ge=1, description="Days a sign-in stays valid.")
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed sign-ins per e-mail (or 4x per client) per window."
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="Window of the sign-in rate limit, in minutes."
    )
    upload_max_mb: int = Field(default=2048, ge=1, description="Largest report upload, in MB.")
    upload_keep_days: int = Field(
        default=30,
        ge=1,
        description=(
            "Days an uploaded report is kept after its import finished (the rejected lines' "
            "download shows their original text from it); then the file is deleted."
        ),
    )

    smtp_host: str = Field(
        default="", description="SMTP server for alert e-mails; empty: e-mail channels fail."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_from: str = Field(
        default="aftersales@localhost", description="Sender address of alert e-mails."
    )
    smtp_user: str = Field(default="", description="SMTP login; empty: no authentication.")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="SMTP password.")
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS before sending."
    )

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError(
                "AFTERSALES_DATABASE_URL must be a sqlite:// or postgresql+psycopg:// URL"
            )
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            # psycopg 3 is the only PostgreSQL driver we ship.
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'aftersales.db').resolve()}"

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"

    def signing_key(self) -> str:
        """The configured secret, else the one stored under data_dir (created on first use)."""
        configured = self.secret_key.get_secret_value()
        if configured:
            if len(configured) < 32:
                raise ValueError("AFTERSALES_SECRET_KEY must be at least 32 characters")
            return configured
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
