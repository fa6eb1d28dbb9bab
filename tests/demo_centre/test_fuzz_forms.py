"""Property test (hypothesis): generated values posted to every form of the project.

Every URL of the URLconf is asked, as the users of the demo centre in turn, for its form: a POST
(a probe) answers with the bound forms that take it — the form of a page with GET and POST, or
of a POST-only action that shows its form again when it refuses; a page that takes only GET and
shows a form (a filter) is fuzzed through its query string. Hypothesis then sends generated
values to every field of those forms (formsets too) — empty, huge, odd Unicode (a vertical tab
from Word's Shift+Enter, a NUL, `²`, Arabic digits, mathematical letters, a soft hyphen, a
right-to-left override), markup, wrong dates (31.02, 00.00.0000, 0001, 1900, 9999), wrong and
right choices, wrong and right ids, junk files — and asserts:

- no server error (the test client re-raises one; a 5xx status fails too);
- no lost input: a refused form (200/400 with the form again) shows what was typed in every
  text field, and typed text is never answered by a redirect with an error message (the
  input thrown away).

Buttons without typed input (approve, cancel, archive…) get junk in the parameters they read
(BUTTONS); PDF and XLSX exports get the filter of their page (EXPORTS); pages get junk in the
query parameters they read beside or without a form (QUERY); a page with a form also gets the
form's junk as its query string (some take initial values from it). A URL that takes a POST but
is neither fuzzed nor listed in NOT_FUZZED (with the reason) fails: a new form is fuzzed from
the day it is added.

Each example runs in a transaction rolled back after it; the demo centre is loaded once for the
package (tests/demo_centre/conftest.py). `make test` runs 2 examples per form (FUZZ_EXAMPLES
unset); `make fuzz` runs 100.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organisation.idempotency import TOKEN_FIELD
from tests.demo_centre.test_url_matrix import (  # the demo centre and the URLconf's URLs
    EXTRA_KWARGS,
    RECORD_OF,
    URLS,
    no_pdf_rendering,  # noqa: F401 (a fixture)
    sign_in,
    world,  # noqa: F401 (a fixture)
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 2)
# The users asked for each URL's form in turn; the first who gets it is the allowed user.
USERS = ["head1", "social1", "director", "registrar", "admin", "psych1", "nurse1", "teacher1"]
# URLs that take a POST but are not fuzzed here, each with the reason.
NOT_FUZZED: dict[str, str] = {
    "login": "the session's own form: tests/organisation test the login's bad input",
    "logout": "the session's own button: it ends the session the fuzzer runs in",
    "password_change": "the session's own form: changing the password ends the session",
    "second_factor_setup": "the session's own form: a right code switches on the second factor",
    "second_factor_verify": "the session's own form, only before the second factor is passed",
    "services:my_day": "a redirect to «Мой день» (agenda:my_day), not a form",
}
# Buttons without typed input → the POST parameters their views read (junk goes there).
BUTTONS: dict[str, list[str]] = {
    "agenda:my_day_log_activity": ["duration_minutes"],
    "agenda:my_day_log_line": ["duration_minutes"],
    "agenda:my_day_undo": ["next"],
    "notifications_read": ["id"],
    "orders:approve": ["beyond_places"],
    "patronage:visit_cancel": [],
    "recipients:archive": [],
    "recipients:document_archive": [],
    "rehab_programs:activity_withdraw": [],
    "staff_confirm": ["decision", "position", "department", "email"],
}
# Documents and exports that take the filter of a page: the page's form is fuzzed into them too.
EXPORTS: dict[str, str] = {
    "patronage:journal_pdf": "patronage:journal",
    "patronage:journal_xlsx": "patronage:journal",
    "recipients:export": "recipients:list",
    "services:journal_pdf": "services:journal",
    "services:journal_xlsx": "services:journal",
    "stats:statistics_pdf": "stats:statistics",
    "stats:statistics_xlsx": "stats:statistics",
}
# Query parameters that pages read beside (or without) a form: junk goes there too.
QUERY: dict[str, list[str]] = {
    "access_log": ["format", "page"],
    "agenda:my_day": ["page", "partial"],
    "services:compliance": ["page"],
    "centre_deadlines": ["state", "kind", "person", "page"],
    "consilium:list": ["page"],
    "department_deadlines": ["state", "kind", "person", "department", "page"],
    "home": ["department", "refresh"],
    "my_deadlines": ["state", "kind", "person", "page"],
    "notifications": ["page"],
    "orders:list": ["status", "page"],
    "patronage:case_list": ["show", "q", "date_from", "date_to", "department", "page"],
    "recipients:access_log": ["page"],
    "recipients:access_log_all": ["page"],
    "recipients:extract_pdf": ["third_party"],
    "recipients:list": ["page"],
    "rehab_programs:list": ["late", "page"],
    "search:search": ["q"],
    "services:journal": ["page"],
    "services:programmes": ["page"],
    "services:urgent_acts": ["page"],
    "stats:register_extract": ["format"],
}
# URLs whose form needs its record in a state (filters on the model of RECORD_OF, department A).
RECORD_STATE: dict[str, dict[str, str]] = {
    "patronage:visit_record": {"status": "planned"},
    "patronage:visit_amend": {"status": "completed", "review_status": "remarks"},
}
# A browser always sends the CSRF token (the test client does not check it), so a POST is never
# empty: a form of `request.POST or None` is bound even when no field is filled in.
BROWSER = {"csrfmiddlewaretoken": "x"}
PROBE = {**BROWSER, "fuzz_probe": "1"}

ODD = [
    "",
    " ",
    "x" * 5000,
    "Строка\x0bпосле Shift+Enter",
    "нуль\x00внутри",
    "²",
    "٣٤",
    "𝟘𝟙𝔸",
    "<script>alert(1)</script>",
    "'; DROP TABLE recipients;--",
    "31.02.2026",
    "01.01.1900",
    "31.12.9999",
    "00.00.0000",
    "01.01.0001",
    "9999-12-31",
    "\u202eтекст наоборот\u200b",  # a right-to-left override and a zero-width space
    "Ива\u00adнов",  # Word's soft hyphen
    "100%_",
    "2026-13-45",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "нет такого",
]
junk = st.sampled_from(ODD) | st.text(max_size=40)
dates = st.sampled_from(["10.03.2026", "01.09.2026", "15.12.2026", "01.01.2020"])


def _choices(field: forms.Field) -> list[str]:
    if isinstance(field, forms.ModelChoiceField):
        qs = field.queryset
        return [str(pk) for pk in qs.values_list("pk", flat=True)[:5]] if qs is not None else []
    values: list[str] = []
    for value, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # option groups
            values.extend(str(v) for v, _ in label)
        else:
            values.append(str(value))
    return [v for v in values if v][:20]


def _strategy(name: str, field: forms.Field) -> st.SearchStrategy[Any]:
    if name.endswith(TOKEN_FIELD):
        return st.builds(lambda: uuid.uuid4().hex) | junk
    if isinstance(field, forms.FileField):
        return st.sampled_from(
            [
                None,
                SimpleUploadedFile("скан.pdf", b"not a pdf", content_type="application/pdf"),
                SimpleUploadedFile("a" * 120 + ".pdf", b"%PDF-1.4\n%%EOF\n"),
                SimpleUploadedFile("пустой.pdf", b"", content_type="application/pdf"),
                SimpleUploadedFile("../../../etc/скан.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
            ]
        )
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "нет"])
    choices = _choices(field) if isinstance(field, forms.ChoiceField) else []
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return st.lists(st.sampled_from(choices) | junk, max_size=3) if choices else st.lists(junk)
    if choices:
        return st.sampled_from(choices) | junk
    if isinstance(field, forms.DateField):
        return dates | junk
    return junk


def _texts_shown(form: forms.BaseForm, posted: dict[str, Any]) -> list[str]:
    """The plain texts typed into visible text fields, as they must appear in the page."""
    shown: list[str] = []
    for bf in form:
        widget = bf.field.widget
        if not isinstance(widget, forms.TextInput | forms.Textarea) or isinstance(
            widget, forms.PasswordInput | forms.DateInput | forms.NumberInput
        ):
            continue
        value = posted.get(bf.html_name)
        if isinstance(value, str) and value.strip() and value.isprintable() and len(value) < 300:
            shown.append(escape(value.strip()))
    return shown


def _fields(form: forms.BaseForm) -> list[tuple[str, forms.Field]]:
    return [(bf.html_name, bf.field) for bf in form]


def _draw(
    found: list[Any], method: str, extra: list[str]
) -> tuple[dict[str, Any], st.SearchStrategy[Any]]:
    """The fixed part (formsets' management forms) and the strategy of the fuzzed fields."""
    fixed: dict[str, Any] = {}
    fuzzed: dict[str, st.SearchStrategy[Any]] = {}
    for item in found:
        if isinstance(item, forms.BaseFormSet):
            blank = type(item)(prefix=item.prefix, form_kwargs=item.form_kwargs)
            for bf in blank.management_form:
                fixed[bf.html_name] = bf.value()
            for form in blank.forms:
                fuzzed.update((n, _strategy(n, f)) for n, f in _fields(form))
        else:
            fuzzed.update((n, _strategy(n, f)) for n, f in _fields(item))
    fuzzed.update((n, junk) for n in extra if n not in fuzzed)
    if method == "get":  # no files in a query string
        fuzzed = {
            n: (st.none() if n in fuzzed and _is_file(found, n) else s) for n, s in fuzzed.items()
        }
    return fixed, st.fixed_dictionaries(fuzzed)


def _is_file(found: list[Any], name: str) -> bool:
    for item in found:
        for form in item.forms if isinstance(item, forms.BaseFormSet) else [item]:
            for bf in form:
                if bf.html_name == name:
                    return isinstance(bf.field, forms.FileField)
    return False


def _bound(response: Any, data: dict[str, Any]) -> list[Any]:
    """The forms and formsets of the answer that took the request's data."""
    if response.status_code not in (200, 400) or response.context is None:
        return []
    request = response.wsgi_request
    query = request.POST if request.method == "POST" else request.GET
    sent = set(data) - set(BROWSER)
    ctx = response.context
    found: list[Any] = []
    for c in ctx if isinstance(ctx, list) else [ctx]:
        for value in c.flatten().values():
            if not isinstance(value, forms.BaseForm | forms.BaseFormSet) or not value.is_bound:
                continue
            taken = value.data
            if (taken is query or set(taken) & sent) and all(value is not f for f in found):
                found.append(value)
    # a formset's forms are fuzzed through the formset
    inner = {id(f) for s in found if isinstance(s, forms.BaseFormSet) for f in s.forms}
    inner |= {id(s.management_form) for s in found if isinstance(s, forms.BaseFormSet)}
    return [f for f in found if id(f) not in inner]


def _discover(client: Any, the_world: dict[str, Any], url: str) -> dict[str, Any]:
    """How the URL takes input: `method` (post/get) and `found` (its bound forms), or only
    `takes_post` when no user got a form."""
    takes_post = False
    redirected: str | None = None
    for username in USERS:
        sign_in(client, the_world, username)
        with transaction.atomic():
            posted = client.post(url, PROBE)
            transaction.set_rollback(True)
        if posted.status_code in (403, 404):
            continue
        if posted.status_code != 405:
            takes_post = True
            found = _bound(posted, PROBE)
            if found:
                return {"method": "post", "found": found, "user": username}
            # a form whose fields are all optional may take the probe: the page's forms
            with transaction.atomic():
                page = client.get(url)
                transaction.set_rollback(True)
            names = _page_field_names(page)
            if names:
                with transaction.atomic():
                    posted = client.post(url, {**BROWSER, **dict.fromkeys(names, "fuzz")})
                    transaction.set_rollback(True)
                found = _bound(posted, dict.fromkeys(names))
                if found:
                    return {"method": "post", "found": found, "user": username}
            continue
        with transaction.atomic():
            page = client.get(url)
            transaction.set_rollback(True)
        if page.status_code not in (200, 400):
            if page.status_code in (301, 302) and redirected is None:
                redirected = username  # asked without its parameters, the page sends back
            continue
        # those who may see a page see the same forms: this user decides
        names = _page_field_names(page)
        if names:
            with transaction.atomic():
                filtered = client.get(url, dict.fromkeys(names, "fuzz"))
                transaction.set_rollback(True)
            found = _bound(filtered, dict.fromkeys(names))
            if found:
                return {"method": "get", "found": found, "user": username}
        # a page without a form of its own (its forms, if any, post to actions)
        return {"takes_post": False, "viewer": username}
    if redirected is not None and not takes_post:
        return {"takes_post": False, "viewer": redirected}
    return {"takes_post": takes_post}


def _page_field_names(page: Any) -> list[str]:
    if page.status_code not in (200, 400) or page.context is None:
        return []
    names: list[str] = []
    ctx = page.context
    for c in ctx if isinstance(ctx, list) else [ctx]:
        for value in c.flatten().values():
            if isinstance(value, forms.BaseForm):
                names.extend(bf.html_name for bf in value)
    return list(dict.fromkeys(names))


def _error_messages(response: Any) -> list[str]:
    """The error messages this request queued (not those left from earlier answers)."""
    from django.contrib.messages import constants

    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(m) for m in queued if m.level >= constants.ERROR]


