"""Issue 16, "done when": one hospital export in the card layout, uploaded by three district
offices in any order, gives each district exactly the cases whose addresses name it, every death
stored as a death, no row flagged that a person would accept, and each flagged row a reason.
2,000 rows here (bench/feeds_import.py --districts runs the same kind of file at 20,000)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safecommunity.core.models import CodeItem
from safecommunity.feeds import samples as cardfiles
from safecommunity.feeds import services
from safecommunity.feeds.models import FeedCase
from safecommunity.injuries import choices
from safecommunity.injuries.models import InjuryRecord, ReportingSource
from safecommunity.orgunits.models import OrgUnit
from safecommunity.orgunits.services import divisions_load

DISTRICTS = {"渝中区": "500103", "渝北区": "500112", "沙坪坝区": "500106"}
OTHER = "江北区"  # cases of a district that uploads nothing
ROWS = 2000


@pytest.fixture
def city(db):
    from safecommunity.accounts.tests.factories import UserFactory

    divisions_load()
    kind = CodeItem.objects.get(codelist__key=choices.SOURCE_KIND, code="hospital")
    offices = {}
    for name, code in DISTRICTS.items():
        district = OrgUnit.objects.get(code=code)
        township = OrgUnit.objects.filter(parent=district).order_by("code").first()
        offices[name] = (
            UserFactory(username=f"office{code}", role="district", code=code),
            ReportingSource.objects.create(org_unit=township, name="重庆医科大学附属第一医院", kind=kind),
        )
    townships = {name: list(OrgUnit.objects.filter(parent__code=code).values_list("name", flat=True))
                 for name, code in DISTRICTS.items()}
    return offices, townships


@pytest.mark.parametrize("order", [("渝中区", "渝北区", "沙坪坝区"), ("渝北区", "沙坪坝区", "渝中区"),
                                   ("沙坪坝区", "渝中区", "渝北区")])
def test_three_districts_upload_one_export_in_any_order(city, order):
    offices, townships = city
    rows, truth = cardfiles.district_rows(ROWS, townships, other_district=OTHER, conflicts=("渝北区", "渝中区"))
    data = cardfiles.xlsx_bytes(rows)
    uploads = {}
    for name in order:
        user, source = offices[name]
        upload = services.upload_create(actor=user, source=source, uploaded=SimpleUploadedFile("医院导出.xlsx", data))
        uploads[name] = services.upload_import(actor=user, upload=upload)

    row_of = {r[1]: n for n, r in enumerate(rows, start=2)}
    for name, upload in uploads.items():
        district = OrgUnit.objects.get(code=DISTRICTS[name])
        mine = {c for c, (d, kind, _death) in truth.items() if d == name and kind == "placed"}
        records = InjuryRecord.objects.filter(org_unit__parent=district)
        assert set(records.values_list("feed_case__card_number", flat=True)) == mine, name
        assert not InjuryRecord.objects.filter(feed_case__upload=upload).exclude(org_unit__parent=district).exists()
        # every death stored as a death
        deaths = {c for c in mine if truth[c][2]}
        assert set(records.filter(outcome__code="death").values_list("feed_case__card_number", flat=True)) == deaths
        assert set(records.filter(severity__code="death").values_list("feed_case__card_number", flat=True)) == deaths
        # waiting to be placed by hand: the addresses naming only this district, and those outside the city
        waiting = {c for c, (d, kind, _x) in truth.items() if kind == "outside" or (d == name and kind == "district")}
        assert set(FeedCase.objects.filter(upload=upload, status=FeedCase.Status.UNPLACED).values_list(
            "card_number", flat=True)) == waiting, name
        # flagged: only the rows whose address contradicts itself (渝北区 + a 渝中区 street), each with its reason
        flagged = {c for c, (d, kind, _x) in truth.items() if kind == "conflict" and d == name}
        assert set(upload.summary["problem_rows"]) == {row_of[c] for c in flagged}, upload.summary["problems"][:5]
        for _row, column, reason in upload.summary["problems"]:
            assert column == "伤者现住址" and "地址所写区县与乡镇不符" in reason and "渝中区" in reason
        # the rest belong to the other districts, counted per district, not imported here
        theirs = sum(1 for d, kind, _x in truth.values() if d not in (name, "") and not (kind == "conflict" and d == name))
        assert sum(n for _d, n in upload.summary["elsewhere"]) == theirs
        assert upload.rows_read == ROWS
    assert {n: u.rows_problem for n, u in uploads.items()} == {
        "渝中区": 0, "沙坪坝区": 0, "渝北区": sum(1 for _d, k, _x in truth.values() if k == "conflict")}
    assert not FeedCase.objects.filter(status=FeedCase.Status.DUPLICATE).exists()
