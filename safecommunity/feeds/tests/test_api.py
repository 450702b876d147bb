"""The push API: a hospital system's token submits cases of its own source only."""

import pytest
from rest_framework.test import APIClient

from safecommunity.feeds import push
from safecommunity.feeds.models import FeedCase, FeedToken, FeedUpload
from safecommunity.injuries.models import InjuryRecord

CASE = {"卡片编号": "P1", "姓名": "赵六", "年龄": "45岁", "性别": "男", "伤者现住址": "重庆市渝中区解放碑街道民族路1号",
        "伤害发生时间": "2025-03-04 14:20", "就诊日期": "2025-03-04", "原因": "跌倒/坠落", "地点": "家中", "活动": "家务",
        "意图": "非故意", "严重程度": "轻", "结局": "处理后离院"}


@pytest.fixture
def token(district_a, hospitals):
    token, key = push.token_issue(actor=district_a, source=hospitals["a"], name="HIS")
    return token, key


def _client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"FeedToken {key}")
    return client


def test_push_imports_cases_of_its_source(token, tree):
    _t, key = token
    response = _client(key).post("/api/v1/feeds/push/", {"cases": [CASE, {**CASE, "卡片编号": "P2", "伤者现住址": "七星岗"}]},
                                 format="json")
    assert response.status_code == 201, response.content
    assert response.json()["imported"] == 2
    case = FeedCase.objects.get(card_number="P1")
    assert case.source.name == "市第一人民医院" and case.upload.channel == FeedUpload.Channel.API
    assert case.record.org_unit == tree["500103003"]
    # a retry of the same cases changes nothing
    response = _client(key).post("/api/v1/feeds/push/", {"cases": [CASE]}, format="json")
    assert response.status_code == 201 and response.json()["already_received"] == 1
    assert InjuryRecord.objects.count() == 2


def test_push_for_another_source_or_unit_is_refused(token, hospitals):
    _t, key = token
    response = _client(key).post("/api/v1/feeds/push/", {"cases": [{**CASE, "source": hospitals["b"].pk}]}, format="json")
    assert response.status_code == 403
    response = _client(key).post("/api/v1/feeds/push/", {"cases": [{**CASE, "org_unit": "500106001"}]}, format="json")
    assert response.status_code == 403
    assert InjuryRecord.objects.count() == 0 and FeedUpload.objects.count() == 0
    # a unit inside the issuer's scope may be named explicitly
    response = _client(key).post("/api/v1/feeds/push/", {"cases": [{**CASE, "org_unit": "500103001"}]}, format="json")
    assert response.status_code == 201
    assert InjuryRecord.objects.get().org_unit.code == "500103001"


def test_push_address_in_another_district_is_not_imported_by_this_token(token, tree):
    """A case is placed only where its address says: 小龙坎街道 is 沙坪坝区's, not the token's 渝中区."""
    _t, key = token
    response = _client(key).post("/api/v1/feeds/push/", {"cases": [{**CASE, "伤者现住址": "沙坪坝区小龙坎街道"}]},
                                 format="json")
    assert response.status_code == 201
    assert response.json()["other_districts"] == 1 and response.json()["imported"] == 0
    assert not FeedCase.objects.exists() and not InjuryRecord.objects.exists()


def test_push_address_naming_no_township_waits_inside_the_scope(token, tree):
    _t, key = token
    response = _client(key).post("/api/v1/feeds/push/", {"cases": [{**CASE, "伤者现住址": "四川省成都市武侯区某路1号"}]},
                                 format="json")
    assert response.status_code == 201 and response.json()["to_place_by_hand"] == 1
    case = FeedCase.objects.get()
    assert case.status == FeedCase.Status.UNPLACED and case.org_unit == tree["500103"]


def test_push_token_cannot_read_anything(token):
    _t, key = token
    client = _client(key)
    for url in ("/api/v1/injuries/records/", "/api/v1/feeds/uploads/", "/api/v1/feeds/cases/",
                "/api/v1/injuries/sources/"):
        assert client.get(url).status_code in (401, 403), url
    assert client.get("/api/v1/feeds/push/").status_code in (403, 405)


def test_bad_cases_are_refused_whole_with_reasons(token):
    _t, key = token
    response = _client(key).post("/api/v1/feeds/push/", {"cases": [CASE, {**CASE, "卡片编号": "P9", "年龄": "不详"}]},
                                 format="json")
    assert response.status_code == 400
    assert any("年龄" in m and ("Case 2" in m or "第2" in m) for m in response.json()["cases"]), response.json()
    assert InjuryRecord.objects.count() == 0 and FeedUpload.objects.count() == 0
    assert _client(key).post("/api/v1/feeds/push/", {"cases": []}, format="json").status_code == 400


def test_revoked_or_wrong_token_and_users_cannot_push(token, district_a, api_client_for):
    t, key = token
    assert _client("sc_wrong").post("/api/v1/feeds/push/", {"cases": [CASE]}, format="json").status_code == 401
    assert api_client_for(district_a).post("/api/v1/feeds/push/", {"cases": [CASE]}, format="json").status_code in (401, 403)
    push.token_revoke(actor=district_a, token=t)
    assert _client(key).post("/api/v1/feeds/push/", {"cases": [CASE]}, format="json").status_code == 401
    assert InjuryRecord.objects.count() == 0


def test_only_the_key_hash_is_stored(token):
    t, key = token
    assert key not in (t.key_hash, t.prefix) and FeedToken.hash_key(key) == t.key_hash


def test_upload_and_case_api_is_scoped(token, district_a, district_b, dept_ga, api_client_for):
    _t, key = token
    _client(key).post("/api/v1/feeds/push/", {"cases": [CASE]}, format="json")
    upload = FeedUpload.objects.get()
    assert api_client_for(district_a).get("/api/v1/feeds/uploads/").json()["count"] == 1
    assert api_client_for(district_b).get("/api/v1/feeds/uploads/").json()["count"] == 0
    assert api_client_for(district_b).get(f"/api/v1/feeds/uploads/{upload.pk}/").status_code == 404
    assert api_client_for(district_b).get("/api/v1/feeds/cases/").json()["count"] == 0
    assert api_client_for(dept_ga).get("/api/v1/feeds/uploads/").status_code == 403
