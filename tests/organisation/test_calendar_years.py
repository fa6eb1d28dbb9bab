"""The production calendar beyond its built-in years: provisional terms said so, the years that
need the decree named, a year loaded from the official open-data file; days off the centre
works on (services logged on other days off warn)."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse

from organisation import actions, calendar
from organisation.calendar_files import CalendarFileError, read_year
from organisation.models import CalendarYear
from tests.conftest import login

pytestmark = pytest.mark.django_db

MONTHS = "Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь"


def _csv_2028(*, extra_off: tuple[date, ...] = (), extra_working: tuple[date, ...] = ()) -> bytes:
    """A data.gov.ru style file for 2028: the Labour Code's days off, changed as asked."""
    cells = []
    for month in range(1, 13):
        days = []
        d = date(2028, month, 1)
        while d.month == month:
            off = (not calendar.built_in_is_working(d) or d in extra_off) and d not in extra_working
            if off:
                days.append(str(d.day) + ("+" if d in extra_off else ""))
            elif d == date(2028, 3, 7):
                days.append("7*")  # a shortened pre-holiday day is a working day
            d = date.fromordinal(d.toordinal() + 1)
        cells.append('"' + ",".join(days) + '"')
    header = f"Год/Месяц,{MONTHS},Всего рабочих дней,Всего праздничных и выходных дней"
    return (header + "\n2028," + ",".join(cells) + ",247,119\n").encode()


def test_a_year_without_its_decree_is_not_confirmed_and_its_deadlines_say_so():
    """2024–2027 are built in from their decrees; 2028 is counted from the Labour Code alone."""
    assert calendar.is_confirmed_year(2027)
    assert not calendar.is_confirmed_year(2028)
    assert calendar.unconfirmed_note(date(2027, 12, 30)) == ""
    assert "календарь на 2028 год не подтверждён" in calendar.unconfirmed_note(date(2028, 1, 10))
    html = Template("{% load srcn %}{{ d|calendar_note }}").render(
        Context({"d": date(2028, 1, 10)})
    )
    assert 'data-testid="calendar-note"' in html and "2028" in html


def test_the_years_needing_the_decree_are_this_and_next_year_and_those_deadlines_reach():
    assert calendar.years_needing_decree(date(2026, 11, 20)) == []
    assert calendar.years_needing_decree(date(2026, 11, 20), [date(2028, 1, 12)]) == [2028]
    assert calendar.years_needing_decree(date(2027, 2, 1)) == [2028]


def test_the_daily_jobs_report_names_the_years_needing_the_decree(director):
    out = io.StringIO()
    with time_machine.travel(date(2027, 12, 1)):
        call_command("notify_deadlines", "--force", stdout=out)
        result = actions.notify_deadlines(force=True)
    assert "Производственный календарь не подтверждён на 2028 г." in out.getvalue()
    assert result.years_needing_decree == [2028]


def test_a_year_is_loaded_from_the_open_data_csv(administrator):
    """A decree moving a day off (Fri 5 May 2028 off, Sat 13 May 2028 working), loaded from
    the file: the days follow it and the year is confirmed."""
    assert calendar.is_working_day(date(2028, 5, 5))
    content = _csv_2028(extra_off=(date(2028, 5, 5),), extra_working=(date(2028, 5, 13),))
    loaded = actions.load_calendar_year(
        year=2028,
        content=content,
        filename="calendar.csv",
        source="постановление Правительства РФ от 01.10.2027 № 1",
        loaded_by=administrator,
    )
    assert (loaded.corrections, calendar.is_confirmed_year(2028)) == (2, True)
    assert not calendar.is_working_day(date(2028, 5, 5))
    assert calendar.is_working_day(date(2028, 5, 13))
    assert calendar.is_working_day(date(2028, 3, 7))  # «7*»: shortened, still working
    assert calendar.unconfirmed_note(date(2028, 5, 15)) == ""


def test_a_year_is_loaded_from_the_xml_calendar():
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><calendar year="2028" lang="ru">'
        b"<days>"
        + b"".join(f'<day d="01.{n:02d}" t="1"/>'.encode() for n in range(1, 9))
        + b'<day d="01.15" t="3"/><day d="03.07" t="2"/><day d="05.05" t="1"/>'
        b"</days></calendar>"
    )
    days_off = read_year(xml, 2028, "2028.xml")
    assert date(2028, 1, 3) in days_off  # a Monday of the New Year holidays
    assert date(2028, 1, 15) not in days_off  # a Saturday made working
    assert date(2028, 5, 5) in days_off
    assert date(2028, 3, 7) not in days_off  # shortened, working


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Файл пустой."),
        ("Год/Месяц,Январь\n2027,1\n".encode(), "В файле нет строки 2028 года."),
        (b'<calendar year="2027"><days/></calendar>', "Файл XML — календарь 2027, а не 2028."),
        (b"<calendar year=", "Файл XML повреждён"),
        # a day number too big for a date, a line longer than a CSV field may be (a wrong file)
        (
            b'<calendar year="2028"><days><day d="99999999999999999999.01" t="1"/></days>'
            b"</calendar>",
            "Непонятная дата дня",
        ),
        (b"x" * 200_000, "не похож на CSV"),
    ],
)
def test_a_wrong_file_is_answered_in_russian(content, message):
    with pytest.raises(CalendarFileError, match=message):
        read_year(content, 2028)


def test_the_administrator_uploads_a_year_in_the_admin_and_is_told_which_years_need_it(
    client, administrator
):
    with time_machine.travel(date(2027, 11, 20)):
        login(client, administrator)
        page = client.get(reverse("admin:organisation_calendarday_changelist"))
        assert "Нужен календарь по постановлению о переносе выходных дней на 2028 г." in (
            page.content.decode()
        )
    login(client, administrator)
    url = reverse("admin:organisation_calendaryear_add")
    response = client.post(
        url,
        {
            "year": "2028",
            "source": "постановление № 1",
            "file": SimpleUploadedFile("c.csv", b"not a calendar"),
        },
    )
    assert response.status_code == 200
    assert "В файле нет строки 2028 года." in response.content.decode()
    response = client.post(
        url,
        {
            "year": "2028",
            "source": "постановление № 1",
            "file": SimpleUploadedFile("c.csv", _csv_2028(extra_off=(date(2028, 5, 5),))),
        },
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get().year == 2028
    assert not calendar.is_working_day(date(2028, 5, 5))


def test_a_centre_work_day_is_marked_only_on_a_day_off(administrator, dept_a):
    with pytest.raises(ValidationError) as exc:
        actions.mark_centre_work_day(day=date(2026, 11, 20), note="лагерь", marked_by=administrator)
    assert "рабочий день" in exc.value.message_dict["date"][0]
    actions.mark_centre_work_day(
        day=date(2026, 11, 22), note="приказ № 5", marked_by=administrator, department=dept_a
    )
    assert actions.centre_works_on(date(2026, 11, 22), dept_a.pk)
    assert not actions.centre_works_on(date(2026, 11, 22), None)
    assert not actions.centre_works_on(date(2026, 11, 15), dept_a.pk)
