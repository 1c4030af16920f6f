"""A staff account, new or edited: user name (new only), name, role, phone, a grid manager's
grids and away.

The grids are a list of the community's level-4 grids with who manages each now: ↑↓ (or the
code typed, ``2-1``) to move, Space or Enter to tick. Ticking someone else's grid takes it from
them when saved; unticking one of this person's own is refused unless another grid manager takes
it. The list shows only while the role is grid manager. Nobody changes their own role: the field
is disabled on one's own account. The roles offered are those the operator may give; the
administrator, placing a new account in an installation of several communities, picks its
community. ``waits`` tells the list that the saved change waits for the leadership.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from textual import events, on
from textual.widget import Widget
from textual.widgets import Checkbox, Select, SelectionList

from frontdesk.i18n import _
from frontdesk.notices import Notice
from frontdesk.screens.base.forms import FormScreen, choice, field, field_id, row_id, text_input
from frontdesk.staff import (
    GridOption,
    NewStaff,
    StaffInput,
    StaffRow,
    StaffUpdate,
    assignable_roles,
    create_staff,
    needs_confirmation,
    update_staff,
)
from frontdesk.vocabulary import Role
from frontdesk.widgets.checkbox import DeskCheckbox
from frontdesk.widgets.text import display

GRID_MANAGER = Role.GRID_MANAGER.value
TYPE_AHEAD_SECONDS = 1.5


@dataclass(frozen=True)
class TypedStaff:
    """What the form holds: the account as typed."""

    username: str
    display_name: str
    role: str
    phone: str
    grid_ids: frozenset[int]
    away: bool
    community_id: int | None = None


class GridPicker(SelectionList[int]):
    """The grids to tick; typing a code (``2-1``) moves to it."""

    def __init__(self, grids: list[GridOption], ticked: set[int], staff_id: int | None) -> None:
        super().__init__(*[(self.label(g, staff_id), g.id, g.id in ticked) for g in grids])
        self.codes = [g.code for g in grids]
        self._typed = ""
        self._typed_at = 0.0

    @staticmethod
    def label(grid: GridOption, staff_id: int | None) -> str:
        if grid.manager_id is None:
            who = _("staff_form.grid_nobody")
        elif grid.manager_id == staff_id:
            who = _("staff_form.grid_theirs")
        else:
            who = display(grid.manager_name)
        return f"{grid.code:<5} {who}"

    def on_key(self, event: events.Key) -> None:
        char = event.character
        if not char or not (char.isdigit() or char == "-"):
            return
        event.stop()
        event.prevent_default()
        now = time.monotonic()
        if now - self._typed_at > TYPE_AHEAD_SECONDS:
            self._typed = ""
        self._typed_at = now
        self._typed += char
        for index, code in enumerate(self.codes):
            if code.startswith(self._typed):
                self.highlighted = index
                return


class StaffFormScreen(FormScreen):
    """``staff`` given: edit them. Without: a new account; ``created`` holds it once saved."""

    CSS_PATH = ["../base/forms.tcss", "staff_form.tcss"]
    HELP_KEY = "staff_form.help"

    def __init__(
        self,
        staff: StaffRow | None,
        grids: list[GridOption],
        *,
        own: bool = False,
        communities: list[tuple[int, str]] | None = None,
    ) -> None:
        super().__init__()
        self.staff = staff
        self.grids = grids
        self.own = own  # one's own account: the role cannot change
        self.communities = communities or []  # a choice only when there are several
        self.created: NewStaff | None = None
        self.created_name = ""
        self.waits = False  # the saved change waits for the leadership's confirmation

    def _roles(self) -> list[str]:
        operator = self.desk.operator
        roles = list(assignable_roles(operator.role if operator else ""))
        if self.staff is not None and self.staff.role not in roles:
            roles.insert(0, self.staff.role)  # shown as it is; the service refuses a change
        return roles

    def title_text(self) -> str:
        if self.staff is None:
            return _("staff_form.title_new")
        return _(
            "staff_form.title_edit", name=display(self.staff.name), username=self.staff.username
        )

    def fields(self) -> Iterator[Widget]:
        s = self.staff
        if s is None:
            yield field(
                "username",
                "staff_form.field.username",
                text_input("", _("staff_form.username_placeholder")),
            )
        yield field("display_name", "staff_form.field.name", text_input(s.name if s else ""))
        yield field(
            "role",
            "staff_form.field.role",
            choice(
                [(_(f"enum.role.{role}"), role) for role in self._roles()],
                s.role if s else None,
                allow_blank=s is None,
            ),
        )
        if s is None and len(self.communities) > 1:
            yield field(
                "community",
                "staff_form.field.community",
                choice(
                    [(display(name), community_id) for community_id, name in self.communities],
                    self.communities[0][0],
                    allow_blank=False,
                ),
            )
        yield field(
            "phone",
            "staff_form.field.phone",
            text_input(s.phone if s else "", _("form.phone_placeholder")),
        )
        ticked = set(s.grid_ids) if s else set()
        yield field(
            "grids", "staff_form.field.grids", GridPicker(self.grids, ticked, s.id if s else None)
        )
        yield field(
            "away",
            "staff_form.field.away",
            DeskCheckbox(_("staff_form.away_label"), s.away if s else False, compact=True),
        )

    def on_mount(self) -> None:
        # FormScreen.on_mount runs after this one by itself (Textual walks the classes)
        if self.own:
            role = self.query_one(f"#{field_id('role')}", Select)
            role.disabled = True
            role.tooltip = _("staff.own_role")
        self._show_grids()

    @on(Select.Changed, "#f-role")
    def _role_changed(self) -> None:
        self._show_grids()

    def _show_grids(self) -> None:
        """The grid list only for a grid manager (or someone who still has grids)."""
        shown = self.selected("role") == GRID_MANAGER or bool(self.staff and self.staff.grids)
        self.query_one(f"#{row_id('grids')}").display = shown

    # ------------------------------------------------------------------------------ values

    def _values(self) -> dict[str, Any]:
        values = super()._values()
        for box in self.query(Checkbox):
            if box.id:
                values[box.id] = box.value
        return values

    def _restore(self, values: dict[str, Any]) -> None:
        super()._restore(values)
        for box in self.query(Checkbox):
            if box.id in values:
                box.value = bool(values[box.id])
        self._show_grids()
        if self.own:
            self.query_one(f"#{field_id('role')}", Select).disabled = True

    def collect(self, problems: dict[str, Notice]) -> TypedStaff:
        role = self.selected("role") or ""
        picker = self.query_one(f"#{field_id('grids')}", GridPicker)
        # a role other than grid manager sends no grids: the service says what to do with any
        grid_ids = frozenset(picker.selected) if role == GRID_MANAGER else frozenset()
        return TypedStaff(
            username=self.value("username") if self.staff is None else self.staff.username,
            display_name=self.value("display_name"),
            role=role,
            phone=self.value("phone"),
            grid_ids=grid_ids,
            away=self.query_one(f"#{field_id('away')}", Checkbox).value,
            community_id=self.selected("community")
            if self.query(f"#{field_id('community')}")
            else None,
        )

    def write(self, values: Any, confirm: bool) -> int | None:
        typed: TypedStaff = values
        desk = self.desk
        now = desk.clock.now()
        if self.staff is None:
            new = create_staff(
                StaffInput(
                    username=typed.username,
                    display_name=typed.display_name,
                    role=typed.role,
                    phone=typed.phone,
                    grid_ids=typed.grid_ids,
                    away=typed.away,
                    community_id=typed.community_id
                    or (desk.community.id if desk.community else None),
                ),
                actor_id=desk.operator_id,
                now=now,
            )
            self.created, self.created_name = new, typed.display_name
            return new.id
        update_staff(
            self.staff.id,
            self.staff.version,
            StaffUpdate(
                display_name=typed.display_name,
                role=typed.role,
                phone=typed.phone,
                grid_ids=typed.grid_ids,
                away=typed.away,
            ),
            actor_id=desk.operator_id,
            now=now,
        )
        operator = desk.operator
        self.waits = (
            typed.role != self.staff.role
            and operator is not None
            and needs_confirmation(operator, typed.role)
        )
        return self.staff.id
