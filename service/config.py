"""Service settings, read from the environment (``CASEQA_*``) by pydantic-settings."""

from __future__ import annotations

import logging
import secrets
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger("caseqa.service")

MB = 1024 * 1024


LOOKUP_WINDOW = 600.0  # seconds: the window of Settings.lookup_miss_limit


class Settings(BaseSettings):
    """Everything the service can be told. Each field is also the environment variable ``CASEQA_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="CASEQA_", extra="ignore", populate_by_name=True)

    db: str | None = Field(None, description="Results store: SQLite path or database URL (default ./caseqa.db).")
    rubric: str | None = Field(None, description="A rubric TOML file instead of the shipped one.")
    session_secret: str | None = Field(
        None, description="Key that signs session cookies; random per process when unset (sessions reset on restart)."
    )
    cookie_secure: bool = Field(
        True, description="Mark the session cookie Secure. Browsers accept it on http://localhost; off only for tests."
    )
    session_max_age: int = Field(8 * 3600, ge=60, description="Seconds a page sign-in lasts.")
    auth_failure_limit: int = Field(
        20, ge=1, description="Failed keys one client address may send per minute before it gets 429 for a while."
    )
    lookup_miss_limit: int = Field(
        30, ge=1, description="Child lookups one user may make in 10 minutes that find no child they may see, "
        "before their lookups get 429 for a while (a name and a date of birth must not be guessable by trying).",
    )
    max_body_bytes: int = Field(10 * MB, ge=1024, description="Largest request body accepted (413 above).")
    max_words: int = Field(200_000, ge=1, description="Most words in one document (413 above).")
    analysis_timeout: float = Field(20.0, gt=0, description="Seconds one analysis may take (504 after).")
    analysis_workers: int = Field(
        2, ge=1, validation_alias=AliasChoices("CASEQA_ANALYSIS_WORKERS", "CASEQA_ANALYSIS_THREADS"),
        description="Analyses run at once (worker processes, or threads in thread mode); others wait their turn, "
        "503 after the time limit. CASEQA_ANALYSIS_THREADS is the old name.",
    )
    analysis_mode: Literal["process", "thread"] = Field(
        "process", description="process: analyses run in worker processes, killed past the time limit and recycled; "
        "thread: in threads of the service (tests, embedding; a timed-out thread cannot be stopped).",
    )
    analysis_recycle_after: int = Field(
        500, ge=0, description="Analyses a worker process runs before it is replaced (bounds spaCy's vocabulary "
        "growth); 0: never.",
    )
    batch_workers: int = Field(1, ge=1, description="Worker processes per background batch (1: a thread in the service).")
    batch_max_files: int = Field(500, ge=1, description="Most files in one uploaded batch.")
    accurate: bool = Field(False, description="Run the full spaCy pipeline (slower).")

    def secret(self) -> str:
        """The session-signing key; random (with a warning) when none is configured."""
        if not self.session_secret:
            log.warning(
                "CASEQA_SESSION_SECRET is not set: using a random key, so page sign-ins end when the service restarts"
            )
            self.session_secret = secrets.token_urlsafe(32)
        return self.session_secret
