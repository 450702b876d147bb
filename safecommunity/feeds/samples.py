"""Card-layout files for demo data, tests and benchmarks: the columns of the national injury
report card (全国伤害监测报告卡) as a sentinel hospital exports them (xlsx or csv, UTF-8 or GBK)."""

import csv
import io
import random
from datetime import date, timedelta

from openpyxl import Workbook

HEADERS = ["医院编号", "卡片编号", "身份证", "姓名", "年龄", "性别", "伤者现住址", "联系电话", "就诊日期",
           "伤害发生时间", "原因", "地点", "活动", "意图", "性质", "部位", "严重程度", "临床诊断", "结局"]

ADDRESSES = [
    "重庆市渝中区解放碑街道民族路88号",
    "重庆市渝中区七星岗街道中山一路12号",
    "渝中区解放碑八一路5号",
]


def row(card="C0001", name="张三", id_number="", age="45岁", sex="男", address=ADDRESSES[0], phone="",
        visit="2025-03-04", occurred="2025-03-04 14:20", cause="跌倒/坠落", place="家中", activity="家务",
        intent="非故意", nature="骨折", part="下肢", severity="轻", diagnosis="右腿骨折", outcome="处理后离院",
        hospital="H500103001"):
    return [hospital, card, id_number, name, age, sex, address, phone, visit, occurred, cause, place, activity,
            intent, nature, part, severity, diagnosis, outcome]


def clean_rows(n: int, *, prefix="C", seed=1, start=date(2025, 1, 1), addresses=ADDRESSES, days=300) -> list[list]:
    rnd = random.Random(seed)
    causes = ["跌倒/坠落", "机动车车祸", "刀/锐器伤", "烧烫伤", "动物伤", "钝器伤"]
    places = ["家中", "公路/街道", "学校与公共场所", "贸易和服务场所"]
    rows = []
    for i in range(n):
        day = start + timedelta(days=rnd.randrange(days))
        rows.append(row(
            card=f"{prefix}{i + 1:07d}", name=f"患者{i}", age=f"{rnd.randrange(1, 90)}岁", sex=rnd.choice("男女"),
            address=rnd.choice(addresses) + f"{i}号", visit=day.isoformat(), occurred=f"{day:%Y/%m/%d} 08:30",
            cause=rnd.choice(causes), place=rnd.choice(places), activity=rnd.choice(["家务", "步行", "休闲"]),
            severity=rnd.choice(["轻", "中", "重"]),
        ))
    return rows


def xlsx_bytes(rows, headers=HEADERS, title: str | None = None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("伤害监测报告卡")
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def district_rows(n: int, townships: dict[str, list[str]], *, seed=16, start=date(2025, 1, 1), days=300,
                  other_district: str = "", conflicts: tuple[str, str] = ("", "")):
    """A hospital export of `n` cases living in several districts (`townships`: district name →
    its township names), as a sentinel hospital near their borders writes them: full and short
    township names, with and without the district, street names that hold other townships'
    names, deaths (重度 + 死亡), the card's own intent values. Returns (rows, truth) where truth
    is {card number: (district, kind)} — kind "placed" (names a township of that district),
    "district" (names only the district), "conflict" (names `conflicts[0]` district with a
    township of `conflicts[1]`) or "outside" (not in the city)."""
    rnd = random.Random(seed)
    districts = list(townships)
    intents = ["非故意(意外事故)", "非故意", "故意(暴力、攻击)", "自残/自杀", "不清楚", "1", "3"]
    causes = ["跌倒/坠落", "机动车车祸", "刀/锐器伤", "烧烫伤", "动物伤", "钝器伤", "非机动车车祸", "溺水", "中毒"]
    places = ["家中", "公路/街道", "学校与公共场所", "贸易和服务场所", "工业和建筑场所", "体育和运动场所"]
    streets = ["中山三路", "民族路", "八一路", "建新北路", "长江路"]
    rows, truth = [], {}
    for i in range(n):
        card = f"K{i + 1:07d}"
        day = start + timedelta(days=rnd.randrange(days))
        r = rnd.random()
        district = rnd.choice(districts)
        town = rnd.choice(townships[district])
        street = f"{rnd.choice(streets)}{i % 400 + 1}号"
        short = town.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        if r < 0.55:
            address, kind = f"重庆市{district}{town}{street}", "placed"
        elif r < 0.75:
            address, kind = f"{district}{short}{street}", "placed"
        elif r < 0.85:
            address, kind = f"重庆{district[:-1]}{town}{street}", "placed"
        elif r < 0.93:
            address, kind = f"重庆市{district}{street}", "district"
        elif r < 0.97 and other_district:
            district, address, kind = other_district, f"重庆市{other_district}某路{i}号", "district"
        elif r < 0.985 and conflicts[0]:
            district = conflicts[0]
            address, kind = f"重庆市{conflicts[0]}{rnd.choice(townships[conflicts[1]])}{street}", "conflict"
        else:
            district, address, kind = "", f"四川省成都市武侯区某路{i}号", "outside"
        death = rnd.random() < 0.02
        rows.append(row(
            card=card, name=f"伤者{i}", age=f"{rnd.randrange(1, 95)}岁", sex=rnd.choice("男女"), address=address,
            visit=day.isoformat(), occurred=f"{day:%Y/%m/%d} {rnd.randrange(24):02d}:{rnd.randrange(60):02d}",
            cause=rnd.choice(causes), place=rnd.choice(places), activity=rnd.choice(["家务", "步行", "休闲活动", "工作"]),
            intent=rnd.choice(intents), severity="重度" if death else rnd.choice(["轻度", "中度", "重度", "轻", "中"]),
            outcome="死亡" if death else rnd.choice(["处理后离院", "住院", "转院"]), phone=f"138{i:08d}"))
        truth[card] = (district, kind, death)
    return rows, truth
