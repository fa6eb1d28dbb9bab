"""Every page of the recipients app answers (a quick check of templates and wiring)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from orders import actions as order_actions
from orders.models import OrderKind
from tests.recipients.factories import ConsentFactory, child_with_mother, prepare_enrolment


@pytest.fixture
def enrolled_setup(head, director, dept_a):
    child, mother = child_with_mother(dept_a, last_name="Семёнов", birth_date=date(2014, 3, 1))
    prepare_enrolment(child, mother, head)
    ConsentFactory(recipient=child, given_by=mother, third_parties="ОПДН ОМВД")
    order = order_actions.draft_order(
        kind=OrderKind.ENROLMENT,
        recipient=child,
        drafted_by=head,
        effective_on=date(2026, 1, 13),
    )
    return child, mother, order


def test_pages_answer(client, head, director, enrolled_setup):
    child, mother, order = enrolled_setup
    client.force_login(head)
    urls = [
        reverse("recipients:list"),
        reverse("recipients:list") + "?q=семенов&status=applicant&age=10-13&sort=-birth",
        reverse("recipients:export"),
        reverse("recipients:create"),
        reverse("recipients:detail", args=[child.pk]),
        reverse("recipients:edit", args=[child.pk]),
        reverse("recipients:history", args=[child.pk]),
        reverse("recipients:access_log", args=[child.pk]),
        reverse("recipients:access_log_all"),
        reverse("recipients:family_edit", args=[child.pk]),
        reverse("recipients:representative_add", args=[child.pk]),
        reverse("recipients:representative_edit", args=[child.pk, mother.pk]),
        reverse("recipients:consent_add", args=[child.pk]),
        reverse("recipients:document_add", args=[child.pk]),
        reverse("recipients:application_add", args=[child.pk]),
        reverse("recipients:application_pdf", args=[child.pk]),
        reverse("recipients:need_recognition_add", args=[child.pk]),
        reverse("recipients:contract_add", args=[child.pk]),
        reverse("recipients:contract_pdf", args=[child.contracts.get().pk]),
        reverse("recipients:consent_pdf", args=[child.consents.get().pk]),
        reverse("recipients:extract_pdf", args=[child.pk]) + "?third_party=ОПДН ОМВД",
        reverse("orders:list"),
        reverse("orders:detail", args=[order.pk]),
        reverse("orders:pdf", args=[order.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    client.force_login(director)
    r = client.post(reverse("orders:approve", args=[order.pk]))
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "approved", [m.message for m in r.wsgi_request._messages]


def _every_url(child, mother, order):
    consent = child.consents.get()
    contract = child.contracts.get()
    document = child.documents.first()
    return [
        reverse("recipients:detail", args=[child.pk]),
        reverse("recipients:edit", args=[child.pk]),
        reverse("recipients:archive", args=[child.pk]),
        reverse("recipients:history", args=[child.pk]),
        reverse("recipients:access_log", args=[child.pk]),
        reverse("recipients:family_edit", args=[child.pk]),
        reverse("recipients:representative_add", args=[child.pk]),
        reverse("recipients:representative_edit", args=[child.pk, mother.pk]),
        reverse("recipients:consent_add", args=[child.pk]),
        reverse("recipients:consent_withdraw", args=[consent.pk]),
        reverse("recipients:consent_pdf", args=[consent.pk]),
        reverse("recipients:document_add", args=[child.pk]),
        reverse("recipients:document_certify", args=[document.pk]),
        reverse("recipients:document_archive", args=[document.pk]),
        reverse("recipients:document_scan", args=[document.pk]),
        reverse("recipients:application_add", args=[child.pk]),
        reverse("recipients:application_pdf", args=[child.pk]),
        reverse("recipients:need_recognition_add", args=[child.pk]),
        reverse("recipients:contract_add", args=[child.pk]),
        reverse("recipients:contract_pdf", args=[contract.pk]),
        reverse("recipients:extract_pdf", args=[child.pk]) + "?third_party=ОПДН ОМВД",
        reverse("orders:draft", args=[child.pk, "enrolment"]),
        reverse("orders:detail", args=[order.pk]),
        reverse("orders:approve", args=[order.pk]),
        reverse("orders:return", args=[order.pk]),
        reverse("orders:pdf", args=[order.pk]),
    ]


def test_every_page_needs_a_login(client, enrolled_setup):
    for url in _every_url(*enrolled_setup):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url


def test_every_page_of_a_recipient_is_404_or_403_for_the_other_department(
    client, specialist_b, head_b, enrolled_setup
):
    """A specialist or head of department B never reaches department A's recipient by URL."""
    for user in (specialist_b, head_b):
        client.force_login(user)
        for url in _every_url(*enrolled_setup):
            for method in (client.get, client.post):
                status = method(url).status_code
                # 404 for records out of scope; 403 where the role itself may not act;
                # 405 for a method the view never takes (checked before the record).
                assert status in (403, 404, 405), (user, url, status)
                assert status != 200
