"""Writers take turns on an OS lock before SQLite's: a waiting desk is woken when the one
before it commits instead of polling (frontdesk.db.writers)."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from peewee import SqliteDatabase

from frontdesk.db import writers
from frontdesk.db.connection import write
from frontdesk.db.models import Room


@pytest.fixture(autouse=True)
def private_folder(demo_copy: SqliteDatabase) -> None:
    if writers.lock_file(demo_copy.database) is None:
        pytest.skip("no private runtime folder here: writers go on without taking turns")


def _free_now(path: str) -> bool:
    """Whether another process could take the turn at this moment (a second open file)."""
    name = writers.lock_file(path)
    assert name is not None
    fd = os.open(name, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_write_holds_the_turn_until_it_commits(demo_copy: SqliteDatabase) -> None:
    path = demo_copy.database
    seen: list[bool] = []

    def inside() -> int:
        seen.append(_free_now(path))
        return Room.select().count()

    assert _free_now(path)
    assert write(inside) > 0
    assert seen == [False]  # the other processes waited for this one
    assert _free_now(path)  # and may go on once it committed


def test_a_failed_write_lets_the_turn_go(demo_copy: SqliteDatabase) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write(broken)
    assert _free_now(demo_copy.database)


def test_nested_writes_and_other_handles_do_not_wait_for_themselves(
    demo_copy: SqliteDatabase,
) -> None:
    def outer() -> int:
        return write(lambda: Room.select().count())  # a savepoint inside the transaction

    assert write(outer) > 0
    name = writers.lock_file(demo_copy.database)
    assert name is not None and (name.parent.stat().st_mode & 0o777) == 0o700


def test_a_holder_that_never_lets_go_does_not_hang_the_others(
    demo_copy: SqliteDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A desk stopped with Ctrl+Z while it held the turn: the others stop waiting for the turn
    after ``WAIT_S`` and go on under SQLite's own lock."""
    name = writers.lock_file(demo_copy.database)
    assert name is not None
    stuck = os.open(name, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(stuck, fcntl.LOCK_EX)  # another open file: to this process, another desk
    monkeypatch.setattr(writers, "WAIT_S", 0.05)
    try:
        assert write(lambda: Room.select().count()) > 0
    finally:
        os.close(stuck)
    for waiter in threading.enumerate():  # the abandoned waiter takes the turn and lets it go
        if waiter.name == "frontdesk-writer-turn":
            waiter.join(timeout=10)
    assert _free_now(demo_copy.database)
