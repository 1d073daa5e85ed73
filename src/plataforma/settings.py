"""One settings object for the whole platform, read from ``PLATAFORMA_*`` variables.

Production refuses the conveniences that make development easy (generated secrets, demo
accounts), so a misconfigured national deployment fails at start rather than running open.
"""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    DEVELOPMENT = "development"
    DEMO = "demo"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Runtime configuration; every field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="PLATAFORMA_", extra="ignore")

    mode: Mode = Mode.DEVELOPMENT
    data_dir: Path = Path("./plataforma-data")
    database_url: str | None = None
    bus_url: str = "memory://"
    secret_key: str | None = None
    previous_secret_keys: str = Field(
        default="",
        description=(
            "Older token-signing keys (comma or space separated) still accepted while the "
            "tokens they signed live (token_minutes); they never sign. See docs/security.md, "
            "'Rotating the signing key'."
        ),
    )
    token_minutes: int = Field(default=15, ge=1, le=24 * 60)
    idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    lockout_failures: int = Field(default=5, ge=1)
    lockout_window_minutes: int = Field(default=15, ge=1)
    group_commit: bool = True
    api_key_cache_seconds: float = Field(default=60.0, ge=0, le=3600)
    revocation_check_seconds: float = Field(default=0.5, gt=0, le=60)
    db_pool_size: int = Field(default=20, ge=1, le=500)
    max_batch_records: int = Field(default=5000, ge=1)
    max_body_bytes: int = Field(default=20 * 1024 * 1024, ge=1024)
    audit_checkpoint_path: Path | None = None
    audit_reads_durable: bool = Field(
        default=True,
        description="Commit each read's and query's audit event (group commit) before the "
        "answer leaves; false buffers them in memory for up to 0.5 s, which a crash loses "
        "(for measuring the cost only)",
    )
    audit_checkpoint_syslog: str | None = Field(
        default=None,
        description="Also send each checkpointed audit head to syslog at this address: a "
        "socket path (/dev/log) or host:port (UDP), so the heads leave the machine",
    )
    default_language: str = "es"

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.mode is Mode.PRODUCTION:
            if not self.secret_key or len(self.secret_key) < 32 or "change" in self.secret_key:
                raise ValueError("production mode needs PLATAFORMA_SECRET_KEY of 32+ random chars")
            for key in self.previous_secret_keys.replace(",", " ").split():
                if len(key) < 32 or "change" in key:
                    raise ValueError(
                        "production mode needs every PLATAFORMA_PREVIOUS_SECRET_KEYS entry "
                        "to be 32+ random chars"
                    )
            if not self.database_url:
                raise ValueError("production mode needs PLATAFORMA_DATABASE_URL")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or the embedded SQLite file inside the data directory."""
        if self.database_url:
            url = self.database_url
            if url.startswith("postgresql://") or url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url.split("://", 1)[1]
            return url
        return f"sqlite:///{(self.data_dir / 'plataforma.db').resolve()}"

    @property
    def checkpoint_path(self) -> Path:
        """Where the audit chain's head is checkpointed: outside the database on purpose."""
        return self.audit_checkpoint_path or self.data_dir / "audit-checkpoint.json"

    def signing_key(self) -> str:
        """The token-signing secret; outside production one is generated and kept on disk."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret.key"
        # The file is a key ring: the first word signs, any later ones are previous keys.
        words = path.read_text().split() if path.exists() else []
        if words:
            return words[0]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


@cache
def get_settings() -> Settings:
    """Settings from the environment, read once per process."""
    return Settings()
