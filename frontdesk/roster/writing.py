"""Writing a residents' plan (``roster.plan``): short transactions, one import id, taken back
whole when it stops (issue 13, "the write goes in short transactions").

Nothing is written while the plan holds a refused row, unless the user chose "only the valid
rows"; changes to people already on the register are applied only when confirmed
(``apply_updates``). Each transaction writes whole households (a few hundred people) with their
move-ins, groups, search keys, per-record audit entries and the import's own list of what it
made, so another desk waits at most one such transaction for the lock. ``cancel`` (asked
between transactions) and any failure take back what was written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from frontdesk.db import imports as store
from frontdesk.db.connection import write
from frontdesk.db.models import Community, Resident, Tag
from frontdesk.db.search import reindex_residents, warm_up
from frontdesk.errors import UserError
from frontdesk.masking import mask_id, mask_numbers_in, mask_phone
from frontdesk.permissions import Can, require
from frontdesk.roster import runs
from frontdesk.roster.plan import PlannedPerson, ResidentsPlan
from frontdesk.vocabulary import HouseholdStatus, ImportKind, MoveKind, ResidentStatus

# People per transaction: the first batch small, the next ones sized on the time the last one
# took, aiming at TARGET_S of write lock (the bound is 200 ms), whatever the machine.
FIRST_BATCH = 50
MIN_BATCH, MAX_BATCH = 10, 600
TARGET_S = 0.05

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Imported:
    import_id: int
    new: int
    updated: int
    households: int
    skipped: int  # refused rows left out (only with ``only_valid``)


class Cancelled(UserError):
    def __init__(self, import_id: int) -> None:
        super().__init__("roster.cancelled", id=import_id)
        self.import_id = import_id


def write_plan(
    plan: ResidentsPlan,
    *,
    actor_id: int | None,
    now: datetime,
    only_valid: bool = False,
    apply_updates: bool = False,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Imported:
    operator = require(actor_id, Can.IMPORT)
    if not operator.covers(plan.community_id):
        raise UserError("roster.one_community")
    refused = plan.refused()
    if refused and not only_valid:
        raise UserError("roster.has_refused", count=len(refused))
    runs.take_back_stopped(now)
    warm_up()  # the pinyin dictionaries load now, not inside the first transaction
    new = [p for p in plan.people if p.action == "new"]
    updates = [p for p in plan.people if p.action == "update"] if apply_updates else []
    if not new and not updates:
        raise UserError("roster.nothing_to_write")
    counts = {**plan.counts, "written_new": len(new), "written_updates": len(updates)}
    import_id = runs.begin(
        ImportKind.RESIDENTS,
        community_id=plan.community_id,
        file_name=plan.file_name,
        sha256=plan.sha256,
        counts=counts,
        actor_id=actor_id,
        now=now,
    )
    groups = _groups(new, updates)
    total = sum(len(group) for group in groups) or 1
    households = written = 0
    size = FIRST_BATCH
    try:
        with store.checkpoints_between() as checkpoint:
            while groups:
                if cancel is not None and cancel():
                    raise Cancelled(import_id)
                batch: list[PlannedPerson] = []
                while groups and (not batch or len(batch) + len(groups[0]) <= size):
                    batch.extend(groups.pop(0))
                began = time.perf_counter()
                households += write(partial(_write_batch, plan, import_id, batch, actor_id, now))
                size = _next_size(size, len(batch), time.perf_counter() - began)
                written += len(batch)
                checkpoint()
                if progress is not None:
                    progress(written / total)
    except BaseException:
        runs.undo(import_id, actor_id=actor_id, now=now, reason="cancelled", checked=True)
        raise
    runs.finish(
        import_id,
        counts,
        actor_id=actor_id,
        now=now,
        detail={"only_valid": only_valid, "apply_updates": apply_updates},
    )
    return Imported(
        import_id=import_id,
        new=len(new),
        updated=len(updates),
        households=households,
        skipped=len(refused),
    )


def _groups(new: list[PlannedPerson], updates: list[PlannedPerson]) -> list[list[PlannedPerson]]:
    """What must be written together: each new household whole, then each update alone."""
    by_household: dict[str, list[PlannedPerson]] = {}
    for planned in new:
        by_household.setdefault(planned.household, []).append(planned)
    return [*by_household.values(), *([p] for p in updates)]


def _next_size(size: int, people: int, seconds: float) -> int:
    """The next batch's size, aiming at ``TARGET_S`` a transaction whatever the machine."""
    if people < size or seconds <= 0:
        return size
    wanted = int(people * TARGET_S / seconds)
    return max(MIN_BATCH, min(MAX_BATCH, wanted, size * 2))


