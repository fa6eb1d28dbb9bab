"""Issue 11: the role × URL × method matrix, generated from the URLconf.

Every URL of the app (the admin has its own tests) is asked by an anonymous visitor, by every
role of department A (the demo's ОДП), by the centre-wide roles and by the specialist and the
head of the other department, with GET and with an empty POST, on a record of department A
wherever the URL names one. What must hold for every view, including one added tomorrow:

- anonymous: sent to the login page (unless the view is public);
- nobody gets a server error (bad input answers with a form, wrong method with 405);
- the other department, the administrator and (outside appeals) the registrar get 403, 404
  or 405 for a record of department A — and never its child's name in any answer;
- a URL with a record in it must be listed in RECORD_OF below: a new view fails this test
  until someone says which record it opens;
- a page, PDF, XLSX or scan of such a record that answers 200 has written the access log
  (organisation/access.py writes it when the view opens the record).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from organisation.models import AccessLog, Department, User

# URL name → the model whose record (of department A) fills <pk>.
RECORD_OF: dict[str, str] = {
    "staff_confirm": "organisation.User",
    "reports:job": "reports.ExportJob",
    "reports:job_progress": "reports.ExportJob",
    "reports:job_download": "reports.ExportJob",
    "recipients:detail": "recipients.Recipient",
    "recipients:edit": "recipients.Recipient",
    "recipients:archive": "recipients.Recipient",
    "recipients:history": "recipients.Recipient",
    "recipients:access_log": "recipients.Recipient",
    "recipients:family_edit": "recipients.Recipient",
    "recipients:representative_add": "recipients.Recipient",
    "recipients:representative_edit": "recipients.Recipient",
    "recipients:consent_add": "recipients.Recipient",
    "recipients:consent_withdraw": "recipients.Consent",
    "recipients:consent_pdf": "recipients.Consent",
    "recipients:document_add": "recipients.Recipient",
    "recipients:document_certify": "recipients.Document",
    "recipients:document_archive": "recipients.Document",
    "recipients:document_scan": "recipients.Document",
    "recipients:application_add": "recipients.Recipient",
    "recipients:application_pdf": "recipients.Recipient",
    "recipients:need_recognition_add": "recipients.Recipient",
    "recipients:contract_add": "recipients.Recipient",
    "recipients:contract_pdf": "recipients.Contract",
    "recipients:circumstance_change_add": "recipients.Recipient",
    "recipients:circumstance_change_review": "recipients.CircumstanceChange",
    "recipients:extract_pdf": "recipients.Recipient",
    "orders:detail": "orders.Order",
    "orders:approve": "orders.Order",
    "orders:return": "orders.Order",
    "orders:pdf": "orders.Order",
    "orders:draft": "recipients.Recipient",
    "orders:discharge_draft": "consilium.Decision",
    "recipients:familiarisation_add": "recipients.Recipient",
    "recipients:familiarisation_pdf": "recipients.Recipient",
    "recipients:belonging_add": "recipients.Recipient",
    "recipients:belonging_return": "recipients.Belonging",
    "recipients:hospitalisation_add": "recipients.Recipient",
    "recipients:hospitalisation_notice": "recipients.Hospitalisation",
    "recipients:information_request_add": "recipients.Recipient",
    "recipients:information_answer": "recipients.InformationRequest",
    "recipients:visitor_add": "recipients.Recipient",
    "recipients:items_issue": "recipients.Recipient",
    "recipients:survey_add": "recipients.Recipient",
    "patronage:appeal_detail": "patronage.Appeal",
    "patronage:appeal_register": "patronage.Appeal",
    "patronage:appeal_open_case": "patronage.Appeal",
    "patronage:case_detail": "patronage.PatronageCase",
    "patronage:case_assign": "patronage.PatronageCase",
    "patronage:case_close": "patronage.PatronageCase",
    "patronage:visit_plan": "patronage.PatronageCase",
    "patronage:visit_detail": "patronage.Visit",
    "patronage:visit_record": "patronage.Visit",
    "patronage:visit_amend": "patronage.Visit",
    "patronage:visit_cancel": "patronage.Visit",
    "patronage:visit_act_pdf": "patronage.Visit",
    "patronage:visit_review": "patronage.Visit",
    "rehab_programs:recipient": "recipients.Recipient",
    "rehab_programs:diagnostic_add": "recipients.Recipient",
    "rehab_programs:programme_create": "recipients.Recipient",
    "rehab_programs:conclusion_create": "recipients.Recipient",
    "rehab_programs:programme": "rehab_programs.RehabProgramme",
    "rehab_programs:programme_pdf": "rehab_programs.RehabProgramme",
    "rehab_programs:programme_edit": "rehab_programs.RehabProgramme",
    "rehab_programs:activity_add": "rehab_programs.RehabProgramme",
    "rehab_programs:familiarisation": "rehab_programs.RehabProgramme",
    "rehab_programs:revision_propose": "rehab_programs.RehabProgramme",
    "rehab_programs:change_propose": "rehab_programs.RehabProgramme",
    "rehab_programs:activity_result": "rehab_programs.Activity",
    "rehab_programs:activity_withdraw": "rehab_programs.Activity",
    "rehab_programs:conclusion_receipt": "rehab_programs.Conclusion",
    "rehab_programs:conclusion_pdf": "rehab_programs.Conclusion",
    "consilium:meeting": "consilium.Meeting",
    "consilium:protocol_pdf": "consilium.Meeting",
    "consilium:attendance": "consilium.Meeting",
    "consilium:item_add": "consilium.Meeting",
    "consilium:decision": "consilium.AgendaItem",
    "agenda:my_day_log_line": "services.ProgrammeLine",
    "agenda:my_day_log_activity": "rehab_programs.Activity",
    "services:record": "services.ServiceRecord",
    "services:record_correct": "services.ServiceRecord",
    "services:record_cancel": "services.ServiceRecord",
    "agenda:my_day_undo": "services.ServiceRecord",
    "services:programme": "services.IndividualProgramme",
    "services:programme_pdf": "services.IndividualProgramme",
    "services:programme_edit": "services.IndividualProgramme",
    "services:programme_add_line": "services.IndividualProgramme",
    "services:line_refuse": "services.ProgrammeLine",
    "services:refusal_pdf": "services.Refusal",
    "services:recipient": "recipients.Recipient",
    "services:recipient_compliance": "recipients.Recipient",
    "services:urgent_act": "services.UrgentServiceAct",
    "services:urgent_act_signed": "services.UrgentServiceAct",
    "services:urgent_act_pdf": "services.UrgentServiceAct",
}
# Other URL arguments than the record.
EXTRA_KWARGS = {"kind": "enrolment", "year": 2026}
# Views open to anyone (no login).
PUBLIC = {"login", "public_info", "public_info_pdf"}
# Views where an anonymous visitor is answered by the view itself.
ANONYMOUS_OK = PUBLIC | {"logout"}
# Records whose opening is written to the access log: all but accounts and one's own jobs.
PERSONAL_DATA = set(RECORD_OF.values()) - {"organisation.User", "reports.ExportJob"}
# Pages about a record that are not an opening of it: the child's access log itself.
NOT_AN_OPENING = {"recipients:access_log"}
# The registrar works with appeals and their journals (their free text names children).
REGISTRAR_RECORDS = {"patronage.Appeal"}


def _walk(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), inner or "")
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), f"{ns}:{p.name}" if ns else p.name, p


URLS = sorted(
    (name, route, list(p.pattern.converters))
    for route, name, p in _walk(get_resolver().url_patterns)
    if not route.startswith("admin/") and not name.startswith("admin:")
)


def test_every_url_with_a_record_says_which_record_it_opens():
    unlisted = [
        name
        for name, _, kwargs in URLS
        if set(kwargs) - set(EXTRA_KWARGS) and name not in RECORD_OF
    ]
    assert not unlisted, f"add these URLs to RECORD_OF: {unlisted}"
    stale = set(RECORD_OF) - {name for name, _, _ in URLS}
    assert not stale, f"remove from RECORD_OF: {stale}"


@pytest.fixture(scope="module")
def world(demo_centre, django_db_blocker):
    """The demo centre (loaded once for the package, tests/demo_centre/conftest.py) with the
    module's own records and sessions, rolled back after the module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            users = {u.username: u for u in User.objects.all()}
            dept_a = users["head1"].department
            yield {
                "users": users,
                "dept_a": dept_a,
                "records": _records(dept_a, users),
                "sessions": _sessions(users),
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _sessions(users: dict[str, User]) -> dict[str, str]:
    """A signed-in session of each user, made once for the module (a `force_login` writes the
    session and the user's last login: some 9 ms, which the matrix would pay 1,400 times)."""
    keys = {}
    for username, user in users.items():
        signing_in = Client()
        signing_in.force_login(user)
        keys[username] = signing_in.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def sign_in(client: Client, world: dict[str, Any], username: str) -> None:
    """`client` as `username`, in the session the module made for that user (`_sessions`).
    Each request runs in a transaction rolled back after it, so whatever a request does to
    the session in the database (a log-out, a new key) is undone; set again before each."""
    client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][username]


