"""Form pieces shared by every app: dates typed as дд.мм.гггг."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organisation import text


class DateInput(forms.DateInput):
    """A date typed as дд.мм.гггг: works on any browser and on a tablet's numeric keypad."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {
            "placeholder": "дд.мм.гггг",
            "inputmode": "numeric",
            "pattern": r"\d{1,2}\.\d{1,2}\.\d{2,4}",
            "title": "Дата в виде дд.мм.гггг, например 01.09.2026",
            "autocomplete": "off",
            "class": "form-control js-date",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d.%m.%Y")


class TimeInput(forms.TimeInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"type": "time", **(attrs or {})}, format="%H:%M")


DATE_ERROR = "Введите дату в виде дд.мм.гггг, например 01.09.2026."


def formfield_for_dbfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """ModelForm formfield_callback: every date field typed as дд.мм.гггг with a Russian error."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("widget", DateInput)
        field = db_field.formfield(**kwargs)
        if field is not None:
            field.error_messages["invalid"] = DATE_ERROR
        return field
    if isinstance(db_field, models.TimeField):
        kwargs.setdefault("widget", TimeInput)
    return db_field.formfield(**kwargs)


class DateField(forms.DateField):
    """A date field for plain forms, typed as дд.мм.гггг."""

    widget = DateInput
    default_error_messages = {"invalid": DATE_ERROR}


class RecordIdField(forms.IntegerField):
    """A record's id in a filter (most are hidden fields the reports' links fill): ASCII
    digits within the range of a database key (`text.parse_id`), else the field's error —
    never a number the database cannot hold (an overflow, a server error) nor «٣» read as 3."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        parsed = text.parse_id(str(value).strip())
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class _ModelFormMetaclass(forms.models.ModelFormMetaclass):
    def __new__(mcs, name: str, bases: tuple, attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(formfield_for_dbfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_ModelFormMetaclass):
    """The project's base ModelForm: Russian date inputs everywhere, whatever Meta says."""


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Неверное имя пользователя или пароль. Проверьте раскладку и регистр.",
        "inactive": "Учётная запись отключена. Обратитесь к администратору.",
    }


class OwnPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Текущий пароль введён неверно.",
    }


def action_errors(exc: ValidationError) -> dict[str, list[str]]:
    """An action's ValidationError as {field: [messages]}; messages about no field under
    "__all__"."""
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def add_action_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put an action's refusal next to the fields it names, the rest on top of the form: views
    validate a form, call one action, and show what the action refused this way."""
    for field, messages in action_errors(exc).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def refused_form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    back: str,
    submit: str = "Сохранить",
    intro: str = "",
    method: str = "post",
) -> HttpResponse:
    """A POST-only action (closing a case, returning an order, cancelling a record…) that
    refused its input: the form shown again on its own page — the message next to the field,
    what was typed kept, sent again to the same address — with status 400, instead of a
    redirect with a flash that loses the input. `method="get"` for a form sent by GET (a
    document printed on demand)."""
    return render(
        request,
        "organisation/refused_form.html",
        {
            "form": form,
            "title": title,
            "back": back,
            "submit": submit,
            "intro": intro,
            "action": request.path,
            "method": method,
        },
        status=400,
    )
