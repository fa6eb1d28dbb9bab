"""No lost update: an edit form carries the version of the record it was read at.

`VersionedForm` (a mixin for model forms of records two people may edit) puts the record's
`updated_at` into a hidden field. On saving, the record's row is locked (`SELECT … FOR UPDATE`,
held until the request's transaction ends) and its version compared: when someone saved it in
between, the form is refused with who changed what meanwhile (from the record's history), and
what the user typed stays in the form. A form that comes without its version (a request made
by hand, a page kept from before the field existed) is refused the same way. The hidden
version is moved to the current one, so sending the form again, after looking, saves it over
the other person's change knowingly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

STALE_INTRO = "Пока вы редактировали, запись изменил(а) {who} в {when}"
UNVERSIONED = (
    "Форма пришла без версии записи, и нельзя проверить, не изменил ли её кто-то, пока вы "
    "редактировали (страница была открыта в старой вкладке или сохранена из другой программы)."
)
STALE_OUTRO = (
    "Ваши изменения не сохранены и остались в форме: проверьте их и сохраните ещё раз, "
    "если они нужны."
)


def version_of(instance: models.Model) -> str:
    value = getattr(instance, "updated_at", None)
    return value.isoformat() if value else ""


def _shown(instance: Any, name: str) -> str:
    field = instance._meta.get_field(name)
    if getattr(field, "choices", None):
        value: Any = getattr(instance, f"get_{name}_display")()
    elif field.is_relation:
        value = getattr(instance, name, None)
    else:
        value = getattr(instance, name, None)
    if value in (None, ""):
        return "пусто"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, bool):
        return "да" if value else "нет"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


IGNORED = {"updated_at", "created_at", "created_by", "search_text"}


def changes_since(instance: models.Model, read_at: datetime) -> tuple[str, list[str]]:
    """(who changed it last, ["поле: «было» → «стало»", …]) since `read_at`, from the
    record's django-simple-history; ("", []) when the model keeps no history."""
    history = getattr(instance, "history", None)
    if history is None:
        return "", []
    # Historical rows copy `updated_at`: the version read is the newest row stamped with it.
    newer = list(history.filter(updated_at__gt=read_at).order_by("history_date"))
    if not newer:
        return "", []
    last = newer[-1]
    who = str(last.history_user) if last.history_user_id else "другой пользователь"
    before = history.filter(updated_at__lte=read_at).order_by("-history_date").first()
    lines: list[str] = []
    if before is not None:
        for change in last.diff_against(before).changes:
            if change.field in IGNORED:
                continue
            label = getattr(instance._meta.get_field(change.field), "verbose_name", change.field)
            lines.append(
                f"{str(label).capitalize()}: «{_shown(before, change.field)}» → "
                f"«{_shown(last, change.field)}»"
            )
    return who, lines


class VersionedForm(forms.ModelForm):
    """Mixin for the model form of a record two people may edit (card, family, …)."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = version_of(self.instance)

    @property
    def changed_data(self) -> list[str]:
        """The record's fields the user changed (the version is not one of them)."""
        return [name for name in super().changed_data if name != "version"]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        sent = data.pop("version", "") or ""  # the form's business, not the action's
        if self.instance.pk:
            self._check_version(sent)
        return data

    def _check_version(self, sent: str) -> None:
        model = type(self.instance)
        current = model._base_manager.select_for_update().get(pk=self.instance.pk)
        now = version_of(current)
        if sent == now or not now:
            return
        if not sent:  # a form that lost its version must not save over someone's change unseen
            self._refuse(UNVERSIONED + " ", now)
            return
        read_at: datetime | None
        try:  # a version the form made: an aware instant the database can hold
            read_at = datetime.fromisoformat(sent)
            read_at = read_at.astimezone(UTC) if timezone.is_aware(read_at) else None
        except (ValueError, OverflowError):  # tampered: refused as stale, without the changes
            read_at = None
        who, lines = changes_since(current, read_at) if read_at else ("", [])
        when = f"{timezone.localtime(current.updated_at):%d.%m.%Y %H:%M}"  # type: ignore[attr-defined]
        message = STALE_INTRO.format(who=who or "другой пользователь", when=when)
        message += (": " + "; ".join(lines) + ". ") if lines else ". "
        self._refuse(message, now)

    def _refuse(self, message: str, now: str) -> None:
        """Refuse the save, keep what was typed and move the hidden version to the current
        one, so that sending the form again saves it knowingly."""
        self.add_error(None, message + STALE_OUTRO)
        data = dict(self.data.items()) if not hasattr(self.data, "copy") else self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("version")] = now  # sending again overwrites knowingly
        self.data = data