def _records(dept_a: Department, users: dict[str, User]) -> dict[str, models.Model]:
    records: dict[str, models.Model] = {}
    for label in set(RECORD_OF.values()):
        model = apps.get_model(label)
        if label == "organisation.User":
            records[label] = users["social1"]
            continue
        if label == "reports.ExportJob":
            obj = model.objects.first()
            if obj is None:
                obj = model.objects.create(owner=users["social1"], kind="journal", title="Журнал")
            records[label] = obj
            continue
        lookup = getattr(model.objects.all(), "department_lookup", "department")
        obj = model.objects.filter(**{lookup: dept_a}).order_by("pk").first()
        if obj is not None:
            records[label] = obj
    _add_what_the_demo_lacks(records, users)
    return records


def _add_what_the_demo_lacks(records: dict[str, models.Model], users: dict[str, User]) -> None:
    """A record of department A for the URLs whose kind the demo has none of (a belonging, a
    refusal, an urgent act): every URL is asked about a record."""
    from recipients.models import Belonging, Recipient
    from services.models import ProgrammeLine, Refusal, Service, UrgentServiceAct

    child = records["recipients.Recipient"]
    assert isinstance(child, Recipient)
    day = child.first_day_of_stay or timezone.localdate()
    if "recipients.Belonging" not in records:
        records["recipients.Belonging"] = Belonging.objects.create(
            recipient=child, description="Часы наручные", handed_over_on=day
        )
    if "services.Refusal" not in records:
        line = ProgrammeLine.objects.filter(programme__recipient=child).first()
        assert line is not None, "the demo child has no programme line"
        records["services.Refusal"] = Refusal.objects.create(
            recipient=child, line=line, service=line.service, signed_on=day
        )
    if "services.UrgentServiceAct" not in records:
        act = UrgentServiceAct.objects.create(
            recipient=child, provider=users["social1"], date=day, conditions="В приёмном"
        )
        urgent = Service.objects.urgent().filter(is_leaf=True).first()
        assert urgent is not None, "the catalogue has no urgent service"
        act.services.add(urgent)
        records["services.UrgentServiceAct"] = act


