"""What the offices' terminals send for the desk's keys, read the way the desk reads it.

deploy/README.md names the clients: PuTTY and Windows' own OpenSSH (in Windows Terminal or the
console window). Each profile below is the bytes one client sends with one setting, taken from
recordings of those clients (.NET's System.Console key-parser tests record PuTTY in every
"Function keys and keypad" mode) and from Win32-OpenSSH's own key table (tncon.h), not from
xterm. They go through the same steps as in the running desk: an incremental UTF-8 decoder, as
Textual's Linux driver reads the terminal, then Textual's ``XTermParser``, and each must come
out as the key the desk binds. One real-terminal test presses PuTTY's sequences at the desk.
"""

from __future__ import annotations

import codecs
import subprocess
import sys
from collections.abc import Iterator

import pytest
from textual import constants, events
from textual._xterm_parser import XTermParser
from textual.drivers import linux_driver

import frontdesk.app_terminal_keys  # what the desk registers at its start (frontdesk/cli.py)
from frontdesk.app import FrontdeskApp
from tests.terminal import Pane, Tmux, frontdesk_command, tmux_available

# ---------------------------------------------------------------------------- the profiles

ESC = "\x1b"

# keys every client sends alike (C0 control characters)
CONTROLS = {
    "tab": "\t",
    "enter": "\r",
    "escape": ESC,
    "backspace": "\x7f",  # PuTTY's default, and Windows OpenSSH's
    "ctrl+p": "\x10",
    "ctrl+q": "\x11",
}
ARROWS = {"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D"}
APP_ARROWS = {"up": "\x1bOA", "down": "\x1bOB", "right": "\x1bOC", "left": "\x1bOD"}
EDIT_KEYS = {"delete": "\x1b[3~", "pageup": "\x1b[5~", "pagedown": "\x1b[6~"}
SS3_F1_F4 = {"f1": "\x1bOP", "f2": "\x1bOQ", "f3": "\x1bOR", "f4": "\x1bOS"}
TILDE_F1_F4 = {"f1": "\x1b[11~", "f2": "\x1b[12~", "f3": "\x1b[13~", "f4": "\x1b[14~"}
TILDE_F5_F10 = {
    "f5": "\x1b[15~",
    "f6": "\x1b[17~",
    "f7": "\x1b[18~",
    "f8": "\x1b[19~",
    "f9": "\x1b[20~",
    "f10": "\x1b[21~",
}
PUTTY_HOME_END = {"home": "\x1b[1~", "end": "\x1b[4~"}  # "Home and End keys: Standard"
XTERM_HOME_END = {"home": "\x1b[H", "end": "\x1b[F"}

PROFILES: dict[str, dict[str, str]] = {
    # PuTTY's defaults: Function keys "ESC[n~", Home/End "Standard", cursor keys normal
    "putty-default": {
        **TILDE_F1_F4,
        **TILDE_F5_F10,
        **PUTTY_HOME_END,
        **EDIT_KEYS,
        **ARROWS,
        **CONTROLS,
        "shift+tab": "\x1b[Z",
    },
    "putty-linux": {  # Function keys "Linux": F1–F5 as the Linux console's
        "f1": "\x1b[[A",
        "f2": "\x1b[[B",
        "f3": "\x1b[[C",
        "f4": "\x1b[[D",
        "f5": "\x1b[[E",
        **{k: v for k, v in TILDE_F5_F10.items() if k != "f5"},
    },
    "putty-xterm-r6": {**SS3_F1_F4, **TILDE_F5_F10},  # also "Xterm 216+" without modifiers
    "putty-vt400": {**TILDE_F1_F4, **TILDE_F5_F10},
    "putty-vt100+": {  # F5–F10 continue SS3 P–S: what Textual lacked
        **SS3_F1_F4,
        "f5": "\x1bOT",
        "f6": "\x1bOU",
        "f7": "\x1bOV",
        "f8": "\x1bOW",
        "f9": "\x1bOX",
        "f10": "\x1bOY",
    },
    # "Initial state of cursor keys: Application", and Backspace "Control-H"
    "putty-application-cursor-keys": {**APP_ARROWS, "backspace": "\x08"},
    # Windows OpenSSH in Windows Terminal or the Windows 10/11 console: the console's own VT
    # input (xterm's keys), modifiers as ESC[1;5P
    "windows-openssh": {
        **SS3_F1_F4,
        **TILDE_F5_F10,
        **XTERM_HOME_END,
        **EDIT_KEYS,
        **ARROWS,
        **CONTROLS,
        "shift+tab": "\x1b[Z",
        "ctrl+f1": "\x1b[1;5P",
        "ctrl+f5": "\x1b[15;5~",
        "ctrl+left": "\x1b[1;5D",
        "shift+home": "\x1b[1;2H",
    },
    # Windows OpenSSH on a console without VT input: its own table (tncon.h)
    "windows-openssh-own-table": {**SS3_F1_F4, **TILDE_F5_F10, **PUTTY_HOME_END, **EDIT_KEYS},
}

