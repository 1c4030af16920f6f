"""The domain's words every layer may use: the closed vocabularies (stored as short ASCII
codes) and the set of records changed at other desks.

Display names live in the i18n catalogs (``enum.<class>.<value>``), never here. Screens import
this module, never ``frontdesk.db``: the data layer stores these values, it does not own them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    RECEPTION = "reception"  # 前台
    GRID_MANAGER = "grid_manager"  # 网格员
    SUPERVISOR = "supervisor"  # 社区书记/主任
    SUBDISTRICT = "subdistrict"  # 街道
    ADMIN = "admin"  # 管理员


class Gender(StrEnum):
    MALE = "M"
    FEMALE = "F"


class Relation(StrEnum):
    HEAD = "head"  # 户主
    SPOUSE = "spouse"  # 配偶
    CHILD = "child"  # 子女
    PARENT = "parent"  # 父母
    GRANDCHILD = "grandchild"  # 孙子女
    OTHER = "other"  # 其他


class DocumentType(StrEnum):
    """证件类型: what ``Resident.id_number`` holds (the 18-character ones follow GB 11643)."""

    ID_CARD = "id_card"  # 居民身份证
    RESIDENCE_PERMIT = "residence_permit"  # 港澳台居民居住证 (18 characters, GB 11643)
    PERMANENT_RESIDENCE = "permanent_residence"  # 外国人永久居留身份证
    PASSPORT = "passport"  # 护照
    HOME_RETURN_PERMIT = "home_return_permit"  # 港澳居民来往内地通行证
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证
    OTHER = "other"  # 其他证件


class ResidentCategory(StrEnum):
    """人员类别: how a person belongs on the community's register."""

    REGISTERED = "registered"  # 户籍人口: household registration here
    FLOATING = "floating"  # 流动人口: lives here, registered elsewhere
    LODGING = "lodging"  # 寄住人口: registered here, lives elsewhere or stays with family


class ImportKind(StrEnum):
    RESIDENTS = "residents"
    PLACES = "places"


class ImportStatus(StrEnum):
    WRITING = "writing"  # rows are being written in short transactions
    DONE = "done"
    UNDONE = "undone"  # taken back: on request, after a cancel, or after a stop midway


class ResidentStatus(StrEnum):
    LIVING = "living"  # 在住
    MOVED_OUT = "moved_out"  # 迁出
    DECEASED = "deceased"  # 去世


class HouseholdStatus(StrEnum):
    ACTIVE = "active"
    MOVED_OUT = "moved_out"


class MoveKind(StrEnum):
    MOVE_IN = "move_in"
    MOVE_OUT = "move_out"
    DEATH = "death"
    RELOCATE = "relocate"  # moved to another flat inside the community


class BuildingKind(StrEnum):
    WALKUP = "walkup"
    TOWER = "tower"


class BookerKind(StrEnum):
    RESIDENT = "resident"
    ORGANISATION = "organisation"
    PERSON = "person"


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class SeriesExceptionKind(StrEnum):
    CANCELLED = "cancelled"
    MOVED = "moved"
    MODIFIED = "modified"


class Urgency(StrEnum):
    NORMAL = "normal"  # 一般
    URGENT = "urgent"  # 紧急
    CRITICAL = "critical"  # 特急


class Level(StrEnum):
    GRID = "grid"  # 网格
    COMMUNITY = "community"  # 社区
    SUBDISTRICT = "subdistrict"  # 街道


class RequestStatus(StrEnum):
    NEW = "new"  # 新建
    ASSIGNED = "assigned"  # 已派单
    IN_PROGRESS = "in_progress"  # 处理中
    RESOLVED = "resolved"  # 已办结
    CLOSED = "closed"  # 已关闭


class RequestEventKind(StrEnum):
    CREATED = "created"
    ASSIGNED = "assigned"
    STATUS = "status"
    NOTE = "note"
    REASSIGNED = "reassigned"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    REPORTER_ATTACHED = "reporter_attached"
    OVERDUE = "overdue"
    CORRECTED = "corrected"  # the reporter or the place put right after logging


class ReporterKind(StrEnum):
    RESIDENT = "resident"
    VISITOR = "visitor"


class CalendarDayKind(StrEnum):
    HOLIDAY = "holiday"  # 法定节假日
    WORKDAY = "workday"  # 调休上班


class CareLevel(StrEnum):
    """关爱等级: how often a person in care is seen (the days are a community's setting)."""

    HIGH = "high"  # 高风险: weekly
    KEY = "key"  # 重点: monthly
    GENERAL = "general"  # 一般: quarterly


# from the highest level down: a person with several tags takes the first of theirs
CARE_LEVEL_ORDER: tuple[CareLevel, ...] = (CareLevel.HIGH, CareLevel.KEY, CareLevel.GENERAL)


class VisitMode(StrEnum):
    IN_PERSON = "in_person"  # 上门
    PHONE = "phone"  # 电话
    VIDEO = "video"  # 视频
    THIRD_PARTY = "third_party"  # 委托第三方
    VOLUNTEER = "volunteer"  # 结对志愿者 / 党员
    FAMILY = "family"  # 亲属邻里


class VisitOutcome(StrEnum):
    SEEN = "seen"  # 已见: a visit
    NOT_HOME = "not_home"  # 未遇: an attempt; the due stays


class CareArea(StrEnum):
    """The five things a visit looks at."""

    HEALTH = "health"  # 健康与自理
    MONEY = "money"  # 经济与保障 (低保 / 特困)
    FAMILY = "family"  # 家庭赡养
    SAFETY = "safety"  # 居家安全 (水电气暖)
    NEEDS = "needs"  # 服务需求 (助餐、适老化改造)


class AreaState(StrEnum):
    OK = "ok"  # 正常
    CONCERN = "concern"  # 需关注


class CareEventKind(StrEnum):
    """重大变故: each makes a visit due within 24 hours."""

    HOSPITALISED = "hospitalised"  # 住院
    BEREAVED = "bereaved"  # 丧亲
    FELL = "fell"  # 跌倒
    HEATING_FAILED = "heating_failed"  # 停暖 / 取暖故障
    COLD_WAVE = "cold_wave"  # 寒潮
    OTHER = "other"  # 其他


class CarePauseKind(StrEnum):
    """Why dues pause until a date: the person is looked after elsewhere."""

    HOSPITAL = "hospital"  # 住院
    CARE_HOME = "care_home"  # 入住养老机构
    AWAY = "away"  # 外出 (随子女暂住)


def values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


@dataclass(frozen=True)
class CommunityRef:
    """A community as the desk names it (the header, the subdistrict office's switch)."""

    id: int
    name: str
    subdistrict: str


@dataclass(frozen=True)
class Changes:
    """The records written since the last look: (entity, id) pairs such as ("booking", 12)."""

    records: frozenset[tuple[str, int | None]]

    def touches(self, *entities: str, entity_id: int | None = None) -> bool:
        """Whether any of ``entities`` (and, if given, that record of them) changed."""
        return any(
            entity in entities and (entity_id is None or found == entity_id)
            for entity, found in self.records
        )
