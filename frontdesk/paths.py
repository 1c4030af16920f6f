"""Where the database lives: ``--db``, then ``FRONTDESK_DB``, then the user data folder."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from platformdirs import user_data_path

from frontdesk.outbox import outbox_folder

# Where every file for people goes while set (the demo: inside its temporary folder, removed
# with it), before any ``$env_var`` or the user data folder.
_output_root: Path | None = None


def resolve_db_path(cli_value: str | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("FRONTDESK_DB")
    if env:
        return Path(env).expanduser()
    return user_data_path("frontdesk", appauthor=False) / "frontdesk.db"


def output_folder(env_var: str, name: str) -> Path:
    """Where the desk writes files for people (slips, exports): ``$env_var``, else the outbox of
    a desk reached over SSH (``frontdesk.outbox``: the operator fetches them with sftp), else
    ``name`` in the user data folder (owner only: they hold personal data), else the current
    folder when that cannot be created. Inside ``outputs_inside(folder)``: ``name`` in that
    folder, whatever the environment says."""
    if _output_root is not None:
        inside = _output_root / name
        inside.mkdir(parents=True, exist_ok=True, mode=0o700)
        return inside
    configured = os.environ.get(env_var)
    if configured:
        return Path(configured).expanduser()
    outbox = outbox_folder()
    if outbox is not None:
        return outbox
    folder = user_data_path("frontdesk", appauthor=False) / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return Path.cwd()
    return folder


@contextlib.contextmanager
def outputs_inside(folder: Path) -> Iterator[None]:
    """Write slips, exports and every other file for people inside ``folder`` meanwhile."""
    global _output_root
    before, _output_root = _output_root, folder
    try:
        yield
    finally:
        _output_root = before
