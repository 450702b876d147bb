import pytest

from safecommunity.reports.models import InformationOfficer, MonthlyReport

pytestmark = pytest.mark.django_db
S = MonthlyReport.Status
BASE = "/api/v1/monthly-reports/"


def test_the_api_is_scoped_like_the_pages(submitted, api_client_for, unit_a, district_a, district_b, city_admin,
                                          dept_ga):
    url = f"{BASE}{submitted.pk}/"
    for user in (unit_a, district_a, city_admin):
        r = api_client_for(user).get(url)
        assert r.status_code == 200 and r.data["status"] == "submitted" and r.data["period"] == "2026-03"
    assert api_client_for(district_b).get(url).status_code == 404
    assert api_client_for(dept_ga).get(url).status_code == 403
    assert [r["id"] for r in api_client_for(district_b).get(BASE).data["results"]] == []
    for sub in ("steps/", "reconcile/", "diff/", "comments/", "pdf/", "xlsx/"):
        assert api_client_for(district_a).get(url + sub).status_code == 200, sub
        assert api_client_for(district_b).get(url + sub).status_code == 404, sub


def test_the_workflow_through_the_api_cannot_skip_states(officers, records, api_client_for, unit_a, district_a,
                                                         district_b, city_admin):
    unit = api_client_for(unit_a)
    r = unit.post(BASE, {"period": "2026-03"}, format="json")
    assert r.status_code == 201 and r.data["figures"]["launched"] == 1
    pk = r.data["id"]
    assert unit.post(BASE, {"period": "bad"}, format="json").status_code == 400
    r = api_client_for(city_admin).post(f"{BASE}{pk}/approve/", {}, format="json")
    assert r.status_code == 400  # a draft cannot be approved
    r = unit.post(f"{BASE}{pk}/submit/", {}, format="json")
    assert r.status_code == 400 and "work_done" in r.data
    assert unit.patch(f"{BASE}{pk}/", {"work_done": "宣传"}, format="json").status_code == 200
    assert unit.post(f"{BASE}{pk}/submit/", {}, format="json").data["status"] == "submitted"
    assert unit.patch(f"{BASE}{pk}/", {"work_done": "改"}, format="json").status_code == 400
    assert api_client_for(district_b).post(f"{BASE}{pk}/approve/", {}, format="json").status_code == 404
    assert unit.post(f"{BASE}{pk}/approve/", {}, format="json").status_code == 403
    r = api_client_for(district_a).post(f"{BASE}{pk}/return/", {"reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.data
    r = api_client_for(district_a).post(f"{BASE}{pk}/return/", {"reason": "补充", "comments": {"work_done": "太短"}},
                                        format="json")
    assert r.data["status"] == "returned"
    unit.patch(f"{BASE}{pk}/", {"work_done": "宣传两次，培训一次"}, format="json")
    unit.post(f"{BASE}{pk}/submit/", {}, format="json")
    diff = api_client_for(district_a).get(f"{BASE}{pk}/diff/").data
    assert diff["versions"] == [1, 2] and diff["changes"][0]["field"] == "work_done"
    assert api_client_for(district_a).post(f"{BASE}{pk}/approve/", {}, format="json").data["status"] == \
        "district_approved"
    r = unit.post(f"{BASE}{pk}/unlock-request/", {"reason": "录错"}, format="json")
    assert r.status_code == 201
    r = api_client_for(district_a).post(f"{BASE}{pk}/unlock-decision/", {"grant": True}, format="json")
    assert r.data["status"] == "draft"


def test_bulk_board_and_completeness_endpoints(submitted, api_client_for, district_a, district_b, city_admin, unit_a):
    r = api_client_for(district_b).post(f"{BASE}bulk-approve/", {"reports": [submitted.pk]}, format="json")
    assert r.data == {"approved": [], "skipped": []}
    r = api_client_for(district_a).post(f"{BASE}bulk-approve/", {"reports": [submitted.pk]}, format="json")
    assert r.data["approved"] == [submitted.pk]
    board = api_client_for(district_a).get(f"{BASE}board/?period=2026-03").data
    assert board["level"] == "units" and {row["code"] for row in board["rows"]} == {"500103003", "500103001"}
    assert api_client_for(district_b).get(f"{BASE}board/?period=2026-03&district=500103").status_code == 404
    assert api_client_for(unit_a).get(f"{BASE}board/").status_code == 403
    city = api_client_for(city_admin).get(f"{BASE}completeness/?year=2026").data
    assert [d["code"] for d in city["districts"]] == ["500103", "500106"]
    assert api_client_for(city_admin).get(f"{BASE}completeness/?year=x").status_code == 400
    dist = api_client_for(district_a).get(f"{BASE}completeness/?year=2026").data
    march = next(m for m in dist["months"] if m["period"] == "2026-03")
    assert (march["expected"], march["submitted"]) == (2, 1)


def test_officers_api_is_scoped(officers, api_client_for, unit_a, unit_b, district_a):
    url = "/api/v1/information-officers/"
    r = api_client_for(unit_a).post(url, {"org_unit": "500106001", "name": "越权"}, format="json")
    assert r.status_code == 400 and "org_unit" in r.data
    r = api_client_for(unit_a).post(url, {"org_unit": "500103003", "name": "新人"}, format="json")
    assert r.status_code == 201
    other = officers["500106001"].pk
    assert api_client_for(unit_a).get(f"{url}{other}/").status_code == 404
    assert api_client_for(district_a).get(url).data["count"] == 4  # 渝中区, its two units, and the new one
    assert not InformationOfficer.objects.filter(name="越权").exists()


def test_every_workflow_action_is_404_out_of_scope_and_403_for_other_roles(submitted, api_client_for, district_b,
                                                                           dept_ga, expert):
    for action in ("submit", "approve", "return", "refresh-figures", "unlock-request", "unlock-decision",
                   "comments"):
        url = f"{BASE}{submitted.pk}/{action}/"
        assert api_client_for(district_b).post(url, {"reason": "x", "grant": True}, format="json").status_code == 404
        for user in (dept_ga, expert):
            assert api_client_for(user).post(url, {}, format="json").status_code == 403, (action, user)
    assert api_client_for(district_b).patch(f"{BASE}{submitted.pk}/", {"problems": "x"}, format="json").status_code \
        == 404
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and submitted.problems == "人手不足"
