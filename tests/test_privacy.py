"""Masking, sensitive tags and revealing a value with a reason (one audit entry each)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from peewee import SqliteDatabase

from frontdesk import audit
from frontdesk.db.models import AuditEntry, Resident, Staff
from frontdesk.errors import UserError
from frontdesk.masking import STAR, mask_id, mask_numbers_in, mask_phone, visible_tags
from frontdesk.residents.privacy import REVEAL_REASONS, reveal
from frontdesk.vocabulary import ResidentStatus, Role
from tests.conftest import DEMO_NOW
from tests.roles import staff_of

# -- masking -------------------------------------------------------------------------------------


def test_mask_examples() -> None:
    assert mask_id("14110219800101123X") == "141102********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0358-1234567") == "0358-****567"
    assert mask_phone("03581234567") == "0358****567"
    assert mask_phone("010-12345678") == "010-****5678"
    assert mask_phone(None) == mask_phone("") == mask_id(None) == ""
    assert mask_phone("1234") == "****"
    assert mask_phone("12345") == "****5"
    assert mask_id("1234567") == "*******"
    assert mask_id("E12345678") == "E1*****78"  # a passport: not the first 6 of 9
    assert mask_id("H1234567801") == "H1*******01"  # a home-return permit
    assert mask_id("12345678") == "12****78"  # a Taiwan residents' permit
    assert mask_numbers_in("迁往柳林县，电话 19278803791") == "迁往柳林县，电话 192****3791"
    assert mask_numbers_in("随家人迁往太原市") == "随家人迁往太原市"


def _shown(original: str, masked: str) -> list[int]:
    """Positions of ``masked`` showing a character of ``original`` (and checks the layout)."""
    assert len(masked) == len(original)
    for mine, theirs in zip(masked, original, strict=True):
        assert mine in (STAR, theirs)
    return [i for i, ch in enumerate(masked) if ch != STAR or original[i] == STAR]


ID_LIKE = st.text(alphabet="0123456789X", min_size=0, max_size=24)
ANY_TEXT = st.text(max_size=30)


@given(st.one_of(ID_LIKE, ANY_TEXT))
def test_mask_id_shows_at_most_the_first_6_and_last_4(text: str) -> None:
    masked = mask_id(text)
    shown = [i for i in _shown(text, masked) if text[i] != STAR]
    n = len(text)
    assert all(i < 6 or i >= n - 4 for i in shown)
    assert len(shown) <= min(10, n * 7 // 12)
    if n == 18:
        assert masked[6:14] == STAR * 8
    elif n >= 8:  # any other document number: at most its first 2 and last 2
        assert all(i < 2 or i >= n - 2 for i in shown)
        assert masked[2 : n - 2] == STAR * (n - 4)


PHONE_LIKE = st.text(alphabet="0123456789-", max_size=16)


@given(st.one_of(PHONE_LIKE, ANY_TEXT, st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)))
def test_mask_phone_hides_at_least_four_and_shows_at_most_eight(text: str) -> None:
    masked = mask_phone(text)
    shown = [i for i in _shown(text, masked) if text[i] not in (STAR, "-")]
    assert masked.count(STAR) >= min(len(text), 4)
    assert len(shown) <= 8


@given(st.text(alphabet=st.sampled_from("0123456789-X 电话迁往，"), max_size=40))
def test_numbers_in_free_text_lose_their_middle(text: str) -> None:
    masked = mask_numbers_in(text)
    assert len(masked) == len(text)
    assert not re.search(r"[0-9]{7}", masked)


@dataclass(frozen=True)
class _Tag:
    code: str
    sensitive: bool


def test_sensitive_tags_are_counted_not_shown() -> None:
    tags = [_Tag("party_member", False), _Tag("disabled", True), _Tag("subsistence", True)]
    masked = visible_tags(tags)
    assert [t.code for t in masked.shown] == ["party_member"] and masked.hidden == 2
    revealed = visible_tags(tags, revealed=True)
    assert len(revealed.shown) == 3 and revealed.hidden == 0
    assert visible_tags([]).hidden == 0


# -- revealing -----------------------------------------------------------------------------------


def _actor() -> int:
    return int(Staff.select(Staff.id).where(Staff.role == Role.RECEPTION).scalar())


def _living_with_phone() -> Resident:
    return (
        Resident.select()
        .where((Resident.status == ResidentStatus.LIVING) & Resident.phone.is_null(False))
        .order_by(Resident.id)
        .first()
    )


def test_reveal_id_number_records_one_entry(demo_copy: SqliteDatabase) -> None:
    person = _living_with_phone()
    before = AuditEntry.select().count()
    value = reveal(
        person.id,
        "id_number",
        "",
        choice="reveal.reason.police",
        actor_id=_actor(),
        now=DEMO_NOW,
    )
    assert value == person.id_number
    assert AuditEntry.select().count() == before + 1
    [entry] = audit.entries_for("resident", person.id)
    assert entry.action == "resident.reveal_id_number"
    assert entry.reason == "reveal.reason.police"
    assert entry.detail == {"field": "id_number", "choice": "reveal.reason.police", "text": ""}


@pytest.mark.parametrize(
    ("reason", "choice"),
    [("", None), ("   ", None), ("", "reveal.reason.other"), (" ", "reveal.reason.other")],
)
def test_reveal_needs_a_reason(demo_copy: SqliteDatabase, reason: str, choice: str | None) -> None:
    person = _living_with_phone()
    before = AuditEntry.select().count()
    with pytest.raises(UserError) as caught:
        reveal(person.id, "phone", reason, choice=choice, actor_id=_actor(), now=DEMO_NOW)
    assert caught.value.key == "reveal.reason_required"
    assert AuditEntry.select().count() == before


def test_reveal_free_text_alone_is_enough(demo_copy: SqliteDatabase) -> None:
    person = _living_with_phone()
    assert reveal(person.id, "phone", "核对信息", actor_id=staff_of(), now=DEMO_NOW) == person.phone
    [entry] = audit.entries_for("resident", person.id)
    assert entry.reason == "核对信息" and entry.actor_id == staff_of()


def test_reveal_forwarding_contact_of_a_former_resident(demo_copy: SqliteDatabase) -> None:
    former = (
        Resident.select()
        .where((Resident.status == ResidentStatus.MOVED_OUT) & (Resident.forwarding_contact != ""))
        .first()
    )
    value = reveal(
        former.id,
        "forwarding_contact",
        "老邻居来访寻人",
        choice="reveal.reason.family",
        actor_id=_actor(),
        now=DEMO_NOW,
    )
    assert value == former.forwarding_contact
    assert (
        audit.entries_for("resident", former.id)[0].action == "resident.reveal_forwarding_contact"
    )


def test_nothing_to_reveal_and_no_one(demo_copy: SqliteDatabase) -> None:
    phoneless = Resident.select().where(Resident.phone.is_null()).first()
    with pytest.raises(UserError) as caught:
        reveal(phoneless.id, "phone", "联系", actor_id=staff_of(), now=DEMO_NOW)
    assert caught.value.key == "reveal.nothing_to_reveal"
    with pytest.raises(UserError) as caught:
        reveal(10**9, "phone", "联系", actor_id=staff_of(), now=DEMO_NOW)
    # no such person is refused like one of another community: a guess learns nothing
    assert caught.value.key == "perm.denied_scope"
    assert audit.entries_for("resident", phoneless.id) == []


def test_reveal_reasons_are_catalog_keys() -> None:
    assert all(key.startswith("reveal.reason.") for key in REVEAL_REASONS)
    assert REVEAL_REASONS[-1] == "reveal.reason.other"
    with pytest.raises(ValueError):
        reveal(1, "phone", "x", choice="reveal.reason.nonsense", actor_id=staff_of(), now=DEMO_NOW)
