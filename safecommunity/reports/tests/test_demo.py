import io

import pytest

from safecommunity.reports.models import MonthlyReport, UnlockRequest

pytestmark = pytest.mark.django_db


def test_the_demo_builds_a_year_of_mixed_reports_and_is_idempotent(tree):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.reports import demo

    for username, role, code in [("city_admin", "city", "500000"), ("yuzhong_admin", "district", "500103"),
                                 ("shapingba_admin", "district", "500106"),
                                 ("jiefangbei_worker", "unit", "500103003"),
                                 ("qixinggang_worker", "unit", "500103001"),
                                 ("xiaolongkan_worker", "unit", "500106001")]:
        UserFactory(username=username, role=role, code=code)
    demo.build(stdout=io.StringIO())
    count = MonthlyReport.objects.count()
    statuses = set(MonthlyReport.objects.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "returned", "district_approved", "approved"}
    assert MonthlyReport.objects.filter(is_nil=True).count() == 3
    assert MonthlyReport.objects.filter(version=2).exists()
    assert UnlockRequest.objects.filter(status="pending").count() == 1
    assert MonthlyReport.objects.filter(kind="district", status="approved").count() == 20
    demo.build(stdout=io.StringIO())
    assert MonthlyReport.objects.count() == count
