"""The header: community, screen title, operator and the desk's clock."""

from __future__ import annotations

from typing import cast

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from frontdesk.i18n import _
from frontdesk.screens.base.host import DeskHost
from frontdesk.widgets.text import display

WIDE = 100  # from this width the header also names the subdistrict
WEEKDAY_KEYS = [f"weekday.{n}" for n in range(7)]


class DeskHeader(Horizontal):
    """One line: 丽景街社区（莲花池街道）│ 首页 │ [演示] operator  11-29 周日 14:05."""

    DEFAULT_CSS = """
    DeskHeader {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    DeskHeader > Static { width: auto; height: 1; padding: 0 1; }
    DeskHeader #header-community { text-style: bold; color: $text-primary; }
    DeskHeader #header-title { width: 1fr; content-align: center middle; }
    DeskHeader #header-demo { background: $warning; color: $text; text-style: bold; }
    DeskHeader #header-clock { color: $text-muted; }
    """

    def __init__(self, title_key: str) -> None:
        super().__init__()
        self.title_key = title_key

    @property
    def desk_app(self) -> DeskHost:
        return cast(DeskHost, self.app)

    def compose(self) -> ComposeResult:
        yield Static(self._community_text(), id="header-community")
        yield Static(_(self.title_key), id="header-title")
        if self.desk_app.desk.demo:
            yield Static(_("header.demo"), id="header-demo")
        yield Static(self._operator_text(), id="header-operator")
        yield Static(self._clock_text(), id="header-clock")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _community_text(self) -> str:
        desk = self.desk_app.desk
        community = desk.community
        if community is None and desk.operator is not None:  # the administrator: no community
            return _("header.installation")
        if community is None and desk.opening:  # named once the database is open
            return ""
        if community is None:
            return _("header.no_community")
        if self.size.width and self.size.width < WIDE:  # 80 columns: the title needs the room
            return display(community.name)
        return display(f"{community.name}（{community.subdistrict}）")

    def on_resize(self) -> None:
        self.query_one("#header-community", Static).update(self._community_text())

    def _operator_text(self) -> str:
        operator = self.desk_app.desk.operator
        if operator is None:
            return _("header.operator_none")
        role = _(f"header.role.{operator.role}")
        return display(_("header.operator", name=operator.name, role=role))

    def _clock_text(self) -> str:
        now = self.desk_app.desk.clock.now()
        return f"{now:%m-%d} {_(WEEKDAY_KEYS[now.weekday()])} {now:%H:%M}"

    def _tick(self) -> None:
        """Each second: the clock and the operator, repainted only when what they show changed
        (``Static.update`` repaints even the same text: 160 bytes a second down an idle line)."""
        self._show("#header-clock", self._clock_text())
        self._show("#header-operator", self._operator_text())

    def _show(self, selector: str, text: str) -> None:
        shown = self.query_one(selector, Static)
        before = shown.content
        if before == text:
            return
        # as wide as before (the clock always is): no new layout, which would repaint more than
        # the header on some screens (F4's table: 2 KB each minute)
        same_width = isinstance(before, str) and cell_len(before) == cell_len(text)
        shown.update(text, layout=not same_width)
