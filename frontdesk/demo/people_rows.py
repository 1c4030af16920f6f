"""The rows of a community's households and residents, with their moves (in, out, death), as the
demo writes them: ID numbers, ethnicity and who entered what when are decided here."""

from __future__ import annotations

from frontdesk.demo.context import Context
from frontdesk.demo.households import OTHER, SPOUSE
from frontdesk.demo.org import REGION_CODE
from frontdesk.demo.people import XINJIANG_REGIONS, Household
from frontdesk.vocabulary import MoveKind


def write_people(ctx: Context, households: list[Household], clerk: int) -> None:
    """Add the rows of ``households`` and their members to ``ctx.tables``."""
    tables = ctx.tables
    ids = ctx.ids
    launch = ctx.launch
    entered = ctx.entered_at
    resident_rows = tables.resident.rows
    move_rows = tables.move.rows
    move_table = tables.move
    move_in, move_out, death = (
        MoveKind.MOVE_IN.value,
        MoveKind.MOVE_OUT.value,
        MoveKind.DEATH.value,
    )
    for household in households:
        flat_id = household.flat.id
        created = entered(household.moved_in)
        updated = created
        version = 1
        if household.moved_out is not None:
            updated = max(created, entered(household.moved_out))
            version = 2
        tables.household.add(
            household.id,
            flat_id,
            household.number,
            household.status,
            household.moved_in,
            household.moved_out,
            "",
            created,
            updated,
            version,
        )
        if household.region in XINJIANG_REGIONS:
            family_ethnicity = ctx.names.minority_ethnicity()
        else:
            family_ethnicity = ctx.names.han_ethnicity()
        for person in household.members:
            ethnicity = family_ethnicity
            if person.relation in (SPOUSE, OTHER) and person.region == REGION_CODE:
                ethnicity = ctx.names.han_ethnicity()
            id_number = ids.new(person.region, person.birth, person.male)
            created = entered(person.moved_in)
            updated = created
            updated_by = None
            version = 1
            change = person.moved_out or person.died
            if change is not None:
                updated = max(created, entered(change))
                version = 2
                updated_by = clerk if change >= launch else None
            born_here = person.moved_in == person.birth
            resident_rows.append(
                (
                    person.id,
                    household.id,
                    person.relation,
                    person.name,
                    "M" if person.male else "F",
                    person.birth,
                    id_number,
                    person.phone,
                    ethnicity,
                    person.status,
                    person.moved_in,
                    person.moved_out,
                    person.forwarding,
                    person.died,
                    "",
                    created,
                    updated,
                    updated_by,
                    version,
                )
            )
            move_rows.append(
                (
                    move_table.new_id(),
                    person.id,
                    household.id,
                    move_in,
                    person.moved_in,
                    None,
                    flat_id,
                    "出生入户" if born_here else "",
                    created,
                    clerk if person.moved_in >= launch else None,
                )
            )
            if person.moved_out is not None:
                note = person.forwarding.split("，")[0] if "，" in person.forwarding else ""
                move_rows.append(
                    (
                        move_table.new_id(),
                        person.id,
                        household.id,
                        move_out,
                        person.moved_out,
                        flat_id,
                        None,
                        note,
                        updated,
                        updated_by,
                    )
                )
            elif person.died is not None:
                move_rows.append(
                    (
                        move_table.new_id(),
                        person.id,
                        household.id,
                        death,
                        person.died,
                        flat_id,
                        None,
                        "",
                        updated,
                        updated_by,
                    )
                )
