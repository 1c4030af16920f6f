"""The center's seven rooms as the demo builds them: their size, limits and opening hours, what
each is booked for and by whom (one-off bookings), and why a booking gets cancelled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

T = dt.time
Interval = tuple[dt.time, dt.time]

WEEKDAY_HOURS: tuple[Interval, ...] = ((T(8, 30), T(12, 0)), (T(14, 0), T(21, 0)))
HOMEWORK_HOURS: tuple[Interval, ...] = ((T(14, 0), T(19, 0)),)
WEEKEND_HOURS: tuple[Interval, ...] = ((T(9, 0), T(17, 0)),)


@dataclass(frozen=True)
class RoomSpec:
    code: str
    name: str  # on the door
    purpose: str
    capacity: int
    max_booking_minutes: int
    max_days_ahead: int
    weekly_quota_minutes: int | None
    weekend: bool  # open on Saturday and Sunday

    def hours(self, weekday: int) -> tuple[Interval, ...]:
        if weekday >= 5:
            return WEEKEND_HOURS if self.weekend else ()
        return HOMEWORK_HOURS if self.code == "homework" else WEEKDAY_HOURS


ROOMS = (
    RoomSpec("women_home", "妇女之家", "插花、手工课程，妇联活动", 20, 180, 60, 480, True),
    RoomSpec(
        "homework", "作业辅导室", "四点半课堂，课后作业辅导，留守儿童优先", 24, 150, 60, None, False
    ),
    RoomSpec(
        "lecture_hall", "新时代讲堂", "讲座、培训，党组织和社会组织活动", 80, 240, 90, None, False
    ),
    RoomSpec("reading", "新时代书苑", "阅读、读书会、学习小组", 30, 240, 30, 600, True),
    RoomSpec("art", "新时代艺苑", "剪纸、合唱、绘画", 25, 180, 60, 480, True),
    RoomSpec("fitness", "健身室", "健身操、太极拳、广场舞排练", 15, 120, 14, 360, True),
    RoomSpec("meeting", "居民议事厅", "居民议事会、矛盾纠纷调解", 12, 180, 60, None, False),
)

# room -> [(title, booker: "resident" or an organisation key, minutes, (fewest, most) attendees)]
ONE_OFFS: dict[str, list[tuple[str, str, tuple[int, ...], tuple[int, int]]]] = {
    "women_home": [
        ("妇联议事会", "women", (60, 90, 120), (8, 18)),
        ("巧手编织小组", "resident", (90, 120), (5, 12)),
        ("母婴健康咨询", "clinic", (60, 90), (6, 15)),
        ("家风家教分享会", "women", (90,), (10, 20)),
    ],
    "homework": [
        ("志愿者一对一辅导", "volunteers", (60, 90, 120), (4, 12)),
    ],
    "lecture_hall": [
        ("党员学习日", "party", (90, 120), (30, 70)),
        ("防诈骗知识讲座", "police", (90,), (40, 80)),
        ("老年健康讲座", "clinic", (90, 120), (30, 70)),
        ("消防安全培训", "committee", (60, 90), (25, 60)),
        ("社会组织能力培训", "social_work", (120, 180), (20, 50)),
        ("垃圾分类宣讲", "civilisation", (60,), (30, 60)),
    ],
    "reading": [
        ("读书会", "resident", (90, 120), (6, 20)),
        ("老年书法学习小组", "elders", (120,), (8, 20)),
        ("党史学习小组", "party", (90,), (10, 25)),
        ("亲子阅读", "resident", (60, 90), (6, 20)),
    ],
    "art": [
        ("合唱排练", "elders", (90, 120), (12, 25)),
        ("书画小组", "resident", (120,), (6, 15)),
        ("剪纸作品展筹备", "civilisation", (60, 120), (4, 10)),
    ],
    "fitness": [
        ("广场舞排练", "elders", (60, 90), (8, 15)),
        ("太极拳练习", "resident", (60,), (5, 12)),
        ("健身操", "resident", (60,), (6, 15)),
        ("瑜伽", "resident", (60,), (4, 12)),
    ],
    "meeting": [
        ("居民议事会", "committee", (90, 120), (6, 12)),
        ("邻里纠纷调解", "mediation", (60, 90), (3, 6)),
        ("楼栋长例会", "party", (60,), (6, 12)),
        ("物业协调会", "committee", (60, 90), (5, 12)),
    ],
}
CANCEL_REASONS = ("临时有事", "参加人数不足", "讲师行程变更", "天气原因", "改期举办")


def organisations(community: str, subdistrict: str) -> dict[str, str]:
    place = subdistrict.removesuffix("街道")
    return {
        "women": f"{subdistrict}妇联",
        "clinic": f"{place}社区卫生服务站",
        "volunteers": "离石区团委志愿者服务队",
        "party": f"{community}党支部",
        "police": f"{place}派出所",
        "committee": f"{community}居委会",
        "social_work": "离石区社会工作协会",
        "civilisation": f"{community}新时代文明实践站",
        "elders": f"{community}老年协会",
        "mediation": f"{community}人民调解委员会",
        "youth": f"{community}关工委",
    }
