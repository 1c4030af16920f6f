"""Workbooks read by python-calamine in a process of their own (``python -m
frontdesk.roster.calamine_child``: the file's bytes on stdin, a pickle on stdout).

Why a process: calamine trusts the sizes written inside a file. A damaged .xls whose record says
it holds 90 TB makes it ask for that much memory, and Rust then aborts the whole process — no
Python exception, no message, the desk gone. Found by fuzzing (tests/test_roster_reading.py
keeps that file). In a child process the abort costs the child only; the desk says the file is
damaged. The rows come back pickled (a repeated text stays one object).
"""

from __future__ import annotations

import io
import pickle
import sys
from typing import cast

import python_calamine

from frontdesk.roster.reading import clean, squared

Answer = tuple[str, list[tuple[str, list[list[object]]]]]


def sheets_of(data: bytes) -> Answer:
    """``("ok", [(name, rows), ...])``, ``("password", [])`` or ``("damaged", [])``."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return "ok", [
                (name, _rows(workbook.get_sheet_by_index(index)))
                for index, name in enumerate(workbook.sheet_names)
            ]
        finally:
            workbook.close()
    except python_calamine.PasswordError:
        return "password", []
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # calamine's errors, and a Rust panic (a BaseException) on garbage
        return "damaged", []


def _rows(sheet: python_calamine.CalamineSheet) -> list[list[object]]:
    """A sheet's rows made one by one (not held twice over): ``iter_rows`` starts at row 1 but
    at the first column holding something, so each row is put back at its column."""
    start = sheet.start
    lead: list[object] = [None] * (start[1] if start else 0)
    same: dict[str, str] = {}
    return squared(
        [
            clean([*lead, *row] if lead else cast(list[object], row), same)
            for row in sheet.iter_rows()
        ]
    )


def main() -> None:
    answer = sheets_of(sys.stdin.buffer.read())
    sys.stdout.buffer.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
