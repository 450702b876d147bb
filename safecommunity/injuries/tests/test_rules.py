"""Every validation rule of a case, through the service (the path of the form and the API)."""

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safecommunity.injuries import choices, rules, services
from safecommunity.injuries.models import InjuryRecord, InjuryStat, NilReport


def save(actor, kw, **personal):
    return services.record_save(actor=actor, record=InjuryRecord(**kw), **personal)


def errors_of(exc):
    return exc.value.message_dict


@pytest.mark.django_db
class TestCaseRules:
    def test_plausible_case_is_saved_with_age_band_and_summary(self, unit_a, record_kwargs):
        r = save(unit_a, record_kwargs(age=67))
        assert r.age_band == "60-74"
        assert InjuryStat.objects.get(org_unit=r.org_unit, year=r.occurred_on.year, dimension="total").count == 1

    def test_future_date(self, unit_a, record_kwargs):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(occurred_on=date.today() + timedelta(days=1)))
        assert "将来" in errors_of(exc)["occurred_on"][0]
        assert not InjuryRecord.objects.exists()

    def test_future_time_today(self, unit_a, record_kwargs):
        now = timezone.localtime()
        if now.hour == 23:
            pytest.skip("no later time today")
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(occurred_on=now.date(), occurred_time=time(23, 59)))
        assert "occurred_time" in errors_of(exc)

    def test_date_before_2000(self, unit_a, record_kwargs):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(occurred_on=date(1999, 12, 31)))
        assert "2000" in errors_of(exc)["occurred_on"][0]

    def test_age_over_120(self, unit_a, record_kwargs):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(age=121))
        assert "120" in errors_of(exc)["age"][0]
        assert not InjuryRecord.objects.exists()

    def test_age_120_is_allowed(self, unit_a, record_kwargs):
        assert save(unit_a, record_kwargs(age=120)).age_band == "75+"

    def test_death_with_outcome_recovered(self, unit_a, record_kwargs, code):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(severity=code(choices.SEVERITY, "death"), outcome=code(choices.OUTCOME, "recovered")))
        assert "痊愈" in errors_of(exc)["outcome"][0]

    def test_outcome_death_needs_severity_death(self, unit_a, record_kwargs, code):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(outcome=code(choices.OUTCOME, "death")))
        assert "severity" in errors_of(exc)

    def test_death_with_death_is_fine(self, unit_a, record_kwargs, code):
        save(unit_a, record_kwargs(severity=code(choices.SEVERITY, "death"), outcome=code(choices.OUTCOME, "death")))

    def test_invalid_id_number(self, unit_a, record_kwargs):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(), id_number="500103198001011234")
        assert "身份证" in errors_of(exc)["id_number"][0]

    def test_age_must_match_id_number(self, unit_a, record_kwargs):
        # 11010519491231002X is the standard's example number (born 1949-12-31).
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(age=30), id_number="11010519491231002X")
        assert "age" in errors_of(exc)

    def test_valid_id_number_and_age(self, unit_a, record_kwargs):
        day = date.today() - timedelta(days=3)
        age = rules.age_on(date(1949, 12, 31), day)
        r = save(unit_a, record_kwargs(age=age), id_number="11010519491231002x")
        assert r.personal_clear()["id_number"] == "11010519491231002X"

    def test_bad_phone(self, unit_a, record_kwargs):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(), phone="call me")
        assert "phone" in errors_of(exc)

    def test_required_fields(self, unit_a, record_kwargs):
        kw = record_kwargs()
        del kw["mechanism"]
        with pytest.raises(ValidationError) as exc:
            save(unit_a, kw)
        assert "mechanism" in errors_of(exc)

    def test_code_from_the_wrong_list(self, unit_a, record_kwargs, code):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(mechanism=code(choices.PLACE, "home")))
        assert "mechanism" in errors_of(exc)

    def test_source_of_another_unit(self, unit_a, record_kwargs, sources):
        with pytest.raises(ValidationError) as exc:
            save(unit_a, record_kwargs(source=sources["500103001"]))
        assert "source" in errors_of(exc)

    def test_district_is_not_a_creating_unit(self, district_a, record_kwargs, tree):
        with pytest.raises(ValidationError) as exc:
            save(district_a, record_kwargs(org_unit=tree["500103"]))
        assert "org_unit" in errors_of(exc)

    def test_nil_report_conflict(self, unit_a, record_kwargs, code, tree):
        kw = record_kwargs()
        NilReport.objects.create(org_unit=tree["500103003"], safety_area=kw["safety_area"], month=kw["occurred_on"].replace(day=1))
        with pytest.raises(ValidationError) as exc:
            save(unit_a, kw)
        assert "零报告" in errors_of(exc)["safety_area"][0]

    def test_other_unit_and_other_district_refused(self, unit_a2, district_b, record_kwargs):
        with pytest.raises(PermissionDenied):
            save(unit_a2, record_kwargs())
        with pytest.raises(PermissionDenied):
            save(district_b, record_kwargs())
        assert not InjuryRecord.objects.exists()

    def test_wrong_role_refused(self, city_admin, dept_ga, expert, record_kwargs):
        for user in (city_admin, dept_ga, expert):
            with pytest.raises(PermissionDenied):
                save(user, record_kwargs())

    def test_update_moves_summary_between_years(self, unit_a, record_kwargs):
        r = save(unit_a, record_kwargs())
        year = r.occurred_on.year
        r.occurred_on = date(year - 1, 6, 1)
        services.record_save(actor=unit_a, record=r)
        totals = dict(InjuryStat.objects.filter(dimension="total").values_list("year", "count"))
        assert totals == {year - 1: 1}

    def test_delete_updates_summary(self, unit_a, record_kwargs):
        r = save(unit_a, record_kwargs())
        services.record_delete(actor=unit_a, record=r)
        assert not InjuryStat.objects.exists()


