"""``frontdesk import places FILE`` and ``frontdesk setup`` on the command line: a new community
on an empty database, a dry run that writes nothing, --yes off a terminal, a bad file in one
line, and the guided set-up fed on stdin."""

from __future__ import annotations

import io
import os
import re
import signal
from pathlib import Path
from typing import Any

import pytest

from frontdesk import cli
from frontdesk.clock import FixedClock
from frontdesk.db.connection import open_database
from frontdesk.db.models import Community, Flat, OpeningHours, Room
from frontdesk.roster import runs
from tests.conftest import DEMO_NOW
from tests.test_roster_places import BASIC, ROOMS, counts, workbook

NEW = [
    "--new-community",
    "丽景街社区",
    "--code",
    "LJ",
    "--subdistrict",
    "莲花池街道",
    "--district",
    "离石区",
    "--region",
    "141102",
]


def _run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _in(path: Path, read: Any) -> Any:
    db = open_database(path, create=False, now=FixedClock(DEMO_NOW).now)
    try:
        return read()
    finally:
        db.close()


def test_a_new_community_on_an_empty_database(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = workbook(tmp_path / "楼栋台账.xlsx", BASIC, ROOMS)
    db = tmp_path / "desk.db"
    code, out, err = _run(
        monkeypatch, capsys, "import", "places", str(book), "--db", str(db), *NEW, "--yes"
    )
    assert code == 0, err
    assert "新建社区：丽景街社区（LJ），莲花池街道，离石区（141102）" in out
    assert "新增：小区 2，楼栋 3，单元 4，房屋 118，三级网格 2，四级网格 3，功能室 2" in out
    assert "  宏泰学府苑 3号楼：18 层，电梯，1 个单元，72 户" in out
    found = re.search(r"frontdesk import undo (\d+)", out)
    assert found is not None
    assert "frontdesk account add" in out
    assert _in(db, lambda: (Community.select().count(), Flat.select().count())) == (1, 118)
    assert _in(db, lambda: OpeningHours.select().join(Room).count()) == 20

    # again: all there already, nothing written
    code, out, _err = _run(
        monkeypatch, capsys, "import", "places", str(book), "--db", str(db), "--yes"
    )
    assert code == 0
    assert "已有（不变）：小区 2，楼栋 3，单元 4，房屋 118，网格 5，功能室 2" in out
    assert "没有要导入的内容" in out

    # taken back by its number: the database is as empty as it was
    import_id = int(found.group(1))
    _in(db, lambda: runs.undo(import_id, actor_id=None, now=DEMO_NOW))
    assert set(_in(db, counts).values()) == {0}


def test_a_dry_run_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = workbook(tmp_path / "places.xlsx", BASIC, ROOMS)
    db = tmp_path / "desk.db"
    code, out, err = _run(
        monkeypatch, capsys, "import", "places", str(book), "--db", str(db), *NEW, "--dry-run"
    )
    assert code == 0, err
    assert "房屋 118" in out and "试运行：什么也没有写入" in out
    assert not db.exists()  # not even the database file
    # on a database that exists: nothing added
    _run(monkeypatch, capsys, "import", "places", str(book), "--db", str(db), *NEW, "--yes")
    rows = [["新小区", 1, 1, 6, 2, "3-1", None, None]]
    more = workbook(tmp_path / "more.xlsx", rows)
    before = _in(db, counts)
    code, out, _err = _run(
        monkeypatch, capsys, "import", "places", str(more), "--db", str(db), "--dry-run"
    )
    assert code == 0 and "房屋 12" in out
    assert _in(db, counts) == before


def test_off_a_terminal_it_asks_for_yes_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = workbook(tmp_path / "places.xlsx", BASIC)
    db = tmp_path / "desk.db"
    code, _out, err = _run(
        monkeypatch, capsys, "import", "places", str(book), "--db", str(db), *NEW
    )
    assert code == 1
    assert err == "frontdesk: 不在终端上运行：确认无误请加 --yes 再运行\n"
    assert not db.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "是空的"),
        (b"\x00\x01\x02 not a workbook at all", "不是表格文件"),
        (
            b"\xe5\xa7\x93\xe5\x90\x8d,\xe7\x94\xb5\xe8\xaf\x9d\n\xe5\xbc\xa0\xe4\xb8\x89,1\n",
            "找不到表头",
        ),
    ],
)
def test_a_bad_file_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: bytes,
    message: str,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    db = tmp_path / "desk.db"
    code, out, err = _run(
        monkeypatch, capsys, "import", "places", str(bad), "--db", str(db), *NEW, "--yes"
    )
    assert code == 1
    assert err.count("\n") == 1 and err.startswith("frontdesk: ") and message in err
    assert "Traceback" not in err + out


