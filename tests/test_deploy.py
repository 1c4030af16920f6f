"""deploy/: the SSH launcher, the sshd drop-in and the setup script (no root, no sshd needed).

The launcher runs with ``FRONTDESK_BIN`` pointing at a fake program that prints its arguments,
its environment and its umask; the terminal is a real pseudo-terminal.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import get_args

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
LAUNCHER = DEPLOY / "frontdesk-ssh"
SETUP = DEPLOY / "setup.sh"
SSHD_CONF = DEPLOY / "sshd_frontdesk.conf"

FAKE = """#!/bin/sh
for arg in "$@"; do printf 'ARG=%s\\n' "$arg"; done
env | sort
printf 'UMASK=%s\\n' "$(umask)"
"""


class Run:
    def __init__(self, status: int, output: str) -> None:
        self.status = status
        self.output = output
        self.args = re.findall(r"^ARG=(.*)$", output, re.M)
        self.env = dict(re.findall(r"^([A-Z_][A-Z0-9_]*)=(.*)$", output, re.M))

    @property
    def ran(self) -> bool:
        return "UMASK" in self.env


@pytest.fixture
def server(tmp_path: Path) -> dict[str, str]:
    """A fake frontdesk and a database file, as the launcher's settings."""
    fake = tmp_path / "frontdesk"
    fake.write_text(FAKE)
    fake.chmod(0o755)
    folder = tmp_path / "srv"
    folder.mkdir()
    db = folder / "frontdesk.db"
    db.touch()
    return {"FRONTDESK_BIN": str(fake), "FRONTDESK_DB": str(db), "HOME": str(tmp_path)}


