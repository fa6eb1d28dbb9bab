from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from organisation import calendar
from organisation.models import CalendarDay, CalendarYear, CentreWorkDay, Department, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
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
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Даты", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        (
            "Сотрудник",
            {
                "fields": (
                    "last_name",
                    "first_name",
                    "patronymic",
                    "position",
                    "department",
                    "education",
                    "education_document",
                    "email",
                )
            },
        ),
    )


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "is_active", "does_patronage")
    list_editable = ("does_patronage",)


def _warn_unconfirmed_years(request: HttpRequest) -> None:
    """The calendar pages name the years whose decree is not loaded (deadlines reach them)."""
    from django.contrib import messages
    from django.utils import timezone

    from organisation import calendar
    from organisation.deadlines import all_items

    today = timezone.localdate()
    dues = [item.due for item in all_items(today=today) if item.is_open()]
    years = calendar.years_needing_decree(today, dues)
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
        if upload is not None and year:
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
    date_hierarchy = "date"