CASES = [
    pytest.param(sequence, key, id=f"{profile}:{key}")
    for profile, keys in PROFILES.items()
    for key, sequence in keys.items()
]


@pytest.fixture(params=["kitty-keys-off", "kitty-keys-on"])
def parsing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The launcher (deploy/frontdesk-desk) turns Textual's kitty keyboard parsing off; a desk
    started by hand has it on. Both must read the same keys."""
    monkeypatch.setattr(constants, "DISABLE_KITTY_KEY", request.param == "kitty-keys-off")
    return str(request.param)


def read(*reads: bytes) -> list[events.Key]:
    """The key events for what the terminal sent, one ``bytes`` per read of the terminal, decoded
    and parsed as Textual's Linux driver does; the input then ends (a lone ESC is Escape)."""
    decode = linux_driver.getincrementaldecoder("utf-8")().decode  # the desk's
    parser = XTermParser()
    # an empty decode (half a character) is not fed: the driver skips it, and "" ends a parser
    got = [event for data in reads if (text := decode(data)) for event in parser.feed(text)]
    got += parser.feed("")
    keys = [event for event in got if isinstance(event, events.Key)]
    assert len(keys) == len(got), f"not only keys: {got}"
    return keys


def names(keys: list[events.Key]) -> list[str]:
    return [key.key for key in keys]


# ---------------------------------------------------------------------------------- the keys


@pytest.mark.parametrize(("sequence", "key"), CASES)
def test_each_client_key_arrives_as_the_key(parsing: str, sequence: str, key: str) -> None:
    assert names(read(sequence.encode())) == [key]


def test_the_desk_binds_every_function_key_and_its_control_keys() -> None:
    """So each F-key and Ctrl+P / Ctrl+Q the clients send reaches one of the desk's actions."""
    bound = {binding.key: binding.action for binding in FrontdeskApp.BINDINGS}  # type: ignore[union-attr]
    for n in range(1, 11):
        assert f"f{n}" in bound, f"F{n} is not bound"
    assert bound["f1"] == "help"
    assert bound["f2"] == "switch_mode('residents')"
    assert bound["f5"] == "switch_mode('home')"
    assert bound["ctrl+p"] == "command_palette"
    assert bound["ctrl+q"] == "quit"


