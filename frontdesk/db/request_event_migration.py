"""Schema version 7, "request corrections": a request's timeline can hold a ``corrected`` event
(the reporter or the place put right after logging, ``frontdesk.requests.corrections``).

``request_event.kind`` is kept inside the event kinds by a CHECK written into the table when it
was made, and SQLite cannot change a CHECK in place. The table is rebuilt the way SQLite
documents (https://sqlite.org/lang_altertable.html#otheralter): a new table made from the
model's current definition, the rows copied with their ids, the old one dropped, the new one
renamed, its indexes made again, and the foreign keys checked. Nothing else refers to
``request_event`` (no table's foreign key, trigger or view), so nothing else is rebuilt; it all
runs inside the migration's transaction, so a failure leaves the old table as it was. A table
that has the current definition already (made from the current models) is left as it is.
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

from frontdesk.db.requests import RequestEvent

TABLE = "request_event"
NEW = "request_event_new"


def _sql(db: SqliteDatabase, query: object) -> str:
    sql, params = db.get_sql_context().sql(query).query()
    assert not params
    return str(sql)


def _schema() -> Any:
    """The model's schema manager (peewee's, which renders its CREATE statements)."""
    model: Any = RequestEvent
    return model._schema


def create_sql(db: SqliteDatabase) -> str:
    """The CREATE TABLE statement of ``request_event`` as the model defines it now."""
    return _sql(db, _schema()._create_table(safe=False))


def index_sql(db: SqliteDatabase) -> list[str]:
    """The model's indexes on ``request_event``, each made if missing."""
    return [_sql(db, index) for index in _schema()._create_indexes(safe=True)]


def referring(db: SqliteDatabase) -> list[str]:
    """What refers to ``request_event`` besides the table itself and its indexes: other tables'
    foreign keys, triggers, views (none are expected)."""
    found: list[str] = []
    for (table,) in db.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != ?", (TABLE,)
    ).fetchall():
        keys = db.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall()
        if any(key[2] == TABLE for key in keys):
            found.append(f"table {table}")
    rows = db.execute_sql(
        "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view')"
        " AND (tbl_name = ? OR sql LIKE ?)",
        (TABLE, f"%{TABLE}%"),
    ).fetchall()
    found += [f"{kind} {name}" for kind, name in rows]
    return found


def allow_corrections(db: SqliteDatabase) -> None:
    """Version 7: ``request_event`` rebuilt with the event kinds' CHECK including ``corrected``."""
    (current,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).fetchone()
    wanted = create_sql(db)
    if current != wanted:
        others = referring(db)
        if others:  # a rebuild would leave them pointing at the dropped table
            raise RuntimeError(f"{TABLE} is referred to by {', '.join(others)}")
        columns = ", ".join(
            f'"{row[1]}"' for row in db.execute_sql(f'PRAGMA table_info("{TABLE}")').fetchall()
        )
        db.execute_sql(wanted.replace(f'"{TABLE}"', f'"{NEW}"', 1))
        db.execute_sql(f'INSERT INTO "{NEW}" ({columns}) SELECT {columns} FROM "{TABLE}"')
        db.execute_sql(f'DROP TABLE "{TABLE}"')  # its indexes go with it
        db.execute_sql(f'ALTER TABLE "{NEW}" RENAME TO "{TABLE}"')
        broken = db.execute_sql(f'PRAGMA foreign_key_check("{TABLE}")').fetchall()
        if broken:
            raise RuntimeError(f"{TABLE}: {len(broken)} rows refer to records that are gone")
    for sql in index_sql(db):
        db.execute_sql(sql)
