"""What residents come to the desk about: the categories of requests, each with its share,
urgency and texts (a description and how it was resolved), and the notes of an escalation."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.vocabulary import Level

GRID, COMMUNITY, SUBDISTRICT = (level.value for level in Level)


@dataclass(frozen=True)
class Category:
    code: str
    share: float
    urgency: tuple[float, float]  # shares of urgent and critical
    place: str  # what a request is about when its text names no place: flat, building, compound
    escalate: float  # share escalated to the community
    texts: tuple[tuple[str, str], ...]  # (description, how it was resolved)


CATEGORIES = (
    Category(
        "lighting",
        12,
        (0.12, 0.01),
        "building",
        0.03,
        (
            ("{b}号楼{u}单元楼道灯不亮", "已更换楼道灯泡"),
            ("{b}号楼{u}单元{fl}层声控灯坏了，晚上上下楼看不见", "已更换声控开关，灯已恢复"),
            ("{b}号楼{u}单元单元门口的灯一直不亮", "已联系电工维修，灯已恢复"),
            ("{compound}东门路灯不亮，晚上出行不便", "已联系物业更换路灯灯头"),
        ),
    ),
    Category(
        "plumbing",
        18,
        (0.28, 0.07),
        "flat",
        0.08,
        (
            ("楼上{above}渗水，天花板有水印，联系不上楼上住户", "已联系楼上住户，关闭阀门并维修"),
            ("厨房下水管漏水", "已联系物业维修下水管"),
            ("卫生间水管爆裂，急需关闸", "网格员协助关闭总阀，物业已更换水管"),
            ("家里停水两天了，不知道什么原因", "已协调自来水公司恢复供水"),
            ("暖气片漏水，地板泡了", "已联系供热公司更换暖气阀门"),
        ),
    ),
    Category(
        "locksmith",
        8,
        (0.45, 0.1),
        "flat",
        0.02,
        (
            ("钥匙锁在屋里，老人在门外等", "已联系开锁公司上门开锁"),
            ("防盗门锁芯坏了打不开", "已联系开锁公司更换锁芯"),
            ("孩子一个人反锁在家里，家长不在身边", "网格员协助联系家属送来备用钥匙"),
        ),
    ),
    Category(
        "dispute",
        8,
        (0.1, 0.01),
        "flat",
        0.25,
        (
            ("楼上{above}深夜噪音扰民，多次沟通无果", "网格员上门调解，楼上住户承诺夜间注意"),
            ("邻居在楼道堆放杂物，协商不成", "网格员上门调解，杂物已清理"),
            ("宠物狗不拴绳，与邻居发生口角", "经社区人民调解委员会调解，双方已和解"),
            ("楼下{below}油烟排放影响家里通风", "协调楼下住户加装油烟净化设备"),
            ("停车位被长期占用，双方有矛盾", "网格员上门调解，双方达成一致"),
        ),
    ),
    Category("find_person", 5, (0.15, 0.03), "flat", 0.05, ()),
    Category(
        "certificate",
        12,
        (0.05, 0.0),
        "flat",
        0.03,
        (
            ("开具居住证明，办理孩子入学用", "已开具居住证明"),
            ("办理老年优待证", "已协助提交材料，优待证已领取"),
            ("申请高龄补贴，咨询所需材料", "已告知所需材料，居民补齐后提交"),
            ("低保年审材料提交", "材料已收齐，报街道审核"),
            ("开具亲属关系证明", "已核实户籍信息并开具证明"),
        ),
    ),
    Category(
        "sanitation",
        12,
        (0.1, 0.01),
        "compound",
        0.05,
        (
            ("{b}号楼{u}单元楼道小广告需清理", "网格员已组织清理楼道小广告"),
            ("{b}号楼楼道堆放杂物，影响通行", "已通知住户并组织清理"),
            ("{compound}垃圾点清运不及时，有异味", "已联系环卫部门清运并消毒"),
            ("{compound}单元门口堆放建筑垃圾", "已联系装修住户限期清运"),
        ),
    ),
    Category(
        "safety",
        7,
        (0.3, 0.1),
        "building",
        0.2,
        (
            ("{b}号楼{u}单元楼道内电动车充电，存在火灾隐患", "已劝导住户移走电动车"),
            ("{b}号楼消防通道被占用", "已联系物业清理消防通道"),
            ("{b}号楼{u}单元门禁损坏，陌生人随意进出", "已报修门禁，维修完毕"),
            ("{b}号楼外墙瓷砖松动，有掉落危险", "已设置警示区域，物业完成加固"),
        ),
    ),
    Category(
        "hardship",
        6,
        (0.15, 0.03),
        "flat",
        0.25,
        (
            ("独居老人行动不便，需要帮助买菜", "已安排志愿者每周两次代购"),
            ("家庭困难，申请临时救助", "已协助申请临时救助"),
            ("残疾人申请轮椅", "已联系残联申请辅具"),
            ("老人生病住院，家中无人照顾", "已联系子女并安排志愿者探望"),
        ),
    ),
    Category(
        "complaint",
        7,
        (0.05, 0.0),
        "compound",
        0.2,
        (
            ("{compound}物业服务不到位，保洁不及时", "已转物业公司整改，加派保洁"),
            ("{compound}小区健身器材损坏", "已报修，器材已更换"),
            ("建议{compound}增设晾衣架", "已反馈物业公司，纳入明年计划"),
            ("{compound}夜间广场舞音量过大", "已与舞蹈队协商，晚九点前结束并降低音量"),
        ),
    ),
    Category(
        "other",
        5,
        (0.05, 0.0),
        "flat",
        0.02,
        (
            ("咨询社区活动安排", "已答复居民"),
            ("捡到一部手机交到社区", "已联系失主领回"),
            ("咨询四点半课堂报名", "已为孩子登记报名"),
            ("询问新时代讲堂讲座时间", "已告知讲座安排"),
        ),
    ),
)
FIND_PERSON_RESOLUTIONS = {
    "visitor": "已通过其在本社区的亲属联系上本人，已转告来访者",
    "police": "已协助民警核实相关情况",
}
NOTES = {  # why a request went up
    COMMUNITY: "网格内无法解决，上报社区协调",
    SUBDISTRICT: "涉及多个部门，上报街道协调",
}
LEVEL_RESOLUTIONS = {COMMUNITY: "社区协调相关单位解决：", SUBDISTRICT: "街道协调多部门联合处置："}
