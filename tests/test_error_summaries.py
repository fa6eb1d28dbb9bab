"""Long forms answer a failed submit with a summary at the top linking to each field (issue
17): the card of a child (new and edit), the family, the appeal, the contract, the ИППСУ, the
ИПСРН, the diagnostics and the order. Each is posted without its fields: every error is
listed, each one a link to the field it is about, and the field carries that id."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.services.factories import EnrolledRecipientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(dept_a):
    return EnrolledRecipientFactory(department=dept_a, last_name="Орлов", first_name="Иван")


FORMS = [
    pytest.param("specialist", lambda c: reverse("recipients:create"), id="card-new"),
    pytest.param("head", lambda c: reverse("recipients:edit", args=[c.pk]), id="card-edit"),
    pytest.param("head", lambda c: reverse("recipients:family_edit", args=[c.pk]), id="family"),
    pytest.param("registrar", lambda c: reverse("patronage:appeal_create"), id="appeal"),
    pytest.param("head", lambda c: reverse("recipients:contract_add", args=[c.pk]), id="contract"),
    pytest.param("head", lambda c: reverse("services:recipient", args=[c.pk]), id="ippsu"),
    pytest.param(
        "psychologist",
        lambda c: reverse("rehab_programs:programme_create", args=[c.pk]),
        id="ipsrn",
    ),
    pytest.param(
        "psychologist",
        lambda c: reverse("rehab_programs:diagnostic_add", args=[c.pk]),
        id="diagnostics",
    ),
    pytest.param("head", lambda c: reverse("orders:draft", args=[c.pk, "enrolment"]), id="order"),
]


@pytest.mark.parametrize(("role", "url"), FORMS)
def test_a_long_form_posted_empty_lists_every_error_at_the_top(request, client, child, role, url):
    user = request.getfixturevalue(role)
    # a POST with no field of the form (an empty one would leave `request.POST or None` unbound)
    response = login(client, user).post(url(child), {"unrelated": "1"})
    page = response.content.decode()
    assert response.status_code in (200, 400), page[:500]
    assert 'data-testid="error-summary"' in page
    summary = page.split('data-testid="error-summary"', 1)[1].split("</div>", 1)[0]
    anchors = re.findall(r'href="#([\w-]+)"', summary)
    assert anchors, summary
    below = page.split('data-testid="error-summary"', 1)[1]  # the fields come after it
    for anchor in anchors:
        assert f'id="{anchor}"' in below, anchor
