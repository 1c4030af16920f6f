"""deploy/: the two launchers, the sudo rule, the sshd drop-in and the setup script.

The staff-side launcher (``frontdesk-ssh``) runs with a fake ``sudo`` that prints its arguments;
the desk launcher (``frontdesk-desk``) with a fake program that prints its arguments, its
environment and its umask. Both get a real pseudo-terminal. Their settings are plain values, so
each test installs a copy with its own settings, as ``setup.sh`` does. ``setup.sh data`` runs
for real as root (skipped otherwise), with ``nobody`` as the service account in a temporary
folder; visudo and sshd check the files where they are installed (skipped otherwise).
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
LAUNCHER = DEPLOY / "frontdesk-ssh"
DESK = DEPLOY / "frontdesk-desk"
SETUP = DEPLOY / "setup.sh"
SSHD_CONF = DEPLOY / "sshd_frontdesk.conf"
SUDOERS = DEPLOY / "sudoers_frontdesk"
DESK_PATH = "/usr/local/lib/frontdesk/frontdesk-desk"

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


def _configured(script: Path, target: Path, **settings: str) -> Path:
    """A copy of ``script`` with its settings lines set, the way setup.sh installs it."""
    text = script.read_text()
    for name, value in settings.items():
        text, count = re.subn(rf"^{name}=.*$", f"{name}={value}", text, count=1, flags=re.M)
        assert count == 1, name
    target.write_text(text)
    target.chmod(0o755)
    return target


@pytest.fixture
def server(tmp_path: Path) -> dict[str, str]:
    """A fake frontdesk, a database only this account can open, and the desk launcher on them."""
    fake = tmp_path / "frontdesk"
    fake.write_text(FAKE)
    fake.chmod(0o755)
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    db = folder / "frontdesk.db"
    db.write_bytes(b"SQLite format 3\0")
    db.chmod(0o600)
    desk = _configured(
        DESK, tmp_path / "frontdesk-desk", FRONTDESK_BIN=str(fake), FRONTDESK_DB=str(db)
    )
    return {"desk": str(desk), "db": str(db), "bin": str(fake), "HOME": str(tmp_path)}


def _env(extra: dict[str, str]) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", **extra}


def run_tty(program: str, *args: str, **env: str) -> Run:
    """``program`` on a pseudo-terminal (stdin, stdout and stderr), as sshd runs it."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            [program, *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=_env(env),
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


def run_pipe(program: str, **env: str) -> Run:
    """``program`` without a terminal (``ssh wangli@center cmd``, scp, a script)."""
    out = subprocess.run(
        [program],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=_env(env),
        timeout=10,
    )
    return Run(out.returncode, out.stdout + out.stderr)


def desk_tty(server: dict[str, str], **env: str) -> Run:
    return run_tty(server["desk"], **env)


# ------------------------------------------------------------- the staff side: frontdesk-ssh ----

FAKE_SUDO = """#!/bin/sh
for arg in "$@"; do printf 'ARG=%s\\n' "$arg"; done
printf 'UMASK=%s\\n' "$(umask)"
"""


@pytest.fixture
def staff_side(tmp_path: Path) -> str:
    """frontdesk-ssh with a fake sudo that prints what it was asked to run."""
    sudo = tmp_path / "sudo"
    sudo.write_text(FAKE_SUDO)
    sudo.chmod(0o755)
    return str(_configured(LAUNCHER, tmp_path / "frontdesk-ssh", SUDO=str(sudo)))


def test_the_launchers_are_executable_posix_scripts() -> None:
    for script in (LAUNCHER, DESK):
        assert os.access(script, os.X_OK)
        assert script.read_text().startswith("#!/bin/sh\n")
        subprocess.run(["sh", "-n", str(script)], check=True)
        assert "2>" not in script.read_text().replace(">&2", "")  # Textual draws on stderr


def test_the_staff_side_hands_over_to_the_service_account_and_nothing_else(
    staff_side: str,
) -> None:
    run = run_tty(staff_side, TERM="xterm", LANG="zh_CN.UTF-8")
    assert run.status == 0, run.output
    # exactly the command of the sudo rule, without arguments, never asking for a password
    assert run.args == ["-n", "-u", "frontdesk", "--", DESK_PATH]