def test_a_community_must_be_named_when_there_is_none(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = workbook(tmp_path / "places.xlsx", BASIC)
    db = tmp_path / "desk.db"
    argv = ["import", "places", str(book), "--db", str(db), "--yes"]
    code, _out, err = _run(monkeypatch, capsys, *argv)
    assert (code, err) == (1, f"frontdesk: 找不到数据库 {db}\n")  # only a new community makes one
    open_database(db, create=True, now=FixedClock(DEMO_NOW).now).close()
    code, _out, err = _run(monkeypatch, capsys, *argv)
    assert code == 1 and err.count("\n") == 1 and "--new-community" in err
    code, _out, err = _run(monkeypatch, capsys, *argv, "--code", "LJ")
    assert code == 1 and err.count("\n") == 1 and "--new-community" in err


SETUP_ANSWERS = "\n".join(
    [
        "丽景街社区",
        "lj",
        "莲花池街道",
        "离石区",
        "14110",  # five digits: asked again
        "141102",
        "宏泰学府苑",
        "龙凤大道1号",
        "1-3",  # buildings 1 to 3: 6 floors, 2 units, 2 a floor (the defaults)
        "",
        "",
        "",
        "2-1",
        "5,7",  # towers
        "18",
        "1",
        "4",
        "二",  # not a grid: asked again
        "2-2",
        "",  # this compound is done
        "",  # no more compounds
        "妇女之家",
        "",
        "手工",
        "",  # no more rooms
        "y",
    ]
)


def test_setup_asks_and_writes_through_the_import(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "desk.db"
    code, out, err = _run(monkeypatch, capsys, "setup", "--db", str(db), stdin=SETUP_ANSWERS)
    assert code == 0, err
    assert "“14110”不对：须为 6 位数字" in out
    assert "“二”不对：请写四级网格" in out
    assert "新增：小区 1，楼栋 5，单元 8，房屋 216，三级网格 1，四级网格 2，功能室 1" in out
    assert "  宏泰学府苑 7号楼：18 层，电梯，1 个单元，72 户" in out
    found = re.search(r"frontdesk import undo (\d+)", out)
    assert found is not None
    summary = _in(db, lambda: runs.summary(int(found.group(1))))
    assert (summary.kind, summary.status, summary.file_name) == ("places", "done", "引导设置")
    assert _in(db, lambda: Flat.select().count()) == 216


def test_setup_left_early_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "desk.db"
    code, out, _err = _run(monkeypatch, capsys, "setup", "--db", str(db), stdin="丽景街社区\nLJ\n")
    assert code == 1 and "未导入" in out
    assert not db.exists()
    answers = SETUP_ANSWERS.rsplit("\n", 1)[0] + "\nn\n"  # the preview not confirmed
    code, out, _err = _run(monkeypatch, capsys, "setup", "--db", str(db), stdin=answers)
    assert code == 1 and "未导入" in out
    assert set(_in(db, counts).values()) == {0}


def test_ctrl_c_while_writing_takes_everything_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = [["大院", n, None, 18, 4, "1-1", None, None] for n in range(1, 30)]  # 2,088 flats
    book = workbook(tmp_path / "big.xlsx", rows)
    db = tmp_path / "desk.db"
    open_database(db, create=True, now=FixedClock(DEMO_NOW).now).close()
    before = _in(db, counts)
    pressed: list[float] = []

    def update(_bar: object, _stage: str, share: float) -> None:
        if not pressed:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C after the first batch
        pressed.append(share)

    monkeypatch.setattr("frontdesk.cli_places.ProgressBar.update", update)
    code, out, err = _run(
        monkeypatch, capsys, "import", "places", str(book), "--db", str(db), *NEW, "--yes"
    )
    assert code == 130
    assert "已取消：已写入的内容全部撤回（导入编号 1）" in err
    assert "frontdesk import undo" not in out
    assert len(pressed) == 1
    assert _in(db, counts) == before
    assert _in(db, lambda: runs.summary(1).undo_reason) == "cancelled"


def test_a_new_centre_undoes_its_places_on_the_command_line_until_it_has_staff(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    book = workbook(tmp_path / "楼栋台账.xlsx", BASIC, ROOMS)
    db = tmp_path / "desk.db"
    code, out, err = _run(
        monkeypatch, capsys, "import", "places", str(book), "--db", str(db), *NEW, "--yes"
    )
    assert code == 0, err
    first = re.search(r"frontdesk import undo (\d+)", out)
    assert first is not None
    code, out, err = _run(monkeypatch, capsys, "import", "list", "--db", str(db))
    assert code == 0 and "楼栋台账.xlsx" in out, err
    code, out, err = _run(monkeypatch, capsys, "import", "undo", first.group(1), "--db", str(db))
    assert code == 0, err
    assert set(_in(db, counts).values()) == {0}

    code, out, err = _run(
        monkeypatch, capsys, "import", "places", str(book), "--db", str(db), *NEW, "--yes"
    )
    second = re.search(r"frontdesk import undo (\d+)", out)
    assert second is not None
    code, out, err = _run(
        monkeypatch, capsys, "account", "add", "boss", "--name", "主任", "--db", str(db)
    )
    assert code == 0, err
    code, out, err = _run(monkeypatch, capsys, "import", "undo", second.group(1), "--db", str(db))
    assert code == 1 and "--as" in err and err.count("\n") == 1
