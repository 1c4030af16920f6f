"""``frontdesk import residents|undo|list|template`` on the command line: a preview that writes
nothing, the error workbook beside the file, --yes to write off a terminal, undo by number, one
clear line for every refusal."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from frontdesk import cli
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import Resident
from tests.test_roster_import import _empty_flats, _family, _workbook


@pytest.fixture
def db_file(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copy(demo_file, path)
    return path


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("lead2026\n"))
    code = cli.main(["import", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _count(path: Path, clock: FixedClock) -> int:
    db: SqliteDatabase = open_database(path, create=False, now=clock.now)
    try:
        return int(Resident.select().count())
    finally:
        db.close()


def test_preview_then_write_then_undo(
    db_file: Path,
    tmp_path: Path,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = open_database(db_file, create=False, now=clock.now)
    flats = _empty_flats(2)
    db.close()
    rows = [r for n, flat in enumerate(flats) for r in _family(flat, 60 + n)]
    bad = list(rows[0])
    bad[1], bad[4] = "坏号码", "141102197003021000"
    rows.append(bad)
    book = _workbook(tmp_path / "台账.xlsx", rows)
    before = _count(db_file, clock)
    as_lead = ("--db", str(db_file), "--as", "lead-lj-1")

    code, out, err = _run(monkeypatch, capsys, "residents", str(book), *as_lead, "--dry-run")
    assert code == 0, err
    assert "新增 6 人（2 个新户）" in out and "有错 1" in out
    assert "第 10 行" in out  # the bad row, by its row in the sheet
    assert "婚姻状况" in out  # the unknown column, listed
    errors = list(tmp_path.glob("台账-*.xlsx"))
    assert len(errors) == 1  # the error workbook beside the file
    assert _count(db_file, clock) == before

    code, out, err = _run(monkeypatch, capsys, "residents", str(book), *as_lead)
    assert code == 1 and err.count("\n") == 1 and "有 1 行有错" in err
    code, out, err = _run(monkeypatch, capsys, "residents", str(book), *as_lead, "--only-valid")
    assert code == 1 and "--yes" in err  # not a terminal: no silent write
    code, out, err = _run(
        monkeypatch, capsys, "residents", str(book), *as_lead, "--only-valid", "--yes"
    )
    assert code == 0, err
    assert _count(db_file, clock) == before + 6
    import_id = out.split("导入 ", 1)[1].split(" ", 1)[0]

    code, out, err = _run(monkeypatch, capsys, "list", *as_lead)
    assert code == 0 and "台账.xlsx" in out and "完成" in out
    code, out, err = _run(monkeypatch, capsys, "undo", import_id, *as_lead)
    assert code == 0, err
    assert _count(db_file, clock) == before
    code, out, err = _run(monkeypatch, capsys, "undo", import_id, *as_lead)
    assert code == 1 and err.startswith("frontdesk: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"", "empty.xlsx"), (b"just some text\x00\x01", "notes.xlsx"), (b"PK\x03\x04junk", "x.xlsx")],
)
def test_a_bad_file_is_one_line(
    db_file: Path,
    tmp_path: Path,
    content: bytes,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    code, _out, err = _run(
        monkeypatch, capsys, "residents", str(bad), "--db", str(db_file), "--as", "lead-lj-1"
    )
    assert code == 1 and err.startswith("frontdesk: ") and err.count("\n") == 1, err


def test_a_wrong_password_or_a_grid_manager_is_refused(
    db_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    book = _workbook(tmp_path / "a.xlsx", [])
    code, _out, err = _run(
        monkeypatch, capsys, "residents", str(book), "--db", str(db_file), "--as", "gm-lj-01"
    )
    assert code == 1 and err.count("\n") == 1


def test_the_template_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "居民模板.xlsx"
    code, out, _err = _run(monkeypatch, capsys, "template", str(target))
    assert code == 0 and target.exists() and str(target) in out
