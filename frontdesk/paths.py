"""Where the database lives: ``--db``, then ``FRONTDESK_DB``, then the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path


def resolve_db_path(cli_value: str | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("FRONTDESK_DB")
    if env:
        return Path(env).expanduser()
    return user_data_path("frontdesk", appauthor=False) / "frontdesk.db"
