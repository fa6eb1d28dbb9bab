"""The demo loaders of diagnostics, programmes and the consilium: real actions, idempotent (the
whole demo loaded twice: tests/demo_centre/test_demo_reload.py)."""

from __future__ import annotations

import io

import pytest

from consilium import demo as consilium_demo
from consilium.models import Composition
from rehab_programs import demo as rehab_demo
from rehab_programs.models import Diagnostic

pytestmark = pytest.mark.django_db


def test_nothing_is_made_without_enrolled_recipients():
    out = io.StringIO()
    rehab_demo.load(out)
    consilium_demo.load(out)
    assert "нет зачисленных получателей" in out.getvalue()
    assert not Diagnostic.objects.exists() and not Composition.objects.exists()
