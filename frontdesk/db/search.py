"""The resident search index: short keys whose every query is an indexed range scan.

SQLite's trigram index finds nothing for 1- and 2-character queries (most Chinese names are 2
or 3 characters) and a ``LIKE '%x%'`` scan costs ~80 ms over 200,000 rows. Instead every
resident gets a few keys, each a kind letter and a string, such that every kind of query is a
*prefix* of some key and runs as ``key >= q AND key < q || U+10FFFF`` on the primary key:

    n  every suffix of the name (no middle dot): any part of a name is a prefix of a suffix
    p  full pinyin of the name (one key per surname reading)
    i  pinyin initials of the name
    d  the ID number reversed: an ID tail is a prefix of it

About 6 keys a resident; the WITHOUT ROWID table keeps them in key order on disk. Every key
leads with the resident's community, so a search inside one operator's communities is a range
scan of their part of the table (a district's other communities cost nothing).

Phone fragments (3+ digits anywhere) would need every suffix of every phone: 9 more keys a
resident, which doubled the time to build the index. Phones live instead in ``PhoneIndex``: one
string of all phones in memory (13 characters a resident), searched with ``str.find`` in about
a millisecond, and reloaded when ``SearchState.generation`` says residents changed.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Iterable, Iterator
from typing import Any, cast

from peewee import CompositeKey, IntegerField, TextField

from frontdesk.db.base import BaseModel, database_proxy
from frontdesk.pinyin import full_pinyin, initials, normalise_name

END = "\U0010ffff"
NAME, PINYIN, INITIALS, ID_REVERSED = "n", "p", "i", "d"
PHONE_WIDTH = 13  # 12 digits at most, then a separator no digit fragment can cross


class SearchKey(BaseModel):
    """Derived data, rebuilt from ``resident`` at will: no foreign key to slow the bulk load."""

    community_id = IntegerField()
    key = TextField()
    resident_id = IntegerField()

    class Meta:
        primary_key = CompositeKey("community_id", "key", "resident_id")
        without_rowid = True
        indexes = ((("resident_id",), False),)


class SearchState(BaseModel):
    """One row; ``generation`` goes up whenever residents' searchable fields change."""

    generation = IntegerField(default=0)


def keys_for(name: str, id_number: str | None) -> set[str]:
    """The search keys of one resident."""
    plain = normalise_name(name)
    keys = {NAME + plain[i:] for i in range(len(plain))}
    keys.update(PINYIN + reading for reading in full_pinyin(name))
    keys.update(INITIALS + each for each in initials(name))
    if id_number:
        keys.add(ID_REVERSED + id_number.upper()[::-1])
    return keys


def warm_up() -> None:
    """Load what making keys needs (pypinyin's dictionaries, ~0.2 s the first time), before a
    bulk write takes the lock rather than inside its first transaction."""
    keys_for("张三", None)


def _rows(
    residents: Iterable[tuple[int, str, str | None, int]],
) -> Iterator[tuple[int, str, int]]:
    for resident_id, name, id_number, community_id in residents:
        for key in keys_for(name, id_number):
            yield community_id, key, resident_id


_BY_RESIDENT = "search_key_resident_id"
_INSERT = (
    'INSERT OR IGNORE INTO "search_key" ("community_id", "key", "resident_id") VALUES (?, ?, ?)'
)
# (id, name, id_number, community) of residents: the community is their household's flat's
_RESIDENTS = (
    'SELECT r."id", r."name", r."id_number", c."community_id" FROM "resident" AS r'
    ' JOIN "household" AS h ON h."id" = r."household_id"'
    ' JOIN "flat" AS f ON f."id" = h."flat_id"'
    ' JOIN "unit" AS u ON u."id" = f."unit_id"'
    ' JOIN "building" AS b ON b."id" = u."building_id"'
    ' JOIN "compound" AS c ON c."id" = b."compound_id"'
)


def _bump() -> None:
    updated = SearchState.update(generation=SearchState.generation + 1).execute()
    if not updated:
        SearchState.create(id=1, generation=1)


def generation() -> int:
    row = SearchState.select(SearchState.generation).tuples().first()
    return row[0] if row else 0


