"""The whole demo centre: made through the real actions of every app, idempotent."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from consilium.models import Decision, Meeting
from recipients.models import Recipient
from rehab_programs.models import Conclusion, Diagnostic, RehabProgramme

pytestmark = pytest.mark.django_db


def test_the_whole_demo_loads_twice_without_duplicates(demo_centre, db):
    """Loaded once for the package (conftest.py), the demo loaded again adds nothing."""
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
