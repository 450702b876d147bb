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
