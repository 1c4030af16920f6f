"""A resident: the person, the neighbours above and below, the household, the grid, the history.

Full ID numbers, phones and emergency contacts (u) stay masked until the clerk gives a reason;
the reveal is recorded and lasts only while this screen is open.

The changes open a form each (e edit, a add a member, h change the head, o move out, d record a
death, t tags; the care keys are ``screens.care.detail_care``'s); after a save the screen
reloads. Each is also a command in the palette.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Can
from frontdesk.requests.lookup import ReporterInfo, flat_place
from frontdesk.residents.detail import ResidentDetail, get_detail
from frontdesk.residents.privacy import RevealField, reveal
from frontdesk.screens.base.forms import FormScreen
from frontdesk.screens.base.roles import permitted
from frontdesk.screens.care.detail_care import CARE_ACTIONS, CareActions
from frontdesk.screens.care.section import CareSection
from frontdesk.screens.requests.request_form import open_intake
from frontdesk.screens.residents.change_head import ChangeHeadScreen
from frontdesk.screens.residents.fields import document_label, history_text, masked_phones
from frontdesk.screens.residents.move_out import MoveOutScreen
from frontdesk.screens.residents.record_death import RecordDeathScreen
from frontdesk.screens.residents.resident_form import ResidentFormScreen
from frontdesk.screens.residents.reveal_reason import RevealReason, RevealReasonScreen
from frontdesk.screens.residents.tags_form import TagsScreen
from frontdesk.vocabulary import Changes
from frontdesk.widgets.footer import DeskFooter
from frontdesk.widgets.header import DeskHeader
from frontdesk.widgets.page_table import PageTable, go_on
from frontdesk.widgets.tables import empty, fit_columns
from frontdesk.widgets.text import display

PEOPLE_TABLES = ("#neighbours", "#members", "#relatives")
# The changes: (action, key, palette title, palette help). Only "edit" is in the footer.
CHANGES = [
    ("edit", "e", "detail.palette.edit", "detail.palette.edit_help"),
    ("add_member", "a", "detail.palette.add_member", "detail.palette.add_member_help"),
    ("change_head", "h", "detail.palette.change_head", "detail.palette.change_head_help"),
    ("move_out", "o", "detail.palette.move_out", "detail.palette.move_out_help"),
    ("record_death", "d", "detail.palette.record_death", "detail.palette.record_death_help"),
    ("tags", "t", "detail.palette.tags", "detail.palette.tags_help"),
]
NEEDS = {
    "edit": Can.EDIT_RESIDENT,
    "add_member": Can.EDIT_RESIDENT,
    "change_head": Can.EDIT_RESIDENT,
    "move_out": Can.EDIT_RESIDENT,
    "record_death": Can.EDIT_RESIDENT,
    "tags": Can.EDIT_RESIDENT,
    "reveal": Can.REVEAL,
    "new_request": Can.LOG_REQUEST,
}


class ResidentDetailScreen(CareActions):
    CSS_PATH = "detail.tcss"
    BINDINGS = [
        # Escape goes back as everywhere (F1 help says so): its place in the footer is p and i's
        Binding("escape", "back", "key.back", show=False),
        Binding("e", "edit", "detail.key_edit"),
        Binding("p", "reveal('phone')", "detail.key_phone"),
        Binding("i", "reveal('id_number')", "detail.key_id"),
        Binding("f", "reveal('forwarding_contact')", "detail.key_forwarding", show=False),
        Binding("u", "reveal('emergency_contact')", "detail.key_emergency", show=False),
        Binding("a", "add_member", "detail.key_add_member", show=False),
        Binding("h", "change_head", "detail.key_change_head", show=False),
        Binding("o", "move_out", "detail.key_move_out", show=False),
        Binding("d", "record_death", "detail.key_record_death", show=False),
        Binding("t", "tags", "detail.key_tags", show=False),
        Binding("r", "new_request", "requests.key_report", show=False),
        # the page keys move the page, whichever table has the focus (↑↓ move its row)
        Binding("pagedown", "page('page_down')", "detail.key_page_down", show=False, priority=True),
        Binding("pageup", "page('page_up')", "detail.key_page_up", show=False, priority=True),
        Binding("home", "page('scroll_home')", "detail.key_top", show=False, priority=True),
        Binding("end", "page('scroll_end')", "detail.key_bottom", show=False, priority=True),
    ]

    def __init__(self, resident_id: int) -> None:
        super().__init__()
        self.resident_id = resident_id
        self.detail: ResidentDetail | None = None
        self.revealed: dict[tuple[int, str], str] = {}
        self.phones: dict[int, str] = {}  # every person shown: their masked phone ("" for none)

    def compose(self) -> ComposeResult:
        yield DeskHeader("screen.resident")
        with VerticalScroll(id="detail-body"):
            yield Static(_("detail.loading"), id="person")
            yield Static("", id="grid")  # who to call: right under the person, above the fold
            yield Static("", id="former", classes="section")
            yield PageTable(id="relatives", cursor_type="row", show_cursor=True)
            yield Static(_("detail.neighbours"), classes="section-title")
            yield PageTable(id="neighbours", cursor_type="row")
            yield Static("", id="household", classes="section-title")
            yield PageTable(id="members", cursor_type="row")
            yield CareSection("", id="care", classes="section")
            yield Static("", id="history", classes="section")
        yield DeskFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in CARE_ACTIONS:
            return self.care_allowed(action)
        if not permitted(self, NEEDS, action):
            return False
        if action == "reveal" and parameters:
            return self._can_reveal(str(parameters[0]))
        return True

    def _can_reveal(self, field: str) -> bool:
        """Whether ``field`` of the selected person has something masked left to reveal."""
        detail = self.detail
        if detail is None:
            return False
        if field == "phone":
            person = self._selected_person()
            masked = self.phones.get(person[0], "") if person else ""
        elif field == "id_number":
            person, masked = (detail.person.id, ""), detail.person.id_number_masked
        elif field == "emergency_contact":
            person, masked = (detail.person.id, ""), detail.person.emergency_contact_masked
        else:
            former = detail.former
            masked = former.forwarding_contact_masked if former else ""
            person = (detail.person.id, "")
        return bool(masked) and person is not None and (person[0], field) not in self.revealed

    @on(DataTable.RowHighlighted)
    def _row_moved(self) -> None:
        self.refresh_bindings()  # p reveals the phone of the row now selected, if it has one

    def action_page(self, how: str) -> None:
        """PageDown / PageUp / Home / End: the page, wherever the focus is."""
        getattr(self.query_one("#detail-body", VerticalScroll), f"action_{how}")()

    @on(PageTable.Beyond)
    def _beyond(self, event: PageTable.Beyond) -> None:
        go_on(event, self.query_one("#detail-body", VerticalScroll))

    def on_mount(self) -> None:
        self._columns()
        self.load()

    def shows(self, changes: Changes) -> bool:
        """Someone at another desk changed this person, their household, tags or requests."""
        detail = self.detail
        mine = detail is None or (
            changes.touches("resident", entity_id=self.resident_id)
            or changes.touches("household", entity_id=detail.household.id)
            or any(changes.touches("resident", entity_id=m.id) for m in detail.household.members)
        )
        return (
            mine
            or self.care_shows(changes)
            or changes.touches("request", "booking", "booking_series")
        )

    def refresh_data(self) -> None:
        self.load()

    def _columns(self) -> None:
        for table_id, columns in (
            ("#neighbours", ("where", "flat", "name", "relation", "phone")),
            ("#members", ("relation", "name", "gender", "age", "status", "phone")),
            ("#relatives", ("relation", "name", "phone")),
        ):
            table = self.query_one(table_id, DataTable)
            table.clear(columns=True)
            for column in columns:
                table.add_column(_(f"detail.col.{column}"), key=column)

    def load(self) -> None:
        desk = self.desk
        self.call(
            partial(get_detail, self.resident_id, desk.clock.today(), actor_id=desk.operator_id),
            self._show,
            group="resident-detail",
            latest=True,
        )
        self.load_care()

    # ------------------------------------------------------------------------------- showing

    def _value(self, resident_id: int, field: str, masked: str) -> str:
        return self.revealed.get((resident_id, field), masked)

    def _show(self, detail: ResidentDetail) -> None:
        first = self.detail is None
        self.detail, self.care_household_id = detail, detail.household.id
        self.phones = masked_phones(detail)
        self._show_person(detail)
        self._show_former(detail)
        self._show_neighbours(detail)
        self._show_household(detail)
        self._show_grid(detail)
        self._show_history(detail)
        if first:  # the page opens at its top, the person first, whatever the table's height
            self.query_one("#neighbours", DataTable).focus(scroll_visible=False)
        self.refresh_bindings()

    def _show_person(self, detail: ResidentDetail) -> None:
        p = detail.person
        tags = " ".join(f"[reverse] {_(f'tag.{t.code}')} [/]" for t in p.tags) or _("detail.none")
        lines = [
            f"[b]{escape(display(p.name))}[/b]  {_(f'enum.gender.{p.gender}')}  "
            f"{_('detail.age', age=p.age)}  {_(f'enum.resident_status.{p.status}')}  "
            f"{_(f'enum.relation.{p.relation}')}"
            f"   {_('detail.category')} {_(f'enum.resident_category.{p.category}')}",
            f"{document_label(p.document_type)} "
            f"{self._value(p.id, 'id_number', p.id_number_masked) or '—'}"
            f"   {_('detail.phone')} {self._value(p.id, 'phone', p.phone_masked) or '—'}",
            f"{_('detail.moved_in')} {p.moved_in_on:%Y-%m-%d}   {_('detail.tags')} {tags}",
        ]
        contact = self._value(p.id, "emergency_contact", p.emergency_contact_masked)
        hint = _("detail.emergency_hint") if self._can_reveal("emergency_contact") else ""
        lines.insert(2, f"{_('detail.emergency_contact')} {escape(display(contact)) or '—'}{hint}")
        if p.notes:
            lines.append(f"{_('detail.notes')} {escape(display(p.notes))}")
        self.query_one("#person", Static).update("\n".join(lines))

    def _show_former(self, detail: ResidentDetail) -> None:
        former = detail.former
        box = self.query_one("#former", Static)
        relatives = self.query_one("#relatives", DataTable)
        box.display = relatives.display = former is not None
        if former is None:
            return
        if former.status == "deceased" and former.died_on:
            text = _("detail.died_on", date=f"{former.died_on:%Y-%m-%d}")
        else:
            contact = self._value(
                detail.person.id, "forwarding_contact", former.forwarding_contact_masked
            )
            moved = f"{former.moved_out_on:%Y-%m-%d}" if former.moved_out_on else "—"
            text = _("detail.moved_out_on", date=moved, contact=display(contact) or "—")
        if former.relatives:
            text += "\n" + _("detail.relatives")
        else:
            text += "\n" + _("detail.no_relatives")
        box.update(text)
        empty(relatives)
        for r in former.relatives:
            relatives.add_row(
                _(f"enum.relation.{r.relation}"),
                display(r.name),
                self._value(r.id, "phone", r.phone_masked) or "—",
                key=str(r.id),
            )
        fit_columns(relatives)  # sized before it is drawn (widgets.tables)

    def _show_neighbours(self, detail: ResidentDetail) -> None:
        table = self.query_one("#neighbours", DataTable)
        empty(table)
        for flat in detail.neighbours:
            where = _(f"resident.neighbour.{flat.position}")
            if flat.vacant:
                table.add_row(where, flat.flat.short, _("detail.vacant"), "", "")
                continue
            for n in flat.residents:
                table.add_row(
                    where,
                    flat.flat.short,
                    display(n.name),
                    _(f"enum.relation.{n.relation}"),
                    self._value(n.id, "phone", n.phone_masked) or "—",
                    key=str(n.id),
                )
                where = ""
        if not detail.neighbours:
            table.add_row(_("detail.no_neighbours"), "", "", "", "")
        fit_columns(table)  # sized before it is drawn (widgets.tables)

    def _show_household(self, detail: ResidentDetail) -> None:
        h = detail.household
        self.query_one("#household", Static).update(
            _("detail.household", number=h.number, address=h.flat.text)
        )
        table = self.query_one("#members", DataTable)
        empty(table)
        for m in h.members:
            relation = _(f"enum.relation.{m.relation}") + (" ★" if m.is_head else "")
            table.add_row(
                relation,
                display(m.name) + (" ◀" if m.is_self else ""),
                _(f"enum.gender.{m.gender}"),
                str(m.age),
                _(f"enum.resident_status.{m.status}"),
                self._value(m.id, "phone", m.phone_masked) or "—",
                key=str(m.id),
            )
        fit_columns(table)  # sized before it is drawn (widgets.tables)

    def _show_grid(self, detail: ResidentDetail) -> None:
        g = detail.grid
        manager = f"{g.manager_name} {g.manager_phone}" if g.manager_name else "—"
        if g.manager_away:
            manager += " " + _("detail.away")
        leader = f"{g.leader_name} {g.leader_phone}" if g.leader_name else "—"
        self.query_one("#grid", Static).update(
            _("detail.grid", l4=g.l4_name, manager=manager, l3=g.l3_name, leader=leader)
        )

    def _show_history(self, detail: ResidentDetail) -> None:
        self.query_one("#history", Static).update(history_text(detail))

    # ------------------------------------------------------------------------------ actions

    def _selected_person(self) -> tuple[int, str] | None:
        """The resident of the focused row (a neighbour, a member, a relative), else this one;
        None on a row of nobody (a vacant flat)."""
        assert self.detail is not None
        focused = self.focused
        if isinstance(focused, DataTable) and focused.row_count:
            key = focused.coordinate_to_cell_key(focused.cursor_coordinate).row_key.value
            if key is None:
                return None
            row = focused.get_row(key)
            name_column = 2 if focused.id == "neighbours" else 1
            return int(key), str(row[name_column])
        return self.detail.person.id, display(self.detail.person.name)

    def action_reveal(self, field: str) -> None:
        if self.detail is None:
            return
        if field == "phone":
            selected = self._selected_person()
            if selected is None:
                return
            resident_id, who = selected
        else:
            resident_id, who = self.detail.person.id, display(self.detail.person.name)
        if field == "forwarding_contact" and self.detail.former is None:
            return

        def answered(reason: RevealReason | None) -> None:
            if reason is not None:
                self._reveal(resident_id, field, reason)

        self.app.push_screen(RevealReasonScreen(f"reveal.field.{field}", who), answered)

    def _reveal(self, resident_id: int, field: str, reason: RevealReason) -> None:
        desk = self.desk
        field_name: RevealField = field  # type: ignore[assignment]
        self.call(
            partial(
                reveal,
                resident_id,
                field_name,
                reason.text,
                choice=reason.choice,
                actor_id=desk.operator_id,
                now=desk.clock.now(),
            ),
            partial(self._revealed, resident_id, field),
            group="resident-reveal",
            refused=self._reveal_refused,
        )

    def _reveal_refused(self, error: UserError) -> None:
        self.notify(str(error), severity="warning")

    def _revealed(self, resident_id: int, field: str, value: str) -> None:
        self.revealed[(resident_id, field)] = value
        if self.detail is not None:
            self._show(self.detail)

    @on(DataTable.RowSelected)
    def _open_row(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is not None and key.isdigit() and int(key) != self.resident_id:
            self.desk_app.open_resident(int(key))

    def action_back(self) -> None:
        self.dismiss()

    # ------------------------------------------------------------------------------ changes

    def palette_commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        """The changes, for the command palette: (title, help, callback)."""
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (_(title, key=key), _(help_key), getattr(self, f"action_{action}"))
            for action, key, title, help_key in CHANGES
        ]
        if self.detail is not None:
            name = display(self.detail.person.name)
            commands.append(
                (
                    _("requests.palette.report", name=name),
                    _("requests.palette.report_help"),
                    self.action_new_request,
                )
            )
        return commands + self.care_commands()

    def action_new_request(self) -> None:
        """Log a request with this resident as the reporter and their flat as the place."""
        if self.detail is None:
            return
        person, household = self.detail.person, self.detail.household
        home = None
        if household.status == "active":
            home = flat_place(household.flat, self.detail.grid.l4_code)
        reporter = ReporterInfo(person.id, person.name, person.phone_masked, home)
        open_intake(self.desk_app, reporter)

    def _open_form(self, form: FormScreen) -> None:
        def saved(result: int | None) -> None:
            if result is None:
                return
            assert self.detail is not None
            person = self.detail.person.id
            self.revealed = {k: v for k, v in self.revealed.items() if k[0] != person}
            self.load()
            self.notify(_("form.saved"))

        self.app.push_screen(form, saved)

    def _living(self) -> bool:
        """True when this person lives here; otherwise says so."""
        assert self.detail is not None
        if self.detail.person.status != "living":
            self.notify(
                _("resident.not_living", name=display(self.detail.person.name)),
                severity="warning",
            )
            return False
        return True

    def _household_active(self) -> bool:
        assert self.detail is not None
        household = self.detail.household
        if household.status != "active":
            self.notify(
                _("resident.household_inactive", number=household.number), severity="warning"
            )
            return False
        return True

    def action_edit(self) -> None:
        if self.detail is not None:
            self._open_form(ResidentFormScreen(self.detail.household, self.detail.person))

    def action_add_member(self) -> None:
        if self.detail is not None and self._household_active():
            self._open_form(ResidentFormScreen(self.detail.household))

    def action_change_head(self) -> None:
        if self.detail is None or not self._household_active():
            return
        living = [m for m in self.detail.household.members if m.status == "living"]
        if len(living) < 2:
            self.notify(_("detail.no_other_member"), severity="warning")
            return
        self._open_form(ChangeHeadScreen(self.detail))

    def action_move_out(self) -> None:
        if self.detail is not None and self._living():
            self._open_form(MoveOutScreen(self.detail, self.desk.clock.today()))

    def action_record_death(self) -> None:
        if self.detail is not None and self._living():
            self._open_form(RecordDeathScreen(self.detail, self.desk.clock.today()))

    def action_tags(self) -> None:
        community = self.desk.community
        if self.detail is not None and community is not None and self._living():
            self._open_form(TagsScreen(self.detail.person, community.id))

    async def _language_changed(self, language: str) -> None:
        await super()._language_changed(language)
        self._columns()
        if self.detail is not None:
            self._show(self.detail)
