"""The URL × role matrix: every URL pattern of the product (pages and API, from `get_resolver()`),
opened by every role with real objects in and out of its scope, GET and POST (a garbage body,
no CSRF token checks — the test client skips them):

- never a 500 (an exception in a view), never Django's debug page;
- anonymous: sent to the login page (pages) or 401/403 (API), except the public pages below;
- a role the view does not admit (`allowed_roles`, `read_roles`/`write_roles`): 403;
- an object the user may not see (`Model.objects.visible_to(user)` does not hold it): 403/404,
  and the answer does not name the object.

The data is the demo's (`safecommunity demo`'s builders over 渝中区 and 沙坪坝区 with the demo
accounts). Each URL kwarg is filled from an object of the view's model chosen in the scope of
解放碑街道's worker (else 渝中区's office). A pattern the test cannot fill is listed in
UNRESOLVED with the reason — nothing is skipped silently.

Every request runs in a savepoint that is rolled back, so a POST that succeeds (a delete, a
transition) leaves the data as it was for the next request.

Run alone: `pytest -m matrix` (a few minutes; once on PostgreSQL in CI).
"""

import copy
import io
import json
import os
import re
import time
import traceback
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

# username → (role label in the report, role); None = anonymous
USERS = [
    ("anonymous", None),
    ("city_admin", "city"),
    ("yuzhong_admin", "district in"),
    ("shapingba_admin", "district out"),
    ("jiefangbei_worker", "unit in"),
    ("qixinggang_worker", "unit out (same district)"),
    ("xiaolongkan_worker", "unit out (other district)"),
    ("dept_ga", "department"),
    ("expert_wang", "expert"),
    ("sysadmin", "sysadmin"),
]

# The API's format-suffix routes (".json") dispatch to the same viewsets as the routes without a
# suffix (fully exercised): they are opened with GET by these roles only.
SUFFIX_USERS = {"anonymous", "city_admin", "shapingba_admin", "qixinggang_worker"}

# Pages anyone may open without signing in, each with the reason (no data of any unit). They
# answer every role alike, so they are opened by these users only (the API schema takes seconds).
PUBLIC_USERS = {"anonymous", "city_admin", "jiefangbei_worker"}
PUBLIC = {
    "healthz": "the load balancer's health probe",
    "set_language": "the language switch of the login page",
    "javascript-catalog": "the translations of the scripts of the login page",
    "accounts:login": "signing in", "accounts:logout": "signing out",
    "api_token": "an API client signs in with username and password",
    "schema": "the API's description (its shape, no data)", "api_docs": "the API's documentation page",
    "api_redoc": "the API's documentation page",
    "orgunits:districts_geojson": "the official district boundaries: public reference data",
    "webmanifest": "the PWA's web app manifest (name, icons, start URL; no data)",
    "service_worker": "the PWA's service worker script (static code, no data)",
    "surveys:public_answer": "the public questionnaire of a survey round, opened by its secret link "
                             "from a QR code (no login by design; it shows the questions, not the answers)",
}

# Patterns the test cannot fill, with the reason (kept empty unless a pattern truly cannot be
# exercised; every entry is reported).
UNRESOLVED: dict[str, str] = {}