def _write_batch(
    plan: ResidentsPlan,
    import_id: int,
    batch: list[PlannedPerson],
    actor_id: int | None,
    now: datetime,
) -> int:
    """One transaction; the number of households it made."""
    trail: list[tuple[str, str, int | None, dict[str, Any]]] = []
    made_households = _households(plan, import_id, batch, now=now, trail=trail)
    new = [p for p in batch if p.action == "new"]
    resident_ids = store.next_ids("resident", len(new))
    residents: list[dict[str, Any]] = []
    moves: list[dict[str, Any]] = []
    move_ids = store.next_ids("move", len(new))
    household_ids: dict[str, int] = {}
    for planned, resident_id, move_id in zip(new, resident_ids, move_ids, strict=True):
        household = plan.households[planned.household]
        assert household.household_id is not None
        household_ids[planned.household] = household.household_id
        person = planned.row.person
        moved_in = person.moved_in_on or plan.today
        residents.append(
            {
                "id": resident_id,
                "household_id": household.household_id,
                "relation": person.relation,
                "name": person.name.strip(),
                "gender": person.gender,
                "birth_date": person.birth_date,
                "id_number": person.id_number or None,
                "document_type": person.document_type,
                "category": person.category,
                "phone": person.phone or None,
                "ethnicity": person.ethnicity or "汉族",
                "status": ResidentStatus.LIVING.value,
                "moved_in_on": moved_in,
                "notes": person.notes.strip(),
                "forwarding_contact": "",
                "emergency_contact": person.emergency_contact.strip(),
                "created_at": now,
                "updated_at": now,
                "updated_by_id": actor_id,
                "version": 1,
            }
        )
        moves.append(
            {
                "id": move_id,
                "resident_id": resident_id,
                "household_id": household.household_id,
                "kind": MoveKind.MOVE_IN.value,
                "on_date": moved_in,
                "to_flat_id": household.flat_id,
                "note": f"import {import_id}",
                "created_at": now,
                "created_by_id": actor_id,
            }
        )
        trail.append(("resident.import", "resident", resident_id, {"row": planned.row.line}))
        planned.resident_id = resident_id
    store.insert_rows("resident", residents)
    store.insert_rows("move", moves)
    runs.note(import_id, "resident", resident_ids, version=1, now=now)
    runs.note(import_id, "move", move_ids, now=now)
    changed = [p for p in batch if p.action == "update"]
    before = _apply_updates(changed, actor_id=actor_id, now=now, trail=trail)
    if before:
        query: Any = Resident.select(Resident.id, Resident.version).where(
            Resident.id.in_(list(before))
        )
        versions = dict(query.tuples())
        for resident_id, old in before.items():
            runs.note(
                import_id,
                "resident",
                [resident_id],
                version=versions[resident_id],
                before={resident_id: old},
                now=now,
            )
    _tags(import_id, batch, actor_id=actor_id, now=now)
    runs.trail(import_id, plan.community_id, trail, actor_id=actor_id, now=now)
    reindex_residents([p.resident_id for p in batch if p.resident_id is not None])
    return made_households


