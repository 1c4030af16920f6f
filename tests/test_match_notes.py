"""Why a person was found and which of two of the same name (issue 12, points 9 and 19): the
texts the lists show beside each person found, computed without Textual."""

from __future__ import annotations

import re
from datetime import date

from peewee import SqliteDatabase

from frontdesk import i18n
from frontdesk.db.models import Resident
from frontdesk.masking import mask_id
from frontdesk.residents.search import ResidentHit
from frontdesk.residents.search import search_everywhere as search
from frontdesk.search.listing import match_note, notes, phone_span, shared_names, twin_note

TODAY = date(2026, 12, 2)


def test_a_phone_fragment_says_phone_and_only_the_digits_typed(demo_db: SqliteDatabase) -> None:
    result = search("4332", today=TODAY)
    by_phone = [hit for hit in result.hits if hit.matched == "phone"]
    assert by_phone
    for hit in by_phone:
        assert match_note(hit, "4332") == "电话含4332"
    i18n.set_language("en")
    assert match_note(by_phone[0], "4332") == "phone has 4332"


def test_an_id_tail_says_id_and_shows_nothing_more_than_typed(demo_db: SqliteDatabase) -> None:
    person = Resident.select().where(Resident.id_number.is_null(False)).order_by(Resident.id).get()
    typed = str(person.id_number)[-6:]
    hit = next(h for h in search(typed, today=TODAY).hits if h.id == person.id)
    assert hit.matched == "id"
    note = match_note(hit, typed)
    assert note == f"身份证尾号{typed.upper()}"
    assert set(re.findall(r"[0-9X]+", note)) == {typed.upper()}  # no digit beyond those typed


def test_a_name_found_has_no_match_note(demo_db: SqliteDatabase) -> None:
    hit = search("王芳", today=TODAY).hits[0]
    assert hit.matched == "name"
    assert match_note(hit, "王芳") == ""


def test_filter_words_are_not_part_of_the_fragment(demo_db: SqliteDatabase) -> None:
    hit = next(h for h in search("4332", today=TODAY).hits if h.matched == "phone")
    assert match_note(hit, "4332 2-1网格") == "电话含4332"


def test_the_typed_digits_are_pointed_at_only_where_the_mask_shows_them(
    demo_db: SqliteDatabase,
) -> None:
    phones = Resident.select().where(Resident.phone.startswith("1")).order_by(Resident.id)
    person = next(p for p in phones if p.phone and len(p.phone) == 11)
    phone = str(person.phone)
    tail, middle = phone[-4:], phone[3:7]  # 195****4332: shown, hidden

    def found(query: str) -> ResidentHit:
        return next(h for h in search(query, today=TODAY, limit=500).hits if h.id == person.id)

    assert found(tail).matched == "phone" and phone_span(found(tail), tail) == (7, 11)
    assert found(middle).matched == "phone"
    assert phone_span(found(middle), middle) is None  # where under the mask: not said
    assert match_note(found(middle), middle) == f"电话含{middle}"


def test_the_hit_carries_the_id_end_its_mask_shows(demo_db: SqliteDatabase) -> None:
    for hit in search("王芳", today=TODAY).hits:
        id_number = Resident.get_by_id(hit.id).id_number
        assert hit.id_tail == mask_id(id_number)[-4:]
        assert len(hit.id_tail) == 4 and hit.id_tail not in mask_id(id_number)[:-4].strip("*")


def test_namesakes_in_one_answer_show_their_id_ends(demo_db: SqliteDatabase) -> None:
    hits = search("王芳", today=TODAY).hits
    assert len(hits) >= 2 and len({h.name for h in hits}) == 1
    assert shared_names(hits) == {h.id for h in hits}
    said = notes(hits, "王芳")
    for hit in hits:
        assert said[hit.id] == f"身份证尾号{hit.id_tail}" == twin_note(hit)
    assert len({said[h.id] for h in hits}) == len(hits)  # they tell them apart


def test_a_name_alone_in_its_answer_has_no_note(demo_db: SqliteDatabase) -> None:
    hits = search("王芳", today=TODAY).hits[:1]
    assert shared_names(hits) == frozenset()
    assert notes(hits, "王芳") == {hits[0].id: ""}


def test_namesakes_found_by_phone_say_both(demo_db: SqliteDatabase) -> None:
    hits = search("王芳", today=TODAY).hits
    twins = [hit.__class__(**{**hit.__dict__, "matched": "phone"}) for hit in hits]
    fragment = twins[0].phone[-4:]
    said = notes(twins, fragment)
    assert said[twins[0].id] == f"电话含{fragment} 身份证尾号{twins[0].id_tail}"
