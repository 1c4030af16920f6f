"""The demo generator: exact sizes, coherent people, places, bookings and requests."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk import idcards
from frontdesk.auth.passwords import verify_password
from frontdesk.db.connection import open_database
from frontdesk.demo import SETTING_ACCOUNTS, DemoOptions, DemoSummary, generate
from frontdesk.errors import UserError

TODAY = dt.date(2026, 11, 29)
NOW = dt.datetime(2026, 11, 29, 8, 0)


def make_demo(path: Path, *, residents: int, seed: int = 7) -> DemoSummary:
    db = open_database(path, create=True, now=lambda: NOW)
    try:
        return generate(DemoOptions(seed=seed, residents=residents, today=TODAY))
    finally:
        db.close()


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def age(birth: str, on: dt.date = TODAY) -> int:
    born = day(birth)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoSummary, Path]]:
    path = tmp_path_factory.mktemp("demo") / "community.db"
    summary = make_demo(path, residents=7982)
    yield summary, path


@pytest.fixture(scope="module")
def conn(community: tuple[DemoSummary, Path]) -> Iterator[sqlite3.Connection]:
    connection = connect(community[1])
    yield connection
    connection.close()


# -- invariants every generated database keeps ------------------------------------------------


def check_invariants(conn: sqlite3.Connection) -> None:
    check_people(conn)
    check_tags(conn)
    check_places(conn)
    check_bookings(conn)
    check_requests(conn)


def check_people(conn: sqlite3.Connection) -> None:
    residents = conn.execute("SELECT * FROM resident").fetchall()
    households = {row["id"]: row for row in conn.execute("SELECT * FROM household")}
    members: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in residents:
        members[row["household_id"]].append(row)

    # One living head in every active household; moved-out households moved out together.
    for household_id, household in households.items():
        people = members[household_id]
        if household["status"] == "active":
            heads = [p for p in people if p["relation"] == "head" and p["status"] == "living"]
            assert len(heads) == 1, household["number"]
        else:
            assert household["moved_out_on"] is not None
            assert {p["status"] for p in people} == {"moved_out"}
            assert all(p["moved_out_on"] == household["moved_out_on"] for p in people)

    # ID numbers: valid, unique, carrying the birth date and the gender.
    ids = [row["id_number"] for row in residents]
    assert None not in ids
    assert len(set(ids)) == len(ids)
    for row in residents:
        number = row["id_number"]
        assert idcards.is_valid(number), number
        assert idcards.birth_date(number) == day(row["birth_date"])
        assert idcards.is_male(number) == (row["gender"] == "M")

    # Phones: 11-digit mobiles, unique over residents and staff; no phone for children.
    phones = [row["phone"] for row in residents if row["phone"]]
    phones += [row[0] for row in conn.execute("SELECT phone FROM staff")]
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"1[3-9]\d{9}", phone) for phone in phones)
    for row in residents:
        if row["status"] == "living" and age(row["birth_date"]) < 14:
            assert row["phone"] is None

    # Relations make sense by age and gender.
    for household_id, people in members.items():
        head = next(p for p in people if p["relation"] == "head")
        head_born = day(head["birth_date"])
        for person in people:
            born = day(person["birth_date"])
            years = (born - head_born).days / 365.2425  # positive: younger than the head
            relation = person["relation"]
            if relation == "spouse":
                assert person["gender"] != head["gender"], household_id
                assert abs(years) <= 8, household_id
            elif relation == "child":
                assert 18 <= years <= 45, (household_id, years)
            elif relation == "parent":
                assert 20 <= -years <= 45, (household_id, years)
            elif relation == "grandchild":
                assert years >= 40, (household_id, years)

    # Former residents: dates and forwarding contacts; history rows for everyone.
    for row in residents:
        assert row["moved_in_on"] >= row["birth_date"]
        assert row["moved_in_on"] <= TODAY.isoformat()
        if row["status"] == "moved_out":
            assert row["moved_in_on"] <= row["moved_out_on"] < TODAY.isoformat()
            assert row["forwarding_contact"]
        if row["status"] == "deceased":
            assert row["birth_date"] < row["died_on"] < TODAY.isoformat()
    moves = Counter((row[0], row[1]) for row in conn.execute("SELECT resident_id, kind FROM move"))
    for row in residents:
        assert moves[(row["id"], "move_in")] == 1
        assert moves[(row["id"], "move_out")] == (row["status"] == "moved_out")
        assert moves[(row["id"], "death")] == (row["status"] == "deceased")


def tags_by_resident(conn: sqlite3.Connection) -> dict[int, set[str]]:
    tags: dict[int, set[str]] = defaultdict(set)
    for resident_id, code in conn.execute(
        "SELECT rt.resident_id, t.code FROM resident_tag rt JOIN tag t ON t.id = rt.tag_id"
    ):
        tags[resident_id].add(code)
    return tags


def check_tags(conn: sqlite3.Connection) -> None:
    tags = tags_by_resident(conn)
    residents = {row["id"]: row for row in conn.execute("SELECT * FROM resident")}
    living_in: Counter[int] = Counter(
        row["household_id"] for row in residents.values() if row["status"] == "living"
    )
    for resident_id, row in residents.items():
        codes = tags.get(resident_id, set())
        if row["status"] != "living":
            assert not codes
            continue
        years = age(row["birth_date"])
        assert ("elderly_80" in codes) == (years >= 80), resident_id
        assert ("floating" in codes) == (not row["id_number"].startswith("141102"))
        if "left_behind_child" in codes:
            assert years < 18
            others = [
                r
                for r in residents.values()
                if r["household_id"] == row["household_id"] and r["status"] == "living"
            ]
            assert not any(r["relation"] == "child" and age(r["birth_date"]) >= 18 for r in others)
        if "elderly_alone" in codes:
            assert years >= 60 and living_in[row["household_id"]] == 1
        if "elderly_alone_no_kin" in codes:
            assert "elderly_alone" in codes
        if "veteran" in codes:
            assert row["gender"] == "M" and years >= 18
        if "party_member" in codes:
            assert years >= 18
    sensitive = dict(conn.execute("SELECT code, sensitive FROM tag").fetchall())
    assert len(sensitive) == 11
    assert {code for code, value in sensitive.items() if not value} == {"veteran", "party_member"}


def check_places(conn: sqlite3.Connection) -> None:
    building_grids = conn.execute(
        """SELECT b.id, count(DISTINCT f.grid_l4_id) FROM building b
           JOIN unit u ON u.building_id = b.id JOIN flat f ON f.unit_id = u.id GROUP BY b.id"""
    ).fetchall()
    assert building_grids and all(count == 1 for _, count in building_grids)
    empty_grids = conn.execute(
        """SELECT count(*) FROM grid_l4 g
           WHERE NOT EXISTS (SELECT 1 FROM flat WHERE grid_l4_id = g.id)"""
    ).fetchone()[0]
    assert empty_grids == 0
    bad = conn.execute(
        """SELECT count(*) FROM flat f JOIN unit u ON u.id = f.unit_id
           JOIN building b ON b.id = u.building_id
           WHERE f.number != f.floor * 100 + f.position
              OR f.floor > b.floors OR f.position > u.flats_per_floor"""
    ).fetchone()[0]
    assert bad == 0
    for kind, floors, units, per_floor in conn.execute(
        """SELECT b.kind, b.floors, count(u.id), max(u.flats_per_floor) FROM building b
           JOIN unit u ON u.building_id = b.id GROUP BY b.id"""
    ):
        if kind == "walkup":
            assert floors == 6 and 2 <= units <= 3 and per_floor == 2
        else:
            assert 11 <= floors <= 18 and 1 <= units <= 2 and 2 <= per_floor <= 4
    # Managers each hold one grid; a level-3 leader manages one of its own level-4 grids.
    managers = [row[0] for row in conn.execute("SELECT manager_id FROM grid_l4")]
    assert None not in managers and len(set(managers)) == len(managers)
    roles = dict(conn.execute("SELECT id, role FROM staff").fetchall())
    assert {roles[m] for m in managers} == {"grid_manager"}
    assert sum(1 for role in roles.values() if role == "grid_manager") == len(managers)
    for l3_id, leader in conn.execute("SELECT id, leader_id FROM grid_l3"):
        own = {
            row[0]
            for row in conn.execute("SELECT manager_id FROM grid_l4 WHERE grid_l3_id = ?", (l3_id,))
        }
        assert leader in own


def minutes(value: str) -> int:
    hours, mins = value.split(":")[:2]
    return int(hours) * 60 + int(mins)


def check_bookings(conn: sqlite3.Connection) -> None:
    rooms = {row["id"]: row for row in conn.execute("SELECT * FROM room")}
    hours: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for row in conn.execute("SELECT room_id, weekday, opens, closes FROM opening_hours"):
        hours[(row[0], row[1])].append((minutes(row[2]), minutes(row[3])))
    live: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    bookings = conn.execute("SELECT * FROM booking").fetchall()
    assert bookings
    for row in bookings:
        room = rooms[row["room_id"]]
        start, end = moment(row["starts_at"]), moment(row["ends_at"])
        assert start.date() == end.date()
        assert row["attendees"] <= room["capacity"]
        assert (end - start).total_seconds() / 60 <= room["max_booking_minutes"]
        first, last = start.hour * 60 + start.minute, end.hour * 60 + end.minute
        assert any(
            opens <= first and last <= closes
            for opens, closes in hours[(row["room_id"], start.weekday())]
        ), (room["code"], row["starts_at"])
        if row["status"] != "cancelled":
            live[row["room_id"]].append((start, end))
        if row["status"] == "checked_in":
            assert row["checked_in_at"] and end <= NOW
        if row["status"] == "cancelled":
            assert row["cancelled_at"] and row["cancel_reason"]
        if row["status"] == "booked":
            assert end > NOW
        if row["booker_kind"] == "resident":
            assert row["resident_id"] is not None
    for intervals in live.values():
        intervals.sort()
        for (_, end), (start, _) in pairwise(intervals):
            assert end <= start
    closures = conn.execute(
        "SELECT room_id, starts_at, ends_at FROM closure WHERE lifted_at IS NULL"
    )
    for room_id, starts, ends in closures.fetchall():
        for row in bookings:
            if row["status"] == "cancelled" or (room_id and row["room_id"] != room_id):
                continue
            assert not (row["starts_at"] < ends and starts < row["ends_at"])

    homework = conn.execute(
        """SELECT s.* FROM booking_series s JOIN room r ON r.id = s.room_id
           WHERE r.code = 'homework' AND s.title = '四点半课堂'"""
    ).fetchone()
    assert homework is not None
    assert homework["weekdays"] == "01234"
    assert homework["start_time"].startswith("16:30") and homework["end_time"].startswith("18:30")
    occurrences = conn.execute(
        "SELECT occurrence_date, starts_at FROM booking WHERE series_id = ?", (homework["id"],)
    ).fetchall()
    assert len(occurrences) >= 15
    for occurrence, starts in occurrences:
        assert day(occurrence).weekday() < 5 and starts.startswith(occurrence)
    assert conn.execute("SELECT count(*) FROM series_exception").fetchone()[0] >= 1


def check_requests(conn: sqlite3.Connection) -> None:
    rules = {
        (row[0], row[1]): float(row[2])
        for row in conn.execute("SELECT category_id, urgency, hours FROM due_rule")
    }
    assert len(rules) == 11 * 3
    codes = dict(conn.execute("SELECT id, code FROM community").fetchall())
    managers = dict(conn.execute("SELECT id, manager_id FROM grid_l4").fetchall())
    events: dict[int, list[sqlite3.Row]] = defaultdict(list)
    for row in conn.execute("SELECT * FROM request_event ORDER BY id"):
        events[row["request_id"]].append(row)
    sequence: dict[tuple[int, str], list[int]] = defaultdict(list)
    requests = conn.execute("SELECT * FROM request ORDER BY id").fetchall()
    assert requests
    for row in requests:
        created = moment(row["created_at"])
        assert created < NOW
        prefix, stamp, serial = row["number"].split("-")
        assert prefix == codes[row["community_id"]] and stamp == f"{created:%Y%m%d}"
        sequence[(row["community_id"], stamp)].append(int(serial))
        hours = rules[(row["category_id"], row["urgency"])]
        assert moment(row["due_at"]) == created + dt.timedelta(hours=hours)
        timeline = events[row["id"]]
        assert timeline[0]["kind"] == "created"
        times = [moment(event["at"]) for event in timeline]
        assert times == sorted(times) and len(set(times)) == len(times)
        assert times[0] == created and times[-1] < NOW
        statuses = [event["to_status"] for event in timeline if event["to_status"]]
        assert statuses[-1] == row["status"]
        assert row["grid_l4_id"] is not None
        if row["level"] == "grid" and row["status"] != "new":
            assert row["holder_id"] == managers[row["grid_l4_id"]]
        if row["status"] in ("resolved", "closed"):
            assert row["resolution"] and row["resolved_level"] and row["resolved_at"]
        if row["reporter_kind"] == "resident":
            assert row["reporter_id"] is not None
        else:
            assert row["reporter_id"] is None and row["reporter_name"]
    for serials in sequence.values():
        assert serials == list(range(1, len(serials) + 1))


# -- the default community --------------------------------------------------------------------


def test_default_community_sizes(
    community: tuple[DemoSummary, Path], conn: sqlite3.Connection
) -> None:
    summary, _ = community
    assert (summary.communities, summary.residents, summary.households) == (1, 7982, 3014)

    def count(sql: str) -> int:
        return int(conn.execute(sql).fetchone()[0])

    assert count("SELECT count(*) FROM community") == 1
    assert conn.execute("SELECT name, code FROM community").fetchone()[:] == ("丽景街社区", "LJ")
    assert conn.execute("SELECT name, region_code FROM district").fetchone()[:] == (
        "离石区",
        "141102",
    )
    assert conn.execute("SELECT name FROM subdistrict").fetchone()[0] == "莲花池街道"
    assert count("SELECT count(*) FROM grid_l3") == 12
    assert count("SELECT count(*) FROM grid_l4") == 40
    assert count("SELECT count(*) FROM staff WHERE role = 'grid_manager'") == 40
    assert count("SELECT count(DISTINCT manager_id) FROM grid_l4") == 40
    assert count("SELECT count(*) FROM staff WHERE role = 'reception'") == 2
    assert count("SELECT count(*) FROM staff WHERE role = 'supervisor'") == 2
    assert (
        count("SELECT count(*) FROM staff WHERE role = 'subdistrict' AND community_id IS NULL") == 2
    )
    assert count("SELECT count(*) FROM staff WHERE role = 'admin'") == 1
    assert count("SELECT count(*) FROM household WHERE status = 'active'") == 3014
    assert count("SELECT count(*) FROM household WHERE status = 'moved_out'") > 10
    assert count("SELECT count(*) FROM resident WHERE status = 'living'") == 7982
    moved_out = count("SELECT count(*) FROM resident WHERE status = 'moved_out'")
    deceased = count("SELECT count(*) FROM resident WHERE status = 'deceased'")
    assert 0.025 * 7982 < moved_out < 0.06 * 7982
    assert 0.008 * 7982 < deceased < 0.025 * 7982
    # Moved out alone from a household still here: the relative to ask.
    assert (
        count(
            """SELECT count(*) FROM resident r JOIN household h ON h.id = r.household_id
           WHERE r.status = 'moved_out' AND h.status = 'active'"""
        )
        > 50
    )
    names = {row[0] for row in conn.execute("SELECT name FROM compound")}
    assert {"宏泰学府苑", "泰化龙凤苑"} <= names
    assert count("SELECT count(*) FROM room") == 7
    assert 200 <= count("SELECT count(*) FROM request") <= 400


def test_default_community_is_plausible(conn: sqlite3.Connection) -> None:
    ages = [
        age(row[0])
        for row in conn.execute("SELECT birth_date FROM resident WHERE status = 'living'")
    ]
    share = lambda test: sum(1 for a in ages if test(a)) / len(ages)  # noqa: E731
    assert 0.10 < share(lambda a: a < 18) < 0.20
    assert 0.15 < share(lambda a: a >= 60) < 0.28
    assert 0.01 < share(lambda a: a >= 80) < 0.06
    assert share(lambda a: 30 <= a < 60) > 0.35
    flats = conn.execute("SELECT count(*) FROM flat").fetchone()[0]
    empty = conn.execute(
        """SELECT count(*) FROM flat f WHERE NOT EXISTS
           (SELECT 1 FROM household h WHERE h.flat_id = f.id AND h.status = 'active')"""
    ).fetchone()[0]
    assert 0.07 < empty / flats < 0.12
    shared = conn.execute(
        """SELECT count(*) FROM (SELECT flat_id FROM household WHERE status = 'active'
           GROUP BY flat_id HAVING count(*) > 1)"""
    ).fetchone()[0]
    assert 0.015 < shared / (flats - empty) < 0.05
    numbers = [row[0] for row in conn.execute("SELECT number FROM household")]
    assert all(re.fullmatch(r"LJ-\d{6}", number) for number in numbers)
    tags = Counter(code for codes in tags_by_resident(conn).values() for code in codes)
    for code in (
        "elderly_alone_no_kin",
        "elderly_alone",
        "left_behind_child",
        "disabled",
        "subsistence",
        "veteran",
        "party_member",
        "floating",
        "attention",
    ):
        assert tags[code] > 0, code
    assert 0.05 < tags["party_member"] / len(ages) < 0.11
    statuses = Counter(row[0] for row in conn.execute("SELECT status FROM request"))
    assert statuses["closed"] > statuses["resolved"] > 0
    assert statuses["new"] + statuses["assigned"] + statuses["in_progress"] > 0
    overdue = conn.execute(
        """SELECT count(*) FROM request
           WHERE status IN ('new', 'assigned', 'in_progress') AND due_at < ?""",
        (NOW.isoformat(" "),),
    ).fetchone()[0]
    assert overdue > 0
    levels = Counter(
        row[0]
        for row in conn.execute(
            "SELECT resolved_level FROM request WHERE resolved_level IS NOT NULL"
        )
    )
    assert levels["grid"] > levels["community"] > levels["subdistrict"]
    assert conn.execute("SELECT count(*) FROM visit").fetchone()[0] > 100


def test_default_community_invariants(conn: sqlite3.Connection) -> None:
    check_invariants(conn)


def test_calendar_and_accounts(
    community: tuple[DemoSummary, Path], conn: sqlite3.Connection
) -> None:
    calendar = dict(conn.execute("SELECT day, kind FROM calendar_day").fetchall())
    assert calendar["2026-10-01"] == "holiday" and calendar["2026-02-15"] == "holiday"
    assert calendar["2026-01-04"] == "workday" and calendar["2026-09-20"] == "workday"
    assert {value[:4] for value in calendar} == {"2025", "2026"}  # the shipped years
    summary, _ = community
    stored = json.loads(
        conn.execute("SELECT value FROM setting WHERE key = ?", (SETTING_ACCOUNTS,)).fetchone()[0]
    )
    assert [a["username"] for a in stored] == [a.username for a in summary.accounts]
    assert {a.role for a in summary.accounts} == {
        "reception",
        "grid_manager",
        "supervisor",
        "subdistrict",
        "admin",
    }
    hashes = dict(conn.execute("SELECT username, password_hash FROM staff").fetchall())
    for account in summary.accounts:
        assert account.display_name and account.username.isascii()
        assert verify_password(account.password, hashes[account.username])
    per_role = conn.execute("SELECT role, count(DISTINCT password_hash) FROM staff GROUP BY role")
    assert all(count == 1 for _, count in per_role)


def test_refuses_a_database_with_data(community: tuple[DemoSummary, Path]) -> None:
    _, path = community
    before = connect(path).execute("SELECT count(*) FROM resident").fetchone()[0]
    db = open_database(path, create=False, now=lambda: NOW)
    try:
        with pytest.raises(UserError) as caught:
            generate(DemoOptions(seed=1, residents=100, today=TODAY))
    finally:
        db.close()
    assert caught.value.key == "error.db_not_empty"
    assert connect(path).execute("SELECT count(*) FROM resident").fetchone()[0] == before


# -- other sizes ------------------------------------------------------------------------------


def test_same_seed_same_data(tmp_path: Path) -> None:
    dumps = []
    for name in ("a.db", "b.db"):
        make_demo(tmp_path / name, residents=800, seed=3)
        conn = connect(tmp_path / name)
        dumps.append(
            [
                conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
                for table in (
                    "staff",
                    "flat",
                    "household",
                    "resident",
                    "resident_tag",
                    "booking",
                    "request",
                    "request_event",
                )
            ]
        )
        conn.close()
    assert dumps[0] == dumps[1]
    make_demo(tmp_path / "c.db", residents=800, seed=4)
    other = connect(tmp_path / "c.db").execute("SELECT * FROM resident ORDER BY id").fetchall()
    assert other != dumps[0][3]


def test_small_community(tmp_path: Path) -> None:
    summary = make_demo(tmp_path / "small.db", residents=500)
    conn = connect(tmp_path / "small.db")
    assert (summary.communities, summary.residents) == (1, 500)
    assert (
        conn.execute("SELECT count(*) FROM resident WHERE status = 'living'").fetchone()[0] == 500
    )
    assert conn.execute("SELECT count(*) FROM household WHERE status = 'active'").fetchone()[
        0
    ] == round(500 * 3014 / 7982)
    assert conn.execute("SELECT count(*) FROM grid_l4").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM grid_l3").fetchone()[0] == 1
    check_invariants(conn)


def test_several_communities(tmp_path: Path) -> None:
    summary = make_demo(tmp_path / "district.db", residents=20000)
    conn = connect(tmp_path / "district.db")
    assert (summary.communities, summary.residents) == (3, 20000)
    assert (
        conn.execute("SELECT count(*) FROM resident WHERE status = 'living'").fetchone()[0] == 20000
    )
    communities = conn.execute("SELECT id, code FROM community ORDER BY id").fetchall()
    assert communities[0][1] == "LJ" and len({code for _, code in communities}) == 3
    per_community = conn.execute(
        """SELECT l3.community_id, count(*) FROM resident r
           JOIN household h ON h.id = r.household_id JOIN flat f ON f.id = h.flat_id
           JOIN grid_l4 g ON g.id = f.grid_l4_id JOIN grid_l3 l3 ON l3.id = g.grid_l3_id
           WHERE r.status = 'living' GROUP BY 1"""
    ).fetchall()
    assert sorted(count for _, count in per_community) == [6666, 6667, 6667]
    assert conn.execute("SELECT count(*) FROM room").fetchone()[0] == 21
    check_invariants(conn)


# -- ID numbers -------------------------------------------------------------------------------


def test_known_id_number() -> None:
    assert idcards.check_character("11010519491231002") == "X"
    assert idcards.make_id("110105", dt.date(1949, 12, 31), 2) == "11010519491231002X"
    assert idcards.is_valid("11010519491231002X")
    assert not idcards.is_valid("11010519491231002x")
    assert not idcards.is_valid("110105194912310021")
    assert not idcards.is_valid("141102202602300011")  # 30 February


regions = st.sampled_from(["141102", "140105", "141124", "650102", "110105"])
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 12, 31))


@given(regions, births, st.integers(min_value=0, max_value=999))
def test_made_ids_are_valid(region: str, birth: dt.date, seq: int) -> None:
    number = idcards.make_id(region, birth, seq)
    assert len(number) == 18 and idcards.is_valid(number)
    assert number[-1] == idcards.check_character(number[:17])
    assert idcards.birth_date(number) == birth
    assert idcards.is_male(number) == (seq % 2 == 1)


@given(regions, births, st.integers(0, 999), st.integers(0, 16), st.integers(1, 9))
def test_one_changed_digit_is_caught(
    region: str, birth: dt.date, seq: int, position: int, change: int
) -> None:
    number = idcards.make_id(region, birth, seq)
    digit = (int(number[position]) + change) % 10
    altered = number[:position] + str(digit) + number[position + 1 :]
    assert not idcards.is_valid(altered)
