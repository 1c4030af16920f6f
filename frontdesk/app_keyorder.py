"""Keys typed ahead go where the keys before them left the focus.

Textual 8 (8.2.8) hands each key to the widget that has the focus *when the app reads it*. Keys
that arrive in one read (typing ahead over SSH, a slow machine) are all handed out before the
first is handled, so a key that moves the focus does not move it for the keys behind it: Tab
and ``12`` typed together at a form put ``12`` into the field Tab left (人数 stayed 1); at the
login, ``desk-lj-1``, Tab and the password together put the password into the user name box;
Enter, which takes a form to its next field, and F2 followed by a name do the same. (The other
half of the fault, a text box's own Backspace, arrows and Home running after the text typed
behind them, is ``frontdesk.widgets.input.DeskInput``'s.)

``KeyOrder`` takes the keys from the app (``FrontdeskApp.on_event``) and hands them out one after
another. A key the focused widget takes as text (a printable key into a box, a paste) is handed
out at once, like every key while nothing is pending. Any other key may move the focus or change
the screen: the keys behind it wait until it has been handled — the app, every screen and every
widget have handled what was queued, rounds after rounds, until the queues are empty (each round
waits behind what each one has queued, as Textual's Pilot waits for a screen), at most ``WAIT``
seconds. A person typing one key at a time never waits: their keys find nothing pending.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

WAIT = 1.0  # seconds the keys behind one may wait for it at most (a handler that never ends)
ROUNDS = 64  # rounds of waiting behind the queues (a message bubbling up moves one step a round)
ROUND_WAIT = 0.2  # seconds one round may take (a widget removed meanwhile never answers)


class KeyOrder:
    """The app's keys, handed out in order (see the module)."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Event], Awaitable[None]]) -> None:
        self.app = app
        self.dispatch = dispatch  # Textual's own App.on_event: bindings, then the focused widget
        self.held: deque[events.Event] = deque()
        self.pending = 0  # the key being waited for (0: none)
        self._keys = 0  # the keys waited for so far: each wait is told which one it is for
        self._waits: set[asyncio.Task[None]] = set()  # held here: the loop keeps weak ones

    async def take(self, event: events.Event) -> bool:
        """Whether ``event`` is a key (or a paste) from the terminal, taken here: handed out now,
        or held until the keys before it have been handled."""
        if not isinstance(event, events.Key | events.Paste) or event.is_forwarded:
            return False  # not from the terminal, or a key bubbling back up: Textual's
        self.held.append(event)
        if self.pending and self._quiet():  # handled already; the wait has not seen it yet
            self.pending = 0
        await self._hand_out()
        return True

    async def _hand_out(self) -> None:
        while self.held and not self.pending:
            event = self.held.popleft()
            moves = self._may_move_focus(event)
            await self.dispatch(event)
            if moves:
                self._keys += 1
                self.pending = self._keys
                wait = asyncio.create_task(self._wait(self.pending))
                self._waits.add(wait)
                wait.add_done_callback(self._waits.discard)

    def _may_move_focus(self, event: events.Event) -> bool:
        if isinstance(event, events.Paste):
            return False
        assert isinstance(event, events.Key)
        focused = self.app.focused
        return focused is None or not focused.check_consume_key(event.key, event.character)

    async def _wait(self, key: int) -> None:
        try:
            await asyncio.wait_for(self._handled(), WAIT)
        except TimeoutError:
            pass
        finally:
            self.app.call_later(self._release, key)

    async def _release(self, key: int) -> None:
        if self.pending == key:  # not released already by a key that found all quiet
            self.pending = 0
            await self._hand_out()

    def _pumps(self) -> list[MessagePump]:
        pumps: list[MessagePump] = [self.app]
        for screen in self.app.screen_stack:
            pumps.extend(screen.walk_children(with_self=True))
        return pumps

    def _quiet(self) -> bool:
        # Textual keeps no count of what a widget has still to handle but its queue
        return all(pump._message_queue.empty() for pump in self._pumps())

    async def _handled(self) -> None:
        for _ in range(ROUNDS):
            await self._round()
            if self._quiet():
                return

    async def _round(self) -> None:
        """Until every widget has handled what it had queued when this round began."""
        left = 0
        done = asyncio.Event()

        def one_done() -> None:
            nonlocal left
            left -= 1
            if left == 0:
                done.set()

        for pump in self._pumps():
            if pump.call_later(one_done):
                left += 1
        if left:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), ROUND_WAIT)
