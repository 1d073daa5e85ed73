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
    """Runtime configuration; each field's description is its documentation.

    ``docs/configuration.md`` is generated from this class (``plataforma config docs``), and
    a test fails when the two differ, so a field cannot be added without being described.
    """

    model_config = SettingsConfigDict(env_prefix="PLATAFORMA_", extra="ignore")

    mode: Mode = Field(
        default=Mode.DEVELOPMENT,
        description="`development`, `demo` or `production`. Production refuses a missing or"
        " short secret key, a missing database URL and demo accounts; demo accepts the TOTP"
        " code `000000` for the accounts `plataforma demo` created.",
    )
    data_dir: Path = Field(
        default=Path("./plataforma-data"),
        description="Embedded database, generated secret, audit checkpoint and installed code"
        " tables (`codes/`).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; `postgresql://…` is served by psycopg 3. Unset: the SQLite"
        " file `plataforma.db` in the data directory.",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs tokens; 32+ random characters in production. Unset outside"
        " production: generated once and kept in `DATA_DIR/secret.key`.",
    )
    previous_secret_keys: str = Field(
        default="",
        description=(
            "Older token-signing keys (comma or space separated) still accepted while the "
            "tokens they signed live (token_minutes); they never sign. See docs/security.md, "
            "'Rotating the signing key'."
        ),
    )
    token_minutes: int = Field(
        default=15, ge=1, le=24 * 60, description="Bearer token lifetime, in minutes."
    )
    idle_minutes: int = Field(
        default=30,
        ge=1,
        le=24 * 60,
        description="A session ends after this many minutes without a request (CJIS: 30).",
    )
    lockout_failures: int = Field(
        default=5, ge=1, description="Failed logins within the window that lock an account."
    )
    lockout_window_minutes: int = Field(
        default=15, ge=1, description="The window, in minutes, in which failed logins count."
    )
    group_commit: bool = Field(
        default=True,
        description="Merge concurrent SQLite writes into shared upserts and one durable commit"
        " (no effect on PostgreSQL, which groups commits itself).",
    )
    api_key_cache_seconds: float = Field(
        default=60.0,
        ge=0,
        le=3600,
        description="How long a server process trusts a verified API key without asking the"
        " database (any revocation drops them all); `0` turns the cache off.",
    )
    revocation_check_seconds: float = Field(
        default=0.5,
        gt=0,
        le=60,
        description="How often a server process checks for revoked API keys: the longest a key"
        " revoked elsewhere keeps working.",
    )
    db_pool_size: int = Field(
        default=20,
        ge=1,
        le=500,
        description="Database connections kept open per process, on both engines (10 more may"
        " open under bursts); keep it at or above the requests a worker serves at once.",
    )
    max_batch_records: int = Field(
        default=5000,
        ge=1,
        description="Records one `POST /api/v1/records/{type}/batch` may carry; more is a 413.",
    )
    max_body_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="Request bodies larger than this get 413.",
    )
    audit_checkpoint_path: Path | None = Field(
        default=None,
        description="Where the audit chain's head is checkpointed; put it on other storage"
        " (WORM, another host's mount) in production. Unset: `DATA_DIR/audit-checkpoint.json`.",
    )
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
    log_level: str = Field(
        default="INFO",
        pattern="^(?i:debug|info|warning|error|critical)$",
        description="Level of the platform's `key=value` log lines on stderr (read by"
        " `plataforma.logs` when the CLI or server starts).",
    )
    inquiry_rate_per_user: float = Field(
        default=5.0,
        gt=0,
        description="Hit/no-hit inquiries a person (bearer token or UI session) may make per"
        " second, per server process, on average; more is a 429 with Retry-After.",
    )
    inquiry_burst_per_user: int = Field(
        default=20,
        ge=1,
        description="Inquiries a person may make at once before the per-second rate applies.",
    )
    inquiry_rate_per_key: float = Field(
        default=200.0,
        gt=0,
        description="Hit/no-hit inquiries an agency system (one API key) may make per second,"
        " per server process, on average; more is a 429 with Retry-After.",
    )
    inquiry_burst_per_key: int = Field(
        default=400,
        ge=1,
        description="Inquiries one API key may make at once before the per-second rate applies.",
    )
    bus_url: str = Field(
        default="memory://",
        pattern=r"^(memory://|nats://.+)$",
        description="The event bus: `memory://` (in-process, one server process) or"
        " `nats://host:port[,host:port…]` (NATS JetStream, shared by every worker process).",
    )
    bus_namespace: str = Field(
        default="plataforma",
        pattern=r"^[a-z][a-z0-9_]{0,39}$",
        description="First token of every bus subject and the JetStream stream's name: two"
        " deployments (or test sessions) on one NATS server with different namespaces never"
        " see each other's events.",
    )
    relay_sweep_seconds: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often the outbox relay looks for events it was not woken for (written"
        " by another process, such as a CLI import, or left by a broker outage). Commits in"
        " the server process wake it at once.",
    )
    default_language: str = Field(
        default="es", description="UI language when the browser does not ask for one."
    )
    # --- hit confirmation and agency messages ---
    confirmation_urgent_minutes: float = Field(
        default=10,
        gt=0,
        le=1440,
        description="Minutes the owning agency has to answer an urgent hit confirmation"
        " (NCIC: 10).",
    )
    confirmation_routine_minutes: float = Field(
        default=60,
        gt=0,
        le=10080,
        description="Minutes the owning agency has to answer a routine hit confirmation"
        " (NCIC: 1 hour).",
    )
    confirmation_escalate_minutes: float = Field(
        default=10,
        gt=0,
        le=1440,
        description="Minutes after the reminder of an overdue confirmation before the owning"
        " agency's supervisors are told.",
    )
    confirmation_promise_max_hours: float = Field(
        default=72,
        gt=0,
        le=720,
        description="Latest time an owning agency may promise an answer by ('will answer"
        " by'), in hours from now.",
    )
    message_max_body_chars: int = Field(
        default=8000,
        ge=100,
        le=100_000,
        description="Longest body of an agency-to-agency message, in characters.",
    )
    message_max_recipients: int = Field(
        default=5000,
        ge=1,
        le=100_000,
        description="Most agencies one message may reach (a broadcast to everyone included).",
    )
    max_subscriptions_per_user: int = Field(
        default=100,
        ge=1,
        le=10_000,
        description="Standing subscriptions one user may hold (their own and the desk ones"
        " they created); one more is refused with 422.",
    )
    delayed_inquiry_hours: float = Field(
        default=72.0,
        gt=0,
        description="How far back a new wanted, stolen or protection-order record looks for"
        " inquiries that asked about its keys (NCIC's delayed inquiry: 72 hours).",
    )
    deconfliction_window_days: float = Field(
        default=180.0,
        gt=0,
        description="Records, subscriptions and inquiries of another agency on the same"
        " subject within this many days count as that agency working the subject"
        " (deconfliction notices).",
    )
    resolve_model: Path | None = Field(
        default=None,
        description="A trained entity-resolution model (JSON, as `plataforma resolve persons"
        " --save-model` or `plataforma resolve store --train` writes it) that links person"
        " records to national persons; unset: the shipped default model.",
    )
    resolve_review_low: float = Field(
        default=0.5,
        ge=0,
        le=1,
        description="Pairs of person mentions with a match probability from this value up to"
        " `resolve_review_high` go to the analysts' review queue.",
    )
    resolve_review_high: float = Field(
        default=0.95,
        ge=0,
        le=1,
        description="Upper end (exclusive) of the review band: a pair scoring this or more is"
        " linked without review.",
    )

    spark_master: str = Field(
        default="local[2]",
        min_length=1,
        description="Spark master for `plataforma resolve persons --engine spark`: local[N]"
        " on one machine, or a cluster URL (spark://host:7077, yarn, k8s://…). Under"
        " spark-submit the submitted application's session is used instead.",
    )

    trends_population_file: Path | None = Field(
        default=None,
        description="CONAPO population projections (a `CVE` column of 2- or 5-digit INEGI"
        " codes and one column per year) for the dashboard's rates per 100,000 inhabitants."
        " Unset: counts only, rates are null.",
    )
    trends_max_cells: int = Field(
        default=20_000,
        ge=100,
        le=500_000,
        description="Most H3 cells one dashboard or API answer holds; a wider area is refused"
        " naming the bounding box, so the map asks for a smaller one or a coarser resolution.",
    )

    @model_validator(mode="after")
    def _review_band_in_order(self) -> Settings:
        if self.resolve_review_low > self.resolve_review_high:
            raise ValueError("resolve_review_low must not be above resolve_review_high")
        return self

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
