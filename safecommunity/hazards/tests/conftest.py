import pytest

from safecommunity.hazards.tests.factories import report, unit


@pytest.fixture
def hazard(unit_a):
    return report(unit_a)


@pytest.fixture
def run_loop(district_a, unit_a):
    """Drive a hazard of 解放碑街道 to a given status through the services."""
    from safecommunity.hazards import services
    from safecommunity.hazards.tests.factories import photo

    def run(hazard, to, *, department=None):
        order = ["assigned", "rectifying", "awaiting", "closed"]
        for step in order[: order.index(to) + 1]:
            if step == "assigned":
                hazard = services.hazard_assign(hazard=hazard, actor=district_a, responsible_unit=unit("500103003"),
                                                department=department)
            elif step == "rectifying":
                hazard = services.hazard_start(hazard=hazard, actor=unit_a)
            elif step == "awaiting":
                hazard = services.hazard_submit(hazard=hazard, actor=unit_a, measures="清理杂物，设置警示标志",
                                                cost=1200, photos=[photo()])
            elif step == "closed":
                hazard = services.hazard_accept(hazard=hazard, actor=district_a, note="现场验收合格")
        return hazard

    return run
