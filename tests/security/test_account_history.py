"""Issue 11, point 1: the admin's history pages of an account (django-simple-history) are no
way around the director's confirmation or the superuser's invisibility."""

from __future__ import annotations

from django.urls import reverse

from organisation.models import Position, Role, User
from tests.factories import UserFactory
from tests.security.test_accounts import admin_form, change_url, confirm


def history_form_url(user: User, version: int) -> str:
    return reverse("admin:organisation_user_simple_history", args=[user.pk, version])


def test_reverting_an_account_does_not_skip_the_directors_confirmation(
    client, administrator, director, specialist
):
    """The administrator gives a specialist the director's position (it waits), then
    «restores» the version saved with that position: the account must still wait."""
    client.force_login(administrator)
    client.post(change_url(specialist), admin_form(specialist, position=Position.DIRECTOR))
    specialist.refresh_from_db()
    assert specialist.awaiting_confirmation
    version = specialist.history.filter(position=Position.DIRECTOR).latest("history_id")

    response = client.post(
        history_form_url(specialist, version.history_id),
        admin_form(specialist, position=Position.DIRECTOR),
    )
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.awaiting_confirmation
    assert specialist.role == Role.NONE
    assert response.status_code == 403
    # the past version is still shown, without a button to restore it
    page = client.get(history_form_url(specialist, version.history_id))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_a_superusers_history_is_out_of_the_administrators_reach(client, administrator):
    root = UserFactory(
        username="root",
        email="root@example.org",
        is_superuser=True,
        is_staff=True,
        position=Position.DIRECTOR,
    )
    root.department = None
    root.save()
    version = root.history.latest("history_id")
    client.force_login(administrator)
    assert client.get(reverse("admin:organisation_user_history", args=[root.pk])).status_code == 404
    assert client.get(history_form_url(root, version.history_id)).status_code == 404
    response = client.post(
        history_form_url(root, version.history_id),
        admin_form(root, email="attacker@example.org", is_active="on"),
    )
    assert response.status_code == 404
    root.refresh_from_db()
    assert root.email == "root@example.org"


def test_switching_an_account_back_on_waits_for_the_director(
    client, administrator, director, specialist
):
    """A former employee's account switched back on would have its role again at once: like a
    new account, it waits for the director."""
    User.objects.filter(pk=specialist.pk).update(is_active=False)
    specialist.refresh_from_db()
    client.force_login(administrator)
    response = client.post(change_url(specialist), admin_form(specialist, is_active="on"))
    assert response.status_code == 302
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.is_active
    assert specialist.awaiting_confirmation
    assert specialist.role == Role.NONE

    # switching off, or editing a phone number, holds nothing
    User.objects.filter(pk=specialist.pk).update(awaiting_confirmation=False)
    client.post(change_url(specialist), admin_form(specialist, phone="+7 900 000-00-00"))
    assert not User.objects.get(pk=specialist.pk).awaiting_confirmation
    client.post(change_url(specialist), admin_form(specialist, is_active=""))
    assert not User.objects.get(pk=specialist.pk).awaiting_confirmation


def test_the_director_confirms_the_position_shown_not_one_changed_meanwhile(
    client, administrator, director, specialist
):
    """Two people at once: the director opened the list showing «психолог»; the administrator
    then changed the position to director. «Подтвердить» must not confirm what was not seen."""
    client.force_login(administrator)
    client.post(change_url(specialist), admin_form(specialist, position=Position.PSYCHOLOGIST))
    client.force_login(director)
    page = client.get(reverse("staff_confirmations")).content.decode()
    assert 'name="position" value="psychologist"' in page
    seen = {"decision": "confirm", "position": Position.PSYCHOLOGIST, "department": "", "email": ""}
    seen["email"] = User.objects.get(pk=specialist.pk).email
    seen["department"] = str(User.objects.get(pk=specialist.pk).department_id)

    client.force_login(administrator)
    specialist = User.objects.get(pk=specialist.pk)
    client.post(change_url(specialist), admin_form(specialist, position=Position.DIRECTOR))
    client.force_login(director)
    response = client.post(reverse("staff_confirm", args=[specialist.pk]), seen, follow=True)
    assert "изменились" in response.content.decode()
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.awaiting_confirmation and specialist.role == Role.NONE

    # confirming what is shown now works
    seen["position"] = Position.DIRECTOR
    client.post(reverse("staff_confirm", args=[specialist.pk]), seen)
    assert User.objects.get(pk=specialist.pk).role == Role.DIRECTOR


def test_an_e_mail_set_by_the_administrator_waits_for_the_director(
    client, administrator, director, specialist
):
    """The letters of the notifications name children: sending them to another address is a
    change of rights, so the account waits for the director, who sees the new address."""
    client.force_login(administrator)
    client.post(change_url(specialist), admin_form(specialist, email="chuzhoy@example.org"))
    specialist = User.objects.get(pk=specialist.pk)
    assert specialist.email == "chuzhoy@example.org"
    assert specialist.awaiting_confirmation and specialist.role == Role.NONE
    client.force_login(director)
    page = client.get(reverse("staff_confirmations")).content.decode()
    assert "chuzhoy@example.org" in page
    confirm(client, specialist)
    assert User.objects.get(pk=specialist.pk).role == Role.SPECIALIST