def _children_names(dept_a: Department) -> list[str]:
    from recipients.models import Recipient

    return [f"{r.last_name} {r.first_name}" for r in Recipient.objects.filter(department=dept_a)]


INSIDERS = ["social1", "head1", "director"]
OUTSIDERS = ["social2", "head2"]
NO_CASE_CONTENT = ["admin"]


@pytest.fixture
def no_pdf_rendering(monkeypatch):
    """The matrix is about who may open what, not about documents: PDFs are not drawn."""
    import reports.pdf

    monkeypatch.setattr(reports.pdf, "render_pdf", lambda *a, **k: b"%PDF-1.4 matrix")


@pytest.mark.parametrize(("name", "route", "kwargs"), URLS, ids=[u[0] for u in URLS])
def test_the_matrix(client, world, db, no_pdf_rendering, name, route, kwargs):
    label = RECORD_OF.get(name)
    record = world["records"].get(label) if label else None
    if label and record is None:
        pytest.skip(f"the demo has no {label} in department A")
    args = {k: (record.pk if k == "pk" else EXTRA_KWARGS.get(k)) for k in kwargs}
    if "rep_pk" in args:
        args["rep_pk"] = record.representations.first().representative_id  # type: ignore[union-attr]
    url = reverse(name, kwargs=args)
    names = _children_names(world["dept_a"])

    # anonymous: the login page
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if name not in ANONYMOUS_OK:
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("login")), (method, url)

    # everyone with a role: no server error (the test client re-raises one)
    for username in [*INSIDERS, *OUTSIDERS, *NO_CASE_CONTENT, "registrar"]:
        for method in ("get", "post"):
            sign_in(client, world, username)
            with transaction.atomic():
                logged_before = AccessLog.objects.count()
                response = getattr(client, method)(url)
                logged = AccessLog.objects.count() - logged_before
                transaction.set_rollback(True)
            assert response.status_code < 500, (username, method, url)
            if method == "get":  # the module's session of this user was the one used
                assert response.wsgi_request.user.get_username() == username, url
            if (
                method == "get"
                and response.status_code == 200
                and label in PERSONAL_DATA
                and name not in NOT_AN_OPENING
            ):
                assert logged, f"{url} opened by {username} left no access-log row"
            body = _text(response)
            if (
                label
                and label != "organisation.User"
                and (
                    username in OUTSIDERS
                    or username in NO_CASE_CONTENT
                    or (username == "registrar" and label not in REGISTRAR_RECORDS)
                )
            ):
                assert response.status_code in (403, 404, 405), (username, method, url)
            if username in OUTSIDERS + NO_CASE_CONTENT:
                leaked = [n for n in names if n in body]
                assert not leaked, (username, method, url, leaked[:3])


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return ""
    content_type = response.get("Content-Type", "")
    if "html" in content_type or "json" in content_type or "text" in content_type:
        return response.content.decode(errors="replace")
    return ""
