"""Schema 8: a schema-7 database gets ``resident.document_type`` and ``resident.category`` with
the values every record held before (居民身份证, 户籍), and the import tables, nothing else
changed."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

from peewee import SqliteDatabase

from frontdesk.clock import FixedClock
from frontdesk.db import migrations
from frontdesk.db.connection import open_database


def _rebuild_as(conn: sqlite3.Connection, table: str, sql: str) -> None:
    columns = ", ".join(
        f'"{row[1]}"'
        for row in conn.execute(f'PRAGMA table_info("{table}")')
        if row[1] not in {"document_type", "category", "emergency_contact"}
    )
    indexes = [
        s
        for (s,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
            " AND sql IS NOT NULL",
            (table,),
        )
    ]
    conn.execute(sql.replace(f'"{table}"', f'"{table}_old"', 1))
    conn.execute(f'INSERT INTO "{table}_old" ({columns}) SELECT {columns} FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE "{table}_old" RENAME TO "{table}"')
    for index in indexes:
        conn.execute(index)


def _table_sql(conn: sqlite3.Connection, table: str) -> str:
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return str(sql)


def _back_to_schema_7(conn: sqlite3.Connection) -> None:
    """``resident`` and ``household`` as schema 7 made them (ids reused, no document type or
    category), the import tables gone."""
    conn.execute("PRAGMA foreign_keys = OFF")
    added = r',\s*"(document_type|category)" VARCHAR\(\d+\) NOT NULL'
    old = re.sub(added + r" DEFAULT '\w+' CHECK \([^)]*\)\)", "", _table_sql(conn, "resident"))
    assert "document_type" not in old and "category" not in old, old
    old = re.sub(r',\s*"emergency_contact" VARCHAR\(255\) NOT NULL DEFAULT \'\'', "", old)
    assert "emergency_contact" not in old, old  # schema 9's
    for table, sql in (("resident", old), ("household", _table_sql(conn, "household"))):
        assert "AUTOINCREMENT" in sql
        _rebuild_as(conn, table, sql.replace(" AUTOINCREMENT", ""))
    conn.execute('DROP TABLE "roster_import_row"')
    conn.execute('DROP TABLE "roster_import"')
    conn.execute(
        "UPDATE schema_migration SET version = 7 WHERE version = ?", (migrations.SCHEMA_VERSION,)
    )
    conn.commit()


def test_schema_7_residents_get_a_document_type_and_a_category(
    demo_copy: SqliteDatabase, clock: FixedClock
) -> None:
    path = Path(demo_copy.database)
    demo_copy.close()
    with closing(sqlite3.connect(path)) as conn:
        before = conn.execute("SELECT id, name, id_number FROM resident ORDER BY id").fetchall()
        _back_to_schema_7(conn)
        assert len(before) > 1000
    db = open_database(path, create=False, now=clock.now)
    try:
        assert migrations.current_version(db) == migrations.SCHEMA_VERSION
        assert db.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)  # on again
        indexes = {
            name
            for (name,) in db.execute_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'resident'"
            )
        }
        assert {"resident_one_living_head", "resident_id_number_current"} <= indexes
    finally:
        db.close()
    with closing(sqlite3.connect(path)) as conn:
        after = conn.execute("SELECT id, name, id_number FROM resident ORDER BY id").fetchall()
        assert after == before
        for table in ("resident", "household"):
            assert "AUTOINCREMENT" in _table_sql(conn, table)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (0,)  # a new connection's
        kinds = conn.execute("SELECT DISTINCT document_type, category FROM resident").fetchall()
        assert kinds == [("id_card", "registered")]
        contacts = conn.execute("SELECT DISTINCT emergency_contact FROM resident").fetchall()
        assert contacts == [("",)]  # through 8 (rebuilt from the model) and 9 (kept)
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"roster_import", "roster_import_row"} <= tables
        try:
            conn.execute("UPDATE resident SET category = 'tourist' WHERE id = 1")
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("the migrated column took a category outside the list")


def test_a_removed_residents_id_is_never_given_again(demo_copy: SqliteDatabase) -> None:
    """What an undone import removed stays removed from the log's point of view: the next
    person registered gets a new id, not the removed one's."""
    (top,) = demo_copy.execute_sql("SELECT max(id) FROM resident").fetchone()
    (household,) = demo_copy.execute_sql("SELECT max(id) FROM household").fetchone()
    with demo_copy.atomic():
        demo_copy.execute_sql("DELETE FROM search_key WHERE resident_id = ?", (top,))
        demo_copy.execute_sql("DELETE FROM resident_tag WHERE resident_id = ?", (top,))
        demo_copy.execute_sql("DELETE FROM move WHERE resident_id = ?", (top,))
        demo_copy.execute_sql("DELETE FROM resident WHERE id = ?", (top,))
        demo_copy.execute_sql(
            "INSERT INTO resident (household_id, relation, name, gender, birth_date,"
            " ethnicity, status, moved_in_on, forwarding_contact, notes, created_at,"
            " updated_at, version) VALUES (?, 'other', '新人', 'F', '1990-01-01', '汉族',"
            " 'living', '2026-01-01', '', '', '2026-01-01', '2026-01-01', 1)",
            (household,),
        )
    (new,) = demo_copy.execute_sql("SELECT max(id) FROM resident").fetchone()
    assert new == top + 1
