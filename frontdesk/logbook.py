"""The desk's log file: what went wrong, for whoever looks after the installation.

A rotating file in the user data folder (``FRONTDESK_LOG`` names another), 1 MB × 3. What goes
in is the service that failed, the record ids it was called with and the error's text and
traceback — never a name, a phone or an ID number: only whole numbers among the arguments are
written, everything else as its type.
"""

from __future__ import annotations

import logging
import os
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

LOGGER = "frontdesk"
MAX_BYTES = 1_000_000
BACKUPS = 3
_handler: RotatingFileHandler | None = None


def log_path() -> Path:
    """Where the log is written: ``$FRONTDESK_LOG``, else ``frontdesk.log`` in the user data
    folder."""
    configured = os.environ.get("FRONTDESK_LOG")
    if configured:
        return Path(configured).expanduser()
    return user_data_path("frontdesk", appauthor=False) / "frontdesk.log"


def logger() -> logging.Logger:
    """The desk's logger, writing to ``log_path()`` from its first use on (owner-only file)."""
    global _handler
    log = logging.getLogger(LOGGER)
    path = log_path()
    if _handler is None or Path(_handler.baseFilename) != path.resolve():
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            from logging.handlers import RotatingFileHandler  # the first failure

            handler = RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
            )
        except OSError:
            return log  # nowhere to write: the error is still shown on screen
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        if _handler is not None:
            log.removeHandler(_handler)
            _handler.close()
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
        _handler = handler
    return log


def safe_arguments(args: Sequence[object], kwargs: Mapping[str, object]) -> str:
    """The arguments as the log may keep them: whole numbers (record ids) as they are, anything
    else by its type only (a search text or a form may hold personal data)."""

    def one(value: object) -> str:
        if isinstance(value, bool) or value is None:
            return repr(value)
        if isinstance(value, int):
            return str(value)
        return f"<{type(value).__name__}>"

    parts = [one(value) for value in args]
    parts += [f"{key}={one(value)}" for key, value in kwargs.items()]
    return ", ".join(parts)


def log_failure(
    where: str, args: Sequence[object], kwargs: Mapping[str, object], error: BaseException
) -> None:
    """A service call that crashed: its name, its record ids, the error and where it arose."""
    frames = "".join(traceback.format_tb(error.__traceback__))
    logger().error(
        "%s(%s) failed: %s: %s\n%s",
        where,
        safe_arguments(args, kwargs),
        type(error).__name__,
        error,
        frames.rstrip(),
    )
