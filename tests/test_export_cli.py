"""``frontdesk export``: the file and the rows printed; every refusal one line, nothing written;
``--as`` signs in (password on stdin here), a full export only for a supervisor with a reason."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from frontdesk.cli import main


@pytest.fixture
def db_file(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "desk.db"
    shutil.copy(demo_file, path)
    return path


def _one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def _last_entry(db: Path) -> tuple[str, int | None, str, str]:
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT action, actor_id, reason, detail FROM audit_entry ORDER BY id DESC LIMIT 1"
        ).fetchone()
    return row[0], row[1], row[2], row[3]


def _rows(path: Path) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python()


def test_residents_of_a_grid_to_a_file(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "grid.xlsx"
    argv = ["export", "residents", str(out), "--db", str(db_file), "--grid", "2-3"]
    assert main([*argv, "--tag", "独居老人"]) == 0
    printed = capsys.readouterr().out.strip()
    rows = _rows(out)
    assert printed == f"已写出 {out}：{len(rows) - 2} 行（已打码）"
    assert "网格 2-3" in str(rows[0][0]) and "独居老人" in str(rows[0][0])
    assert all(row[15] == "2-3" for row in rows[2:])
    action, actor, reason, detail = _last_entry(db_file)
    assert action == "export.residents" and actor is None  # the command line
    assert reason == "audit.reason.command_line"
    assert json.loads(detail)["filters"]["tag"] == "elderly_alone"


def test_without_a_file_it_goes_to_the_exports_folder(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FRONTDESK_EXPORTS", str(tmp_path / "out"))
    monkeypatch.delenv("FRONTDESK_OUTBOX", raising=False)
    assert main(["export", "places", "--db", str(db_file)]) == 0
    written = list((tmp_path / "out").glob("places-*.xlsx"))
    assert len(written) == 1 and str(written[0]) in capsys.readouterr().out


def test_a_supervisor_signed_in_makes_a_full_export(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "full.xlsx"
    monkeypatch.setattr("sys.stdin", io.StringIO("lead2026\n"))
    argv = ["export", "households", str(out), "--db", str(db_file), "--as", "lead-lj-1"]
    assert main([*argv, "--full", "--reason", "街道核查"]) == 0
    assert "（完整，未打码）" in capsys.readouterr().out
    action, actor, reason, _detail = _last_entry(db_file)
    assert action == "export.households_full" and actor is not None and reason == "街道核查"
    ids = [row[13] for row in _rows(out)[2:] if row[13]]
    assert ids and all("*" not in str(i) and isinstance(i, str) for i in ids)


@pytest.mark.parametrize(
    ("argv", "stdin", "says"),
    [
        (["--full", "--reason", "x"], "", "只有社区负责人"),
        (["--as", "desk-lj-1", "--full", "--reason", "x"], "desk2026\n", "只有社区负责人"),
        (["--as", "lead-lj-1", "--full"], "lead2026\n", "须填写原因"),
        (["--as", "lead-lj-1"], "wrong\n", "登录失败"),
        (["--community", "ZZ"], "", "没有社区 ZZ"),
        (["--building", "没有这个小区3号楼"], "", "没有楼栋"),
        (["--tag", "不存在的人群"], "", "没有特殊人群"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    stdin: str,
    says: str,
) -> None:
    out = tmp_path / "x.xlsx"
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["export", "residents", str(out), "--db", str(db_file), *argv]) == 1
    assert says in _one_line_error(capsys)
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["export", "requests", "--tag", "独居老人"], "--tag"),
        (["export", "residents", "--status", "booked"], "booked"),
        (["export", "people"], "people"),
        (["export", "residents", "--reason", "x"], "--reason"),
        (["export", "bookings", "--from", "2026-02-30"], "2026"),
    ],
)
def test_bad_arguments_are_one_line(
    db_file: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--db", str(db_file)])
    assert exited.value.code == 2
    assert says in _one_line_error(capsys)


def test_an_existing_file_or_another_format_is_refused(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "kept.xlsx"
    kept.write_bytes(b"mine")
    assert main(["export", "requests", str(kept), "--db", str(db_file)]) == 1
    assert "已经存在" in _one_line_error(capsys) and kept.read_bytes() == b"mine"
    assert main(["export", "requests", str(tmp_path / "a.csv"), "--db", str(db_file)]) == 1
    assert ".xlsx" in _one_line_error(capsys)
    assert main(["export", "requests", "--db", str(tmp_path / "none.db")]) == 1
    assert "none.db" in _one_line_error(capsys)


def test_a_desk_signed_in_cannot_export_another_community(
    district_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "district.db"
    shutil.copy(district_file, db)
    with sqlite3.connect(db) as conn:
        codes = [code for (code,) in conn.execute("SELECT code FROM community ORDER BY id")]
    assert len(codes) >= 2
    monkeypatch.setattr("sys.stdin", io.StringIO("desk2026\n"))
    out = tmp_path / "b.xlsx"
    argv = ["export", "residents", str(out), "--db", str(db), "--as", "desk-lj-1"]
    assert main([*argv, "--community", codes[1]]) == 1
    assert "只能处理本社区" in _one_line_error(capsys)
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "header"),
    [
        (["requests", "--from", "2026-11-01", "--to", "2026-11-29", "--status", "closed"], "编号"),
        (["bookings", "--from", "2026-11-29", "--to", "2026-12-05", "--room", "妇女之家"], "日期"),
        (["audit", "--action", "export.", "--from", "2026-11-01"], "时间"),
        (["households", "--building", "宏泰学府苑3号楼"], "户号"),
    ],
)
def test_each_kind_with_its_filters(
    db_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    header: str,
) -> None:
    out = tmp_path / f"{argv[0]}.xlsx"
    assert main(["export", argv[0], str(out), "--db", str(db_file), *argv[1:]]) == 0
    assert str(out) in capsys.readouterr().out
    rows = _rows(out)
    assert rows[1][0] == header
    assert len(rows) > 2 or argv[0] == "audit", rows[0]  # the demo's log holds no export yet
