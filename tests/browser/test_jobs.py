"""A job's page in Chromium (1440×900): the progress bar advances while the worker works, without
reloading; a reload shows where it is (read from the job, not kept by the page); when the job
ends the download link appears and gives the file."""

import pytest

from safecommunity.core import jobs
from safecommunity.core.models import Job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOOK = {}


@jobs.job_kind("tests.browser_steps")
def _steps(run):
    """Ten steps; at the steps in params["look_at"] the test looks at the page in the browser."""
    for i in range(1, 11):
        run.progress(i, 10, "处理中")
        if i in run.params["look_at"]:
            LOOK["at"](i)
    run.save_file("结果.txt", "十步都做完了".encode())


def test_the_progress_bar_advances_survives_a_reload_and_ends_with_the_file(browser, live_server, unit_a):
    from safecommunity.accounts.tests.factories import TEST_PASSWORD

    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", unit_a.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    job = Job.objects.create(kind="tests.browser_steps", owner=unit_a, title="十步任务", params={"look_at": [3, 6]})
    url = f"{live_server.url}/jobs/{job.pk}/"
    bar = page.locator(f"#job-{job.pk} .progress-bar")
    seen = []

    def look(step):
        if step == 3:
            page.goto(url)
            assert page.locator(f"#job-{job.pk} [data-status]").inner_text() == "运行中"
            assert bar.inner_text() == "30%"
        else:  # not reloaded: the block polls and the bar moves on by itself
            page.wait_for_function(f"document.querySelector('#job-{job.pk} .progress-bar').innerText === '60%'")
            page.screenshot(path="/tmp/jobs-progress-1440.png", full_page=True)
            page.reload()
            assert bar.inner_text() == "60%"  # a reload shows the job where it is
            assert "6 / 10" in page.locator(f"#job-{job.pk}").inner_text()
        seen.append(step)

    LOOK["at"] = look
    jobs.execute(job.pk, 1)
    assert seen == [3, 6]
    # the worker has ended: the block's next poll shows 已完成 and the file
    link = page.locator("[data-job-file]")
    link.wait_for()
    assert page.locator(f"#job-{job.pk} [data-status]").inner_text() == "已完成" and bar.inner_text() == "100%"
    page.screenshot(path="/tmp/jobs-done-1440.png", full_page=True)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "结果.txt"
    with open(download.value.path(), encoding="utf-8") as fh:
        assert fh.read() == "十步都做完了"
    page.goto(f"{live_server.url}/jobs/")
    assert "十步任务" in page.content() and "已完成" in page.content()
    context.close()
