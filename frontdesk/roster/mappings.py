"""A confirmed column mapping kept for the next import of the same kind of file (issue 13, "A
confirmed mapping can be saved and reused").

A mapping is a setting: the settings store's ``Setting`` row (a key and a JSON value) under
``roster.mapping.<kind>.<signature>``, kept per community the way every community setting is
(``<key>@<community id>``, see ``frontdesk.settings``). It is not one of the declared,
editable settings (``settings.SPECS``): its keys are made from the file, there is no default and
nothing to type at the settings screen — so it is written with the store's ``put`` and read by
its stored key, and audited like a setting change (``settings.changed``, the key, the kind and
the mapping from → to) in the same transaction.

The signature is the file's header texts as ``columns.header_key`` compares them, sorted and
hashed: the same roster exported again — columns moved, a space or a ``*`` more — finds its
mapping; a roster with another column does not.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from frontdesk import audit
from frontdesk.db.connection import write
from frontdesk.db.models import Setting
from frontdesk.permissions import Can, load_operator, require
from frontdesk.roster.columns import FIELDS, header_key
from frontdesk.roster.header import header_candidates
from frontdesk.roster.reading import Book
from frontdesk.settings.store import put, stored_key

PREFIX = "roster.mapping"


def signature(headers: list[str]) -> str:
    """The header texts' signature: 16 hex digits of the sorted, compared forms."""
    keys = sorted({header_key(text) for text in headers} - {""})
    return hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()[:16]


def mapping_key(kind: str, headers: list[str]) -> str:
    """The setting's key (before the community's ``@id``)."""
    if kind not in FIELDS:
        raise ValueError(f"no such import kind: {kind}")
    return f"{PREFIX}.{kind}.{signature(headers)}"


def _checked(kind: str, mapping: dict[str, str]) -> dict[str, str]:
    known = {field.key for field in FIELDS[kind]} | {""}
    wrong = sorted(key for key in mapping.values() if key not in known)
    if wrong:
        raise ValueError(f"not fields of {kind}: {wrong}")
    return {str(text): key for text, key in mapping.items()}


def _read(place: str) -> Any:
    row: Any = Setting.get_or_none(Setting.key == place)
    return None if row is None else json.loads(row.value)


def save_mapping(
    kind: str,
    headers: list[str],
    mapping: dict[str, str],
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """Keep ``mapping`` (header text → field key, ``""`` for a column left out) for files of
    ``kind`` with these ``headers``, for the operator's community; audited. Needs the right to
    import (the supervisor). The same mapping saved again writes nothing."""
    key = mapping_key(kind, headers)
    value = _checked(kind, mapping)

    def run() -> None:
        operator = require(actor_id, Can.IMPORT)
        community_id = operator.community_id
        place = stored_key(key, community_id)
        before = _read(place)
        if before is not None and before.get("mapping") == value:
            return
        put(key, {"headers": list(headers), "mapping": value}, community_id)
        detail: dict[str, Any] = {
            "key": PREFIX,
            "kind": kind,
            "stored": place,
            "from": json.dumps(before["mapping"], ensure_ascii=False) if before else "",
            "to": json.dumps(value, ensure_ascii=False),
        }
        if community_id is not None:
            detail["community_id"] = community_id
        audit.record(
            "settings.changed",
            "setting",
            None,
            actor_id=actor_id,
            at=now,
            detail=detail,
            community_id=community_id,
        )

    write(run)


def saved_mapping(kind: str, headers: list[str], *, actor_id: int | None) -> dict[str, str] | None:
    """The mapping saved for files of ``kind`` with these ``headers`` — the operator's
    community's, else one saved for the installation — or ``None``."""
    key = mapping_key(kind, headers)
    operator = load_operator(actor_id)
    places = [stored_key(key, operator.community_id)]
    if places[0] != key:
        places.append(key)
    for place in places:
        saved = _read(place)
        if isinstance(saved, dict) and isinstance(saved.get("mapping"), dict):
            known = {field.key for field in FIELDS[kind]} | {""}
            return {str(text): field for text, field in saved["mapping"].items() if field in known}
    return None


def saved_mapping_in(
    book: Book, kind: str, *, sheet: str | None = None, actor_id: int | None
) -> dict[str, str] | None:
    """A mapping saved for one of the header rows ``book`` may have (``header_candidates``) —
    found even when no column has a name the synonyms know — or ``None``. One query."""
    operator = load_operator(actor_id)
    wanted: list[str] = []
    for headers in header_candidates(book, sheet=sheet):
        key = mapping_key(kind, headers)
        place = stored_key(key, operator.community_id)
        wanted += [place] if place == key else [place, key]
    if not wanted:
        return None
    rows: Any = Setting.select(Setting.key, Setting.value).where(Setting.key.in_(wanted))
    stored = {row.key: row.value for row in rows}
    known = {field.key for field in FIELDS[kind]} | {""}
    for place in wanted:
        if place in stored:
            saved = json.loads(stored[place])
            if isinstance(saved, dict) and isinstance(saved.get("mapping"), dict):
                return {str(text): f for text, f in saved["mapping"].items() if f in known}
    return None