def reindex_residents(ids: Iterable[int]) -> None:
    """Recompute these residents' keys. Call inside the transaction that changed them."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    db = database_proxy.obj
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        SearchKey.delete().where(SearchKey.resident_id.in_(chunk)).execute()
        marks = ", ".join("?" * len(chunk))
        rows = db.execute_sql(f'{_RESIDENTS} WHERE r."id" IN ({marks})', chunk)
        db.cursor().executemany(_INSERT, list(_rows(cast(Any, rows))))
    _bump()


def rebuild_index(*, analyze: bool = True) -> int:
    """Recompute every key (after a bulk load); returns the number of keys.

    Keys are appended to a temporary table and copied over in key order, and the by-resident
    index is made afterwards: SQLite's sorter is several times faster than inserting a million
    keys into two B-trees in any other order.
    """
    db = database_proxy.obj
    db.execute_sql(
        'CREATE TEMP TABLE "search_key_load" ("community_id" INTEGER, "key" TEXT,'
        ' "resident_id" INTEGER)'
    )
    try:
        residents = db.execute_sql(_RESIDENTS)
        db.cursor().executemany('INSERT INTO "search_key_load" VALUES (?, ?, ?)', _rows(residents))
        SearchKey.delete().execute()
        db.execute_sql(f'DROP INDEX IF EXISTS "{_BY_RESIDENT}"')
        db.execute_sql(
            'INSERT INTO "search_key" ("community_id", "key", "resident_id") '
            'SELECT "community_id", "key", "resident_id" FROM "search_key_load" ORDER BY 1, 2, 3'
        )
        db.execute_sql(f'CREATE INDEX "{_BY_RESIDENT}" ON "search_key" ("resident_id")')
    finally:
        db.execute_sql('DROP TABLE "search_key_load"')
    if analyze:
        db.execute_sql("ANALYZE")  # fresh statistics: the planner then starts from the right index
    _bump()
    return SearchKey.select().count()


def key_by_community(db: Any) -> None:
    """Schema version 3: the keys lead with the resident's community (a search stays inside the
    operator's communities). Derived data: the table is made anew and filled again. And an ID
    number is unique among the people who have not moved out (one who moved to another
    community is registered there too)."""
    from frontdesk.db.people import Resident

    db.execute_sql('DROP INDEX IF EXISTS "resident_id_number"')
    db.create_tables([Resident], safe=True)  # its missing indexes
    db.execute_sql('DROP TABLE IF EXISTS "search_key"')
    db.create_tables([SearchKey])
    rebuild_index()


def prefix_range(kind: str, text: str) -> tuple[str, str]:
    """The key range holding every key of ``kind`` that starts with ``text``."""
    low = kind + text
    return low, low + END


def phone_digits(phone: str | None) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())[: PHONE_WIDTH - 1]


class PhoneIndex:
    """Every resident's phone in one string, for fragments found anywhere in a number."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded_for: tuple[str, int] | None = None
        self._blob = ""
        self._ids = array("q")
        self._communities = array("q")

    def _refresh(self) -> None:
        db = database_proxy.obj
        stamp = (str(db.database), generation())
        if stamp == self._loaded_for:
            return
        ids, communities = array("q"), array("q")
        parts: list[str] = []
        rows = db.execute_sql(
            _RESIDENTS.replace('r."name", r."id_number"', 'r."phone"')
            + ' WHERE r."phone" IS NOT NULL ORDER BY r."id"'
        )
        for resident_id, phone, community_id in rows:
            ids.append(resident_id)
            communities.append(community_id)
            parts.append(phone_digits(phone).ljust(PHONE_WIDTH, "|"))
        self._blob, self._ids, self._communities = "".join(parts), ids, communities
        self._loaded_for = stamp

    def find(self, fragment: str, scope: frozenset[int] | None = None) -> Iterator[int]:
        """Ids of residents whose phone contains ``fragment`` (digits), in id order; with
        ``scope``, only residents of those communities."""
        with self._lock:
            self._refresh()
            blob, ids, communities = self._blob, self._ids, self._communities
        if not fragment.isdigit():
            return
        last = -1
        position = blob.find(fragment)
        while position >= 0:
            row = position // PHONE_WIDTH
            if row != last and (scope is None or communities[row] in scope):
                yield ids[row]
            last = row
            position = blob.find(fragment, (row + 1) * PHONE_WIDTH)


PHONES = PhoneIndex()
