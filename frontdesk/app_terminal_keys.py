"""Key sequences that the offices' terminals send and Textual's parser does not know.

The desk PCs reach the desk over SSH with PuTTY or Windows' own OpenSSH (deploy/README.md). What
they send for F1–F10, Home, End, the arrows and the rest was checked against Textual's parser
(``textual._xterm_parser.XTermParser`` with ``textual._ansi_sequences.ANSI_SEQUENCES_KEYS``) in
tests/test_terminal_keys.py, client by client and setting by setting. Almost everything arrives as
it should; what does not is listed here and added to Textual's table when this module is
imported, once, where the desk starts (``frontdesk/cli.py``).

- PuTTY, Terminal → Keyboard → "The Function keys and keypad" = **VT100+**: F1–F4 send SS3 P–S
  (known), but F5–F10 send SS3 T–Y (``ESC O T`` … ``ESC O Y``), which Textual reads as Alt+Shift+O
  and a letter: F5 typed "OT" into the box with the focus.

Not added, because the same bytes already mean something else (deploy/README.md says which
setting to keep):

- PuTTY's **SCO** function keys: F1 ``ESC [ M`` is the start of a mouse report, F3 ``ESC [ O``
  and Page Up ``ESC [ I`` are the terminal's focus-out and focus-in reports;
- PuTTY's **rxvt** Home and End: End ``ESC O w`` is the keypad's 7 in application keypad mode
  (Textual's table reads it so).

One more thing no key table can fix: a terminal that is not set to UTF-8 (PuTTY or Xshell on
GBK, as on a Chinese Windows) sends typed Chinese in its own encoding, and Textual's driver
decodes the terminal strictly: the first such byte ended the desk with a traceback, losing the
form being filled in. Here the driver's UTF-8 decoder replaces what is not UTF-8 with "�", as
a terminal does, so the desk stays up and shows that the terminal is set wrong
(deploy/README.md says where to set it).

The module is named ``app_*`` because it reaches into Textual: the core (every other top-level
module) imports none (tests/test_architecture.py).
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable
from encodings.utf_8 import IncrementalDecoder as UTF8Decoder
from typing import cast

from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual.keys import Keys

# sequence → the key it is; Textual's own table holds none of them (a test checks it)
EXTRA_SEQUENCES: dict[str, Keys] = {
    # PuTTY, "The Function keys and keypad: VT100+": F5–F10 as SS3 T … SS3 Y
    "\x1bOT": Keys.F5,
    "\x1bOU": Keys.F6,
    "\x1bOV": Keys.F7,
    "\x1bOW": Keys.F8,
    "\x1bOX": Keys.F9,
    "\x1bOY": Keys.F10,
}


def register() -> None:
    """Add the sequences to Textual's table; a sequence Textual already knows keeps its meaning.
    Running it again changes nothing."""
    table = cast("dict[str, object]", ANSI_SEQUENCES_KEYS)
    for sequence, key in EXTRA_SEQUENCES.items():
        table.setdefault(sequence, (key,))


class ReplacingUTF8Decoder(UTF8Decoder):
    """UTF-8, with what is not UTF-8 read as U+FFFD instead of raising."""

    def __init__(self, errors: str = "replace") -> None:
        super().__init__(errors)


def terminal_decoder(encoding: str) -> Callable[..., codecs.IncrementalDecoder]:
    """``codecs.getincrementaldecoder`` for Textual's driver, lenient for UTF-8."""
    if codecs.lookup(encoding).name == "utf-8":
        return ReplacingUTF8Decoder
    return codecs.getincrementaldecoder(encoding)


def lenient_terminal_input() -> None:
    """Textual's Linux driver (the desk's over SSH) decodes the terminal with this."""
    if sys.platform == "win32":  # Textual's Windows driver reads the console's UTF-16
        return
    from textual.drivers import linux_driver

    # typeshed types codecs.getincrementaldecoder with an overload for each codec name
    linux_driver.getincrementaldecoder = terminal_decoder  # type: ignore[assignment]


register()
lenient_terminal_input()
