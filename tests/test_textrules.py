"""The free-text rules (textrules): names, limits, and text leaving the program safely (CSV cells,
the command line's output)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.textrules import (
    FORMULA_STARTS,
    LIMITS,
    NAME,
    NAME_DOTS,
    NOTE,
    REASON,
    TITLE,
    csv_cell,
    csv_writer,
    name_problem,
    printable,
    printable_json,
    text_problem,
)

# -- names ----------------------------------------------------------------------------------------

REAL_NAMES = [
    "王芳",
    "欧阳娜娜",
    "阿卜杜热合曼·买买提明",
    "阿依古丽·买买提",
    "热依拉•吐尔逊",  # the bullet a phone keyboard gives for the 间隔号
    "古丽娜尔・艾山",  # the katakana middle dot
    "米热古丽‧阿不都",
    "Maria Lopez",
    "Zoë Ångström",
    "José María",
    "Nguyễn Thị Minh",
    "Мария Иванова",
    "김민수",
    "李〇",
    "𠀾晓明",  # a CJK Extension B character, as a rare name character
    "e\u0301lise",  # a combining accent
    "Nguye\u0302\u0303n",  # two combining marks on one letter (ễ decomposed)
    "阿卜杜热合曼·买买提明",
    "\U0002a700\U00030000",  # CJK Extensions C and G
]


@pytest.mark.parametrize("name", REAL_NAMES)
def test_realistic_names_are_accepted(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("王\x1b]0;pwned\x07芳", "text.control"),
        ("王芳\n", None),  # an outer line break is whitespace, stripped
        ("王\n芳", "text.control"),
        ("王\u202e芳", "text.control"),  # right-to-left override
        ("王芳😀", "text.name_char"),
        ("王芳\u2764\ufe0f", "text.name_char"),
        ("王芳2", "text.name_char"),
        ("王芳(临时)", "text.name_char"),
        ("=HYPERLINK(1)", "text.name_char"),
        ("王  芳", "text.name_separator"),
        ("·王芳", "text.name_separator"),
        ("阿依古丽··买买提", "text.name_separator"),
        ("阿依古丽· 买买提", "text.name_separator"),
        ("王" * 31, "validation.name_too_long"),
        # invisible: once each of these was accepted as a name
        ("\u3164\u3164", "text.name_char"),  # Hangul fillers: a name that looks empty
        ("\u115f\u1160", "text.name_char"),
        ("王\uffa0明", "text.name_char"),
        ("王\u034f明", "text.name_char"),  # combining grapheme joiner: looks like 王明
        ("王" + "\u0301" * 28, "text.name_marks"),  # 28 accents piled on one letter
        ("e\u0301\u0302\u0303lise", "text.name_marks"),
        ("王\u200b明", "text.control"),  # zero-width space
        ("王\u200d明", "text.control"),  # zero-width joiner
        ("王\u2060明", "text.control"),  # word joiner
        ("王\ufeff明", "text.control"),
        ("Jos\u00ade", "text.control"),  # soft hyphen
    ],
)
def test_what_a_name_cannot_hold(name: str, key: str | None) -> None:
    problem = name_problem(name)
    assert (problem.key if problem else None) == key


def test_a_name_message_never_shows_the_control_character_itself() -> None:
    problem = name_problem("王\x1b芳")
    assert problem is not None
    assert problem.params["char"] == "U+001B"
    assert "\x1b" not in problem.text()


LETTER = st.characters(categories=["Lu", "Ll", "Lo"], exclude_characters="\u3164\u115f\u1160\uffa0")
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
WORD = st.text(st.one_of(LETTER, CJK), min_size=1, max_size=8)
SEPARATOR = st.sampled_from([" ", *sorted(NAME_DOTS)])


@st.composite
def names(draw: st.DrawFn) -> str:
    """Words of letters joined by one space or one middle dot."""
    words = draw(st.lists(WORD, min_size=1, max_size=4))
    out = words[0]
    for word in words[1:]:
        out += draw(SEPARATOR) + word
    return out


@given(names())
def test_any_name_of_letters_and_single_separators_fits_the_rule_or_is_too_long(
    name: str,
) -> None:
    problem = name_problem(name)
    if len(name) <= NAME.max:
        assert problem is None, (name, problem)
    else:
        assert problem is not None and problem.key == "validation.name_too_long"


CONTROL = st.characters(categories=["Cc"])
EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF).filter(
    lambda c: unicodedata.category(c) == "So"
)
DIGIT_OR_PUNCTUATION = st.characters(categories=["Nd", "Po", "Ps", "Pe", "Sm", "Sc"]).filter(
    lambda c: c not in NAME_DOTS
)


@given(names(), st.one_of(CONTROL, EMOJI, DIGIT_OR_PUNCTUATION), st.integers(0, 40))
def test_a_control_character_emoji_digit_or_punctuation_is_refused_anywhere(
    name: str, bad: str, where: int
) -> None:
    where = min(where, len(name))
    spoilt = "王" + name[:where] + bad + name[where:] + "王"  # inside: strip() cannot take it
    assert name_problem(spoilt) is not None


@given(st.integers(NAME.max + 1, 300))
def test_a_name_over_30_characters_is_refused_with_its_length(length: int) -> None:
    problem = name_problem("王" * length)
    assert problem is not None
    assert problem.key == "validation.name_too_long"
    assert problem.params == {"max": NAME.max, "length": length}


# -- limits ---------------------------------------------------------------------------------------


def test_the_limits_table() -> None:
    assert {kind: limit.max for kind, limit in LIMITS.items()} == {
        "name": 30,
        "title": 60,
        "reason": 200,
        "line": 200,
        "note": 2000,
    }
    assert [k for k, limit in LIMITS.items() if limit.multiline] == ["note"]


@pytest.mark.parametrize("limit", [TITLE, REASON, NOTE])
def test_a_text_at_its_limit_passes_and_one_more_character_is_refused(limit: object) -> None:
    from frontdesk.textrules import Limit

    assert isinstance(limit, Limit)
    assert text_problem("字" * limit.max, limit) is None
    problem = text_problem("字" * (limit.max + 1), limit)
    assert problem is not None and problem.key == "text.too_long"
    assert problem.params == {"max": limit.max, "length": limit.max + 1}


def test_notes_keep_lines_but_no_other_control_character() -> None:
    assert text_problem("第一行\n第二行", NOTE) is None
    for bad in ("\r", "\t", "\x1b", "\x00", "\x9b", "\u2028", "\u202e"):
        problem = text_problem(f"第一行{bad}第二行", NOTE)
        assert problem is not None, repr(bad)
    one_line = text_problem("标题\n第二行", TITLE)
    assert one_line is not None and one_line.key == "text.one_line"


def test_a_hidden_mark_message_shows_its_code_point_not_the_blank() -> None:
    problem = name_problem("\u3164\u3164")
    assert problem is not None and problem.params["char"] == "U+3164"


@pytest.mark.parametrize("limit", [TITLE, REASON, NOTE])
@pytest.mark.parametrize(
    "hidden",
    ["\U000e0041\U000e0042", "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"],
)
def test_no_text_holds_a_format_character(limit: object, hidden: str) -> None:
    """Once: a title of tag characters (U+E0041 ...) or a zero-width space was accepted."""
    from frontdesk.textrules import Limit

    assert isinstance(limit, Limit)
    problem = text_problem(f"周三{hidden}书法班", limit)
    assert problem is not None and problem.key == "text.control"
    assert problem.params["char"] == f"U+{ord(hidden[0]):04X}"
    assert text_problem(hidden, limit) is not None  # alone: not an "empty" text either


@given(st.text(max_size=300))
def test_a_text_passes_only_when_within_its_limit_and_free_of_controls(text: str) -> None:
    problem = text_problem(text, REASON)
    value = text.strip()
    clean = not any(unicodedata.category(c) in {"Cc", "Cf", "Cs", "Zl", "Zp"} for c in value)
    if problem is None:
        assert len(value) <= REASON.max and clean
    elif problem.key == "text.too_long":
        assert len(value) > REASON.max


# -- CSV ------------------------------------------------------------------------------------------


def test_the_reveal_reason_from_the_issue_is_no_formula() -> None:
    assert csv_cell('=HYPERLINK("http://x","点我")') == '\'=HYPERLINK("http://x","点我")'
    assert csv_cell("+1") == "'+1"
    assert csv_cell("-1+2") == "'-1+2"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("\t=1") == "'\t=1"
    assert csv_cell("\r=1") == "'\r=1"
    assert csv_cell("联系邻居") == "联系邻居"
    assert csv_cell("a=b") == "a=b"
    assert csv_cell(12) == 12 and csv_cell(None) is None and csv_cell("") == ""


@given(st.text(max_size=40))
def test_an_escaped_cell_never_starts_a_formula_and_loses_nothing(text: str) -> None:
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_STARTS)
    if text.startswith(FORMULA_STARTS):
        assert cell == "'" + text
    else:
        assert cell == text


@given(st.lists(st.one_of(st.text(max_size=20), st.integers(-5, 5)), min_size=1, max_size=6))
def test_the_csv_writer_escapes_every_cell_and_reads_back(row: list[object]) -> None:
    out = io.StringIO()
    csv_writer(out).writerow(row)
    read = next(csv.reader(io.StringIO(out.getvalue())))
    assert read == [str(csv_cell(cell)) for cell in row]
    texts = [cell for cell, given in zip(read, row, strict=True) if isinstance(given, str)]
    assert not any(cell.startswith(FORMULA_STARTS) for cell in texts)  # a number stays one


# -- the command line -----------------------------------------------------------------------------


def test_printable_makes_an_escape_sequence_harmless() -> None:
    shown = printable("王\x1b]0;pwned\x07芳\x9b31m")
    assert shown == "王␛]0;pwned␇芳\ufffd31m"
    assert printable("阿依古丽·买买提 3-2-1001") == "阿依古丽·买买提 3-2-1001"


@given(st.text(max_size=40))
def test_printed_text_holds_no_control_character(text: str) -> None:
    shown = printable(text)
    assert not any(unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in shown)
    assert len(shown) == len(text)


@given(st.dictionaries(st.text(max_size=5), st.text(max_size=20), max_size=3))
def test_printed_json_is_the_same_value_without_control_characters(value: dict[str, str]) -> None:
    line = printable_json(value)
    assert json.loads(line) == value
    assert not any(unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in line)
