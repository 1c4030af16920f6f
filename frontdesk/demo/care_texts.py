"""What the demo's care visits say: purposes, notes, the concerns of each area, the events and
pauses. Data, not code."""

from __future__ import annotations

from frontdesk.vocabulary import CareArea, CareEventKind

# a visit's purpose by the person's first care tag in this order
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
# A visit that found everything in order, by whom it saw: the notes of a visit to an old person
# living alone never speak of a child's homework, nor a child's of a pension. Each pool of a kind
# has the same length (the demo's draws stay as they were).
NOTES = (  # adults
    "身体状况良好，生活能自理",
    "家中燃气、用电安全检查无异常",
    "已留联系卡，告知有事随时联系网格员",
    "冬季取暖正常，屋内温度适宜",
    "家人常来照看，情况稳定",
    "提醒注意防范电信诈骗",
    "近况稳定，已告知社区近期活动",
    "精神状态不错，饮食正常",
)
ELDERLY_NOTES = (
    "身体状况良好，生活能自理",
    "家中燃气、用电安全检查无异常",
    "已留联系卡，告知有事随时联系网格员",
    "冬季取暖正常，屋内温度适宜",
    "子女每周来看望，情况稳定",
    "提醒注意防范电信诈骗",
    "已告知老年食堂用餐时间",
    "精神状态不错，饮食正常",
)
CHILD_NOTES = (
    "孩子身体健康，由祖辈照看",
    "家中燃气、用电安全检查无异常",
    "已留联系卡，告知有事随时联系网格员",
    "冬季取暖正常，屋内温度适宜",
    "父母每周视频联系，情况稳定",
    "提醒注意上下学交通安全",
    "孩子学习情况良好，已告知四点半课堂报名方式",
    "精神状态不错，饮食正常",
)
PHONE_NOTES = (
    "电话联系本人，身体状况稳定",
    "电话询问近况，本人称一切正常",
    "与家属电话沟通，近期情况稳定",
)
CHILD_PHONE_NOTES = (
    "与监护人电话联系，孩子情况稳定",
    "电话询问近况，监护人称一切正常",
    "与孩子父母电话沟通，近期情况稳定",
)
VIDEO_NOTES = ("视频通话，老人精神状态良好", "视频查看居家环境，无异常")
ADULT_VIDEO_NOTES = ("视频通话，本人精神状态良好", "视频查看居家环境，无异常")
CHILD_VIDEO_NOTES = ("视频通话，孩子精神状态良好", "视频查看居家环境，无异常")
VOLUNTEER_NOTES = ("志愿者上门陪伴聊天，帮助打扫卫生", "志愿者代购生活用品，老人情况稳定")
ADULT_VOLUNTEER_NOTES = ("志愿者上门陪伴聊天，帮助打扫卫生", "志愿者代购生活用品，情况稳定")
CHILD_VOLUNTEER_NOTES = ("志愿者上门辅导作业", "志愿者陪孩子阅读，情况稳定")
ATTEMPT_NOTES = (
    "敲门无人应答，电话未接通",
    "家中无人，邻居称老人外出买菜",
    "无人在家，已在门上留联系卡",
)
OTHER_ATTEMPT_NOTES = (
    "敲门无人应答，电话未接通",
    "家中无人，邻居称家人外出",
    "无人在家，已在门上留联系卡",
)
# a concern found in one area, with what was done about it
CONCERNS: dict[CareArea, tuple[str, ...]] = {
    CareArea.HEALTH: (
        "血压偏高，已提醒按时服药并到社区卫生服务站复查",
        "近期腿脚不便，上下楼需人搀扶",
        "记忆力明显下降，建议家属多陪护",
    ),
    CareArea.MONEY: (
        "反映医药费支出较大，已告知临时救助申请办法",
        "低保年审材料未齐，已告知补交时间",
    ),
    CareArea.FAMILY: (
        "子女长期在外，很少回家探望",
        "与儿子因赡养费问题有矛盾，需调解",
    ),
    CareArea.SAFETY: (
        "燃气软管老化，已建议尽快更换",
        "暖气不热，已联系物业报修",
        "电线私拉乱接，已提醒整改",
    ),
    CareArea.NEEDS: (
        "希望申请社区助餐服务",
        "卫生间需加装扶手（适老化改造）",
        "希望有人定期上门理发",
    ),
}
# the same for a child (each area's list as long as the one above), and an adult under 60's needs
CHILD_CONCERNS: dict[CareArea, tuple[str, ...]] = {
    CareArea.HEALTH: (
        "孩子感冒发烧，已提醒监护人带去社区卫生服务站",
        "孩子视力下降，建议配镜",
        "孩子情绪低落，已联系学校老师关注",
    ),
    CareArea.MONEY: (
        "监护人反映学杂费负担重，已告知助学政策",
        "困境儿童生活补贴材料未齐，已告知补交时间",
    ),
    CareArea.FAMILY: (
        "父母长期在外务工，祖辈照看吃力",
        "父母离异，抚养费未按时给付，需调解",
    ),
    CareArea.SAFETY: CONCERNS[CareArea.SAFETY],
    CareArea.NEEDS: (
        "希望参加社区四点半课堂",
        "需要课后辅导志愿者",
        "希望暑期有人照看",
    ),
}
ADULT_NEEDS = ("希望申请社区助餐服务", "家中需无障碍改造", "希望有人定期上门理发")
EVENTS: dict[CareEventKind, tuple[str, str]] = {  # kind: (the event's note, the visit's purpose)
    CareEventKind.FELL: ("在家中卫生间滑倒，右手腕扭伤", "跌倒后上门探望"),
    CareEventKind.BEREAVED: ("老伴上周去世，情绪低落", "丧亲后上门慰问"),
    CareEventKind.HEATING_FAILED: ("暖气不热，室温仅十二度", "停暖后上门查看"),
    CareEventKind.HOSPITALISED: ("因肺炎住院，已出院回家休养", "出院后上门探望"),
}
OPEN_EVENTS: tuple[tuple[CareEventKind, str], ...] = (
    (CareEventKind.FELL, "下楼时跌倒，膝盖擦伤，家属来电告知"),
    (CareEventKind.HEATING_FAILED, "寒潮降温，家中暖气片不热"),
)
HOSPITAL_REASON = "脑梗住院治疗，家属陪护"
AWAY_REASON = "随女儿去太原暂住"
ASSIGNMENT_NOTE = "结对帮扶志愿者，每周上门陪伴"
CAMPAIGN_TITLE = "寒潮来袭 走访独居老人"
CAMPAIGN_TAG = "elderly_alone"
