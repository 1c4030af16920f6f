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


def _back_to_schema_7(conn: sqlite3.Connection) -> None:
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'resident'"
    ).fetchone()
    added = r',\s*"(document_type|category)" VARCHAR\(\d+\) NOT NULL'
    old = re.sub(added + r" DEFAULT '\w+' CHECK \([^)]*\)\)", "", sql)
    assert "document_type" not in old and "category" not in old, old
    columns = [row[1] for row in conn.execute('PRAGMA table_info("resident")')]
    kept = ", ".join(f'"{c}"' for c in columns if c not in {"document_type", "category"})
    indexes = [
        s
        for (s,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'resident'"
            " AND sql IS NOT NULL"
        )
    ]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(old.replace('"resident"', '"resident_old"', 1))
    conn.execute(f'INSERT INTO "resident_old" ({kept}) SELECT {kept} FROM "resident"')
    conn.execute('DROP TABLE "resident"')
    conn.execute('ALTER TABLE "resident_old" RENAME TO "resident"')
    for index in indexes:
        conn.execute(index)
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
    finally:
        db.close()
    with closing(sqlite3.connect(path)) as conn:
        after = conn.execute("SELECT id, name, id_number FROM resident ORDER BY id").fetchall()
        assert after == before
        kinds = conn.execute("SELECT DISTINCT document_type, category FROM resident").fetchall()
        assert kinds == [("id_card", "registered")]
        tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"roster_import", "roster_import_row"} <= tables
        try:
            conn.execute("UPDATE resident SET category = 'tourist' WHERE id = 1")
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("the migrated column took a category outside the list")