@pytest.fixture(scope="module")
def fuzz_world(world):  # noqa: F811
    """The demo centre with, for some URLs, a record in the state their form needs."""
    by_url: dict[str, Any] = {}
    for name, state in RECORD_STATE.items():
        model = apps.get_model(RECORD_OF[name])
        lookup = getattr(model.objects.all(), "department_lookup", "department")
        by_url[name] = (
            model.objects.filter(**{lookup: world["dept_a"]}, **state).order_by("pk").first()
        )
    return {**world, "by_url": by_url}


def _url(the_world: dict[str, Any], name: str, kwargs: list[str]) -> str:
    label = RECORD_OF.get(name)
    record: Any = the_world["records"].get(label) if label else None
    if name in the_world["by_url"]:
        record = the_world["by_url"][name]
    assert not label or record is not None, f"the fuzz world has no {label} in department A"
    args = {k: (record.pk if k == "pk" else EXTRA_KWARGS.get(k)) for k in kwargs}
    if "rep_pk" in args:
        args["rep_pk"] = record.representations.first().representative_id
    return reverse(name, kwargs=args)


def test_the_lists_name_urls_that_exist():
    names = {name for name, _, _ in URLS}
    listed = set(NOT_FUZZED) | set(BUTTONS) | set(EXPORTS) | set(QUERY) | set(RECORD_STATE)
    assert not listed - names, f"not URLs of the URLconf: {listed - names}"
    assert not set(NOT_FUZZED) & (set(BUTTONS) | set(EXPORTS) | set(QUERY))
    assert set(EXPORTS.values()) <= names