def test_the_staff_side_settings_are_fixed_values_not_the_environment() -> None:
    text = LAUNCHER.read_text()
    assert re.search(r"^SUDO=/usr/bin/sudo$", text, re.M)
    assert re.search(r"^FRONTDESK_USER=frontdesk$", text, re.M)
    assert re.search(rf"^FRONTDESK_DESK={re.escape(DESK_PATH)}$", text, re.M)


def test_arguments_given_to_the_staff_side_never_reach_sudo(staff_side: str) -> None:
    run = run_tty(staff_side, "--db", "/tmp/mine.db", TERM="xterm")
    assert run.args == ["-n", "-u", "frontdesk", "--", DESK_PATH]


def test_it_refuses_without_a_terminal(staff_side: str, server: dict[str, str]) -> None:
    for program in (staff_side, server["desk"]):
        run = run_pipe(program, TERM="xterm")
        assert run.status == 2 and not run.ran
        lines = run.output.strip().splitlines()
        assert len(lines) == 1
        assert "终端" in lines[0] and "ssh -t" in lines[0] and "terminal" in lines[0]


@pytest.mark.parametrize("command", ["ls", "internal-sftp", "scp -t /tmp", "frontdesk"])
def test_it_refuses_a_remote_command(staff_side: str, command: str) -> None:
    for run in (
        run_tty(staff_side, SSH_ORIGINAL_COMMAND=command),
        run_pipe(staff_side, SSH_ORIGINAL_COMMAND=command),
    ):
        assert run.status == 2 and not run.ran
        assert "命令" in run.output and "remote commands" in run.output


@pytest.mark.parametrize(
    ("variable", "value"),
    [("LANG", "zh_CN.GB18030"), ("LANG", "zh_CN.GBK"), ("LC_ALL", "en_US.ISO-8859-1")],
)
def test_the_staff_side_refuses_a_non_utf8_terminal_before_sudo(
    staff_side: str, variable: str, value: str
) -> None:
    run = run_tty(staff_side, TERM="xterm", **{variable: value})
    assert run.status == 2 and not run.ran
    assert "UTF-8" in run.output and value in run.output


def test_a_server_without_sudo_is_explained(tmp_path: Path) -> None:
    launcher = _configured(LAUNCHER, tmp_path / "l", SUDO=str(tmp_path / "no-sudo"))
    run = run_tty(str(launcher), TERM="xterm")
    assert run.status == 1 and "apt-get install sudo" in run.output


# ------------------------------------------------------------ the service side: frontdesk-desk ----


def test_it_execs_the_configured_program_on_the_database(server: dict[str, str]) -> None:
    run = desk_tty(server, TERM="xterm", SUDO_USER="wangli", SUDO_UID="1001")
    assert run.status == 0, run.output
    assert run.args == ["--db", server["db"]]
    assert run.env["UMASK"] == "0077"  # -wal, -shm, slips: the service account's alone
    assert run.env["FRONTDESK_LANG"] == "zh"
    assert run.env["SUDO_USER"] == "wangli"  # the staff account reaches the audit log
    assert run.env["HOME"] == str(Path(server["db"]).parent)
    assert run.env["PATH"] == "/usr/local/bin:/usr/bin:/bin"


def test_the_desk_settings_are_fixed_values_not_the_environment(server: dict[str, str]) -> None:
    text = DESK.read_text()
    assert re.search(r"^FRONTDESK_DB=/srv/frontdesk/frontdesk.db$", text, re.M)
    assert re.search(r"^FRONTDESK_BIN=/\S+$", text, re.M)
    assert re.search(r"^FRONTDESK_LANG=zh\b", text, re.M)
    run = desk_tty(server, TERM="xterm", FRONTDESK_DB="/tmp/other.db", FRONTDESK_BIN="/bin/sh")
    assert run.args == ["--db", server["db"]]


def test_the_desk_takes_no_arguments(server: dict[str, str]) -> None:
    run = run_tty(server["desk"], "--db", "/tmp/other.db", TERM="xterm")
    assert run.status == 2 and not run.ran
    assert "arguments" in run.output


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
    run = desk_tty(server, **extra)
    assert run.status == 0, run.output
    assert run.env["TEXTUAL_COLOR_SYSTEM"] == expected
    assert run.env["TEXTUAL_DISABLE_KITTY_KEY"] == "1"
    assert run.env["TEXTUAL_ANIMATIONS"] == "none"


