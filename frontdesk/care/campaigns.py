"""Campaigns (走访活动: 寒潮来袭 — see every 独居老人 within 2 days; 春节前走访): the community's
leadership chooses a group by special-group tags, optionally in one level-4 grid, and everyone
in it is due a visit by ``due_on``.

The group is fixed when the campaign starts: living residents of the operator's community (of
the grid, when one is given) carrying any of the tags then, except those whose dues are paused
today (in hospital, a care home, away: their pause's own date counts). Someone tagged later is
not added. The campaign and its members are written in one transaction with a ``care.campaign``
audit entry (the tags, the date, the grid and the count; never a name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from peewee import JOIN, Value, fn

from frontdesk import audit
from frontdesk.care.settings import tag_levels
from frontdesk.db.care import CareCampaign, CareCampaignMember, CarePause
from frontdesk.db.connection import write
from frontdesk.db.models import (
    Building,
    Compound,
    Flat,
    Household,
    Resident,
    ResidentTag,
    Tag,
    Unit,
)
from frontdesk.errors import UserError
from frontdesk.i18n import _
from frontdesk.permissions import Can, Operator, PermissionDenied, check_community, require
from frontdesk.residents.validation import refuse, refuse_text
from frontdesk.scope import community_of_grid
from frontdesk.textrules import TITLE
from frontdesk.vocabulary import ResidentStatus

MAX_DAYS_AHEAD = 60  # a campaign is due within two months


@dataclass(frozen=True)
class CampaignStarted:
    id: int
    members: int


@dataclass(frozen=True)
class CampaignRow:
    """A campaign as the leadership's list shows it."""

    id: int
    title: str
    tags: tuple[str, ...]  # the tag codes it chose by
    grid_l4_id: int | None
    due_on: date
    members: int
    created_at: datetime


def _community(actor_id: int | None) -> tuple[Operator, int]:
    """The operator (the community's leadership) and their community."""
    operator = require(actor_id, Can.CARE_CAMPAIGN)
    if operator.community_id is None:
        raise PermissionDenied(operator, Can.CARE_CAMPAIGN, scope="perm.scope.other_community")
    return operator, operator.community_id


def paused_on(today: date) -> Any:
    """The residents whose dues are paused on ``today``."""
    until = fn.COALESCE(CarePause.ended_on, CarePause.resume_on)
    return CarePause.select(CarePause.resident).where(
        (CarePause.starts_on <= today) & (until > today)
    )


def chosen(community_id: int, tags: tuple[str, ...], grid_l4_id: int | None, today: date) -> Any:
    """The ids of the living residents a campaign of these tags chooses today."""
    tagged = (
        ResidentTag.select(ResidentTag.resident)
        .join(Tag)
        .where(Tag.code.in_(list(tags)) & ResidentTag.ended_at.is_null(True))
    )
    where = (
        (Compound.community == community_id)
        & (Resident.status == ResidentStatus.LIVING.value)
        & Resident.id.in_(tagged)
        & Resident.id.not_in(paused_on(today))
    )
    if grid_l4_id is not None:
        where &= Flat.grid_l4 == grid_l4_id
    return (
        Resident.select(Resident.id)
        .join(Household, on=(Resident.household == Household.id))
        .join(Flat, on=(Household.flat == Flat.id))
        .join(Unit, on=(Flat.unit == Unit.id))
        .join(Building, on=(Unit.building == Building.id))
        .join(Compound, on=(Building.compound == Compound.id))
        .where(where)
    )


def start_campaign(
    title: str,
    tags: tuple[str, ...],
    *,
    due_on: date,
    grid_l4_id: int | None = None,
    actor_id: int | None,
    now: datetime,
) -> CampaignStarted:
    """Start a campaign: everyone the tags (and grid) choose now is due a visit by ``due_on``."""
    title = refuse_text("title", title, TITLE)
    if not title:
        raise refuse("title", "validation.required")
    codes = tuple(dict.fromkeys(code.strip() for code in tags if code.strip()))
    if not codes:
        raise refuse("tags", "care.error.campaign_tags_required")
    today = now.date()
    if due_on < today:
        raise refuse("due_on", "care.error.campaign_due_past")
    if due_on > today + timedelta(days=MAX_DAYS_AHEAD):
        raise refuse("due_on", "care.error.campaign_due_far", days=MAX_DAYS_AHEAD)

    def run() -> CampaignStarted:
        operator, community = _community(actor_id)
        if grid_l4_id is not None:
            grid_community = community_of_grid(grid_l4_id)
            if grid_community is None:
                raise UserError("care.error.no_grid", id=grid_l4_id)
            check_community(operator, Can.CARE_CAMPAIGN, grid_community)
        found: Any = Tag.select(Tag.code).where(Tag.code.in_(list(codes))).tuples()
        known = {code for (code,) in found}
        in_care = tag_levels(community)
        for code in codes:
            if code not in known:
                raise UserError("resident.tag_unknown", code=code)
            if code not in in_care:  # 党员 chooses nobody in care: a campaign is for care
                raise refuse("tags", "care.error.campaign_not_care_tag", tag=_(f"tag.{code}"))
        group = chosen(community, codes, grid_l4_id, today)
        count = group.count()
        if count == 0:
            raise UserError("care.error.campaign_empty")
        campaign_id = int(
            CareCampaign.insert(
                community=community,
                title=title,
                tags=",".join(codes),
                grid_l4=grid_l4_id,
                starts_at=now,
                due_on=due_on,
                created_at=now,
                created_by=actor_id,
            ).execute()
        )
        # one statement, however many: INSERT ... SELECT (each resident once: one household)
        CareCampaignMember.insert_from(
            group.select(Resident.id, Value(campaign_id)),
            [CareCampaignMember.resident, CareCampaignMember.campaign],
        ).execute()
        audit.record(
            "care.campaign",
            "care_campaign",
            campaign_id,
            actor_id=actor_id,
            at=now,
            detail={
                "title": title,
                "tags": list(codes),
                "due_on": due_on,
                "grid_l4_id": grid_l4_id,
                "members": count,
            },
            community_id=community,
        )
        return CampaignStarted(campaign_id, count)

    return write(run)


def campaigns(*, actor_id: int | None) -> list[CampaignRow]:
    """The operator's community's campaigns, the latest first, each with its count."""
    _operator, community = _community(actor_id)
    counts = (
        CareCampaignMember.select(
            CareCampaignMember.campaign, fn.COUNT(CareCampaignMember.id).alias("members")
        )
        .group_by(CareCampaignMember.campaign)
        .alias("counts")
    )
    rows: Any = (
        CareCampaign.select(
            CareCampaign.id,
            CareCampaign.title,
            CareCampaign.tags,
            CareCampaign.grid_l4,
            CareCampaign.due_on,
            CareCampaign.created_at,
            fn.COALESCE(counts.c.members, 0),
        )
        .join(counts, on=(counts.c.campaign_id == CareCampaign.id), join_type=JOIN.LEFT_OUTER)
        .where(CareCampaign.community == community)
        .order_by(CareCampaign.created_at.desc(), CareCampaign.id.desc())
        .tuples()
    )
    return [
        CampaignRow(
            id=cid,
            title=title,
            tags=tuple(t for t in tags.split(",") if t),
            grid_l4_id=grid,
            due_on=due_on,
            members=int(members),
            created_at=created_at,
        )
        for cid, title, tags, grid, due_on, created_at, members in rows
    ]
