import io

import pytest

from safecommunity.patrols.models import Patrol, PatrolPoint

pytestmark = pytest.mark.django_db


def test_the_demo_has_marked_and_missed_patrols_and_is_idempotent(tree):
    from safecommunity.accounts.tests.factories import UserFactory
    from safecommunity.patrols import demo
    from safecommunity.patrols.selectors import points_due

    for username, code in [("jiefangbei_worker", "500103003"), ("qixinggang_worker", "500103001"),
                           ("xiaolongkan_worker", "500106001")]:
        UserFactory(username=username, role="unit", code=code)
    demo.build(stdout=io.StringIO())
    assert PatrolPoint.objects.count() == 4 and Patrol.objects.count() == 4
    assert Patrol.objects.filter(too_far=True, outside_window=True).count() == 1
    assert any(d.missed for d in points_due(PatrolPoint.objects.all()))
    demo.build(stdout=io.StringIO())
    assert PatrolPoint.objects.count() == 4 and Patrol.objects.count() == 4
