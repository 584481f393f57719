"""Runtime settings, read once from the environment."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///./nichely.db"


def _secret_from_file(path: Path) -> str:
    # A self-hosted instance must keep its signing key across restarts, or every
    # session cookie and CSRF token dies with the process.
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass(frozen=True)
class Settings:
    """Everything the platform reads from its environment."""

    database_url: str = DEFAULT_DATABASE_URL
    media_dir: Path = Path("./media")
    secret_key: str = field(default="", repr=False)
    session_days: int = 30
    token_days: int = 90
    max_upload_bytes: int = 8 * 1024 * 1024
    # Derived state kept as files (the feed's trained state); None keeps it in memory only.
    data_dir: Path | None = None

    @classmethod
    def from_env(cls) -> Settings:
        """Build settings from NICHELY_* environment variables."""
        media = Path(os.environ.get("NICHELY_MEDIA_DIR", "./media"))
        key = os.environ.get("NICHELY_SECRET_KEY") or _secret_from_file(media / ".secret_key")
        return cls(
            database_url=os.environ.get("NICHELY_DATABASE_URL", DEFAULT_DATABASE_URL),
            media_dir=media,
            secret_key=key,
            data_dir=Path(os.environ.get("NICHELY_DATA_DIR", "./data")),
        )
