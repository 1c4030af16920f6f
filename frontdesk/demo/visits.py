"""Grid managers' visits (走访) to the households of special groups."""

from __future__ import annotations

import datetime as dt

from frontdesk.demo.context import Context
from frontdesk.demo.people import People
from frontdesk.demo.tags import CARE_TAGS

PURPOSES = {
    "elderly_alone_no_kin": "孤寡老人走访慰问",
    "elderly_alone": "独居老人安全巡查",
    "elderly_80": "高龄老人走访慰问",
    "left_behind_child": "留守儿童关爱走访",
    "disabled": "残疾人帮扶走访",
    "subsistence": "低保家庭情况核查",
    "extreme_poverty": "特困人员生活情况核查",
    "attention": "重点关注对象回访",
}
NOTES = (
    "身体状况良好，生活能自理",
    "家中燃气、用电安全检查无异常",
    "已留联系卡，告知有事随时联系网格员",
    "反映腿脚不便，已登记送餐需求",
    "冬季取暖正常，屋内温度适宜",
    "子女每周来看望，情况稳定",
    "提醒注意防范电信诈骗",
    "孩子学习情况良好，已告知四点半课堂报名方式",
)
DAYS = 120


def make_visits(ctx: Context, people: People) -> None:
    rng = ctx.rng
    table = ctx.tables.visit
    order = list(PURPOSES)
    for household in people.active():
        tags = {tag for person in household.living() for tag in person.tags if tag in CARE_TAGS}
        if not tags:
            continue
        purpose = PURPOSES[min(tags, key=order.index)]
        manager = household.flat.grid.manager.id
        visits = 1 + (rng.random() < 0.5) + (rng.random() < 0.2)
        for _ in range(visits):
            day = ctx.today - dt.timedelta(days=1 + int(rng.random() * DAYS))
            if day.weekday() >= 5:
                day -= dt.timedelta(days=day.weekday() - 4)
            day = max(day, household.moved_in)
            visited = ctx.office_time(day, 9, 17)
            created = visited + dt.timedelta(minutes=30 + int(rng.random() * 210))
            created = min(created, ctx.now - dt.timedelta(minutes=1))
            if visited >= created:
                continue
            note = NOTES[int(rng.random() * len(NOTES))]
            table.add(table.new_id(), manager, household.id, visited, purpose, note, created)
