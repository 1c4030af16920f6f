"""The outbox: where a desk reached over SSH puts the files meant for the operator's PC.

A terminal session cannot carry a file, so ``deploy/setup.sh`` gives each member of staff an
SFTP-only account (``wangli-out``, chrooted to ``/srv/frontdesk-outbox/wangli-out``) whose one
folder, ``outbox``, the desk can write. The desk launcher says so in two variables:

- ``FRONTDESK_OUTBOX``: the folder on the server (``/srv/frontdesk-outbox/wangli-out/outbox``);
- ``FRONTDESK_OUTBOX_LOGIN``: the SFTP login that reaches it (``wangli-out@center``).

Without both (the desk on a PC, the demo, tests) there is no outbox and files stay where
``frontdesk.paths.output_folder`` puts them. No Textual, no database.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from frontdesk.i18n import _

OUTBOX_ENV = "FRONTDESK_OUTBOX"
LOGIN_ENV = "FRONTDESK_OUTBOX_LOGIN"
SHARED_MODE = 0o640  # the owner (the service account) and the outbox's group (the member)

# What a PC's shell (cmd, PowerShell, sh) passes through unquoted.
_PLAIN = re.compile(r"[A-Za-z0-9._/@:+-]+")


@dataclass(frozen=True)
class Outbox:
    folder: Path  # on the server, as the desk sees it
    login: str  # user@host for sftp

    @property
    def user(self) -> str:
        return self.login.rpartition("@")[0]

    @property
    def host(self) -> str:
        return self.login.rpartition("@")[2]

    @property
    def remote_folder(self) -> str:
        """The folder as the SFTP session sees it: the chroot is the folder's parent."""
        return f"/{self.folder.name}"


def outbox() -> Outbox | None:
    """The outbox the launcher set up for this session, or None."""
    folder = os.environ.get(OUTBOX_ENV, "").strip()
    login = os.environ.get(LOGIN_ENV, "").strip()
    user, at, host = login.rpartition("@")
    if not folder or not at or not user or not host or not os.path.isabs(folder):
        return None
    return Outbox(Path(folder), login)


def outbox_folder() -> Path | None:
    """Where files for the operator's PC go when the desk runs over SSH with an outbox."""
    box = outbox()
    return box.folder if box else None


def _inside(path: Path, box: Outbox) -> PurePosixPath | None:
    try:
        relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(box.folder))
    except ValueError:
        return None
    if not relative.parts:
        return None
    return PurePosixPath(box.remote_folder, *relative.parts)


def _quoted(text: str) -> str:
    return text if _PLAIN.fullmatch(text) else f'"{text}"'


def fetch_command(path: Path) -> str | None:
    """The command that copies ``path`` to the current folder of the PC, e.g.
    ``sftp wangli-out@center:/outbox/residents-20261202.xlsx .`` — sftp is built into Windows
    10 and later, macOS and Linux (scp too, but Windows' older scp speaks a protocol the outbox
    does not). None when the file is not in this session's outbox."""
    box = outbox()
    if box is None:
        return None
    remote = _inside(path, box)
    if remote is None:
        return None
    return f"sftp {_quoted(f'{box.login}:{remote}')} ."


def fetch_hint(path: Path) -> str:
    """A line to add under "saved: PATH" telling the operator how to fetch the file (a new
    line and ``outbox.fetch``), or "" when the file is not in an outbox."""
    command = fetch_command(path)
    if command is None:
        return ""
    return "\n" + _("outbox.fetch", command=command)


def share(path: Path) -> None:
    """Let the member's SFTP account read ``path`` if it is in the outbox (the desk writes with
    umask 077; the outbox folder is setgid to the member's group). Elsewhere: nothing."""
    box = outbox()
    if box is not None and _inside(path, box) is not None:
        os.chmod(path, SHARED_MODE)