def test_an_administrators_colour_system_wins(server: dict[str, str], tmp_path: Path) -> None:
    desk = _configured(
        Path(server["desk"]), tmp_path / "desk-256", FRONTDESK_COLORS='"256"  # fixed'
    )
    run = run_tty(str(desk), TERM="xterm")
    assert run.env["TEXTUAL_COLOR_SYSTEM"] == "256"


def test_a_missing_term_becomes_xterm(server: dict[str, str]) -> None:
    run = desk_tty(server)
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
        assert name in DESK.read_text()
    assert "none" in get_args(AnimationLevel)


# ---------------------------------------------------------------------------------- UTF-8 ----


def test_lang_is_set_when_the_client_sends_none(server: dict[str, str]) -> None:
    run = desk_tty(server, TERM="xterm")
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
    server: dict[str, str], staff_side: str, variable: str, value: str, expected: str
) -> None:
    assert run_tty(staff_side, TERM="xterm", **{variable: value}).status == 0
    run = desk_tty(server, TERM="xterm", **{variable: value})
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
    run = desk_tty(server, TERM="xterm", **{variable: value})
    assert run.status == 2 and not run.ran
    assert "UTF-8" in run.output and value in run.output
    assert len(run.output.strip().splitlines()) == 1


def test_lc_all_wins_over_lang(server: dict[str, str]) -> None:
    run = desk_tty(server, TERM="xterm", LANG="zh_CN.GBK", LC_ALL="zh_CN.UTF-8")
    assert run.status == 0, run.output


# ---------------------------------------------------------------- the database, closed ----


def test_a_missing_database_is_not_created(server: dict[str, str]) -> None:
    Path(server["db"]).unlink()
    run = desk_tty(server, TERM="xterm")
    assert run.status == 1 and not run.ran
    assert "setup.sh" in run.output
    assert not Path(server["db"]).exists()


def test_an_empty_database_file_is_not_opened(server: dict[str, str]) -> None:
    Path(server["db"]).write_bytes(b"")  # what a failed setup used to leave
    run = desk_tty(server, TERM="xterm")
    assert run.status == 1 and not run.ran
    assert "empty" in run.output


def test_a_missing_program_is_explained(server: dict[str, str], tmp_path: Path) -> None:
    desk = _configured(
        Path(server["desk"]), tmp_path / "d", FRONTDESK_BIN=str(tmp_path / "nowhere")
    )
    run = run_tty(str(desk), TERM="xterm")
    assert run.status == 1 and "nowhere" in run.output


@pytest.mark.parametrize(
    ("what", "mode"), [("db", 0o660), ("db", 0o604), ("folder", 0o770), ("folder", 0o2770)]
)
def test_a_database_open_to_other_accounts_is_refused(
    server: dict[str, str], what: str, mode: int
) -> None:
    """The old layout (group frontdesk, folder 2770, files 0660) gave every member the file."""
    path = Path(server["db"]) if what == "db" else Path(server["db"]).parent
    path.chmod(mode)
    run = desk_tty(server, TERM="xterm")
    assert run.status == 1 and not run.ran
    assert "600" in run.output and "setup.sh" in run.output


def test_an_open_wal_file_is_refused_too(server: dict[str, str]) -> None:
    wal = Path(server["db"] + "-wal")
    wal.write_bytes(b"")
    wal.chmod(0o660)
    run = desk_tty(server, TERM="xterm")
    assert run.status == 1 and not run.ran


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the file to another account")
def test_the_desk_runs_only_as_the_account_that_owns_the_database(server: dict[str, str]) -> None:
    os.chown(server["db"], 65534, 65534)  # nobody's: root would leave -wal/-shm it cannot open
    run = desk_tty(server, TERM="xterm")
    assert run.status == 1 and not run.ran
    assert "sudo -u frontdesk" in run.output


# --------------------------------------------------------- sudo, sshd: the files agree ----


