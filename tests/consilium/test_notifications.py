"""A child put on the agenda of the ПМП консилиум: the curator and the specialists responsible
for the child's ИПСРН activities are told (O14, O19)."""

from __future__ import annotations

import pytest

from consilium import actions
from organisation.models import Notification
from tests.rehab_programs.factories import enrolled_child, meeting, programme

pytestmark = pytest.mark.django_db


def test_the_childs_specialists_learn_of_the_meeting_O14(
    django_capture_on_commit_callbacks, dept_a, psychologist, head, consilium_members
):
    child = enrolled_child(dept_a)
    programme(child, psychologist)
    m = meeting(head)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_agenda_item(meeting=m, recipient=child, inputs="Материалы", added_by=head)
    note = Notification.objects.get()
    assert (note.user, note.event, note.due) == (psychologist, "scheduled", m.held_on)
    assert "ПМП консилиум 15.09.2026 рассмотрит ребёнка" in note.message
    assert note.url == m.get_absolute_url()
