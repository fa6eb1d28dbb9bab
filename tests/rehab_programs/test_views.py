"""Pages of diagnostics, the ИПСРН and the conclusion: access, bad input, PDFs, query counts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from consilium.models import DecisionKind
from rehab_programs import actions
from rehab_programs.models import Activity, Diagnostic, RehabProgramme, Stage
from tests.html import tables_in_boxes
from tests.rehab_programs.factories import (
    approved_programme,
    decide,
    diagnostic,
    enrolled_child,
    mother_of,
    programme,
)
from tests.reports.test_pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(dept_a):
    return enrolled_child(dept_a, last_name="Орлов", first_name="Артём", patronymic="Игоревич")


def test_pages_need_a_login(client, child):
    for url in (
        reverse("rehab_programs:list"),
        reverse("rehab_programs:recipient", args=[child.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_the_outsider_department_gets_404(
    client, child, psychologist, head, specialist_b, consilium_members
):
    p = approved_programme(child, psychologist, head)
    client.force_login(specialist_b)
    for url in (
        reverse("rehab_programs:recipient", args=[child.pk]),
        reverse("rehab_programs:programme", args=[p.pk]),
        reverse("rehab_programs:programme_pdf", args=[p.pk]),
        reverse("rehab_programs:diagnostic_add", args=[child.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_director_reads_but_does_not_write(
    client, child, psychologist, head, director, consilium_members
):
    p = approved_programme(child, psychologist, head)
    client.force_login(director)
    assert client.get(reverse("rehab_programs:programme", args=[p.pk])).status_code == 200
    assert client.get(reverse("rehab_programs:diagnostic_add", args=[child.pk])).status_code == 403
    assert client.get(reverse("rehab_programs:revision_propose", args=[p.pk])).status_code == 403


def test_the_tables_scroll_in_their_box_on_a_tablet(
    client, child, psychologist, head, consilium_members
):
    """At 800 px the diagnostics table and the activities pushed the whole page sideways (the
    header stopped at the screen's edge): each table scrolls inside its own box."""
    p = approved_programme(child, psychologist, head)
    diagnostic(child, psychologist)
    client.force_login(psychologist)
    for url in (
        reverse("rehab_programs:recipient", args=[child.pk]),
        reverse("rehab_programs:programme", args=[p.pk]),
    ):
        assert tables_in_boxes(client.get(url).content.decode()), url


def test_registrar_and_administrator_have_no_rehab_pages(client, registrar, administrator, child):
    for user in (registrar, administrator):
        client.force_login(user)
        assert client.get(reverse("rehab_programs:list")).status_code == 403
        assert client.get(reverse("rehab_programs:recipient", args=[child.pk])).status_code == 404


def test_withdraw_is_post_only(client, child, psychologist):
    p = programme(child, psychologist)
    activity = Activity.objects.get(programme=p)
    client.force_login(psychologist)
    assert (
        client.get(reverse("rehab_programs:activity_withdraw", args=[activity.pk])).status_code
        == 405
    )


def test_logging_a_diagnostic_through_the_form_O15(client, child, psychologist):
    client.force_login(psychologist)
    url = reverse("rehab_programs:diagnostic_add", args=[child.pk])
    response = client.post(
        url,
        {
            "stage": "primary",
            "area": "pedagogical",
            "form": "individual",
            "conducted_on": "03.09.2026",
            "duration_minutes": "40",
            "methods": "Наблюдение, беседа",
            "results": "Трудности в учёбе",
            "conclusions": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    d = Diagnostic.objects.get(recipient=child)
    assert d.service_record is not None and d.service_record.service.code == "4.1.1"


def test_bad_diagnostic_input_is_answered_in_russian_next_to_the_field(client, child, psychologist):
    client.force_login(psychologist)
    response = client.post(
        reverse("rehab_programs:diagnostic_add", args=[child.pk]),
        {
            "stage": "primary",
            "area": "psychological",
            "form": "individual",
            "conducted_on": "31.02.2026",
            "duration_minutes": "40",
            "methods": "",
            "results": "Итог",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["conducted_on"] == ["Введите дату в виде дд.мм.гггг, например 01.09.2026."]
    assert form.errors["methods"] == ["Обязательное поле."]
    response = client.post(
        reverse("rehab_programs:diagnostic_add", args=[child.pk]),
        {
            "stage": "primary",
            "area": "psychological",
            "form": "individual",
            "conducted_on": "03.09.2026",
            "duration_minutes": "90",
            "methods": "Тест",
            "results": "Итог",
        },
    )
    assert "45" in response.context["form"].errors["duration_minutes"][0]
    assert not Diagnostic.objects.exists()


def test_a_revision_without_its_grounds_is_answered_next_to_the_fields_O19(
    client, child, psychologist, head, consilium_members
):
    p = approved_programme(child, psychologist, head)
    client.force_login(psychologist)
    response = client.post(
        reverse("rehab_programs:revision_propose", args=[p.pk]),
        {"proposed_on": "01.12.2026", "changes": "Добавить арт-терапию"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "промежуточной диагностики" in errors["diagnostics"][0]
    assert "мнение и пожелания ребёнка" in errors["minor_opinion"][0]
    assert "опроса родителей" in errors["parents_survey"][0]
    assert "промежуточной диагностики" in response.content.decode()


def test_the_recipient_page_flags_late_terms_O15_O16(client, dept_a, head):
    late = enrolled_child(dept_a, first_day=date(2026, 11, 2))
    client.force_login(head)
    response = client.get(reverse("rehab_programs:recipient", args=[late.pk]))
    html = response.content.decode()
    assert "до 17.11.2026" in html  # 4 November is a holiday
    assert 'data-testid="late"' in html
    listing = client.get(reverse("rehab_programs:list") + "?late=1").content.decode()
    assert late.full_name in listing


def test_the_programme_pdf_and_the_parents_copy_withheld_O17(
    client, child, psychologist, head, consilium_members
):
    p = approved_programme(child, psychologist, head)
    client.force_login(psychologist)
    response = client.get(reverse("rehab_programs:programme_pdf", args=[p.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "ИНДИВИДУАЛЬНАЯ ПРОГРАММА СОЦИАЛЬНОЙ РЕАБИЛИТАЦИИ" in " ".join(text.split())
    assert "Орлов Артём Игоревич" in text
    assert "протокол № 1 от 15.09.2026" in text
    actions.record_familiarisation(
        programme=p,
        recorded_by=psychologist,
        minor_explained_on=date(2026, 9, 16),
        minor_explanation="Объяснено",
        parent_info_withheld=True,
        withheld_reason="Насилие в семье",
    )
    response = client.get(reverse("rehab_programs:programme_pdf", args=[p.pk]) + "?copy=parent")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Экземпляр для родителя не выдаётся" in page


def test_the_conclusion_prints_in_two_copies_O21(client, child, psychologist):
    final = diagnostic(child, psychologist, stage=Stage.FINAL, on=date(2026, 12, 8))
    c = actions.draw_up_conclusion(
        recipient=child,
        drawn_up_by=psychologist,
        drawn_up_on=date(2026, 12, 10),
        diagnostics=[final],
        results="Тревожность снижена",
        recommendations="Продолжить занятия с психологом по месту учёбы",
    )
    actions.record_conclusion_receipt(
        conclusion=c,
        received_by=mother_of(child),
        received_on=date(2026, 12, 11),
        recorded_by=psychologist,
    )
    client.force_login(psychologist)
    response = client.get(reverse("rehab_programs:conclusion_pdf", args=[c.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "Экземпляр № 1 — для родителей (законных представителей)" in text
    assert "Экземпляр № 2 — для личного дела" in text
    assert text.count("Продолжить занятия с психологом") == 2
    page = client.get(reverse("rehab_programs:recipient", args=[child.pk])).content.decode()
    assert "Получено родителем под роспись" in page


@pytest.mark.parametrize("n", [3, 30])
def test_the_programme_page_keeps_its_queries_as_activities_grow(
    client, child, psychologist, head, consilium_members, django_assert_num_queries, n
):
    p = approved_programme(child, psychologist, head, activities=n)
    intermediate = diagnostic(child, psychologist, stage=Stage.INTERMEDIATE, on=date(2026, 11, 30))
    actions.propose_revision(
        programme=p,
        proposed_by=psychologist,
        proposed_on=date(2026, 12, 1),
        changes="Добавить",
        diagnostics=[intermediate],
        minor_opinion="Мнение",
        parents_survey="Опрос",
    )
    for i in range(n):
        actions.add_activity(
            programme=p,
            added_by=psychologist,
            responsible=psychologist,
            due_on=date(2027, 2, 1),
            description=f"Новое {i}",
            expected_result="Результат",
        )
    client.force_login(head)
    url = reverse("rehab_programs:programme", args=[p.pk])
    # with the access log's insert (issue 11) and the specialists' proposals (O37)
    with django_assert_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["activities"]["current"]) == n
    assert len(response.context["activities"]["proposed"]) == n


@pytest.mark.parametrize("n", [3, 20])
def test_the_programmes_list_keeps_its_queries(
    client, dept_a, psychologist, head, consilium_members, django_assert_num_queries, n
):
    for _ in range(n):
        c = enrolled_child(dept_a)
        programme(c, psychologist)
    decide(head, c, DecisionKind.APPROVE)
    client.force_login(head)
    # the register is paginated in the database (one COUNT), the terms of the page computed
    # in its one query (no programmes or versions loaded)
    with django_assert_num_queries(8):
        response = client.get(reverse("rehab_programs:list"))
    assert len(response.context["rows"]) == n
    assert RehabProgramme.objects.count() == n


@pytest.fixture
def register(dept_a, psychologist, head, consilium_members):
    """Minors at every stage of O15, O16, O19, by name: the register's cases."""
    from recipients.models import Recipient
    from rehab_programs.models import ProgrammeVersion

    children = {}
    children["no_primary"] = enrolled_child(dept_a, last_name="Аистов")
    children["primary_late"] = enrolled_child(dept_a, last_name="Бобров")
    diagnostic(children["primary_late"], psychologist, on=date(2026, 9, 25))
    children["no_programme"] = enrolled_child(dept_a, last_name="Волков")
    diagnostic(children["no_programme"], psychologist, on=date(2026, 9, 3))
    children["proposed"] = enrolled_child(dept_a, last_name="Гусев")
    programme(children["proposed"], psychologist)
    children["approved"] = enrolled_child(dept_a, last_name="Дроздов")
    approved_programme(children["approved"], psychologist, head)
    children["revision_late"] = enrolled_child(dept_a, last_name="Ежов")
    late = approved_programme(children["revision_late"], psychologist, head)
    ProgrammeVersion.objects.filter(programme=late).update(protocol_date=date(2026, 8, 31))
    children["continued"] = enrolled_child(dept_a, last_name="Жуков")
    continued = approved_programme(children["continued"], psychologist, head)
    ProgrammeVersion.objects.filter(programme=continued).update(protocol_date=date(2026, 8, 31))
    RehabProgramme.objects.filter(pk=continued.pk).update(continued_on=date(2026, 11, 30))
    # a programme of an earlier stay is not the programme of this one
    children["earlier_stay"] = enrolled_child(dept_a, last_name="Зайцев")
    programme(children["earlier_stay"], psychologist, on=date(2026, 9, 10))
    Recipient.objects.filter(pk=children["earlier_stay"].pk).update(
        first_day_of_stay=date(2026, 11, 2)
    )
    children["archived"] = enrolled_child(dept_a, last_name="Иванов")
    archived = programme(children["archived"], psychologist)
    RehabProgramme.objects.filter(pk=archived.pk).update(archived_at="2026-10-01T10:00Z")
    return children


def _python_terms(child, today):
    from recipients.models import Recipient
    from rehab_programs import selectors

    s = selectors.status_of(
        selectors.recipient_with_status(Recipient.objects.all(), child.pk), today
    )
    return (
        s.primary_due,
        s.primary_on,
        s.programme.pk if s.programme else None,
        s.programme.is_in_force if s.programme else False,
        s.programme_due,
        s.revision_due,
        (s.primary_late, s.programme_late, s.revision_late),
    )


def test_the_register_computes_the_terms_of_the_recipient_page_O15_O16_O19(client, register, head):
    """The list's terms come from the database; the minor's page computes them in Python."""
    client.force_login(head)
    response = client.get(reverse("rehab_programs:list"))
    rows = {row.recipient.pk: row for row in response.context["rows"]}
    assert set(rows) == {c.pk for c in register.values()}
    today = response.context["today"]
    for name, child in register.items():
        row = rows[child.pk]
        sql = (
            row.primary_due,
            row.primary_on,
            row.programme_id,
            row.programme_in_force,
            row.programme_due,
            row.revision_due,
            (row.primary_late, row.programme_late, row.revision_late),
        )
        assert sql == _python_terms(child, today), name
    assert rows[register["revision_late"].pk].revision_late
    assert not rows[register["continued"].pk].revision_late
    assert rows[register["earlier_stay"].pk].programme_id is None
    assert rows[register["archived"].pk].programme_id is None
    html = response.content.decode()
    proposed = RehabProgramme.objects.get(recipient=register["proposed"])
    assert f'href="{proposed.get_absolute_url()}"' in html
    url = reverse("rehab_programs:recipient", args=[register["approved"].pk])
    assert f'href="{url}"' in html


def test_the_register_pages_the_late_ones_in_the_database(client, register, head):
    client.force_login(head)
    today = client.get(reverse("rehab_programs:list")).context["today"]
    late = {c.pk for c in register.values() if any(_python_terms(c, today)[-1])}
    assert late == {
        register[n].pk
        for n in ("no_primary", "primary_late", "no_programme", "revision_late", "earlier_stay")
    } | {register["archived"].pk}
    response = client.get(reverse("rehab_programs:list"), {"late": "1"})
    assert {row.recipient.pk for row in response.context["rows"]} == late
    assert response.context["page_obj"].paginator.count == len(late)


def test_the_register_for_a_period_lists_the_programmes_drawn_up_in_it(
    client, register, head, director, dept_b
):
    from organisation.models import Position
    from tests.factories import UserFactory

    other = enrolled_child(dept_b, last_name="Чужов")
    programme(other, UserFactory(position=Position.PSYCHOLOGIST, department=dept_b))
    client.force_login(head)
    response = client.get(
        reverse("rehab_programs:list"), {"date_from": "01.09.2026", "date_to": "30.09.2026"}
    )
    listed = [row.recipient.pk for row in response.context["rows"]]
    # each minor once, in the order of names; not the archived programme, not another department
    assert listed == [
        register[n].pk
        for n in ("proposed", "approved", "revision_late", "continued", "earlier_stay")
    ]
    assert 'data-testid="programme-period-note"' in response.content.decode()
    client.force_login(director)
    response = client.get(
        reverse("rehab_programs:list"),
        {"date_from": "01.09.2026", "date_to": "30.09.2026", "department": dept_b.pk},
    )
    assert [row.recipient.pk for row in response.context["rows"]] == [other.pk]


def test_the_register_escapes_the_names(client, dept_a, head):
    enrolled_child(dept_a, last_name="Орлов<script>")
    client.force_login(head)
    html = client.get(reverse("rehab_programs:list")).content.decode()
    assert "Орлов&lt;script&gt;" in html
    assert "Орлов<script>" not in html


def test_the_register_keeps_each_scope_to_itself_and_builds_its_sql_once(
    client, dept_a, dept_b, head, head_b, director
):
    """The register's SQL is built once per scope and day (`_register_sql`): a head of
    another department, the director and a second request each get their own minors."""
    from rehab_programs import selectors

    ours = enrolled_child(dept_a, last_name="Наш")
    theirs = enrolled_child(dept_b, last_name="Чужой")

    def listed(user, **params):
        client.force_login(user)
        response = client.get(reverse("rehab_programs:list"), params)
        return {row.recipient.pk for row in response.context["rows"]}

    selectors._register_sql.cache_clear()
    assert listed(head) == {ours.pk}
    assert listed(head_b) == {theirs.pk}
    assert listed(director) == {ours.pk, theirs.pk}
    assert listed(head, late="1") == {ours.pk}  # no primary diagnostics: late
    built = selectors._register_sql.cache_info().misses
    assert built == 4
    assert listed(head) == {ours.pk}
    assert listed(head_b) == {theirs.pk}
    assert selectors._register_sql.cache_info().misses == built


def test_the_register_of_no_scope_is_empty(dept_a):
    """A user `scope_of` gives nothing to sees an empty register, without a query."""
    from rehab_programs import selectors

    enrolled_child(dept_a)
    register = selectors.Register(None, date(2026, 11, 30))
    assert register.count() == 0
    assert register[0:50] == []


def test_the_programme_and_the_conclusion_of_a_girl_agree_with_her_sex_O17_O21(
    client, dept_a, psychologist, head, consilium_members
):
    """«Несовершеннолетняя», «разъяснено несовершеннолетней», «работе с ней»: no masculine
    word about a girl (and the boy's forms stay, see the tests above)."""
    girl = enrolled_child(
        dept_a, last_name="Орлова", first_name="Алиса", patronymic="Игоревна", sex="female"
    )
    p = approved_programme(girl, psychologist, head)
    actions.record_familiarisation(
        programme=p,
        recorded_by=psychologist,
        minor_explained_on=date(2026, 9, 16),
        minor_explanation="Объяснено",
        parent_info_withheld=False,
        parent_familiarised=mother_of(girl),
        parent_familiarised_on=date(2026, 9, 16),
    )
    actions.record_activity_result(
        activity=p.activities.get(),
        actual_result="Выполнено в полном объёме.",
        done_on=date(2026, 10, 1),
        recorded_by=psychologist,
    )
    client.force_login(psychologist)
    response = client.get(reverse("rehab_programs:programme_pdf", args=[p.pk]))
    text = " ".join(pdf_text(response.content).split())
    # The result typed with its own full stop, then its date: no «объёме. (01.10.2026)».
    assert "Выполнено в полном объёме (01.10.2026)" in text
    assert "ИНДИВИДУАЛЬНАЯ ПРОГРАММА СОЦИАЛЬНОЙ РЕАБИЛИТАЦИИ НЕСОВЕРШЕННОЛЕТНЕЙ" in text
    assert "Несовершеннолетняя Орлова Алиса Игоревна" in text
    assert "Разъяснено несовершеннолетней" in text
    assert "есовершеннолетн" + "ий" not in text and "несовершеннолетнему" not in text

    final = diagnostic(girl, psychologist, stage=Stage.FINAL, on=date(2026, 12, 8))
    c = actions.draw_up_conclusion(
        recipient=girl,
        drawn_up_by=psychologist,
        drawn_up_on=date(2026, 12, 10),
        diagnostics=[final],
        results="Тревожность снижена",
        recommendations="Продолжить занятия",
    )
    response = client.get(reverse("rehab_programs:conclusion_pdf", args=[c.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "несовершеннолетней и рекомендации по дальнейшей работе с ней" in text
    assert "Несовершеннолетняя Орлова Алиса Игоревна" in text
    assert "Рекомендации по дальнейшей работе с несовершеннолетней" in text
    assert " с ним" not in text and "несовершеннолетним" not in text


def test_each_copy_of_a_long_conclusion_is_numbered_from_its_own_second_page_O21(
    client, child, psychologist
):
    """The copy for the personal file is a document of its own: its first page bears no number
    and its second page is «2» (ГОСТ Р 7.0.97-2016, 5.4), not «3» after the parents' copy."""
    from pypdf import PdfReader

    final = diagnostic(child, psychologist, stage=Stage.FINAL, on=date(2026, 12, 8))
    long_text = "Тревожность снижена, ребёнок посещает занятия охотно и без пропусков. " * 40
    c = actions.draw_up_conclusion(
        recipient=child,
        drawn_up_by=psychologist,
        drawn_up_on=date(2026, 12, 10),
        diagnostics=[final],
        results=long_text,
        recommendations="Продолжить занятия с психологом по месту учёбы",
    )
    client.force_login(psychologist)
    data = client.get(reverse("rehab_programs:conclusion_pdf", args=[c.pk])).content
    pages = PdfReader(io.BytesIO(data)).pages
    numbers = [
        [line.strip() for line in page.extract_text().splitlines() if line.strip().isdigit()]
        for page in pages
    ]
    starts = [i for i, page in enumerate(pages) if "Экземпляр №" in page.extract_text()]
    assert len(starts) == 2 and starts[1] >= 2  # each copy takes more than one page
    assert numbers[0] == [] and numbers[starts[1]] == []
    assert numbers[1] == ["2"] and numbers[starts[1] + 1] == ["2"]


def test_an_activity_longer_than_a_page_leaves_no_page_with_a_heading_alone_O20(
    client, child, psychologist, head, consilium_members
):
    from pypdf import PdfReader

    p = approved_programme(child, psychologist, head)
    actions.record_activity_result(
        activity=p.activities.get(),
        actual_result="Занятия проведены, ребёнок справился со всеми заданиями уверенно. " * 90,
        done_on=date(2026, 10, 1),
        recorded_by=psychologist,
    )
    client.force_login(psychologist)
    data = client.get(reverse("rehab_programs:programme_pdf", args=[p.pk])).content
    for n, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):
        assert len(page.extract_text().split()) > 40, (n, page.extract_text())