def _households(
    plan: ResidentsPlan,
    import_id: int,
    batch: list[PlannedPerson],
    *,
    now: datetime,
    trail: list[tuple[str, str, int | None, dict[str, Any]]],
) -> int:
    wanted = [
        plan.households[key]
        for key in dict.fromkeys(p.household for p in batch if p.action == "new")
        if plan.households[key].household_id is None
    ]
    if not wanted:
        return 0
    ids = store.next_ids("household", len(wanted))
    code, last = _numbering(plan.community_id)
    rows: list[dict[str, Any]] = []
    for household, household_id in zip(wanted, ids, strict=True):
        number = household.number
        if not number:
            last += 1
            number = f"{code}-{last:06d}"
        dates = [
            p.row.person.moved_in_on
            for p in batch
            if p.household == household.key and p.row.person.moved_in_on is not None
        ]
        household.household_id = household_id
        rows.append(
            {
                "id": household_id,
                "flat_id": household.flat_id,
                "number": number,
                "status": HouseholdStatus.ACTIVE.value,
                "moved_in_on": min(dates, default=plan.today),
                "notes": "",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        trail.append(("household.import", "household", household_id, {"number": number}))
    store.insert_rows("household", rows)
    runs.note(import_id, "household", ids, version=1, now=now)
    return len(rows)


def _numbering(community_id: int) -> tuple[str, int]:
    """The community's code and the last number of its ``CODE-000123`` households."""
    from frontdesk.residents.records import last_household_number

    code: str = Community.get_by_id(community_id).code
    return code, last_household_number(code) or 0


def _for_audit(name: str, value: Any) -> Any:
    if name == "id_number":
        return mask_id(value)
    if name == "phone":
        return mask_phone(value)
    if name == "emergency_contact":
        return mask_numbers_in(value)
    return value


def _apply_updates(
    changed: list[PlannedPerson],
    *,
    actor_id: int | None,
    now: datetime,
    trail: list[tuple[str, str, int | None, dict[str, Any]]],
) -> dict[int, dict[str, Any]]:
    """The confirmed changes, each refused if the record moved on since the preview; what
    each record held before."""
    before: dict[int, dict[str, Any]] = {}
    for planned in changed:
        if not planned.changes:
            continue
        assert planned.resident_id is not None
        values = {name: new for name, (_, new) in planned.changes.items()}
        current: Any = Resident.get_by_id(planned.resident_id)
        old = {name: getattr(current, name) for name in values}
        if any((old[name] or "") != (was or "") for name, (was, _) in planned.changes.items()):
            raise UserError("roster.changed_since_preview", name=current.name)
        Resident.update(
            **values,
            version=Resident.version + 1,
            updated_at=now,
            updated_by=actor_id,
        ).where(Resident.id == planned.resident_id).execute()
        before[planned.resident_id] = {**old, "updated_by_id": current.updated_by_id}
        trail.append(
            (
                "resident.import_update",
                "resident",
                planned.resident_id,
                {
                    "changes": {
                        name: [_for_audit(name, was), _for_audit(name, new)]
                        for name, (was, new) in sorted(planned.changes.items())
                    }
                },
            )
        )
    return before


def _tags(
    import_id: int, batch: list[PlannedPerson], *, actor_id: int | None, now: datetime
) -> None:
    wanted = [(p.resident_id, code) for p in batch for code in _tag_codes(p)]
    if not wanted:
        return
    tags: Any = Tag.select(Tag.code, Tag.id)
    tag_ids = dict(tags.tuples())
    rows = [
        {
            "resident_id": resident_id,
            "tag_id": tag_ids[code],
            "since": now.date(),
            "note": f"import {import_id}",
            "created_at": now,
            "created_by_id": actor_id,
        }
        for resident_id, code in wanted
        if code in tag_ids and resident_id is not None
    ]
    ids = store.next_ids("resident_tag", len(rows))
    rows = [{"id": tag_row_id, **row} for row, tag_row_id in zip(rows, ids, strict=True)]
    store.insert_rows("resident_tag", rows)
    runs.note(import_id, "resident_tag", ids, now=now)


def _tag_codes(planned: PlannedPerson) -> tuple[str, ...]:
    if planned.action == "new":
        return planned.row.tags
    if planned.action == "update":
        return planned.tags_added
    return ()