def _rule_lines(path: Path) -> list[str]:
    return [
        line.strip()
        for line in path.read_text().splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def test_the_sudo_rule_allows_the_desk_launcher_only_without_arguments() -> None:
    lines = _rule_lines(SUDOERS)
    rules = [line for line in lines if not line.startswith("Defaults")]
    assert rules == [f'%frontdesk-staff ALL = (frontdesk) NOPASSWD: {DESK_PATH} ""']
    defaults = " ".join(line for line in lines if line.startswith("Defaults"))
    assert "env_reset" in defaults
    kept = re.search(r'env_keep = "([^"]*)"', defaults)
    assert kept is not None and set(kept.group(1).split()) == {
        "TERM",
        "LANG",
        "LC_ALL",
        "LC_CTYPE",
        "COLORTERM",
    }
    assert "SUDO_USER" not in defaults  # sudo sets it; nothing here takes it away


def test_setup_installs_the_launchers_where_the_rule_and_sshd_expect_them() -> None:
    text = SETUP.read_text()
    assert f"DESK_LAUNCHER=${{DESK_LAUNCHER:-{DESK_PATH}}}" in text
    assert "LAUNCHER=${LAUNCHER:-/usr/local/bin/frontdesk-ssh}" in text
    assert "SERVICE_USER=${SERVICE_USER:-frontdesk}" in text
    assert "STAFF_GROUP=${STAFF_GROUP:-frontdesk-staff}" in text
    assert "SUDOERS=${SUDOERS:-/etc/sudoers.d/frontdesk}" in text
    assert "visudo -cqf" in text and "-m 0440" in text
    assert "passwd desk" not in text and "passwd desk" not in (DEPLOY / "README.md").read_text()


@pytest.mark.skipif(shutil.which("visudo") is None, reason="sudo is not installed (visudo)")
def test_visudo_accepts_the_rule(tmp_path: Path) -> None:
    out = subprocess.run(["visudo", "-cf", str(SUDOERS)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def match_blocks(text: str) -> dict[str, list[str]]:
    """The drop-in's settings by ``Match`` line (comments and blank lines left out)."""
    blocks: dict[str, list[str]] = {}
    current: list[str] = blocks.setdefault("", [])
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("Match "):
            assert line not in blocks, line
            current = blocks.setdefault(line, [])
        else:
            current.append(line)
    return blocks


def test_the_sshd_drop_in_forces_the_launcher_and_keys_only() -> None:
    blocks = match_blocks(SSHD_CONF.read_text())
    assert list(blocks) == ["", "Match Group frontdesk-staff", "Match Group frontdesk-outbox"]
    assert blocks[""] == []  # nothing outside the groups is changed
    lines = blocks["Match Group frontdesk-staff"]
    for expected in (
        "ForceCommand /usr/local/bin/frontdesk-ssh",
        "AuthenticationMethods publickey",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
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
    assert not any(line.startswith("ChrootDirectory") for line in lines)
    assert not any(
        "PasswordAuthentication yes" in line for line in SSHD_CONF.read_text().splitlines()
    )


@pytest.mark.skipif(
    shutil.which("sshd", path="/usr/sbin:/usr/bin") is None or shutil.which("ssh-keygen") is None,
    reason="openssh-server is not installed",
)
@pytest.mark.skipif(
    not Path("/run/sshd").is_dir(), reason="sshd -t needs /run/sshd (made when sshd first starts)"
)
def test_sshd_accepts_the_drop_in(tmp_path: Path) -> None:
    key = tmp_path / "host_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    config = tmp_path / "sshd_config"
    config.write_text(f"HostKey {key}\nInclude {SSHD_CONF}\n")
    sshd = shutil.which("sshd", path="/usr/sbin:/usr/bin")
    assert sshd is not None
    out = subprocess.run([sshd, "-t", "-f", str(config)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_the_setup_script_parses() -> None:
    subprocess.run(["bash", "-n", str(SETUP)], check=True)


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_shellcheck_finds_nothing() -> None:
    out = subprocess.run(
        ["shellcheck", str(SETUP), str(LAUNCHER), str(DESK)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stdout


# ------------------------------------------------------------------ setup.sh data, for real ----

# A stand-in for frontdesk run by setup.sh as the service account: it answers --help, and
# "seed" writes a file ("seed-fails" beside it: leaves an empty file and fails, as the real
# program did when it could not finish); "info --json" reads the first word of the file.
STAND_IN = r"""#!/bin/sh
here=$(dirname "$0")
id -un >>"$here/ran-as"
case $1 in
    --help) exit 0 ;;
    seed)
        : >"$3"
        if [ -e "$here/seed-fails" ]; then echo "seed: disk full" >&2; exit 3; fi
        echo "seeded" >"$3"
        echo "seeded $3" ;;
    info)
        case $(head -c 6 "$3") in
            seeded) echo '{"schema_version": 1, "communities": 1, "staff": 47}' ;;
            schema) echo '{"schema_version": 1, "communities": 0, "staff": 0}' ;;
            *) echo "frontdesk: $3 不是前台程序的数据库" >&2; exit 1 ;;
        esac ;;
    *) exit 2 ;;
esac
"""

root_only = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("runuser") is None,
    reason="setup.sh runs as root (runuser); the service account here is 'nobody'",
)


@pytest.fixture
def site() -> Iterator[Path]:
    """A folder every account may enter (pytest's own tmp folders are root's alone)."""
    base = Path(tempfile.mkdtemp(prefix="frontdesk-setup-"))
    base.chmod(0o755)
    program = base / "bin" / "frontdesk"
    program.parent.mkdir(mode=0o755)
    program.write_text(STAND_IN)
    program.chmod(0o755)
    (base / "bin" / "ran-as").touch(mode=0o666)
    (base / "bin" / "ran-as").chmod(0o666)
    try:
        yield base
    finally:
        shutil.rmtree(base)


def setup_data(
    site: Path, program: Path | None = None, new_db: str | None = "demo"
) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "SERVICE_USER": "nobody",
        "DATA_DIR": str(site / "srv"),
        "FRONTDESK_BIN": str(program or site / "bin" / "frontdesk"),
    }
    if new_db is not None:
        env["NEW_DB"] = new_db
    return subprocess.run(
        ["bash", str(SETUP), "data"], capture_output=True, text=True, env=env, timeout=60
    )


def _owner_and_mode(path: Path) -> tuple[int, str]:
    st = path.stat()
    return st.st_uid, oct(st.st_mode & 0o7777)


@root_only
def test_setup_refuses_a_program_the_service_account_cannot_run(site: Path, tmp_path: Path) -> None:
    """Root could run it, the service account could not (rc 126): nothing is created."""
    hidden = tmp_path / "frontdesk"  # pytest's tmp folders are root's alone (0700)
    shutil.copy(site / "bin" / "frontdesk", hidden)
    hidden.chmod(0o755)
    out = setup_data(site, hidden)
    assert out.returncode == 1
    assert "does not run as nobody (exit status 126)" in out.stderr
    assert "python3-venv" in out.stderr and "database were not touched" in out.stderr
    assert not (site / "srv").exists()


@root_only
def test_setup_creates_the_database_as_the_service_account_closed_to_everyone_else(
    site: Path,
) -> None:
    out = setup_data(site)
    assert out.returncode == 0, out.stderr
    folder, db = site / "srv", site / "srv" / "frontdesk.db"
    assert _owner_and_mode(folder) == (65534, "0o700")
    assert _owner_and_mode(db) == (65534, "0o600")
    assert db.read_text() == "seeded\n"
    assert set((site / "bin" / "ran-as").read_text().split()) == {"nobody"}
    assert [p.name for p in folder.iterdir()] == ["frontdesk.db"]  # no temporary file left
    # another account cannot open it, not even list the folder, nor get the desk launcher to
    desk = _configured(
        DESK,
        site / "bin" / "frontdesk-desk",
        FRONTDESK_BIN=str(site / "bin" / "frontdesk"),
        FRONTDESK_DB=str(db),
    )
    for command in (["cat", str(db)], ["ls", str(folder)]):
        other = subprocess.run(["runuser", "-u", "daemon", "--", *command], capture_output=True)
        assert other.returncode != 0
        assert b"Permission denied" in other.stderr
    run = run_tty(str(shutil.which("runuser")), "-u", "daemon", "--", str(desk), TERM="xterm")
    assert run.status == 1 and not run.ran
    assert "daemon" not in (site / "bin" / "ran-as").read_text()


@root_only
def test_a_failing_seed_leaves_no_file_and_a_rerun_repairs(site: Path) -> None:
    (site / "bin" / "seed-fails").touch()
    out = setup_data(site)
    assert out.returncode == 1
    assert "failed (exit status 3)" in out.stderr and "nothing was left" in out.stderr
    assert list((site / "srv").iterdir()) == []  # no 0-byte frontdesk.db, no temporary file
    (site / "bin" / "seed-fails").unlink()
    out = setup_data(site)
    assert out.returncode == 0, out.stderr
    assert (site / "srv" / "frontdesk.db").read_text() == "seeded\n"


@root_only
def test_an_empty_file_left_by_an_earlier_setup_is_made_again(site: Path) -> None:
    """What the old setup.sh left: root:frontdesk 2770, an empty frontdesk.db 0660."""
    folder = site / "srv"
    folder.mkdir()
    folder.chmod(0o2770)
    (folder / "frontdesk.db").touch()
    (folder / "frontdesk.db").chmod(0o660)
    out = setup_data(site)
    assert out.returncode == 0, out.stderr
    assert "empty file" in out.stdout
    assert (folder / "frontdesk.db").read_text() == "seeded\n"
    assert _owner_and_mode(folder) == (65534, "0o700")
    assert _owner_and_mode(folder / "frontdesk.db") == (65534, "0o600")


@root_only
def test_a_database_with_data_is_kept_and_closed(site: Path) -> None:
    folder = site / "srv"
    folder.mkdir()
    folder.chmod(0o2770)
    for name in ("frontdesk.db", "frontdesk.db-wal"):
        (folder / name).write_text("seeded, and a year of the center's work\n")
        (folder / name).chmod(0o660)
    out = setup_data(site)
    assert out.returncode == 0, out.stderr
    assert "47 staff accounts" in out.stdout
    for name in ("frontdesk.db", "frontdesk.db-wal"):
        assert (folder / name).read_text() == "seeded, and a year of the center's work\n"
        assert _owner_and_mode(folder / name) == (65534, "0o600")
    assert "seed" not in (site / "bin" / "ran-as").read_text()


@root_only
def test_a_real_installation_gets_no_demo_by_default(site: Path) -> None:
    """Issue 13: the demo's published accounts never land in a real center's database unasked;
    setup says how a center makes its own (its places, then its first supervisor)."""
    out = setup_data(site, new_db=None)
    assert out.returncode == 0, out.stderr
    assert not (site / "srv" / "frontdesk.db").exists()
    assert "seed" not in (site / "bin" / "ran-as").read_text()
    assert "import places" in out.stdout and "account add" in out.stdout
    assert "NEW_DB=demo" in out.stdout
    (site / "srv" / "frontdesk.db").write_text("schema only\n")  # made, not yet filled
    out = setup_data(site, new_db=None)
    assert out.returncode == 0, out.stderr
    assert (site / "srv" / "frontdesk.db").read_text() == "schema only\n"
    assert "nobody can sign in" in out.stdout


@root_only
def test_a_schema_without_accounts_gets_the_demo(site: Path) -> None:
    folder = site / "srv"
    folder.mkdir()
    (folder / "frontdesk.db").write_text("schema only\n")
    out = setup_data(site)
    assert out.returncode == 0, out.stderr
    assert "holds no data" in out.stdout
    assert (folder / "frontdesk.db").read_text() == "seeded\n"


@root_only
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(site: Path) -> None:
    folder = site / "srv"
    folder.mkdir()
    (folder / "frontdesk.db").write_text("minutes of the residents' meeting\n")
    out = setup_data(site)
    assert out.returncode == 1
    assert "not a database the desk can open" in out.stderr and "Left as it is" in out.stderr
    assert (folder / "frontdesk.db").read_text() == "minutes of the residents' meeting\n"


@root_only
def test_setup_refuses_a_service_account_with_a_login_shell(site: Path) -> None:
    env_user = "root"  # a login shell: the desk's account must have none
    out = subprocess.run(
        ["bash", str(SETUP), "data"],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "SERVICE_USER": env_user,
            "DATA_DIR": str(site / "srv"),
            "FRONTDESK_BIN": str(site / "bin" / "frontdesk"),
        },
        timeout=60,
    )
    assert out.returncode == 1 and "login shell" in out.stderr
    assert not (site / "srv").exists()


@root_only
def test_the_full_setup_checks_sudo_before_it_changes_anything(site: Path) -> None:
    """Without sudo no staff account could reach the desk: stop first, not half way."""
    out = subprocess.run(
        ["bash", str(SETUP)],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",  # no /usr/sbin: no visudo, as on a machine without sudo
            "SERVICE_USER": "nobody",
            "DATA_DIR": str(site / "srv"),
            "FRONTDESK_BIN": str(site / "bin" / "frontdesk"),
        },
        timeout=60,
    )
    assert out.returncode == 1 and "apt-get install sudo" in out.stderr
    assert not (site / "srv").exists()
    assert (site / "bin" / "ran-as").read_text() == ""
