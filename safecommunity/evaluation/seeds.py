"""Default scoring schemes shipped with the product (data the city office edits afterwards).

National on-site scheme (全国安全社区现场评定表(暂行)): 12 first-level items (the AQ/T 9001
elements), 50 second-level items of 3 points each = presence 0.8 + evidence 1.0 + effect 1.2,
total 150; pass at ≥ 100 with no item at 0, 75–100 with no zero: pass after rectification.

Confirmed by the sources: element 1 = items 1–5 (their content: leadership body, project
groups, rules and duties, goals and plans, funding), element 2 starts at item 6. The split of
items 6–50 over elements 2–12 is OUR DISTRIBUTION, weighted by how much each element asks
for; those item texts are placeholders ("【待补充】") built from the element's requirements,
to be replaced by the city office with the official wording.
"""

from decimal import Decimal

PLACEHOLDER = "【待补充】"

# (element code, [(item text, evidence expected, confirmed?)])
NATIONAL_ITEMS = [
    ("E01", [
        ("成立覆盖主要部门和社会组织的安全社区创建领导机构", "成立领导机构的文件、成员名单", True),
        ("设立由官员、专家、社会组织、志愿者和居民组成的项目工作组", "工作组名单及职责分工", True),
        ("制定创建工作制度并明确各机构和人员职责", "工作制度、职责文件", True),
        ("制定安全社区长期目标和年度工作计划", "长期规划、年度计划", True),
        ("保障创建工作所需人员、经费、物资和技术", "经费预算及拨付凭证", True),
    ]),
    ("E02", [
        ("部门和单位间的协商与合作伙伴机制", "联席会议纪要、合作协议", False),
        ("信息沟通与反馈渠道，及时处理公众意见", "意见处理台账", False),
        ("发动群众组织和志愿者组织参与", "志愿者名册、活动记录", False),
        ("参加国内外安全社区网络与交流活动", "交流活动记录", False),
    ]),
    ("E03", [
        ("社区安全诊断（基线调查）", "社区诊断报告", False),
        ("危险源辨识与隐患排查制度", "隐患排查台账", False),
        ("伤害监测（医院首诊登记、抽样调查等）", "伤害监测数据与分析", False),
        ("高危人群、高风险环境和弱势群体的识别", "重点人群与环境清单", False),
        ("知信行及满意度调查", "调查问卷及分析报告", False),
    ]),
    ("E04", [
        ("依据风险评价结果制定预防目标", "目标文件", False),
        ("目标量化并覆盖不同性别、年龄和环境", "目标分解表", False),
        ("长期计划与年度计划", "计划文本", False),
    ]),
    ("E05", [
        ("针对重点领域的安全促进项目", "项目方案", False),
        ("项目背景、目标与计划完整", "项目计划书", False),
        ("干预措施（政策、管理、服务、宣传、环境、设施）", "实施记录、照片", False),
        ("项目的部门分工、进度和资源", "分工表、进度表", False),
        ("基于证据的项目效果评估", "评估报告", False),
        ("项目改进计划", "改进计划", False),
    ]),
    ("E06", [
        ("宣传教育管理制度", "制度文件", False),
        ("宣传教育设施与资源（宣传栏、基地、师资）", "设施照片、师资名单", False),
        ("针对不同人群的培训计划", "培训计划", False),
        ("宣传培训的渠道、频次和效果", "培训签到表、照片", False),
    ]),
    ("E07", [
        ("辨识潜在的突发事件类型", "风险清单", False),
        ("应急组织体系", "应急组织文件", False),
        ("各级应急预案", "应急预案文本", False),
        ("应急队伍、物资和装备", "队伍名册、物资清单", False),
        ("分场所、分人群的应急演练和培训", "演练方案、记录、照片", False),
    ]),
    ("E08", [
        ("计划和项目执行情况的监测", "监测记录", False),
        ("安全绩效的监督检查", "检查记录", False),
        ("监测结果的分析与利用", "分析报告", False),
        ("监督发现问题的跟踪", "问题台账", False),
    ]),
    ("E09", [
        ("事故与伤害记录制度", "记录制度", False),
        ("事故与伤害记录的完整与及时", "伤害记录台账", False),
        ("事故与伤害原因分析", "原因分析报告", False),
    ]),
    ("E10", [
        ("创建档案管理制度", "档案管理制度", False),
        ("档案的完整与分类", "档案目录", False),
        ("档案的真实性与可追溯", "原始记录", False),
    ]),
    ("E11", [
        ("不符合情况的识别", "问题清单", False),
        ("纠正措施的制定与实施", "整改记录", False),
        ("预防措施", "预防措施记录", False),
        ("措施效果的验证", "验证记录", False),
    ]),
    ("E12", [
        ("定期开展工作评审", "评审报告", False),
        ("评审发现的问题与改进", "改进计划", False),
        ("持续改进的成效", "对比数据", False),
        ("下一周期目标与计划的调整", "调整后的计划", False),
    ]),
]

