"""What was told or exported for one scope ends with it: the notifications under the bell and
their letters, «Мои сроки» and the export files name children, so an account whose position or
department changes — moved by the director, or made an administrator (which needs no
confirmation) — keeps none of what it was given before (`User.scope_changed_at`,
`policy.CHILDREN_READERS`)."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from organisation import accounts
from organisation.actions import notify_deadlines, send_pending_emails
from organisation.models import Notification, Position, User
from recipients import exports as recipient_exports
from reports import jobs
from reports.models import ExportJob
from tests.factories import RecipientFactory
from tests.security.test_accounts import admin_form, change_url
from tests.security.test_deadlines_out_of_scope import OVERDUE_DAY, deadline_notes, family_case

FAMILY = "Смирновых"


def _told_and_exported(registrar, head, dept_a, specialist) -> ExportJob:  # type: ignore[no-untyped-def]
    """The specialist of department A is told of a family's overdue visit (not yet e-mailed)
    and has exported the register of its children."""
    specialist.email = "spec@example.org"
    specialist.save()
    family_case(registrar, head, dept_a, specialist)
    notify_deadlines(today=OVERDUE_DAY, force=True)
    Notification.objects.filter(user=specialist).update(emailed_at=None, email_claim="")
    mail.outbox.clear()
    RecipientFactory(department=dept_a, last_name="Тихомирова")
    job = ExportJob.objects.create(owner=specialist, kind="recipients.register", title="Реестр")
    assert jobs.run_export(job_id=job.pk, build=recipient_exports.register_export)
    return job


def _keeps_nothing_of_department_a(client, account: User, job: ExportJob) -> None:  # type: ignore[no-untyped-def]
    client.force_login(account)
    assert FAMILY not in client.get(reverse("notifications")).content.decode()
    assert FAMILY not in client.get(reverse("my_deadlines")).content.decode()
    for name in ("reports:job", "reports:job_progress", "reports:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    send_pending_emails()
    assert not any(FAMILY in letter.body for letter in mail.outbox)


def test_an_account_made_administrator_keeps_nothing_that_names_children_P4(
    client, administrator, registrar, head, dept_a, specialist
):
    job = _told_and_exported(registrar, head, dept_a, specialist)
    client.force_login(administrator)
    client.post(
        change_url(specialist),
        admin_form(specialist, position=Position.ADMINISTRATOR, department=""),
    )
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.position == Position.ADMINISTRATOR
    assert not specialist.awaiting_confirmation  # an administrator needs no confirmation

    _keeps_nothing_of_department_a(client, specialist, job)
    # the family's case still names it as the specialist: the daily job tells the head
    notify_deadlines(today=OVERDUE_DAY.replace(day=2), force=True)
    assert not any(FAMILY in m for m in deadline_notes(specialist)[1:])
    assert Notification.objects.filter(user=head, message__contains="больше не доступна").exists()


def test_a_move_the_director_confirmed_ends_what_was_told_for_the_old_department_P4(
    client, administrator, director, registrar, head, dept_a, dept_b, specialist
):
    job = _told_and_exported(registrar, head, dept_a, specialist)
    client.force_login(administrator)
    client.post(change_url(specialist), admin_form(specialist, department=dept_b.pk))
    specialist = User.objects.get(pk=specialist.pk)
    accounts.confirm_position(
        account=specialist,
        confirmed_by=director,
        seen=(specialist.position, str(dept_b.pk), specialist.email),
    )
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.role == specialist.role.SPECIALIST

    _keeps_nothing_of_department_a(client, specialist, job)
    # what is made for the new scope is shown as before
    accounts.notify_account(user=specialist, message="Директор подтвердил вашу должность.")
    job_b = ExportJob.objects.create(owner=specialist, kind="recipients.register", title="Реестр")
    client.force_login(specialist)
    assert client.get(reverse("reports:job", args=[job_b.pk])).status_code == 200