# url name → (model label, {kwarg: attribute path on the object}); names not listed take the
# view's model (`model`/`queryset`) and `pk` (API: the viewset's lookup_field).
SPEC = {
    "accounts:user_edit": ("accounts.User", {"pk": "pk"}),
    "accounts:notification_read": ("core.Notification", {"pk": "pk"}),
    "core:codelist_detail": ("core.CodeList", {"key": "key"}),
    "core:codeitem_create": ("core.CodeList", {"key": "key"}),
    "core:codeitem_edit": ("core.CodeItem", {"key": "codelist.key", "pk": "pk"}),
    # a job is its owner's alone (解放碑街道's worker's binder zip, made in demo_data)
    "jobs:job_detail": ("core.Job", {"pk": "pk"}),
    "jobs:job_file": ("core.Job", {"pk": "pk"}),
    "jobs:job_retry": ("core.Job", {"pk": "pk"}),
    "jobs:job_cancel": ("core.Job", {"pk": "pk"}),
    "orgunits:department_detail": ("orgunits.Department", {"code": "code"}),
    "orgunits:orgunit_detail": ("orgunits.OrgUnit", {"code": "code"}),
    "orgunits:orgunit_edit": ("orgunits.OrgUnit", {"code": "code"}),
    "orgunits:creatingunit_edit": ("orgunits.CreatingUnit", {"code": "org_unit.code"}),
    "creation:plan_detail": ("creation.PlanYear", {"year": "year"}),
    "creation:plan_edit": ("creation.PlanYear", {"year": "year"}),
    "creation:district_plan_edit": ("creation.DistrictPlan", {"year": "plan_year.year", "code": "org_unit.code"}),
    "creation:three_year": ("orgunits.OrgUnit", {"code": "parent.code"}),
    "creation:unit_transition": ("orgunits.CreatingUnit", {"code": "org_unit.code"}),
    "creation:letter_edit": ("creation.ResponsibilityLetter", {"pk": "pk"}),
    "creation:assessment_edit": ("creation.DistrictAssessment", {"pk": "pk"}),
    "creation:meeting_edit": ("creation.JointMeeting", {"pk": "pk"}),
    "creation:followup_create": ("creation.JointMeeting", {"pk": "pk"}),
    "creation:member_edit": ("creation.JointMeetingMember", {"pk": "pk"}),
    "creation:followup_done": ("creation.FollowUp", {"pk": "pk"}),
    "creation:followup_reopen": ("creation.FollowUp", {"pk": "pk"}),
    "injuries:record_update": ("injuries.InjuryRecord", {"pk": "pk"}),
    "injuries:source_update": ("injuries.ReportingSource", {"pk": "pk"}),
    "injuries:population_update": ("injuries.Population", {"pk": "pk"}),
    "injuries:import_errors": ("injuries.ImportBatch", {"pk": "pk"}),
    "feeds:upload_detail": ("feeds.FeedUpload", {"pk": "pk"}),
    "feeds:upload_columns": ("feeds.FeedUpload", {"pk": "pk"}),
    "feeds:upload_import": ("feeds.FeedUpload", {"pk": "pk"}),
    "feeds:upload_cancel": ("feeds.FeedUpload", {"pk": "pk"}),
    "feeds:upload_undo": ("feeds.FeedUpload", {"pk": "pk"}),
    "feeds:upload_problems": ("feeds.FeedUpload", {"pk": "pk"}),
    "feeds:case_place": ("feeds.FeedCase", {"pk": "pk"}),
    "feeds:token_revoke": ("feeds.FeedToken", {"pk": "pk"}),
    "hazards:risk_edit": ("hazards.RiskEntry", {"pk": "pk"}),
    # a hazard's photo is shown to whoever sees the hazard (a department in its domain too)
    "hazards:hazard_photo": ("archive.Attachment", {"pk": "object_id", "photo_pk": "pk"}, "content_object"),
    "hazards:hazard_action": ("hazards.Hazard", {"pk": "pk", "action": "*hazard_actions"}),
    "projects:project_transition": ("projects.Project", {"pk": "pk"}),
    "projects:indicator_create": ("projects.Project", {"project_pk": "pk"}),
    "projects:evaluation_create": ("projects.Project", {"project_pk": "pk"}),
    "activities:member_add": ("activities.EmergencyTeam", {"pk": "pk"}),
    "activities:member_remove": ("activities.TeamMember", {"pk": "pk"}),
    "reports:report_detail": ("reports.MonthlyReport", {"pk": "pk"}),
    "reports:report_edit": ("reports.MonthlyReport", {"pk": "pk"}),
    "reports:report_action": ("reports.MonthlyReport", {"pk": "pk", "action": "*report_actions"}),
    "archive:attachment_download": ("archive.Attachment", {"pk": "pk"}),
    "archive:attachment_edit": ("archive.Attachment", {"pk": "pk"}),
    "archive:attachment_verify": ("archive.Attachment", {"pk": "pk"}),
    "archive:completeness": ("orgunits.CreatingUnit", {"code": "org_unit.code"}),
    "archive:binder": ("orgunits.CreatingUnit", {"code": "org_unit.code"}),
    "evaluation:action": ("evaluation.Application", {"pk": "pk", "action": "*evaluation_actions"}),
    "evaluation:rectification_done": ("evaluation.Rectification", {"pk": "pk"}),
    "evaluation:scheme_detail": ("evaluation.Scheme", {"pk": "pk"}),
    "evaluation:scheme_edit": ("evaluation.Scheme", {"pk": "pk"}),
    "evaluation:item_create": ("evaluation.Scheme", {"scheme": "pk"}),
    "evaluation:item_edit": ("evaluation.SchemeItem", {"scheme": "scheme_id", "pk": "pk"}),
    "evaluation:reward_rate": ("evaluation.RewardRate", {"pk": "pk"}),
    "evaluation:expert_edit": ("evaluation.ExpertProfile", {"pk": "pk"}),
    "evaluation:designation_detail": ("evaluation.Designation", {"pk": "pk"}),
    "evaluation:certificate": ("evaluation.Designation", {"pk": "pk"}),
    "evaluation:fund_detail": ("evaluation.SpecialFund", {"pk": "pk"}),
    "evaluation:reward_paid": ("evaluation.Reward", {"pk": "pk"}),
    "scorecard:district": ("orgunits.OrgUnit", {"code": "parent.code"}),
    "scorecard:unit": ("orgunits.CreatingUnit", {"code": "org_unit.code"}),
    "surveys:public_answer": ("surveys.SurveyRound", {"token": "token"}),
    "injuries:import_keep_duplicates": ("injuries.ImportBatch", {"pk": "pk"}),
    "injuries:import_retry": ("injuries.ImportBatch", {"pk": "pk"}),
    "injuries:import_cancel": ("injuries.ImportBatch", {"pk": "pk"}),
    "evaluation:open_scoring": ("evaluation.Application", {"pk": "pk"}),
    "evaluation:dossier": ("evaluation.Application", {"pk": "pk"}),
    "evaluation:evidence": ("evaluation.Application", {"pk": "pk", "element": "*aqt_elements"}),
    "evaluation:crosswalk": ("orgunits.CreatingUnit", {"code": "org_unit.code"}),
    "evaluation:scheme_export": ("evaluation.Scheme", {"pk": "pk"}),
    "evaluation:scheme_diff": ("evaluation.Scheme", {"pk": "pk"}),
    "security:token_revoke": ("knox.AuthToken", {"key": "token_key"}),
    "security:user": ("accounts.User", {"pk": "pk"}),
    "surveys:questionnaire_publish": ("surveys.Questionnaire", {"pk": "pk"}),
    "surveys:questionnaire_new_version": ("surveys.Questionnaire", {"pk": "pk"}),
    "surveys:section_create": ("surveys.Questionnaire", {"pk": "pk"}),
    "surveys:question_create": ("surveys.Questionnaire", {"pk": "pk"}),
    "surveys:question_edit": ("surveys.Question", {"pk": "pk"}),
    "surveys:question_delete": ("surveys.Question", {"pk": "pk"}),
    "inspections:inspection_add": ("inspections.InspectionPlan", {"pk": "pk"}),
    "inspections:inspection_record": ("inspections.Inspection", {"pk": "pk"}),
    "inspections:followup_close": ("inspections.FollowUpItem", {"pk": "pk"}),
    "patrols:point_edit": ("patrols.PatrolPoint", {"pk": "pk"}),
    "patrols:point_qr": ("patrols.PatrolPoint", {"pk": "pk"}),
    "patrols:scan": ("patrols.PatrolPoint", {"pk": "pk"}),
    "bigscreen:district": ("orgunits.OrgUnit", {"code": "parent.code"}),
    "bigscreen:district_data": ("orgunits.OrgUnit", {"code": "parent.code"}),
    "scorecard:rule_edit": (None, {"year": "*rule_year", "key": "*rule_key"}),
    "scorecard-detail": ("orgunits.CreatingUnit", {"code": "org_unit.code"}),
    "district-scorecard-detail": ("orgunits.OrgUnit", {"code": "parent.code"}),
}
# A survey round's pages all show one round.
for _name in ("round_progress", "round_close", "round_qr", "round_invitations", "interview", "round_import",
              "round_results"):
    SPEC[f"surveys:{_name}"] = ("surveys.SurveyRound", {"pk": "pk"})