@pytest.mark.django_db
class TestNilReports:
    def test_declare_and_conflict_with_records(self, unit_a, tree, code, make_record):
        home = code(choices.SAFETY_AREA, "home")
        month = date.today().replace(day=1)
        nil = services.nil_report_create(actor=unit_a, org_unit=tree["500103003"], safety_area=code(choices.SAFETY_AREA, "water"), month=month)
        assert nil.month == month
        with pytest.raises(ValidationError) as exc:
            services.nil_report_create(actor=unit_a, org_unit=tree["500103003"], safety_area=code(choices.SAFETY_AREA, "water"), month=month)
        assert "month" in exc.value.message_dict
        make_record(occurred_on=date.today() - timedelta(days=0))
        with pytest.raises(ValidationError) as exc:
            services.nil_report_create(actor=unit_a, org_unit=tree["500103003"], safety_area=home, month=month)
        assert "safety_area" in exc.value.message_dict

    def test_future_month_and_scope(self, unit_a, unit_b, tree, code):
        nxt = (date.today().replace(day=28) + timedelta(days=10)).replace(day=1)
        with pytest.raises(ValidationError):
            services.nil_report_create(actor=unit_a, org_unit=tree["500103003"], safety_area=code(choices.SAFETY_AREA, "home"), month=nxt)
        with pytest.raises(PermissionDenied):
            services.nil_report_create(actor=unit_b, org_unit=tree["500103003"], safety_area=code(choices.SAFETY_AREA, "home"), month=date.today())


@pytest.mark.django_db
class TestPopulation:
    def test_save_and_replace(self, unit_a, tree):
        p = services.population_save(actor=unit_a, org_unit=tree["500103003"], year=2025,
                                     counts={("M", "25-44"): 1000, ("F", "25-44"): 1200})
        assert p.total == 2200 and p.counts.count() == 2
        p = services.population_save(actor=unit_a, org_unit=tree["500103003"], year=2025, counts={("M", "0-4"): 10})
        assert p.total == 10 and p.counts.count() == 1

    def test_bad_input(self, unit_a, district_a, tree):
        with pytest.raises(ValidationError) as exc:
            services.population_save(actor=unit_a, org_unit=tree["500103003"], year=1990, counts={("M", "0-4"): 1})
        assert "year" in exc.value.message_dict
        with pytest.raises(ValidationError):
            services.population_save(actor=unit_a, org_unit=tree["500103003"], year=2025, counts={("X", "0-4"): 1})
        with pytest.raises(ValidationError):
            services.population_save(actor=unit_a, org_unit=tree["500103003"], year=2025, counts={})
        with pytest.raises(ValidationError) as exc:
            services.population_save(actor=district_a, org_unit=tree["500103"], year=2025, counts={("M", "0-4"): 1})
        assert "org_unit" in exc.value.message_dict

    def test_scope(self, unit_b, tree):
        with pytest.raises(PermissionDenied):
            services.population_save(actor=unit_b, org_unit=tree["500103003"], year=2025, counts={("M", "0-4"): 1})


def test_id_number_checksum():
    assert rules.id_number_valid("11010519491231002X")
    assert not rules.id_number_valid("110105194912310021")
    assert not rules.id_number_valid("1101051949123100")


def test_age_bands():
    assert [choices.age_band(a) for a in (None, 0, 4, 5, 14, 15, 59, 60, 74, 75, 120)] == [
        "unknown", "0-4", "0-4", "5-14", "5-14", "15-24", "45-59", "60-74", "60-74", "75+", "75+"]


@pytest.mark.django_db
def test_audit_log_holds_no_personal_data_and_no_summary_noise(unit_a, record_kwargs):
    from auditlog.models import LogEntry

    from safecommunity.injuries.models import InjuryStat

    r = save(unit_a, record_kwargs(), name="赵六", phone="13900001111")
    entries = LogEntry.objects.get_for_object(r)
    assert entries.count() == 1
    text = str(entries.first().changes)
    assert "赵六" not in text and "13900001111" not in text and "h1:" not in text and "g1:" not in text
    stat = InjuryStat.objects.first()
    assert not LogEntry.objects.get_for_object(stat).exists()


@pytest.mark.django_db
def test_a_code_item_in_use_cannot_be_deleted(unit_a, record_kwargs, code):
    """The code-list columns carry no database constraint (import speed): the ORM's PROTECT is
    what keeps a record's mechanism from disappearing under it."""
    from django.db.models import ProtectedError

    save(unit_a, record_kwargs())
    mechanism = code(choices.MECHANISM, "fall")
    with pytest.raises(ProtectedError):
        mechanism.delete()
    assert InjuryRecord.objects.get().mechanism == mechanism
