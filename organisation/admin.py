"""Reference data and accounts in the admin.

The user form offers no superuser flag, groups or per-user permissions (rights come from the
role table alone, organisation/roles.py); the administrator cannot change its own position or
department; a position or department it gives waits for the director's confirmation; a
password it sets is temporary and the owner is told (organisation/accounts.py).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from organisation import accounts, calendar, uploads
from organisation.models import (
    CalendarDay,
    CalendarYear,
    CentreWorkDay,
    Department,
    Position,
    User,
)


class AccountChangeForm(UserChangeForm):  # type: ignore[type-arg]
    """The admin's user form, refusing a change that leaves the centre without a director
    (`accounts.leaves_no_director`): the message stands above the form, what was typed kept."""

    changed_by: User | None = None  # set per request by `UserAdmin.get_form`

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.changed_by is not None and accounts.leaves_no_director(
            account=self.instance,
            changed_by=self.changed_by,
            changed=set(self.changed_data),
            position=cleaned.get("position") or "",
            is_active=bool(cleaned.get("is_active")),
        ):
            raise forms.ValidationError(accounts.LAST_DIRECTOR, code="last_director")
        return cleaned


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    form = AccountChangeForm
    list_display = (
        "username",
        "last_name",
        "first_name",
        "patronymic",
        "position",
        "department",
        "is_active",
    )
    list_filter = ("position", "department", "is_active")
    list_select_related = ("department",)
    search_fields = ("username", "last_name", "first_name", "patronymic", "email")
    ordering = ("last_name", "first_name")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "Сотрудник",
            {
                "fields": (
                    "last_name",
                    "first_name",
                    "patronymic",
                    "sex",
                    "position",
                    "department",
                    "education",
                    "education_document",
                    "email",
                    "phone",
                )
            },
        ),
        (
            "Доступ",
            {
                "fields": (
                    "is_active",
                    "awaiting_confirmation",
                    "must_change_password",
                    "otp_devices",
                )
            },
        ),
        ("Даты", {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = (
        "awaiting_confirmation",
        "must_change_password",
        "otp_devices",
        "last_login",
        "date_joined",
    )
    filter_horizontal = ()
    actions = ["reset_second_factor"]
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (
            "Сотрудник",
            {
                "fields": (
                    "last_name",
                    "first_name",
                    "patronymic",
                    "sex",
                    "position",
                    "department",
                    "education",
                    "education_document",
                    "email",
                )
            },
        ),
    )

    def get_form(self, request: Any, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.changed_by = request.user  # type: ignore[attr-defined]  # a class made per request
        return form

    def get_queryset(self, request: Any) -> QuerySet[User]:
        qs = super().get_queryset(request)
        if not request.user.is_superuser:
            # a superuser's account (made on the command line) is out of the administrator's
            # reach: setting its password would hand over every right
            qs = qs.filter(is_superuser=False)
        return qs

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            fields += ("position", "department")  # nobody raises themselves
        return fields

    @admin.display(description="второй фактор")
    def otp_devices(self, obj: User) -> str:
        from organisation import second_factor

        return second_factor.describe(obj)

    @admin.action(description="Сбросить второй фактор (сотрудник настроит его при входе)")
    def reset_second_factor(self, request: Any, queryset: QuerySet[User]) -> None:
        from organisation import second_factor

        for account in queryset:
            second_factor.reset_by_administrator(account=account, reset_by=request.user)
            self.log_change(request, account, "Сброшен второй фактор входа.")
        self.message_user(
            request, "Второй фактор сброшен; сотрудники и директор получили уведомление."
        )

    def save_model(self, request: Any, obj: User, form: Any, change: bool) -> None:
        obj.is_staff = obj.position == Position.ADMINISTRATOR
        hold = accounts.needs_confirmation(
            account=obj, changed_by=request.user, is_new=not change, changed=set(form.changed_data)
        )
        super().save_model(request, obj, form, change)
        if hold:
            accounts.request_confirmation(account=obj, requested_by=request.user)
        if not change and obj.pk != request.user.pk:
            accounts.password_set_by_administrator(account=obj, set_by=request.user)

    # The history pages (django-simple-history) see only the accounts of the user list, and an
    # account's past version is shown, never restored: a restored version brings back what the
    # form does not offer (superuser flag, «awaiting confirmation») and, its position being the
    # form's initial value, skips the director's confirmation of that position.
    def _require_listed(self, request: Any, object_id: str) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404("Сотрудник не найден.")

    def history_view(self, request: Any, object_id: str, extra_context: Any = None) -> Any:
        self._require_listed(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: Any, object_id: str, version_id: str, extra_context: Any = None
    ) -> Any:
        self._require_listed(request, object_id)
        if request.method != "GET":
            raise PermissionDenied("Прежняя версия учётной записи не восстанавливается.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: Any, obj: Any = None) -> bool:
        return True

    def user_change_password(self, request: Any, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            account = self.get_object(request, unquote(id))
            if account is not None and account.pk != request.user.pk:
                accounts.password_set_by_administrator(account=account, set_by=request.user)
        return response


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "is_active", "does_patronage", "beds")
    list_editable = ("does_patronage", "beds")


def _warn_unconfirmed_years(request: HttpRequest) -> None:
    """The calendar pages name the years whose decree is not loaded (deadlines reach them)."""
    from django.contrib import messages
    from django.utils import timezone

    from organisation.deadlines import years_needing_decree

    years = years_needing_decree(today=timezone.localdate())
    if years:
        messages.warning(
            request,
            "Нужен календарь по постановлению о переносе выходных дней на "
            + ", ".join(str(y) for y in years)
            + " г.: сроки в этих годах рассчитаны по Трудовому кодексу и помечены как "
            "неподтверждённые. Загрузите год из файла открытых данных («Годы производственного "
            "календаря» → «Добавить») или внесите дни по одному.",
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "is_working", "note")
    list_filter = ("is_working",)
    date_hierarchy = "date"
    search_fields = ("note",)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        _warn_unconfirmed_years(request)
        return super().changelist_view(request, extra_context)

    # A correction reaches the table of working days the database joins at once.
    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        calendar.sync_days()

    def delete_model(self, request: Any, obj: Any) -> None:
        super().delete_model(request, obj)
        calendar.sync_days()

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        calendar.sync_days()


class CalendarYearForm(forms.ModelForm):
    """A year loaded from the official open-data file (CSV of data.gov.ru, or XML)."""

    file = forms.FileField(
        label="Файл календаря",
        help_text="CSV портала открытых данных или XML производственного календаря года.",
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "source"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, year = data.get("file"), data.get("year")
        if upload is not None and (message := uploads.too_large(upload)):
            self.add_error("file", message)
        elif upload is not None and year:
            from organisation.calendar_files import CalendarFileError, read_year

            content = upload.read()
            upload.seek(0)
            try:
                read_year(content, int(year), upload.name or "")
            except CalendarFileError as exc:
                self.add_error("file", str(exc))
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "source", "created_at")
    form = CalendarYearForm

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        _warn_unconfirmed_years(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        from organisation.actions import load_calendar_year

        upload = form.cleaned_data["file"]
        load_calendar_year(
            year=obj.year,
            content=upload.read(),
            filename=upload.name or "",
            source=obj.source,
            loaded_by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = CalendarYear.objects.get(year=obj.year).pk


@admin.register(CentreWorkDay)
class CentreWorkDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "department", "note")
    list_select_related = ("department",)
    date_hierarchy = "date"