ISCCC_ITEMS = [
    ("E01", "Governance: a cross-sector group, integrated into the community's governing system, leads a "
            "sustainable programme / 跨部门领导小组纳入社区治理体系，持续推动项目"),
    ("E03", "Surveillance: collect, analyse and disseminate injury and cause data for problem identification, "
            "risk assessment and planning / 伤害及其原因数据的收集、分析与发布"),
    ("E05", "Comprehensive: projects for all genders, ages, environments and situations, based on best "
            "practice / 覆盖所有性别、年龄、环境和情形的项目"),
    ("E05", "Vulnerable groups: projects for vulnerable and high-risk groups and environments / "
            "针对弱势群体和高风险人群、环境的项目"),
    ("E12", "Evaluation: of process and effects, with continual improvement / 过程和效果评估，持续改进"),
    ("E02", "Networking: ongoing national and international participation / 持续参与国内外安全社区网络"),
]


def _later_fields(model, **values) -> dict:
    """Values of fields added after migration 0002 (which runs this with the model of its time)."""
    names = {f.name for f in model._meta.get_fields()}
    return {k: v for k, v in values.items() if k in names}


def ensure_default_schemes(Scheme, SchemeItem, CodeItem) -> None:
    """Create the shipped schemes if missing (idempotent; never overwrites edits)."""
    elements = {c.code: c for c in CodeItem.objects.filter(codelist__key="aqt_element")}
    national, created = Scheme.objects.get_or_create(
        code="national-onsite",
        defaults=dict(
            name="全国安全社区现场评定表（暂行）", purpose="national", is_default=True,
            pass_total=Decimal("100"), rectify_total=Decimal("75"), zero_item_fails=True,
            **_later_fields(Scheme, declared_total=Decimal("150"), family="national-onsite"),
            description=("50个二级指标，每项3分=有无0.8+痕迹1.0+效果1.2，合计150分。第1要素（第1–5项）为已证实内容；"
                         "第6–50项在其余11个要素间的分配及其条目文字为待补充的占位内容，请市安委办按正式文本修改。"),
        ),
    )
    if created:
        number = 0
        rows = []
        for element_code, items in NATIONAL_ITEMS:
            for text, evidence, confirmed in items:
                number += 1
                rows.append(SchemeItem(
                    scheme=national, number=number, element=elements.get(element_code),
                    heading=elements[element_code].name if element_code in elements else "",
                    text=text if confirmed else f"{PLACEHOLDER}{text}", expected_evidence=evidence,
                    is_placeholder=not confirmed, presence_points=Decimal("0.8"),
                    evidence_points=Decimal("1.0"), effect_points=Decimal("1.2"),
                ))
        SchemeItem.objects.bulk_create(rows)

    isccc, created = Scheme.objects.get_or_create(
        code="isccc-self-check",
        defaults=dict(
            name="国际安全社区六项指标自查", purpose="self_check", pass_total=Decimal("36"),
            **_later_fields(Scheme, declared_total=Decimal("60"), family="isccc-self-check"),
            rectify_total=None, zero_item_fails=True,
            description="ISCCC six indicators (isccc.global); each 10 points = presence 3 + evidence 3 + effect 4.",
        ),
    )
    if created:
        SchemeItem.objects.bulk_create([
            SchemeItem(scheme=isccc, number=n, element=elements.get(code), heading=f"Indicator {n}", text=text,
                       presence_points=Decimal("3"), evidence_points=Decimal("3"), effect_points=Decimal("4"))
            for n, (code, text) in enumerate(ISCCC_ITEMS, start=1)
        ])
