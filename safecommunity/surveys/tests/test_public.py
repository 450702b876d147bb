"""The public phone page: no sign-in, one answer per device, invitation codes, rate limits."""

import pytest
from django.core.cache import cache
from django.test import Client

from safecommunity.surveys import services, views
from safecommunity.surveys.models import Invitation, Response

ANSWERS = {"q_W1": "1", "q_W2": "1", "q_W3": ["1", "3"], "q_J1": "2", "sex": "F", "age_band": "25-44"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def test_a_resident_answers_without_signing_in_and_once_per_device(make_round, client_for, unit_a):
    r = make_round()
    phone = Client()
    url = r.public_path()
    page = phone.get(url)
    assert page.status_code == 200
    assert "您是否听说过" in page.content.decode()
    done = phone.post(url, ANSWERS)
    assert done.status_code == 200
    assert "已收到" in done.content.decode()
    response = Response.objects.get(round=r)
    assert response.channel == Response.Channel.PUBLIC and response.sex == "F" and response.age_band == "25-44"
    assert sorted(response.answers.filter(question__code="W3").values_list("value", flat=True)) == ["1", "3"]
    # the same phone again: refused with a clear message, nothing saved
    again = phone.post(url, ANSWERS)
    assert "这部手机已经填写过本调查" in again.content.decode()
    assert phone.get(url).content.decode().count("这部手机已经填写过本调查") == 1
    assert Response.objects.filter(round=r).count() == 1
    # another phone may answer
    assert "已收到" in Client().post(url, ANSWERS).content.decode()
    assert Response.objects.filter(round=r).count() == 2


def test_skip_logic_and_required_questions(make_round):
    r = make_round()
    phone = Client()
    # W2 = 2 (no): W3 is skipped and may stay empty; J1 is required
    bad = phone.post(r.public_path(), {"q_W1": "1", "q_W2": "2"})
    assert bad.status_code == 400
    assert "J1：此题需要回答。" in bad.content.decode() or "J1" in bad.content.decode()
    assert not Response.objects.exists()
    ok = phone.post(r.public_path(), {"q_W1": "1", "q_W2": "2", "q_J1": "2", "q_W3": ["1"]})
    assert ok.status_code == 200
    # the skipped question's answer is not stored
    assert not Response.objects.get().answers.filter(question__code="W3").exists()
    # W2 = 1 (yes): W3 becomes required
    with pytest.raises(Exception) as exc:
        services.clean_answers(r.questionnaire, {"W1": ["1"], "W2": ["1"], "J1": ["2"]})
    assert "W3" in str(exc.value)


def test_an_invitation_code_is_required_where_the_round_says_so(make_round, unit_a):
    r = make_round(requires_code=True)
    (invitation,) = services.invitations_create(survey_round=r, count=1, actor=unit_a)
    phone = Client()
    missing = phone.post(r.public_path(), ANSWERS)
    assert missing.status_code == 400
    assert "邀请码无效" in missing.content.decode()
    wrong = phone.post(r.public_path(), {**ANSWERS, "code": "NOTACODE"})
    assert "邀请码无效" in wrong.content.decode()
    assert not Response.objects.exists()
    ok = phone.post(r.public_path(), {**ANSWERS, "code": invitation.code.lower()})
    assert "已收到" in ok.content.decode()
    # the code is spent: another phone cannot reuse it
    reused = Client().post(r.public_path(), {**ANSWERS, "code": invitation.code})
    assert "邀请码已经使用过" in reused.content.decode()
    assert Response.objects.count() == 1
    assert Invitation.objects.get().used_at is not None


def test_a_closed_round_and_stuffing_are_refused(make_round, unit_a, monkeypatch):
    r = make_round()
    monkeypatch.setattr(views, "RATE_LIMIT", 2)
    for _i in range(2):
        assert Client().post(r.public_path(), ANSWERS).status_code == 200
    stuffed = Client().post(r.public_path(), ANSWERS)
    assert stuffed.status_code == 429
    assert "请稍后再试" in stuffed.content.decode()
    assert Response.objects.count() == 2
    services.round_close(survey_round=r, actor=unit_a)
    assert "本调查已结束" in Client().get(r.public_path()).content.decode()


def test_the_public_page_asks_no_personal_data(make_round):
    page = Client().get(make_round().public_path()).content.decode()
    for word in ("姓名", "手机号码", "身份证"):
        assert f'name="{word}' not in page
    assert "不收集您的姓名" in page or "匿名" in page


def test_an_unknown_link_is_404(db):
    assert Client().get("/surveys/s/nosuchtoken/").status_code == 404
