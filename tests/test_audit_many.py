"""``audit.log.record_many``: many entries in one go keep the chain whole, as one by one would."""

from __future__ import annotations

from peewee import SqliteDatabase

from frontdesk.audit import chain
from frontdesk.audit.log import entries_for, record, record_many
from frontdesk.clock import FixedClock
from frontdesk.db.connection import write
from frontdesk.db.models import Resident


def test_many_entries_chain_like_single_ones(demo_copy: SqliteDatabase, clock: FixedClock) -> None:
    ids = [r.id for r in Resident.select(Resident.id).order_by(Resident.id).limit(30)]
    community = 1

    def run() -> None:
        record("resident.reveal_phone", "resident", ids[0], actor_id=None, at=clock.now())
        record_many(
            [
                ("resident.import", "resident", rid, {"import": 1, "row": n})
                for n, rid in enumerate(ids)
            ]
            + [("roster.import", "roster_import", 1, {"file": "人口台账.xlsx"})],
            actor_id=None,
            at=clock.now(),
            community_id=community,
        )
        record("resident.reveal_phone", "resident", ids[1], actor_id=None, at=clock.now())

    write(run)
    assert chain.verify().intact
    trail = entries_for("resident", ids[0])
    assert [e.action for e in trail][-2:] == ["resident.reveal_phone", "resident.import"]
    assert trail[-1].detail == {"import": 1, "row": 0}
