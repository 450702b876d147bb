"""System code lists (字典) that ship with the product. Cities edit items in the UI;
code values are stable identifiers that other data and imports refer to.

Apps seed their own lists from a data migration with `seed_codelist(apps, ...)`.
"""

SAFETY_AREA = "safety_area"
AQT_ELEMENT = "aqt_element"

SAFETY_AREAS = [
    ("traffic", "交通安全", "Traffic safety"),
    ("fire", "消防安全", "Fire safety"),
    ("workplace", "工作场所安全", "Workplace safety"),
    ("home", "居家安全", "Home safety"),
    ("elderly", "老年人安全", "Safety of the elderly"),
    ("children", "儿童安全", "Child safety"),
    ("school", "学校安全", "School safety"),
    ("public_place", "公共场所安全", "Public place safety"),
    ("sports", "体育运动安全", "Sports safety"),
    ("water", "涉水安全", "Water safety"),
    ("public_security", "社会治安", "Public security"),
    ("disaster_env", "防灾减灾与环境安全", "Disaster reduction and environmental safety"),
]

# The 12 elements of AQ/T 9001-2006, in the standard's order.
AQT_ELEMENTS = [
    ("E01", "安全社区创建机构与职责", "Organisation and responsibilities"),
    ("E02", "信息交流和全员参与", "Communication and participation"),
    ("E03", "事故与伤害风险辨识及其评价", "Risk identification and assessment"),
    ("E04", "事故与伤害预防目标及计划", "Prevention goals and plans"),
    ("E05", "安全促进项目", "Safety promotion projects"),
    ("E06", "宣传教育与培训", "Publicity, education and training"),
    ("E07", "应急预案和响应", "Emergency plans and response"),
    ("E08", "监测与监督", "Monitoring and supervision"),
    ("E09", "事故与伤害记录", "Accident and injury records"),
    ("E10", "安全社区创建档案", "Creation archive"),
    ("E11", "预防与纠正措施", "Preventive and corrective actions"),
    ("E12", "评审与持续改进", "Review and continual improvement"),
]


def seed_codelist(apps, key: str, name: str, items, *, system: bool = True, description: str = "") -> None:
    """For data migrations: create the list and any missing items; never overwrite UI edits."""
    CodeList = apps.get_model("core", "CodeList")
    CodeItem = apps.get_model("core", "CodeItem")
    codelist, _ = CodeList.objects.get_or_create(
        key=key, defaults={"name": name, "is_system": system, "description": description}
    )
    existing = set(CodeItem.objects.filter(codelist=codelist).values_list("code", flat=True))
    CodeItem.objects.bulk_create(
        [
            CodeItem(
                codelist=codelist,
                code=item[0],
                name=item[1],
                name_en=item[2] if len(item) > 2 else "",
                sort_order=order * 10,
            )
            for order, item in enumerate(items, start=1)
            if item[0] not in existing
        ]
    )