# The evaluation pages under /evaluation/<pk>/… all show one application.
for _name in ("application_detail", "self_assess", "work_report", "review", "panel", "expert_scores",
              "consolidate", "confirm", "report_pdf", "report_print", "report_docx"):
    SPEC[f"evaluation:{_name}"] = ("evaluation.Application", {"pk": "pk"})

# Objects whose scope is their district (the office's records), not a unit: judged for the
# district office; the unit roles are out of scope for them.
PLAIN = re.compile(r"<[^>]+>|\(\?P<[^>]+>[^)]*\)")


@dataclass
class Pattern:
    route: str
    name: str
    callback: object
    kwargs: list = field(default_factory=list)

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)

    @property
    def is_api(self) -> bool:
        return hasattr(self.callback, "cls")


def walk(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            route = prefix + str(p.pattern)
            kwargs = list(p.pattern.regex.groupindex) + [
                k for k in re.findall(r"\(\?P<(\w+)>", prefix) if k not in p.pattern.regex.groupindex]
            yield Pattern(route, name, p.callback, kwargs)


def attr(obj, path):
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def build_url(route: str, values: dict) -> str:
    """The path of a route (path() or regex, with the prefixes of its includes) for these kwargs."""
    def sub(match):
        token = match.group(0)
        name = re.search(r"<(?:\w+:)?(\w+)>", token).group(1)
        if token.startswith("<drf_format_suffix:"):  # the converter's value carries its dot
            return f".{values[name]}"
        return str(values[name])

    url = PLAIN.sub(sub, route)
    url = url.replace("^", "").replace("$", "").replace("\\.", ".").replace("/?", "/")
    return "/" + url


def demo_data():
    from safecommunity.accounts.management.commands.demo import DEMO_PASSWORD, DEMO_USERS
    from safecommunity.accounts.services import user_upsert
    from safecommunity.core.registry import contributions

    for username, role, code, name in DEMO_USERS:
        user_upsert(username=username, role=role, code=code, password=DEMO_PASSWORD, full_name=name)
    for module in sorted(contributions("demo"), key=lambda m: getattr(m, "ORDER", 100)):
        module.build(stdout=io.StringIO())
    # the demo keeps the shipped scorecard minimums; one year's own setting gives the rule pages a row
    from django.utils import timezone

    from safecommunity.accounts.models import User
    from safecommunity.scorecard import selectors, services

    year = timezone.localdate().year
    rule = selectors.rules_for(year, include_inactive=True)[0]
    services.rule_setting_set(year=year, key=rule.key, minimum=rule.minimum,
                              actor=User.objects.get(username="city_admin"))
    # the inspections demo holds no year-end meeting: 解放碑街道's worker records one through the service
    from safecommunity.inspections.models import YearEndReview
    from safecommunity.inspections.services import review_save

    worker = User.objects.get(username="jiefangbei_worker")
    review_save(review=YearEndReview(org_unit=worker.org_unit, year=year - 1, held_on=timezone.localdate().replace(
        year=year - 1, month=12, day=20), chair=worker.full_name or "chair", review="targets met",
        next_targets="keep them", measures="patrols"), actor=worker)
    # the demo issues no API token: one of 解放碑街道's worker gives the revoke page a key to find
    from knox.models import AuthToken

    AuthToken.objects.create(user=worker)
    # a finished job with its file: the worker's creation archive zip (core.jobs)
    from safecommunity.core.jobs import DOWNLOAD, start_job

    start_job(DOWNLOAD, actor=worker, params={"path": f"/archive/binder/{worker.org_unit.code}/", "host": "testserver"})


def pick(model, users):
    """An object of `model` in the scope of 解放碑街道's worker, else 渝中区's office, else any."""
    manager = model._default_manager
    if model._meta.label == "core.Notification":
        return manager.filter(user=users["jiefangbei_worker"]).order_by("pk").first() or manager.order_by("pk").first()
    if model._meta.label == "archive.Attachment":
        manager_qs = manager.all()
    else:
        manager_qs = manager.all()
    if hasattr(manager_qs, "visible_to"):
        for username in ("jiefangbei_worker", "yuzhong_admin"):
            obj = manager.visible_to(users[username]).order_by("pk").first()
            if obj is not None:
                return obj
    return manager_qs.order_by("pk").first()


def special_values(name: str) -> list:
    from safecommunity.hazards.views import ACTIONS

    if name == "hazard_actions":
        return [str(a) for a in ACTIONS] + ["comment", "nonsense"]
    if name == "report_actions":
        return ["submit", "approve", "return", "unlock", "decide", "comment", "nonsense"]
    if name == "evaluation_actions":
        return ["submit", "expert-submit", "decide", "nonsense"]
    if name == "aqt_elements":
        from safecommunity.core.models import CodeItem

        return [CodeItem.objects.of("aqt_element").order_by("pk").first().code, "nonsense"]
    raise KeyError(name)


def visible(obj, user) -> bool | None:
    """Whether `user` may see `obj` by the scoping rule; None when the model has no rule."""
    manager = type(obj)._default_manager
    if not hasattr(manager.all(), "visible_to"):
        return None
    return manager.visible_to(user).filter(pk=obj.pk).exists()


def cases(users):
    """(pattern, url, object or None) for every pattern; fills UNRESOLVED-like problems."""
    from safecommunity.scorecard import selectors as scorecard_selectors

    out, unresolved = [], {}
    for pat in walk(get_resolver()):
        kwargs = [k for k in pat.kwargs if k != "format"]
        values = {"format": "json"} if "format" in pat.kwargs else {}
        if pat.name in UNRESOLVED:
            unresolved[pat.route] = UNRESOLVED[pat.name]
            continue
        if not kwargs:
            out.append((pat, build_url(pat.route, values), None))
            continue
        label, paths, *scope = SPEC.get(pat.name, (None, None))
        vc = pat.view_class
        if paths is None:
            model = getattr(vc, "model", None) or getattr(getattr(vc, "queryset", None), "model", None)
            if model is None:
                unresolved[pat.route] = f"no model known for {pat.name or pat.callback}"
                continue
            label = model._meta.label
            lookup = getattr(vc, "lookup_field", "pk") if pat.is_api else "pk"
            kwarg = getattr(vc, "lookup_url_kwarg", None) or lookup if pat.is_api else "pk"
            paths = {kwarg: lookup.replace("__", ".")}
        if set(paths) != set(kwargs):
            unresolved[pat.route] = f"kwargs {kwargs} not matched by {sorted(paths)}"
            continue
        if label == "archive.Attachment" and pat.name == "hazards:hazard_photo":
            obj = apps.get_model("archive.Attachment").objects.filter(
                content_type__model="hazard").order_by("pk").first()
        elif label:
            obj = pick(apps.get_model(label), users)
        else:
            obj = None
        if label and obj is None:
            unresolved[pat.route] = f"the demo has no {label}"
            continue
        expanded = [{}]
        for kwarg, path in paths.items():
            if path == "*rule_year":
                choices = [settings_year()]
            elif path == "*rule_key":
                choices = [scorecard_selectors.rules_for(settings_year(), include_inactive=True)[0].key]
            elif path.startswith("*"):
                choices = special_values(path[1:])
            else:
                choices = [attr(obj, path)]
            expanded = [dict(e, **{kwarg: c}) for e in expanded for c in choices]
        judged = attr(obj, scope[0]) if scope else obj  # the record whose scope the view applies
        for e in expanded:
            out.append((pat, build_url(pat.route, {**values, **e}), judged))
    return out, unresolved


def settings_year():
    from django.utils import timezone

    return timezone.localdate().year


def roles_admitting(pat, method):
    """The roles the view admits for this method (None: not declared, any signed-in role)."""
    vc = pat.view_class
    if vc is None:
        return None
    if pat.is_api:
        if method == "GET":
            return getattr(vc, "read_roles", None)
        return getattr(vc, "write_roles", None)
    return getattr(vc, "allowed_roles", None)


DEBUG_MARKS = ("Traceback (most recent call last)", "Django tried these URL patterns", "technical_500",
               "You're seeing this error because you have <code>DEBUG = True</code>")


def test_every_url_for_every_role(tree):
    from safecommunity.accounts.models import User

    demo_data()
    users = {u.username: u for u in User.objects.filter(username__in=[n for n, _ in USERS])}
    all_cases, unresolved = cases(users)
    clients = {}
    for username, _label in USERS:
        client = Client(raise_request_exception=True)
        if username != "anonymous":
            client.force_login(users[username])
            otp_verify(client, users[username])
        clients[username] = client

    problems = []
    log = open(os.environ["MATRIX_LOG"], "w") if os.environ.get("MATRIX_LOG") else None  # noqa: SIM115
    only = re.compile(os.environ.get("MATRIX_ONLY", ""))
    for pat, url, obj in all_cases:
        if not only.search(url):
            continue
        suffixed = "format" in pat.kwargs  # the same view as the pattern without ".json"
        for username, label in USERS:
            if suffixed and username not in SUFFIX_USERS:
                continue
            if pat.name in PUBLIC and username not in PUBLIC_USERS:
                continue
            user = users.get(username)
            for method in ("GET",) if suffixed else ("GET", "POST"):
                started = time.perf_counter()
                verdict = request(clients[username], method, url)
                status, body, location = verdict
                elapsed = time.perf_counter() - started
                if log is not None:
                    log.write(json.dumps({"url": url, "name": pat.name, "user": username, "method": method,
                                          "status": status, "location": location, "ms": round(elapsed * 1000),
                                          "error": body if status == 500 else ""}, ensure_ascii=False) + "\n")
                where = f"{method} {url} [{pat.name or pat.route}] as {username} ({label or 'anonymous'})"
                if status == 500:
                    problems.append(f"500 {where}: {body}")
                    continue
                if any(m in body for m in DEBUG_MARKS):
                    problems.append(f"debug page {where}")
                if user is None:
                    if pat.name in PUBLIC:
                        continue
                    ok = status in (401, 403, 405) or (
                        status == 302 and location.startswith(settings.LOGIN_URL))
                    if not ok:
                        problems.append(f"anonymous got {status} {location} {where}")
                    continue
                roles = roles_admitting(pat, method)
                if roles is not None and not user.is_superuser and user.role not in roles:
                    if status not in (403, 405):
                        problems.append(f"wrong role got {status} (expected 403) {where}")
                    continue
                seen = visible(obj, user) if obj is not None else None
                if seen is False:
                    if status not in (403, 404, 405):
                        problems.append(f"out of scope got {status} (expected 404) {where}")
                    elif method == "GET" and status == 403 and roles is not None:
                        problems.append(f"out of scope got 403, which tells the record exists (expected 404) {where}")
                    name = str(obj)
                    if len(name) >= 4 and name in body and name not in str(user.org_unit or ""):
                        problems.append(f"out-of-scope answer names the object {name!r}: {where}")
    if log is not None:
        log.close()
    report = "\n".join(sorted(set(problems)))
    missing = "\n".join(f"{k}: {v}" for k, v in unresolved.items())
    assert not (problems or unresolved), f"{len(set(problems))} problems:\n{report}\nunresolved patterns:\n{missing}"


def otp_verify(client, user):
    """The security demo enrols city_admin and sysadmin with a TOTP device, and a session of an
    account with a device owes the code (security.middleware sends it to 2fa_verify). The matrix
    checks the pages behind the second factor, so the session is marked verified the way
    `django_otp.login(request, device)` does: the device's persistent id under its session key."""
    from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user

    device = next(iter(devices_for_user(user, confirmed=True)), None)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def request(client, method, url):
    cookies = copy.deepcopy(client.cookies)  # a logout or login page must not sign the client out
    try:
        return _request(client, method, url)
    finally:
        client.cookies = cookies


def _request(client, method, url):
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, {"garbage": "\u0000x" * 3, "id": "999999999"})
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - every exception of a view is the finding
        frames = traceback.extract_tb(exc.__traceback__)
        ours = [f for f in frames if "/safecommunity/" in f.filename and "/tests/" not in f.filename]
        at = f"{ours[-1].filename.split('/safecommunity/')[-1]}:{ours[-1].lineno}" if ours else ""
        return 500, f"{type(exc).__name__}: {str(exc)[:160]} @ {at}", ""
    body = ""
    if not getattr(response, "streaming", False) and response.get("Content-Type", "").startswith(("text/", "application/json")):
        body = response.content.decode("utf-8", "replace")
    return response.status_code, body, response.get("Location", "")


def test_patterns_are_all_exercised():
    """A sanity check of the walk itself: a few hundred patterns, API included."""
    patterns = list(walk(get_resolver()))
    assert len(patterns) > 400
    assert any(p.is_api for p in patterns)
    assert settings.ROOT_URLCONF