def _env(server: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin", **server, **extra}
    return {k: v for k, v in env.items() if v is not None}


def run_tty(server: dict[str, str], **extra: str) -> Run:
    """The launcher on a pseudo-terminal (stdin, stdout and stderr), as sshd runs it."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [str(LAUNCHER)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=_env(server, extra),
            start_new_session=True,
        )
    finally:
        os.close(slave)
    chunks = []
    deadline = time.monotonic() + 10
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the other side closed
                break
            if not data:
                break
            chunks.append(data)
        status = proc.wait(timeout=10)
    finally:
        os.close(master)
    return Run(status, b"".join(chunks).decode("utf-8").replace("\r\n", "\n"))


def run_pipe(server: dict[str, str], **extra: str) -> Run:
    """The launcher without a terminal (``ssh desk@center cmd``, scp, a script)."""
    out = subprocess.run(
        [str(LAUNCHER)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=_env(server, extra),
        timeout=10,
    )
    return Run(out.returncode, out.stdout + out.stderr)


# ---------------------------------------------------------------------------- the launcher ----


def test_the_launcher_is_an_executable_posix_script() -> None:
    assert os.access(LAUNCHER, os.X_OK)
    assert LAUNCHER.read_text().startswith("#!/bin/sh\n")
    subprocess.run(["sh", "-n", str(LAUNCHER)], check=True)


def test_it_execs_the_configured_program_on_the_shared_database(server: dict[str, str]) -> None:
    run = run_tty(server, TERM="xterm")
    assert run.status == 0, run.output
    assert run.args == ["--db", server["FRONTDESK_DB"]]
    assert run.env["UMASK"] == "0002"
    assert run.env["FRONTDESK_LANG"] == "zh"


def test_the_defaults_are_the_shared_database_and_the_installed_program() -> None:
    text = LAUNCHER.read_text()
    assert "FRONTDESK_DB=${FRONTDESK_DB:-/srv/frontdesk/frontdesk.db}" in text
    assert re.search(r"^FRONTDESK_BIN=\$\{FRONTDESK_BIN:-/\S+\}$", text, re.M)
    assert re.search(r"^FRONTDESK_LANG=\$\{FRONTDESK_LANG:-zh\}", text, re.M)
    assert "2>" not in text.replace(">&2", "")  # never redirects stderr: Textual draws on it


def test_it_refuses_without_a_terminal(server: dict[str, str]) -> None:
    run = run_pipe(server, TERM="xterm")
    assert run.status != 0 and not run.ran
    lines = run.output.strip().splitlines()
    assert len(lines) == 1
    assert "终端" in lines[0] and "ssh -t" in lines[0] and "terminal" in lines[0]


@pytest.mark.parametrize("command", ["ls", "internal-sftp", "scp -t /tmp", "frontdesk"])
def test_it_refuses_a_remote_command(server: dict[str, str], command: str) -> None:
    for run in (
        run_tty(server, SSH_ORIGINAL_COMMAND=command),
        run_pipe(server, SSH_ORIGINAL_COMMAND=command),
    ):
        assert run.status != 0 and not run.ran
        assert "命令" in run.output and "remote commands" in run.output


@pytest.mark.parametrize(
    ("term", "colorterm", "expected"),
    [
        ("xterm", None, "standard"),  # PuTTY, most SSH clients: 16 colours
        ("screen", None, "standard"),
        ("linux", None, "standard"),
        ("xterm-256color", None, "256"),
        ("tmux-256color", None, "256"),
        ("xterm-256color", "truecolor", "truecolor"),
        ("xterm", "24bit", "truecolor"),
        ("xterm-direct", None, "truecolor"),
    ],
)
def test_the_colour_system_follows_the_terminal(
    server: dict[str, str], term: str, colorterm: str | None, expected: str
) -> None:
    extra = {"TERM": term}
    if colorterm:
        extra["COLORTERM"] = colorterm
    run = run_tty(server, **extra)
    assert run.status == 0, run.output
    assert run.env["TEXTUAL_COLOR_SYSTEM"] == expected
    assert run.env["TEXTUAL_DISABLE_KITTY_KEY"] == "1"
    assert run.env["TEXTUAL_ANIMATIONS"] == "none"


def test_an_administrators_colour_system_wins(server: dict[str, str]) -> None:
    run = run_tty(server, TERM="xterm", TEXTUAL_COLOR_SYSTEM="256")
    assert run.env["TEXTUAL_COLOR_SYSTEM"] == "256"


def test_a_missing_term_becomes_xterm(server: dict[str, str]) -> None:
    run = run_tty(server)
    assert run.env["TERM"] == "xterm"
    assert run.env["TEXTUAL_COLOR_SYSTEM"] == "standard"


def test_the_variables_are_the_ones_textual_reads() -> None:
    from textual import constants
    from textual._types import AnimationLevel

    source = Path(constants.__file__).read_text()
    for name in (
        "TEXTUAL_COLOR_SYSTEM",
        "TEXTUAL_DISABLE_KITTY_KEY",
        "TEXTUAL_ANIMATIONS",
        "TEXTUAL_FPS",
    ):
        assert f'"{name}"' in source, name
        assert name in LAUNCHER.read_text()
    assert "none" in get_args(AnimationLevel)


# ---------------------------------------------------------------------------------- UTF-8 ----


def test_lang_is_set_when_the_client_sends_none(server: dict[str, str]) -> None:
    run = run_tty(server, TERM="xterm")
    assert run.env["LANG"] == "C.UTF-8"
    assert run.env["PYTHONUTF8"] == "1"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("LANG", "zh_CN.UTF-8", "zh_CN.UTF-8"),
        ("LANG", "en_US.utf8", "en_US.utf8"),
        ("LANG", "C", "C.UTF-8"),
        ("LC_ALL", "POSIX", "C.UTF-8"),
        ("LC_CTYPE", "UTF-8", "C.UTF-8"),  # what macOS sends
    ],
)
def test_a_utf8_locale_is_kept_and_c_becomes_utf8(
    server: dict[str, str], variable: str, value: str, expected: str
) -> None:
    run = run_tty(server, TERM="xterm", **{variable: value})
    assert run.status == 0, run.output
    assert run.env[variable] == expected


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LANG", "zh_CN.GB18030"),
        ("LANG", "zh_CN.GBK"),
        ("LC_ALL", "en_US.ISO-8859-1"),
        ("LANG", "zh_CN"),
    ],
)
def test_a_non_utf8_locale_is_refused(server: dict[str, str], variable: str, value: str) -> None:
    run = run_tty(server, TERM="xterm", **{variable: value})
    assert run.status != 0 and not run.ran
    assert "UTF-8" in run.output and value in run.output
    assert len(run.output.strip().splitlines()) == 1


def test_lc_all_wins_over_lang(server: dict[str, str]) -> None:
    run = run_tty(server, TERM="xterm", LANG="zh_CN.GBK", LC_ALL="zh_CN.UTF-8")
    assert run.status == 0, run.output


# ---------------------------------------------------------------------------- the server ----


def test_a_missing_database_is_not_created(server: dict[str, str]) -> None:
    Path(server["FRONTDESK_DB"]).unlink()
    run = run_tty(server, TERM="xterm")
    assert run.status == 1 and not run.ran
    assert "setup.sh" in run.output
    assert not Path(server["FRONTDESK_DB"]).exists()


def test_a_missing_program_is_explained(server: dict[str, str], tmp_path: Path) -> None:
    run = run_tty(server, TERM="xterm", FRONTDESK_BIN=str(tmp_path / "nowhere"))
    assert run.status == 1 and "nowhere" in run.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anything")
def test_a_database_the_user_cannot_write_is_explained(server: dict[str, str]) -> None:
    Path(server["FRONTDESK_DB"]).chmod(0o440)
    run = run_tty(server, TERM="xterm")
    assert run.status == 1 and not run.ran
    assert "660" in run.output


# ------------------------------------------------------------------- sshd and the setup ----


def test_the_sshd_drop_in_forces_the_launcher() -> None:
    lines = [
        line.strip()
        for line in SSHD_CONF.read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]
    assert lines[0] == "Match Group frontdesk"
    for expected in (
        "ForceCommand /usr/local/bin/frontdesk-ssh",
        "PermitTTY yes",
        "AllowTcpForwarding no",
        "X11Forwarding no",
        "AllowAgentForwarding no",
        "PermitTunnel no",
        "DisableForwarding yes",
        "PermitUserRC no",
    ):
        assert expected in lines, expected
    assert any(line.startswith("ClientAliveInterval ") for line in lines)
    assert any(line.startswith("ClientAliveCountMax ") for line in lines)
    assert sum(line.startswith("Match ") for line in lines) == 1


def test_the_setup_script_parses_and_agrees_with_the_rest() -> None:
    subprocess.run(["bash", "-n", str(SETUP)], check=True)
    text = SETUP.read_text()
    assert "LAUNCHER=${LAUNCHER:-/usr/local/bin/frontdesk-ssh}" in text
    assert "DATA_DIR=${DATA_DIR:-/srv/frontdesk}" in text
    assert "-m 2770" in text and "-m 0660" in text
    assert "sshd -t" in text or '"$SSHD" -t' in text


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_shellcheck_finds_nothing() -> None:
    out = subprocess.run(["shellcheck", str(SETUP), str(LAUNCHER)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout
