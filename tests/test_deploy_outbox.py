"""deploy/: the SFTP outbox of each member of staff (issue 13, export over SSH).

The drop-in and the cleaning job as ``setup.sh print`` renders them (no root, no sshd); the
desk launcher pointing the desk at the member's outbox (a fake program prints what it got).
As root with runuser: the cleaning job deletes old files only. As root with sshd: a real
``add-staff``, then a real sshd on a free port — the outbox account fetches and deletes a
file the desk wrote, and reaches nothing else (skipped otherwise, as in test_deploy.py).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_deploy import DESK, FAKE, Run, _configured, match_blocks, run_tty

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SETUP = DEPLOY / "setup.sh"
SSHD = shutil.which("sshd", path="/usr/sbin:/usr/bin")
DENIED = (
    "write,setstat,fsetstat,lsetstat,mkdir,rmdir,rename,posix-rename,symlink,hardlink,copy-data"
)


def render(what: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SETUP), "print", what],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", **settings},
        timeout=30,
    )


# ------------------------------------------------------------------- the drop-in, rendered ----


def test_the_outbox_accounts_get_sftp_in_their_chroot_and_nothing_else() -> None:
    out = render(
        "sshd-config",
        STAFF_GROUP="desk-people",
        OUTBOX_GROUP="desk-files",
        OUTBOX_DIR="/data/outboxes",
        OUTBOX_KEYS="/etc/ssh/outbox-keys",
        LAUNCHER="/opt/fd/frontdesk-ssh",
    )
    assert out.returncode == 0, out.stderr
    blocks = match_blocks(out.stdout)
    assert list(blocks) == ["", "Match Group desk-people", "Match Group desk-files"]
    assert "ForceCommand /opt/fd/frontdesk-ssh" in blocks["Match Group desk-people"]
    box = blocks["Match Group desk-files"]
    for expected in (
        "ChrootDirectory /data/outboxes/%u",
        f"ForceCommand internal-sftp -d /outbox -P {DENIED}",
        "AuthorizedKeysFile /etc/ssh/outbox-keys/%u",
        "AuthenticationMethods publickey",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitTTY no",
        "DisableForwarding yes",
        "AllowTcpForwarding no",
        "X11Forwarding no",
        "AllowAgentForwarding no",
        "PermitTunnel no",
        "PermitUserRC no",
    ):
        assert expected in box, expected
    # the member reads and deletes: none of that is refused
    assert not {"open", "read", "remove", "opendir", "readdir", "stat", "lstat"} & set(
        DENIED.split(",")
    )


def test_the_default_drop_in_is_the_file_in_deploy() -> None:
    out = render("sshd-config")
    assert out.returncode == 0, out.stderr
    assert out.stdout == (DEPLOY / "sshd_frontdesk.conf").read_text()


def test_print_needs_no_root_and_the_rest_does() -> None:
    as_other: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            pytest.skip("runs as root here, without runuser")
        as_other = ["runuser", "-u", "nobody", "--"]
    for command, status in ((["print", "sshd-config"], 0), (["data"], 1)):
        out = subprocess.run(
            [*as_other, "bash", str(SETUP), *command], capture_output=True, text=True, cwd="/"
        )
        assert out.returncode == status, out.stderr
    assert "run as root" in out.stderr


@pytest.mark.skipif(SSHD is None or shutil.which("ssh-keygen") is None, reason="no sshd")
@pytest.mark.skipif(not Path("/run/sshd").is_dir(), reason="sshd -t needs /run/sshd")
def test_sshd_accepts_the_rendered_drop_in(tmp_path: Path) -> None:
    assert SSHD is not None
    key = tmp_path / "host_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    dropin = tmp_path / "60-frontdesk.conf"
    dropin.write_text(render("sshd-config", OUTBOX_DIR="/data/outboxes").stdout)
    config = tmp_path / "sshd_config"
    config.write_text(f"HostKey {key}\nInclude {dropin}\n")
    out = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


# ------------------------------------------------------------------------ the cleaning job ----


def test_the_cleaning_job_deletes_files_older_than_the_days_set() -> None:
    out = render("outbox-clean", OUTBOX_DAYS="3", OUTBOX_DIR="/data/outboxes")
    assert out.returncode == 0, out.stderr
    command = (
        "/usr/bin/find /data/outboxes -mindepth 3 -maxdepth 3 "
        "-path '/data/outboxes/*/outbox/*' -type f -mmin +4320 -delete"
    )
    assert f"ExecStart={command}" in out.stdout.splitlines()
    assert "User=frontdesk" in out.stdout and "OnCalendar=" in out.stdout
    assert "ReadWritePaths=/data/outboxes" in out.stdout
    assert f"17 3 * * * frontdesk {command}" in out.stdout.splitlines()
    assert "-mmin +10080 " in render("outbox-clean").stdout  # 7 days unless set


@pytest.mark.parametrize("days", ["0", "-1", "seven", "7d", ""])
def test_a_wrong_number_of_days_is_refused(days: str) -> None:
    out = render("outbox-clean", OUTBOX_DAYS=days)
    if days == "":  # unset: the default
        assert out.returncode == 0
        return
    assert out.returncode == 1 and "OUTBOX_DAYS" in out.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("OUTBOX_DIR", "/tmp"),
        ("OUTBOX_DIR", "outboxes"),
        ("OUTBOX_DIR", "/srv/frontdesk/outbox"),  # inside the database's closed folder
        ("FRONTDESK_SSH_HOST", "center; rm -rf /"),
    ],
)
def test_unusable_settings_are_refused(name: str, value: str) -> None:
    out = render("sshd-config", **{name: value})
    assert out.returncode == 1 and name in out.stderr


def test_the_launcher_setting_lines_are_where_setup_writes_them() -> None:
    text = DESK.read_text()
    assert re.search(r"^FRONTDESK_OUTBOXES=/srv/frontdesk-outbox ", text, re.M)
    assert re.search(r"^FRONTDESK_SSH_HOST=center ", text, re.M)
    setup = SETUP.read_text()
    assert "s|^FRONTDESK_OUTBOXES=[^ ]*|FRONTDESK_OUTBOXES=$OUTBOX_DIR|" in setup
    assert "s|^FRONTDESK_SSH_HOST=[^ ]*|FRONTDESK_SSH_HOST=$FRONTDESK_SSH_HOST|" in setup


# ------------------------------------------------------- the desk launcher and the outbox ----


@pytest.fixture
def desk(tmp_path: Path) -> tuple[Path, Path]:
    """The desk launcher on a fake program, with its outboxes in a temporary folder."""
    fake = tmp_path / "frontdesk"
    fake.write_text(FAKE)
    fake.chmod(0o755)
    folder = tmp_path / "srv"
    folder.mkdir(mode=0o700)
    db = folder / "frontdesk.db"
    db.write_bytes(b"SQLite format 3\0")
    db.chmod(0o600)
    outboxes = tmp_path / "outboxes"
    (outboxes / "wangli-out" / "outbox").mkdir(parents=True)
    launcher = _configured(
        DESK,
        tmp_path / "frontdesk-desk",
        FRONTDESK_BIN=str(fake),
        FRONTDESK_DB=str(db),
        FRONTDESK_OUTBOXES=str(outboxes),
        FRONTDESK_SSH_HOST="center.example",
    )
    return launcher, outboxes


def _desk_run(launcher: Path, **env: str) -> Run:
    return run_tty(str(launcher), TERM="xterm", **env)


def test_the_members_desk_writes_into_their_outbox(desk: tuple[Path, Path]) -> None:
    launcher, outboxes = desk
    run = _desk_run(launcher, SUDO_USER="wangli")
    assert run.status == 0, run.output
    assert run.env["FRONTDESK_OUTBOX"] == str(outboxes / "wangli-out" / "outbox")
    assert run.env["FRONTDESK_OUTBOX_LOGIN"] == "wangli-out@center.example"


@pytest.mark.parametrize("sudo_user", ["", "zhaomin", "../wangli", "wangli/..", "-wangli"])
def test_no_outbox_for_anyone_else(desk: tuple[Path, Path], sudo_user: str) -> None:
    """An administrator, a member without an outbox yet, anything odd: the data folder; and
    whatever the environment said about an outbox is dropped."""
    launcher, outboxes = desk
    (outboxes / "zhaomin-out").mkdir()  # a chroot without its folder
    run = _desk_run(
        launcher,
        SUDO_USER=sudo_user,
        FRONTDESK_OUTBOX="/tmp/elsewhere",
        FRONTDESK_OUTBOX_LOGIN="x@y",
    )
    assert run.status == 0, run.output
    assert "FRONTDESK_OUTBOX" not in run.env
    assert "FRONTDESK_OUTBOX_LOGIN" not in run.env


# ---------------------------------------------------------------------- for real, as root ----

as_root = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("runuser") is None or shutil.which("useradd") is None,
    reason="creates accounts and folders as root",
)


@pytest.fixture
def base() -> Iterator[Path]:
    """A folder under /srv: sshd chroots only below folders that are root's and closed to
    others (/tmp is world-writable)."""
    folder = Path(tempfile.mkdtemp(prefix="frontdesk-outbox-test-", dir="/srv"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@as_root
def test_the_cleaning_job_as_the_service_account(base: Path) -> None:
    out = render("outbox-clean", OUTBOX_DIR=str(base), OUTBOX_DAYS="7", SERVICE_USER="nobody")
    line = next(x for x in out.stdout.splitlines() if x.startswith("17 3 * * * nobody "))
    command = line.removeprefix("17 3 * * * nobody ")
    box = base / "wangli-out" / "outbox"
    box.mkdir(parents=True)
    os.chown(box, 65534, 65534)
    box.chmod(0o2770)
    old, new, beside = box / "old.xlsx", box / "new.xlsx", base / "wangli-out" / "old-too"
    for file in (old, new, beside):
        file.write_text("x")
    eight_days = time.time() - 8 * 86400
    for file in (old, beside):
        os.utime(file, (eight_days, eight_days))
    os.utime(new, (time.time() - 6 * 86400,) * 2)
    subprocess.run(["runuser", "-u", "nobody", "--", "sh", "-c", command], check=True)
    assert not old.exists()
    assert new.exists() and beside.exists()  # only what is in an outbox


needs_sshd = pytest.mark.skipif(
    SSHD is None or shutil.which("sftp") is None or shutil.which("ssh-keygen") is None,
    reason="openssh-server and the sftp client are not installed",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("sshd did not listen")


@as_root
@needs_sshd
def test_a_member_fetches_and_deletes_a_file_and_reaches_nothing_else(
    base: Path, tmp_path: Path
) -> None:
    assert SSHD is not None
    tag = uuid.uuid4().hex[:6]
    member, staff, boxes = f"fdt{tag}", f"fdt-staff-{tag}", f"fdt-out-{tag}"
    settings = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "SERVICE_USER": "nobody",
        "STAFF_GROUP": staff,
        "OUTBOX_GROUP": boxes,
        "OUTBOX_DIR": str(base / "outbox"),
        "OUTBOX_KEYS": str(base / "keys"),
        "FRONTDESK_SSH_HOST": "127.0.0.1",
    }
    key = tmp_path / "id_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    subprocess.run(["groupadd", staff], check=True)
    proc: subprocess.Popen[str] | None = None
    try:
        for _ in range(2):  # running it again changes nothing
            out = subprocess.run(
                ["bash", str(SETUP), "add-staff", member, f"{key}.pub"],
                capture_output=True,
                text=True,
                env=settings,
                timeout=60,
            )
            assert out.returncode == 0, out.stdout + out.stderr
        assert f"sftp {member}-out@127.0.0.1:/outbox/FILE ." in out.stdout
        chroot = base / "outbox" / f"{member}-out"
        box = chroot / "outbox"
        assert (chroot.stat().st_uid, stat.S_IMODE(chroot.stat().st_mode)) == (0, 0o755)
        assert (box.stat().st_uid, stat.S_IMODE(box.stat().st_mode)) == (65534, 0o2770)
        assert (base / "keys" / f"{member}-out").read_text() == Path(f"{key}.pub").read_text()
        groups = subprocess.run(["id", "-Gn", f"{member}-out"], capture_output=True, text=True)
        assert groups.stdout.split() == [f"{member}-out", boxes]
        # the desk, as the service account with umask 077, writes a file and shares it
        subprocess.run(
            ["runuser", "-u", "nobody", "--", "sh", "-c",
             f"umask 077; echo 'id,name' > {box}/report.csv; chmod 640 {box}/report.csv;"
             f" echo secret > {box}/unshared.csv"],
            check=True,
        )  # fmt: skip
        assert box.joinpath("report.csv").stat().st_gid == box.stat().st_gid  # setgid

        dropin = tmp_path / "dropin.conf"
        dropin.write_text(render("sshd-config", **settings).stdout)
        host_key = tmp_path / "host_key"
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key)], check=True
        )
        port = _free_port()
        config = tmp_path / "sshd_config"
        config.write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
            f"PidFile {tmp_path}/sshd.pid\nUsePAM yes\n"
            # as in Debian's sshd_config: without it sshd refuses an sftp session outright
            "Subsystem sftp /usr/lib/openssh/sftp-server\n"
            f"Include {dropin}\n"
        )
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        proc = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        _wait_for_port(port, proc)
        options = [
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-i", str(key),
        ]  # fmt: skip
        login = f"{member}-out@127.0.0.1"

        def sftp(*commands: str) -> subprocess.CompletedProcess[str]:
            batch = tmp_path / "batch"
            batch.write_text("".join(f"{c}\n" for c in commands))
            return subprocess.run(
                ["sftp", "-P", str(port), *options, "-b", str(batch), login],
                capture_output=True,
                text=True,
                timeout=30,
                cwd=tmp_path,
            )

        # the command the desk shows, as typed on the PC
        fetched = subprocess.run(
            ["sftp", "-P", str(port), *options, f"{login}:/outbox/report.csv", "."],
            capture_output=True,
            text=True,
            timeout=30,
            cwd=tmp_path,
        )
        assert fetched.returncode == 0, fetched.stderr
        assert (tmp_path / "report.csv").read_text() == "id,name\n"
        # starts in /outbox; above it only the chroot, holding the outbox alone
        listing = sftp("pwd", "cd /..", "cd ..", "ls -1 /", "ls -1a /")
        assert listing.returncode == 0, listing.stderr
        assert "Remote working directory: /outbox" in listing.stdout
        entries = {line.strip() for line in listing.stdout.splitlines() if line.startswith("/")}
        assert entries == {"/.", "/..", "/outbox"}, listing.stdout
        for refused in (
            ["get /etc/passwd"],
            ["get ../../etc/passwd"],
            ["get /outbox/unshared.csv"],  # written without share(): not the member's
            [f"put {key}.pub /outbox/key.pub"],
            ["mkdir /outbox/sub"],
            ["rename /outbox/report.csv /outbox/r.csv"],
            ["symlink / /outbox/root"],
        ):
            assert sftp(*refused).returncode != 0, refused
        assert sorted(p.name for p in box.iterdir()) in (
            ["report.csv", "unshared.csv"],
            ["key.pub", "report.csv", "unshared.csv"],  # an empty file at most
        )
        if box.joinpath("key.pub").exists():
            assert box.joinpath("key.pub").read_text() == ""
        # no shell, no command
        shell = subprocess.run(
            ["ssh", "-p", str(port), *options, login, "id; cat /etc/passwd"],
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
        assert "uid=" not in shell.stdout and "root:" not in shell.stdout
        # the member deletes what they fetched
        removed = sftp("rm /outbox/report.csv")
        assert removed.returncode == 0, removed.stderr
        assert not box.joinpath("report.csv").exists()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        for account in (f"{member}-out", member):
            subprocess.run(["userdel", "--remove", account], capture_output=True)
        for group in (staff, boxes, f"{member}-out", member):
            subprocess.run(["groupdel", group], capture_output=True)
