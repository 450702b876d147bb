"""Hospital feeds in the browser: upload a hospital export → preview → import."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(transactional_db):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.core.models import CodeItem
    from safecommunity.injuries.models import ReportingSource
    from safecommunity.orgunits.models import OrgUnit
    from safecommunity.orgunits.services import divisions_load

    divisions_load(only_districts={"500103", "500106"})
    user = UserFactory(username="yuzhong_feeds", role="district", code="500103")
    ReportingSource.objects.create(org_unit=OrgUnit.objects.get(code="500103003"), name="市第一人民医院",
                                   kind=CodeItem.objects.get(codelist__key="injury_source_kind", code="hospital"))
    return user


def test_upload_preview_import(page, live_server, login, officer, tmp_path, external_requests):
    from safecommunity.feeds import samples as cardfiles
    from safecommunity.feeds.models import FeedUpload
    from safecommunity.injuries.models import InjuryRecord

    rows = cardfiles.clean_rows(8) + [cardfiles.row(card="BAD", age="不详"),
                                      cardfiles.row(card="FAR", address="重庆市沙坪坝区小龙坎街道"),
                                      cardfiles.row(card="NEAR", address="重庆市渝中区中山三路1号")]
    path = tmp_path / "医院导出.xlsx"
    path.write_bytes(cardfiles.xlsx_bytes(rows, title="伤害监测报告卡"))

    login(page, officer)
    page.goto(f"{live_server.url}/feeds/")
    page.locator(".sc-toolbar a", has_text="导入").click()
    page.select_option("#id_source", label="市第一人民医院")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并预览").click()

    page.wait_for_selector("#feed-counts")
    assert page.locator("#rows-ready").inner_text() == "9"
    assert page.locator("#rows-problem").inner_text() == "1"
    assert page.locator("#rows-unplaced").inner_text() == "1"
    assert "解放碑街道" in page.locator("#per-unit").inner_text()
    assert "中山三路" in page.locator("#unplaced").inner_text()  # 渝中区, no township: placed by hand
    assert "沙坪坝区" in page.locator("#elsewhere").inner_text()  # 沙坪坝区's case: not imported here
    assert InjuryRecord.objects.count() == 0  # nothing written by the preview

    page.click("#feed-import")
    page.wait_for_selector("#feed-status:has-text('已导入')")
    assert page.locator("#rows-ready").inner_text() == "8"
    assert InjuryRecord.objects.count() == 8
    assert FeedUpload.objects.get().status == FeedUpload.Status.IMPORTED
    assert external_requests == []


def test_the_upload_page_shows_the_analysis_then_the_preview(page, live_server, login, officer, tmp_path,
                                                            settings, monkeypatch, external_requests):
    """As in production: the upload answers at once (分析中, a progress bar); the worker reads the
    file meanwhile, and the page, polling, reloads itself with the preview when it is done."""
    from safecommunity.core import jobs, tasks
    from safecommunity.core.models import Job
    from safecommunity.feeds import samples as cardfiles

    settings.JOBS_RUN_AT_ONCE = False
    handed = []
    monkeypatch.setattr(tasks.run_job, "delay", lambda *args: handed.append(args))  # the queue, no worker yet
    path = tmp_path / "医院导出.xlsx"
    path.write_bytes(cardfiles.xlsx_bytes(cardfiles.clean_rows(5), title="伤害监测报告卡"))
    page.set_viewport_size({"width": 1440, "height": 900})
    login(page, officer)
    page.goto(f"{live_server.url}/feeds/new/")
    page.select_option("#id_source", label="市第一人民医院")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并预览").click()
    page.wait_for_selector("#feed-status:has-text('分析中')")
    assert page.locator("#feed-job [data-status]").inner_text() == "排队中"
    assert page.locator("#feed-job .progress-bar").count() == 1 and page.locator("#feed-counts").count() == 0
    page.screenshot(path="/tmp/feeds-analysing-1440.png", full_page=True)
    assert len(handed) == 1
    jobs.execute(*handed[0])  # the worker
    assert Job.objects.get().status == Job.Status.DONE
    page.wait_for_selector("#feed-counts")  # reloaded by itself (HX-Refresh)
    assert page.locator("#rows-ready").inner_text() == "5" and page.locator("#feed-status").inner_text() == "预览"
    assert external_requests == []
