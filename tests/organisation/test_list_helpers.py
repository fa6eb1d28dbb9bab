"""Helpers of the list pages give what the template tags and filters they replace give: the
`select` tag draws a choice field as Django's select widget does, `truncate` cuts as
`truncatechars` (`organisation.links` has its own tests)."""

from __future__ import annotations

import pytest
from django import forms
from django.template.defaultfilters import truncatechars

from organisation.models import Department
from organisation.templatetags.srcn import select
from organisation.text import truncate

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "все"), ("a", "Первый <b>"), ("b", "Второй «в»")], required=False
    )
    grouped = forms.ChoiceField(choices=[("Группа", [("x", "икс"), ("y", "игрек")])])
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="все отделения"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-select"


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"kind": "a", "grouped": "y", "department": "B"},
        # invalid choices: aria-invalid and aria-describedby, nothing chosen
        {"kind": "nonsense", "department": "0"},
    ],
)
def test_the_tag_draws_what_the_widget_draws(dept_a, dept_b, data):
    if data and data["department"] == "B":
        data["department"] = str(dept_b.pk)
    form = _Form(data)
    form.is_valid()
    for name in ("kind", "grouped", "department"):
        drawn = str(select(form[name]))
        assert drawn == str(form[name]), name
    kind = str(select(form["kind"]))
    if data and data["kind"] == "a":
        assert '<option value="a" selected>Первый &lt;b&gt;</option>' in kind
    if data and data["kind"] == "nonsense":
        assert 'aria-invalid="true"' in kind and " selected" not in kind


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Коротко",
        "Ровно десять!"[:10],
        "Одиннадцать",
        "Длинное содержание обращения, которое не помещается в строку",
        "Текст с многоточием в конце…………",
    ],
)
@pytest.mark.parametrize("length", [1, 10, 20])
def test_truncate_cuts_as_the_filter_does(value, length):
    assert truncate(value, length) == truncatechars(value, length)
