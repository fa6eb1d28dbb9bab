"""The demo loaders of diagnostics, programmes and the consilium: real actions, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from consilium import demo as consilium_demo
from consilium.models import Composition, Decision, Meeting
from recipients.models import Recipient, RecipientStatus
from rehab_programs import demo as rehab_demo
from rehab_programs.models import Conclusion, Diagnostic, RehabProgramme

pytestmark = pytest.mark.django_db


def test_nothing_is_made_without_enrolled_recipients():
    out = io.StringIO()
    rehab_demo.load(out)
    consilium_demo.load(out)
    assert "нет зачисленных получателей" in out.getvalue()
    assert not Diagnostic.objects.exists() and not Composition.objects.exists()


def test_the_whole_demo_loads_twice_without_duplicates():
    call_command("load_demo", stdout=io.StringIO())
    counts = [
        m.objects.count() for m in (Diagnostic, RehabProgramme, Meeting, Decision, Conclusion)
    ]
    assert all(counts)
    discharged = Recipient.objects.filter(status=RecipientStatus.DISCHARGED)
    assert discharged.count() == 1
    assert Conclusion.objects.get().is_received
    call_command("load_demo", stdout=io.StringIO())
    assert [
        m.objects.count() for m in (Diagnostic, RehabProgramme, Meeting, Decision, Conclusion)
    ] == counts
