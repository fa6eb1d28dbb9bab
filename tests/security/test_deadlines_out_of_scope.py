"""Issue 11, point 2: a deadline names the child or family it is about, so it reaches only a
user who may see that record — not an account whose position waits for the director (it has no
role and sees nothing), nor a specialist moved to another department (P4, P6: the head of the
family's department is told instead, to assign someone)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from organisation.accounts import notify_account
from organisation.actions import notify_deadlines
from organisation.models import Notification, NotificationEvent, Position, User
from recipients import exports as recipient_exports
from reports import jobs
from reports.models import ExportJob
from tests.factories import RecipientFactory
from tests.patronage.factories import case_with_appeal
from tests.security.test_accounts import admin_form, change_url

OVERDUE_DAY = date(2026, 4, 1)  # the first visit of a case opened on 2 March is long overdue


def family_case(registrar, head, dept_a, specialist):  # type: ignore[no-untyped-def]
    case = case_with_appeal(
        registrar=registrar, head=head, department=dept_a, specialist=specialist
    )
    assert case.specialist_id == specialist.pk
    return case


def deadline_notes(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user)
        .exclude(event=NotificationEvent.ACCOUNT)
        .values_list("message", flat=True)
    )


def _the_head_is_told_not_the_specialist(client, specialist, head) -> None:
    """The family's overdue first visit: out of the specialist's «Мои сроки» and letters, the
    head told instead."""
    client.force_login(specialist)
    assert "Смирновых" not in client.get(reverse("my_deadlines")).content.decode()
    notify_deadlines(today=OVERDUE_DAY, force=True)
    assert deadline_notes(specialist) == []
    assert any("Смирновых" in m for m in deadline_notes(head))


def test_a_held_account_sees_no_deadline_of_its_former_department_P4(
    client, administrator, registrar, head, dept_a, dept_b, specialist
):
    family_case(registrar, head, dept_a, specialist)
    client.force_login(specialist)
    assert "Смирновых" in client.get(reverse("my_deadlines")).content.decode()

    client.force_login(administrator)
    client.post(change_url(specialist), admin_form(specialist, department=dept_b.pk))
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.awaiting_confirmation

    _the_head_is_told_not_the_specialist(client, specialist, head)


def test_a_specialist_moved_to_another_department_is_not_told_of_the_old_ones_families_P4(
    client, registrar, director, head, dept_a, dept_b, specialist
):
    family_case(registrar, head, dept_a, specialist)
    User.objects.filter(pk=specialist.pk).update(department=dept_b)  # the director's own change
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.position == Position.SOCIAL_WORK_SPECIALIST

    _the_head_is_told_not_the_specialist(client, specialist, head)


def test_a_held_account_reads_only_its_account_notifications_under_the_bell_P4(
    client, administrator, registrar, head, dept_a, dept_b, specialist
):
    family_case(registrar, head, dept_a, specialist)
    notify_deadlines(today=OVERDUE_DAY, force=True)
    client.force_login(specialist)
    assert "Смирновых" in client.get(reverse("notifications")).content.decode()

    client.force_login(administrator)
    client.post(change_url(specialist), admin_form(specialist, department=dept_b.pk))
    notify_account(user=specialist, message="Администратор изменил ваше отделение.")
    client.force_login(specialist)
    page = client.get(reverse("notifications")).content.decode()
    assert "Смирновых" not in page
    assert "Администратор изменил ваше отделение." in page  # its account's events stay


def test_a_held_account_downloads_no_export_it_ordered_before(
    client, administrator, specialist, dept_a, dept_b
):
    RecipientFactory(department=dept_a)
    job = ExportJob.objects.create(owner=specialist, kind="recipients.register", title="Реестр")
    assert jobs.run_export(job_id=job.pk, build=recipient_exports.register_export)
    client.force_login(specialist)
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 200

    client.force_login(administrator)
    client.post(change_url(specialist), admin_form(specialist, department=dept_b.pk))
    client.force_login(specialist)
    for name in ("reports:job", "reports:job_progress", "reports:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