def test_vt100_plus_function_keys_are_registered_only_where_textual_had_none() -> None:
    registered = frontdesk.app_terminal_keys.EXTRA_SEQUENCES
    assert set(registered) == {f"\x1bO{c}" for c in "TUVWXY"}
    # Textual's own table, in a process where the desk has not added to it
    code = (
        "import sys; from textual._ansi_sequences import ANSI_SEQUENCES_KEYS as t; "
        "print(sorted(s for s in sys.argv[1:] if s in t))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *registered], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]", "Textual reads some of these itself now"
    frontdesk.app_terminal_keys.register()  # again: nothing changes
    assert [k.key for s in registered for k in read(s.encode())] == [f"f{n}" for n in range(5, 11)]


def test_keys_typed_fast_arrive_in_order(parsing: str) -> None:
    """Several keys in one read (a fast typist, a slow link): PuTTY's F2, a name, Tab, End."""
    keys = read(b"\x1b[12~wang\t\x1b[4~\x1bOT\r")
    assert names(keys) == ["f2", "w", "a", "n", "g", "tab", "end", "f5", "enter"]


# ------------------------------------------------------------------------- Chinese text input


def test_an_ime_commit_in_one_read_is_every_character(parsing: str) -> None:
    """An input method sends the chosen words at once: several UTF-8 characters in one read,
    a character outside the BMP among them (𠮷, in names), then Enter."""
    text = "王小明𠮷"
    keys = read((text + "\r").encode())
    assert [k.character for k in keys] == [*text, "\r"]
    assert all(k.is_printable for k in keys[:-1])
    assert keys[-1].key == "enter"


def test_a_character_split_across_two_reads_arrives_whole(parsing: str) -> None:
    data = "张三".encode()
    keys = read(data[:2], data[2:5], data[5:])
    assert [k.character for k in keys] == ["张", "三"]


def test_a_terminal_not_on_utf8_types_replacement_characters_and_the_desk_reads_on(
    parsing: str,
) -> None:
    """PuTTY left on GBK sends 张三 as D5 C5 C8 FD. Textual's driver decoded strictly, and the
    UnicodeDecodeError ended the desk; now each byte that is not UTF-8 reads as "�"."""
    keys = read("张三".encode("gbk"), b"a", b"\x1b[11~")
    assert set("".join(k.character or "" for k in keys[:-2])) == {"\ufffd"}
    assert names(keys[-2:]) == ["a", "f1"]


# ------------------------------------------------------------ what no table can make right


@pytest.mark.parametrize(
    ("setting", "sequence", "meant"),
    [
        ("SCO function keys: F1", "\x1b[M", "f1"),  # a mouse report's start
        ("SCO function keys: F3", "\x1b[O", "f3"),  # focus-out report
        ("SCO function keys: Page Up", "\x1b[I", "pageup"),  # focus-in report
        ("rxvt Home and End: End", "\x1bOw", "end"),  # keypad 7 (application keypad)
    ],
)
def test_the_putty_settings_deploy_readme_warns_of(
    parsing: str, setting: str, sequence: str, meant: str
) -> None:
    """These bytes already mean something else, so the desk cannot take them for the key: the
    README says to keep PuTTY's defaults for these two settings. If this fails, Textual now
    reads them, and the README can say so."""
    decode = codecs.getincrementaldecoder("utf-8")().decode
    parser = XTermParser()
    got = [*parser.feed(decode(sequence.encode())), *parser.feed("")]
    assert not any(isinstance(e, events.Key) and e.key == meant for e in got), setting


# ----------------------------------------------------------------------- a real terminal

START = 30.0  # seconds for the demo desk to start and make its community on a busy machine
STEP = 10.0
RECEPTION = ("desk-lj-1", "desk2026")


def press_bytes(pane: Pane, data: bytes) -> None:
    """The bytes a client sends, as they are: tmux writes them to the desk's terminal."""
    pane.tmux.run("send-keys", "-t", pane.id, "-H", *(f"{b:02x}" for b in data))


def press(pane: Pane, sequence: str) -> None:
    press_bytes(pane, sequence.encode())


def header(screen: str) -> str:
    return screen.split("\n", 1)[0]


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    server = Tmux()
    try:
        yield server
    finally:
        server.close()


def open_demo_desk(tmux: Tmux, name: str) -> Pane:
    """The demo desk in an 80×24 terminal with TERM=xterm, as PuTTY's; at its login."""
    desk = tmux.open(
        name,
        [frontdesk_command(), "--demo", "--residents", "60", "--lang", "zh"],
        term="xterm",
    )
    desk.wait_for("用户名", START)
    return desk


@pytest.mark.skipif(not tmux_available(), reason="needs tmux")
def test_putty_keys_at_the_desk(tmux: Tmux) -> None:
    """The demo desk driven by PuTTY's bytes: F2 (ESC[12~) the residents, F1 (ESC[11~) the
    help, and in PuTTY's VT100+ mode F5 (ESC O T) home — which, unread, typed "OT" into the
    residents' search box."""
    desk = open_demo_desk(tmux, "putty")
    user, password = RECEPTION
    desk.type(user)
    desk.wait_row("用户名", user)
    press(desk, "\r")
    desk.wait_cursor_on("密码")
    desk.type(password)
    desk.wait_row("密码", "•" * len(password))
    press(desk, "\r")
    desk.wait_until(lambda s: "未登录" not in header(s), "the sign-in", START)

    press(desk, "\x1b[12~")  # PuTTY's F2
    desk.wait_until(lambda s: "居民查询" in header(s), "F2: the residents", STEP)

    press(desk, "\x1b[11~")  # PuTTY's F1
    desk.wait_for("帮助 · 常用按键", STEP)
    press(desk, ESC)
    desk.wait_until(lambda s: "帮助 · 常用按键" not in s, "the help to close", STEP)

    press(desk, "\x1bOT")  # F5 in PuTTY's VT100+ mode
    desk.wait_until(lambda s: "首页" in header(s) and "今日概况" in s, "F5 (VT100+): home", STEP)

    press(desk, "\x11")  # Ctrl+Q
    assert desk.wait_exit(STEP) == 0


@pytest.mark.skipif(not tmux_available(), reason="needs tmux")
def test_typing_chinese_on_a_gbk_terminal_does_not_end_the_desk(tmux: Tmux) -> None:
    """PuTTY left on GBK: 张三 typed at the login arrives as D5 C5 C8 FD. The desk used to end
    with a traceback there; it shows "�" and goes on (F1 opens the help, Ctrl+Q quits)."""
    desk = open_demo_desk(tmux, "gbk")
    press_bytes(desk, "张三".encode("gbk") + b"x")
    desk.wait_row("用户名", "x")
    assert "\ufffd" in next(row for row in desk.lines() if "用户名" in row)
    press(desk, "\x1b[11~")  # PuTTY's F1
    desk.wait_for("帮助 · 常用按键", STEP)
    press(desk, ESC)
    desk.wait_until(lambda s: "帮助 · 常用按键" not in s, "the help to close", STEP)
    press(desk, "\x11")  # Ctrl+Q
    assert desk.wait_exit(STEP) == 0
