"""Property test (hypothesis): generated values posted to every form of the project.

For every URL of the URLconf whose page shows a form (found by asking it with GET as the
users of the demo centre, the first who gets the page is the allowed user), hypothesis posts
generated values to every field of that form — empty, huge, odd Unicode (a vertical tab from
Word's Shift+Enter, a NUL, `²`, Arabic digits, mathematical letters), markup, wrong dates
(31.02, 1900, 9999), wrong and right choices, wrong and right ids, junk files — and asserts:

- no server error (the test client re-raises one; a 5xx status fails too);
- no lost input: a refused form (200/400 with the form again) shows what was typed in every
  text field.

Each example runs in a transaction rolled back after it. It runs when `FUZZ_EXAMPLES` is set
(`make fuzz`: 100 per form; `FUZZ_EXAMPLES=3` for a short run): it loads the demo centre once
for its module, which is too slow for every run of the suite on a shared machine.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from organisation.idempotency import TOKEN_FIELD
from tests.security.test_url_matrix import (  # the demo centre and the URLconf's URLs
    EXTRA_KWARGS,
    RECORD_OF,
    URLS,
    no_pdf_rendering,  # noqa: F401 (a fixture)
    world,  # noqa: F401 (a fixture)
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)
pytestmark = pytest.mark.skipif(
    not EXAMPLES, reason="the fuzzer runs with FUZZ_EXAMPLES set (make fuzz)"
)
USERS = ["head1", "social1", "director", "registrar", "admin"]
# Views whose form changes the signed-in session itself rather than a record.
SKIP = {"logout", "login", "password_change", "second_factor"}

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


def _forms_in(response: Any) -> list[forms.BaseForm]:
    ctx = response.context
    if ctx is None:
        return []
    found: list[forms.BaseForm] = []
    for c in ctx if isinstance(ctx, list) else [ctx]:
        for value in c.flatten().values():
            if isinstance(value, forms.BaseForm) and all(value is not f for f in found):
                found.append(value)
    return found


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


@pytest.mark.parametrize(("name", "route", "kwargs"), URLS, ids=[u[0] for u in URLS])
def test_generated_values_never_cause_a_server_error_nor_lose_input(
    client,
    world,  # noqa: F811
    db,
    no_pdf_rendering,  # noqa: F811
    name,
    route,
    kwargs,
):
    if name in SKIP:
        pytest.skip("the session's own form")
    label = RECORD_OF.get(name)
    record = world["records"].get(label) if label else None
    if label and record is None:
        pytest.skip(f"the demo has no {label} in department A")
    args = {k: (record.pk if k == "pk" else EXTRA_KWARGS.get(k)) for k in kwargs}
    if "rep_pk" in args:
        args["rep_pk"] = record.representations.first().representative_id  # type: ignore[union-attr]
    url = reverse(name, kwargs=args)
    form = None
    for username in USERS:
        client.force_login(world["users"][username])
        with transaction.atomic():
            page = client.get(url)
            transaction.set_rollback(True)
        found = _forms_in(page) if page.status_code == 200 else []
        form = next((f for f in found if f is (page.context or {}).get("form")), None)
        if form is not None:
            break
    if form is None or not form.fields:
        pytest.skip("no form on this page for any user")
    fields = [(bf.html_name, bf.field) for bf in form]
    draw_all = st.fixed_dictionaries({n: _strategy(n, f) for n, f in fields})

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(draw_all)
    def post(values: dict[str, Any]) -> None:
        data = {k: v for k, v in values.items() if v is not None}
        for v in data.values():
            if hasattr(v, "seek"):
                v.seek(0)
        with transaction.atomic():
            response = client.post(url, data)
            transaction.set_rollback(True)
        assert response.status_code < 500, (url, data)
        if response.status_code not in (200, 400):
            return
        again = [f for f in _forms_in(response) if f.is_bound and set(f.fields) & set(data)]
        if response.status_code == 400:
            assert again, f"{url} refused the input without showing the form again"
        body = response.content.decode()
        for shown_form in again:
            for text in _texts_shown(shown_form, data):
                assert text in body, f"{url} lost the typed «{text[:40]}»"

    post()
