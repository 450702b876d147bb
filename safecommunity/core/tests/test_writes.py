"""Every write goes through a service with `actor` (docs/DEVELOPING.md, "Writes"): the generic
create/update/delete pages name theirs, and the services check role and scope, name the field
on bad input and write nothing then."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import URLPattern, URLResolver, get_resolver

from safecommunity.core.views import ScopedDeleteView, ScopedFormMixin, ServiceFormView


def view_classes(patterns=None):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from view_classes(p.url_patterns)
        elif isinstance(p, URLPattern) and hasattr(p.callback, "view_class"):
            yield p.callback.view_class


def test_every_generic_form_page_saves_through_a_service():
    forms = {c for c in view_classes() if issubclass(c, ScopedFormMixin)}
    deletes = {c for c in view_classes() if issubclass(c, ScopedDeleteView)}
    assert forms and deletes
    assert sorted(c.__name__ for c in forms if c.save_service is ScopedFormMixin.save_service) == []
    assert sorted(c.__name__ for c in deletes if c.delete_service is ScopedDeleteView.delete_service
                  and c.form_valid is ScopedDeleteView.form_valid) == []


def test_every_form_page_is_the_one_service_form_view_and_names_its_service():
    pages = {c for c in view_classes() if issubclass(c, ServiceFormView)}
    assert len(pages) >= 30  # creation, evaluation, hazards, injuries, patrols, scorecard, orgunits…
    assert sorted(c.__name__ for c in pages if c.perform is ServiceFormView.perform) == []


@pytest.mark.django_db
def test_an_officer_is_saved_in_the_actors_area_only(unit_a, unit_b, district_a):
    from safecommunity.reports.models import InformationOfficer
    from safecommunity.reports.services import officer_delete, officer_save

    officer = officer_save(officer=InformationOfficer(org_unit=unit_a.org_unit, name="刘信息员"), actor=district_a)
    assert InformationOfficer.objects.get(pk=officer.pk).org_unit == unit_a.org_unit
    with pytest.raises(PermissionDenied):
        officer_save(officer=InformationOfficer(org_unit=unit_b.org_unit, name="外区"), actor=district_a)
    with pytest.raises(ValidationError) as exc:
        officer_save(officer=InformationOfficer(org_unit=unit_a.org_unit, name=""), actor=district_a)
    assert "name" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        officer_delete(officer=officer, actor=unit_b)
    assert InformationOfficer.objects.filter(pk=officer.pk).exists()
    assert InformationOfficer.objects.count() == 1


@pytest.mark.django_db
def test_a_deadline_is_set_by_the_city_and_must_follow_its_month(city_admin, district_a):
    from safecommunity.reports.models import ReportDeadline
    from safecommunity.reports.services import deadline_set

    with pytest.raises(PermissionDenied):
        deadline_set(actor=district_a, period=datetime.date(2026, 3, 1), due_on=datetime.date(2026, 4, 8))
    with pytest.raises(ValidationError) as exc:
        deadline_set(actor=city_admin, period=datetime.date(2026, 3, 15), due_on=datetime.date(2026, 2, 28))
    assert "due_on" in exc.value.message_dict and "月" in exc.value.message_dict["due_on"][0]
    assert not ReportDeadline.objects.exists()
    deadline_set(actor=city_admin, period=datetime.date(2026, 3, 15), due_on=datetime.date(2026, 4, 8))
    deadline_set(actor=city_admin, period=datetime.date(2026, 3, 1), due_on=datetime.date(2026, 4, 9), note="清明")
    assert list(ReportDeadline.objects.values_list("period", "due_on", "note")) == [
        (datetime.date(2026, 3, 1), datetime.date(2026, 4, 9), "清明")]


@pytest.mark.django_db
def test_only_the_system_admin_adds_an_org_unit(sysadmin, city_admin):
    from safecommunity.orgunits.models import OrgUnit
    from safecommunity.orgunits.services import orgunit_create

    data = {"code": "500103099", "name": "新设街道", "level": "township", "parent_code": "500103"}
    with pytest.raises(PermissionDenied):
        orgunit_create(actor=city_admin, **data)
    assert not OrgUnit.objects.filter(code="500103099").exists()
    unit = orgunit_create(actor=sysadmin, **data)
    assert unit.parent.code == "500103" and unit.creating_unit is not None
