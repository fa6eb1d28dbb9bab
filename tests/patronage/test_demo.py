"""The demo data of patronage: built through the actions, every ground and channel, idempotent."""

from __future__ import annotations

import io

from organisation import demo as organisation_demo
from patronage import demo
from patronage.models import Appeal, AppealGround, Channel, ReviewStatus, Visit, VisitAct


def test_demo_loads_once_with_every_ground_and_channel_P1_P5(db):
    organisation_demo.load(io.StringIO())
    demo.load(io.StringIO())
    appeals = list(Appeal.objects.all())
    assert {a.ground for a in appeals} == set(AppealGround.values)
    assert {a.channel for a in appeals} == set(Channel.values)
    assert any(a.registered_late for a in appeals)
    assert any(a.registration_overdue for a in appeals)
    completed = Visit.objects.filter(status="completed")
    assert completed.count() == VisitAct.objects.count() > 0
    assert completed.filter(review_status=ReviewStatus.PENDING).exists()
    assert completed.filter(review_status=ReviewStatus.REMARKS).exists()
    counts = (Appeal.objects.count(), Visit.objects.count())
    demo.load(io.StringIO())
    assert (Appeal.objects.count(), Visit.objects.count()) == counts