@pytest.mark.parametrize(("name", "route", "kwargs"), URLS, ids=[u[0] for u in URLS])
def test_generated_values_never_cause_a_server_error_nor_lose_input(
    client,
    fuzz_world,
    db,
    no_pdf_rendering,  # noqa: F811
    name,
    route,
    kwargs,
):
    if name in NOT_FUZZED:
        pytest.skip(NOT_FUZZED[name])
    url = _url(fuzz_world, name, kwargs)
    if name in BUTTONS:
        _press(client, fuzz_world, url, BUTTONS[name])
        return
    page = EXPORTS.get(name)
    how = _discover(client, fuzz_world, _url(fuzz_world, page, kwargs) if page else url)
    extra = QUERY.get(name, [])
    if "found" not in how:
        assert not how["takes_post"], (
            f"{name} takes a POST but no user got a form from it: make it show its form, "
            "or list it in BUTTONS or NOT_FUZZED with the reason"
        )
        if not extra or "viewer" not in how:
            pytest.skip("a page without a form (GET only)")
        how = {"method": "get", "found": [], "user": how["viewer"]}
    sign_in(client, fuzz_world, how["user"])
    method = how["method"]
    fixed, draw_all = _draw(how["found"], method, extra)
    shows_form = page is None

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(draw_all)
    def send(values: dict[str, Any]) -> None:
        data = {
            **(BROWSER if method == "post" else {}),
            **fixed,
            **{k: v for k, v in values.items() if v is not None},
        }
        for v in data.values():
            if hasattr(v, "seek"):
                v.seek(0)
        with transaction.atomic():
            response = getattr(client, method)(url, data)
            transaction.set_rollback(True)
        assert response.status_code < 500, (url, data)
        if method == "post":  # pages that take a GET parameter as the form's initial value
            with transaction.atomic():
                shown = client.get(url, {k: v for k, v in values.items() if isinstance(v, str)})
                transaction.set_rollback(True)
            assert shown.status_code < 500, (url, values)
        if not shows_form:
            return
        typed = [text for form in _plain_forms(how["found"]) for text in _texts_shown(form, data)]
        typed += [v for k in extra if isinstance(v := data.get(k), str) and v.strip()]
        if response.status_code in (301, 302, 303):
            errors = _error_messages(response)
            assert not (typed and errors), f"{url} threw away «{typed[0][:40]}»: {errors}"
            return
        if response.status_code not in (200, 400):
            return
        again = _plain_forms(_bound(response, data))
        if response.status_code == 400:
            assert again, f"{url} refused the input without showing the form again"
        body = response.content.decode()
        for shown_form in again:
            for text in _texts_shown(shown_form, data):
                assert text in body, f"{url} lost the typed «{text[:40]}»"

    send()


def _plain_forms(found: list[Any]) -> list[forms.BaseForm]:
    out: list[forms.BaseForm] = []
    for item in found:
        out.extend(item.forms if isinstance(item, forms.BaseFormSet) else [item])
    return out


def _press(client: Any, the_world: dict[str, Any], url: str, params: list[str]) -> None:
    """A button: junk in the parameters its view reads; no server error for any user."""
    draw = st.fixed_dictionaries(dict.fromkeys(params, junk))

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(draw, st.sampled_from(USERS[:3]))
    def press(values: dict[str, Any], username: str) -> None:
        sign_in(client, the_world, username)
        with transaction.atomic():
            response = client.post(url, {**BROWSER, **values})
            transaction.set_rollback(True)
        assert response.status_code < 500, (url, values)

    press()
