"""frontdesk/outbox.py: the SFTP outbox of a desk reached over SSH, from the launcher's variables;
and frontdesk/paths.py putting files for people there."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from frontdesk import outbox, paths
from frontdesk.audit import AuditFilters, export_entries
from frontdesk.audit.export import export_folder
from frontdesk.db.models import Request
from frontdesk.requests.lookup import save_slip, slip_folder
from tests.conftest import DEMO_NOW
from tests.roles import staff_of


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "wangli-out" / "outbox"
    folder.mkdir(parents=True)
    monkeypatch.setenv("FRONTDESK_OUTBOX", str(folder))
    monkeypatch.setenv("FRONTDESK_OUTBOX_LOGIN", "wangli-out@center.example")
    for name in ("FRONTDESK_EXPORTS", "FRONTDESK_SLIPS"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture
def no_box(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTDESK_OUTBOX", raising=False)
    monkeypatch.delenv("FRONTDESK_OUTBOX_LOGIN", raising=False)


def test_the_folder_and_the_command_come_from_the_launchers_variables(box: Path) -> None:
    assert outbox.outbox_folder() == box
    file = box / "residents-20261202.xlsx"
    assert (
        outbox.fetch_command(file)
        == "sftp wangli-out@center.example:/outbox/residents-20261202.xlsx ."
    )
    found = outbox.outbox()
    assert found is not None
    # what a WinSCP user types into its dialog
    assert (found.host, found.user, found.remote_folder) == (
        "center.example",
        "wangli-out",
        "/outbox",
    )


def test_a_name_the_pc_shell_would_split_is_quoted(box: Path) -> None:
    assert outbox.fetch_command(box / "居民 名单.xlsx") == (
        'sftp "wangli-out@center.example:/outbox/居民 名单.xlsx" .'
    )


def test_no_outbox_without_the_variables(no_box: None, tmp_path: Path) -> None:
    assert outbox.outbox_folder() is None
    assert outbox.fetch_command(tmp_path / "a.xlsx") is None


@pytest.mark.parametrize(
    ("folder", "login"),
    [
        ("/srv/frontdesk-outbox/wangli-out/outbox", ""),  # no login: no command to show
        ("", "wangli-out@center"),
        ("relative/outbox", "wangli-out@center"),
        ("/srv/frontdesk-outbox/wangli-out/outbox", "center"),  # no user
        ("/srv/frontdesk-outbox/wangli-out/outbox", "wangli-out@"),  # no host
    ],
)
def test_half_a_setting_is_no_outbox(
    monkeypatch: pytest.MonkeyPatch, folder: str, login: str
) -> None:
    monkeypatch.setenv("FRONTDESK_OUTBOX", folder)
    monkeypatch.setenv("FRONTDESK_OUTBOX_LOGIN", login)
    assert outbox.outbox_folder() is None


def test_a_file_outside_the_outbox_has_no_command(box: Path, tmp_path: Path) -> None:
    assert outbox.fetch_command(tmp_path / "elsewhere.xlsx") is None
    assert outbox.fetch_command(box) is None
    assert outbox.fetch_command(box / ".." / "frontdesk.db") is None


def test_share_lets_the_member_read_a_file_in_the_outbox_only(box: Path, tmp_path: Path) -> None:
    inside, outside = box / "a.csv", tmp_path / "b.csv"
    for file in (inside, outside):
        file.write_text("x")
        file.chmod(0o600)
    outbox.share(inside)
    outbox.share(outside)
    assert stat.S_IMODE(inside.stat().st_mode) == 0o640
    assert stat.S_IMODE(outside.stat().st_mode) == 0o600


def test_exports_and_slips_land_in_the_outbox(box: Path) -> None:
    assert paths.output_folder("FRONTDESK_EXPORTS", "exports") == box
    assert export_folder() == box
    assert slip_folder() == box


def test_an_explicit_folder_still_wins(box: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_EXPORTS", "/somewhere/else")
    assert export_folder() == Path("/somewhere/else")


def test_the_demo_keeps_its_files_in_its_own_folder(box: Path, tmp_path: Path) -> None:
    with paths.outputs_inside(tmp_path / "demo"):
        assert export_folder() == tmp_path / "demo" / "exports"


def test_without_an_outbox_exports_stay_in_the_data_folder(
    no_box: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FRONTDESK_EXPORTS", raising=False)
    monkeypatch.setattr(paths, "user_data_path", lambda *a, **k: tmp_path / "data")
    assert export_folder() == tmp_path / "data" / "exports"


def test_the_hint_under_a_saved_file_names_the_command(box: Path, tmp_path: Path) -> None:
    assert outbox.fetch_hint(box / "R-1.txt") == (
        "\n在这台电脑上取回文件：sftp wangli-out@center.example:/outbox/R-1.txt ."
    )
    assert outbox.fetch_hint(tmp_path / "R-1.txt") == ""


def test_slips_and_the_audit_export_written_into_the_outbox_are_shared(
    box: Path, demo_copy: SqliteDatabase
) -> None:
    """The desk runs with umask 077: without share() the member's SFTP account (the outbox's
    group) could list the file but not read it."""
    request = Request.select().order_by(Request.id).first()
    assert request is not None
    slip = save_slip(request.id, DEMO_NOW, actor_id=staff_of())
    export = box / "audit.csv"
    export_entries(AuditFilters(), export, actor_id=staff_of(), now=DEMO_NOW)
    for written in (slip, export):
        assert written.parent == box
        assert stat.S_IMODE(written.stat().st_mode) == 0o640, written
