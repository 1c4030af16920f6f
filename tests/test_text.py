"""display(): no ambiguous-width character reaches the screen, so Chinese tables line up."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from frontdesk.widgets.text import display

# Ambiguous characters display() keeps on purpose: letters (a name stays as written), combining
# marks (zero cells everywhere) and private use (rare name characters in old data).
KEPT = ("Lu", "Ll", "Mn", "Co")

AMBIGUOUS = [
    chr(code)
    for code in range(0x110000)
    if unicodedata.east_asian_width(chr(code)) == "A" and unicodedata.category(chr(code)) != "Co"
]


def terminal_width(text: str, ambiguous: int = 1) -> int:
    """What a terminal draws: wide and fullwidth characters two cells, marks none, the rest one.

    Ambiguous characters count ``ambiguous`` cells: one in terminals left at their default, two
    in terminals (and fonts) set up for Chinese. The letters display() keeps count one: the
    program needs "ambiguous = narrow" anyway (Textual's borders are ambiguous box characters).
    """
    width = 0
    for ch in text:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        kind = unicodedata.east_asian_width(ch)
        width += 2 if kind in ("W", "F") else ambiguous if kind == "A" else 1
    return width


def surviving(text: str) -> list[str]:
    return [
        ch
        for ch in display(text)
        if unicodedata.east_asian_width(ch) == "A" and unicodedata.category(ch) not in KEPT
    ]


def test_the_middle_dot_of_names_becomes_fullwidth() -> None:
    assert display("阿依古丽·买买提") == "阿依古丽・买买提"
    assert cell_len(display("阿依古丽·买买提")) == 16
    assert display("阿依古丽•买买提") == display("阿依古丽‧买买提") == "阿依古丽・买买提"


def test_common_punctuation_and_symbols() -> None:
    assert display("他说“灯不亮了……”——很急") == '他说"灯不亮了......"--很急'
    assert display("‘a’") == "'a'"
    assert display("※ 体温38.5℃，室外-3°") == "＊ 体温38.5⁰C，室外-3⁰"
    assert display("±5 3×4 8÷2") == "+/-5 3x4 8/2"
    assert display("①②⑩⑳ ⑴ ⒈ Ⓐ") == "(1)(2)(10)(20) (1) 1. (A)"
    assert display("Ⅱ型糖尿病 ½ m²") == "II型糖尿病 1/2 m2"
    assert display("二○二六年 ●重点") == "二〇二六年 *重点"
    assert display("≤3 ≥5 ≠0 → ←") == "<=3 >=5 !=0 -> <-"


def test_text_without_ambiguous_characters_is_left_alone() -> None:
    for text in (
        "王秀英",
        "学府苑3-2-1001",
        "LJ-20261129-0007",
        "（东门）、。，！？：；「」《》",
        "",
    ):
        assert display(text) == text


def test_letters_marks_and_private_use_are_kept() -> None:
    assert display("Zoë José Иван Ωμέγα") == "Zoë José Иван Ωμέγα"
    assert display("e\u0301") == "e\u0301"
    assert display("\ue000伟") == "\ue000伟"


def test_variation_selectors_and_soft_hyphens_are_dropped() -> None:
    assert display("❤\ufe0f好") == "❤好"
    assert display("foot\u00adball") == "football"


def test_every_ambiguous_character_is_replaced_by_agreed_widths() -> None:
    for ch in AMBIGUOUS:
        shown = display(ch)
        assert not surviving(ch), f"U+{ord(ch):04X} {ch!r} → {shown!r}"
        assert cell_len(shown) == terminal_width(shown), f"U+{ord(ch):04X} {ch!r} → {shown!r}"
        assert "[" not in shown and "]" not in shown  # never markup


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
CJK_PUNCTUATION = st.characters(min_codepoint=0x3000, max_codepoint=0x303F)
FULLWIDTH = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF60)
ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
LETTERS = st.characters(
    min_codepoint=0xC0, max_codepoint=0x4FF, categories=("Lu", "Ll"), exclude_characters="×÷"
)
TEXT = st.text(
    st.one_of(CJK, CJK_PUNCTUATION, FULLWIDTH, ASCII, LETTERS, st.sampled_from(AMBIGUOUS)),
    max_size=40,
)


@given(TEXT)
def test_no_ambiguous_character_survives(text: str) -> None:
    assert surviving(text) == []


@given(TEXT)
def test_rich_measures_what_the_terminal_draws(text: str) -> None:
    shown = display(text)
    assert cell_len(shown) == terminal_width(shown)


@given(TEXT)
def test_display_is_idempotent(text: str) -> None:
    assert display(display(text)) == display(text)


@given(st.lists(st.text(st.one_of(CJK, st.sampled_from(AMBIGUOUS)), max_size=8), min_size=2))
def test_a_table_of_names_lines_up(names: list[str]) -> None:
    """In a Rich table of displayed names the next column starts at the same terminal column,
    whether the terminal draws ambiguous characters one or two cells wide."""
    table = Table("姓名", "编号", box=None, show_header=False)
    for i, name in enumerate(names):
        table.add_row(display(name), str(i))
    console = Console(width=200, color_system=None, record=True)
    console.print(table)
    lines = console.export_text().splitlines()
    assert len(lines) == len(names)
    starts = {terminal_width(line.rstrip()[: -len(str(i))]) for i, line in enumerate(lines)}
    assert len(starts) == 1


def test_sixteen_colour_terminals_get_the_ansi_theme() -> None:
    from frontdesk.screens.base.theme import few_colours

    assert few_colours({"TERM": "xterm"})
    assert few_colours({"TERM": "linux"})
    assert few_colours({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"})
    assert not few_colours({"TERM": "xterm-256color"})
    assert not few_colours({"TERM": "xterm", "COLORTERM": "truecolor"})
    assert not few_colours({"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "256"})
    assert not few_colours({})
