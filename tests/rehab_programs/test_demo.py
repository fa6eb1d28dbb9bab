"""The demo loaders of diagnostics, programmes and the consilium: real actions, idempotent."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from consilium import demo as consilium_demo
from consilium.models import Composition, Decision, Meeting
from recipients.models import Recipient
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
    # the demo's discharge takes effect today, the last day of service: discharged from tomorrow
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert Recipient.objects.discharged().count() == 0
    assert Recipient.objects.discharged(tomorrow).count() == 1
    assert Conclusion.objects.get().is_received
    call_command("load_demo", stdout=io.StringIO())
    assert [
        m.objects.count() for m in (Diagnostic, RehabProgramme, Meeting, Decision, Conclusion)
    ] == counts
