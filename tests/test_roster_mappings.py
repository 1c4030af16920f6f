"""A confirmed column mapping kept per community and found again for the same file (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from peewee import SqliteDatabase

from frontdesk.db.models import AuditEntry, Setting, Staff
from frontdesk.errors import UserError
from frontdesk.permissions import PermissionDenied
from frontdesk.roster.header import find_table
from frontdesk.roster.mappings import (
    mapping_key,
    save_mapping,
    saved_mapping,
    saved_mapping_in,
    signature,
)
from frontdesk.roster.reading import Book, Sheet
from frontdesk.vocabulary import Role
from tests.conftest import DEMO_NOW
from tests.roles import staff_of

HEADERS = ["居民", "证件", "所在楼", "政治面貌"]
MAPPING = {"居民": "name", "证件": "id_number", "所在楼": "building", "政治面貌": ""}


def test_the_signature_ignores_order_spaces_and_marks() -> None:
    assert signature(HEADERS) == signature(["证件 *", " 居民", "政治\n面貌", "所在楼", ""])
    assert signature(HEADERS) != signature([*HEADERS, "备注"])


def test_a_supervisor_saves_a_mapping_and_it_is_found_again(demo_copy: SqliteDatabase) -> None:
    who = staff_of(Role.SUPERVISOR.value)
    community: Any = Staff.get_by_id(who).community_id
    assert saved_mapping("residents", HEADERS, actor_id=who) is None
    save_mapping("residents", HEADERS, MAPPING, actor_id=who, now=DEMO_NOW)
    moved = ["所在楼", "证件*", "居民", "政治面貌"]  # the same roster exported again
    found = saved_mapping("residents", moved, actor_id=who)
    assert found == MAPPING
    stored = Setting.get_by_id(f"{mapping_key('residents', HEADERS)}@{community}")
    assert json.loads(stored.value)["mapping"] == MAPPING
    # reused: the table maps as confirmed
    rows: list[list[object]] = [list(moved), [3, "141102198503021234", "张三", "群众"]]
    table = find_table(
        Book(path=Path("人口.xlsx"), sha256="", sheets=[Sheet("人口", rows)]),
        "residents",
        mapping=found,
    )
    assert table.fields == {0: "building", 1: "id_number", 2: "name"}
    assert table.unknown == []
    # audited once, like a setting change; the same mapping saved again writes nothing
    save_mapping("residents", moved, dict(MAPPING), actor_id=who, now=DEMO_NOW)
    entries = list(AuditEntry.select().where(AuditEntry.action == "settings.changed"))
    assert len(entries) == 1
    detail = json.loads(entries[0].detail)
    assert detail["key"] == "roster.mapping" and detail["kind"] == "residents"
    assert entries[0].community_id == community
    # another kind, or the installation (the administrator), has none
    assert saved_mapping("places", HEADERS, actor_id=who) is None
    assert saved_mapping("residents", HEADERS, actor_id=staff_of(Role.ADMIN.value)) is None


def test_a_changed_mapping_replaces_the_saved_one(demo_copy: SqliteDatabase) -> None:
    who = staff_of(Role.SUPERVISOR.value)
    save_mapping("residents", HEADERS, MAPPING, actor_id=who, now=DEMO_NOW)
    changed = MAPPING | {"政治面貌": "notes"}
    save_mapping("residents", HEADERS, changed, actor_id=who, now=DEMO_NOW)
    assert saved_mapping("residents", HEADERS, actor_id=who) == changed
    assert AuditEntry.select().where(AuditEntry.action == "settings.changed").count() == 2


def test_only_who_imports_saves_and_fields_are_checked(demo_copy: SqliteDatabase) -> None:
    with pytest.raises(PermissionDenied):
        save_mapping(
            "residents", HEADERS, MAPPING, actor_id=staff_of(Role.RECEPTION.value), now=DEMO_NOW
        )
    with pytest.raises(ValueError):
        save_mapping("residents", HEADERS, {"居民": "nickname"}, actor_id=staff_of(), now=DEMO_NOW)
    assert not Setting.select().where(Setting.key.startswith("roster.mapping")).exists()


def test_a_saved_field_no_longer_known_is_left_out(demo_copy: SqliteDatabase) -> None:
    who = staff_of(Role.SUPERVISOR.value)
    save_mapping("residents", HEADERS, MAPPING, actor_id=who, now=DEMO_NOW)
    community: Any = Staff.get_by_id(who).community_id
    place = f"{mapping_key('residents', HEADERS)}@{community}"
    stale = {"headers": HEADERS, "mapping": MAPPING | {"证件": "old_field"}}
    Setting.update(value=json.dumps(stale)).where(Setting.key == place).execute()
    assert saved_mapping("residents", HEADERS, actor_id=who) == {
        "居民": "name",
        "所在楼": "building",
        "政治面貌": "",
    }


def test_a_saved_mapping_is_found_in_a_book_no_synonym_reads(demo_copy: SqliteDatabase) -> None:
    """居民 / 证件 name no field: find_table alone refuses the book, the saved mapping opens it."""
    who = staff_of(Role.SUPERVISOR.value)
    rows: list[list[object]] = [
        ["丽景街社区花名册", None, None, None],
        ["填报日期：2026-11", None, None, None],
        list(HEADERS),
        ["张三", "141102198503021234", 3, "群众"],
    ]
    book = Book(
        path=Path("花名册.xlsx"), sha256="", sheets=[Sheet("说明", [["见下"]]), Sheet("人口", rows)]
    )
    with pytest.raises(UserError):
        find_table(book, "residents")
    assert saved_mapping_in(book, "residents", actor_id=who) is None
    save_mapping("residents", HEADERS, MAPPING, actor_id=who, now=DEMO_NOW)
    mapping = saved_mapping_in(book, "residents", actor_id=who)
    assert mapping == MAPPING
    table = find_table(book, "residents", mapping=mapping)
    assert (table.sheet, table.header_row) == ("人口", 3)
    assert table.fields == {0: "name", 1: "id_number", 2: "building"}
    assert saved_mapping_in(book, "places", actor_id=who) is None


def test_a_saved_mapping_of_a_two_row_header_is_found(demo_copy: SqliteDatabase) -> None:
    who = staff_of(Role.SUPERVISOR.value)
    rows: list[list[object]] = [
        ["居民", "证件", "地址", None],
        [None, None, "所在楼", "门"],
        ["张三", "141102198503021234", 3, 1001],
    ]
    book = Book(path=Path("花名册.xlsx"), sha256="", sheets=[Sheet("人口", rows)])
    headers = ["居民", "证件", "所在楼", "门"]
    mapping = {"居民": "name", "证件": "id_number", "所在楼": "building", "门": "flat"}
    save_mapping("residents", headers, mapping, actor_id=who, now=DEMO_NOW)
    assert saved_mapping_in(book, "residents", actor_id=who) == mapping
    table = find_table(book, "residents", mapping=mapping)
    assert table.header_rows == 2 and table.headers == headers
