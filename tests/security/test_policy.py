"""Issue 11, point 3: one authorisation path (organisation/policy.py).

- no view module uses another idiom than the policy (like the layer test, by reading the code);
- per role, the policy's tables give what the role × URL matrix expects of that role;
- an action function refuses a user the policy refuses, whoever calls it (a view, a task, a
  command);
- the access log: the director reads and exports it (who, what, when, from where).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from organisation import policy
from organisation.access import ScopedQuerySet
from organisation.models import DEPARTMENT_ROLES, AccessLog, Position, Role
from recipients.models import Recipient
from tests.demo_centre.test_url_matrix import (
    NO_CASE_CONTENT,
    PERSONAL_DATA,
    RECORD_OF,
    REGISTRAR_RECORDS,
    URLS,
    _walk,
)
from tests.factories import RecipientFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent.parent

# --- No other idiom in a view module -----------------------------------------------------------

# What a view may not do any more: decide access by itself instead of asking the policy.
FORBIDDEN = {
    "role_required": r"\brole_required\b",
    "permission_required": r"\bpermission_required\b",
    "user_passes_test": r"\buser_passes_test\b",
    "has_perm(": r"\bhas_perm\(",
    "can_write": r"\bcan_write\(",
    "write_roles / read_roles": r"\b(write|read)_roles\b",
    "a check of the position": r"\.position\s*(==|!=|in\b|not in\b)",
    "a check of the role": r"\.role\s*(==|!=|in\b|not in\b)",
    "is_superuser": r"\bis_superuser\b",
    "raise PermissionDenied": r"raise PermissionDenied\b",
    "may_be_changed_by": r"\bmay_be_changed_by\b",
}


def view_modules() -> list[Path]:
    found = [*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py"), *ROOT.glob("*/*/views.py")]
    found += [*ROOT.glob("*/account_views.py")]
    return sorted(p for p in found if ".venv" not in p.parts and "tests" not in p.parts)


def idioms(source: str) -> list[str]:
    wrong = []
    for number, line in enumerate(source.splitlines(), 1):
        code = line.split("#", 1)[0]
        for name, pattern in FORBIDDEN.items():
            if re.search(pattern, code):
                wrong.append(f"{number}: {name}")
    return wrong


def test_view_modules_are_found():
    names = {str(p.relative_to(ROOT)) for p in view_modules()}
    assert {"patronage/views.py", "recipients/views/people.py", "reports/stats/views.py"} <= names
    assert "organisation/account_views.py" in names


@pytest.mark.parametrize("path", view_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_view_module_asks_only_the_policy(path):
    wrong = idioms(path.read_text(encoding="utf-8"))
    assert not wrong, f"{path.relative_to(ROOT)}: use organisation.policy instead — {wrong}"


def test_the_idiom_check_catches_the_old_idioms():
    """The scan is not vacuous: each old idiom is caught, the policy's own calls are not."""
    old = [
        "@role_required(Role.DIRECTOR)",
        '@permission_required("orders.approve_order", raise_exception=True)',
        'if request.user.has_perm("x.y"):',
        "if can_write(request.user, Recipient):",
        "if request.user.role == Role.HEAD:",
        "if user.position in SPECIALIST_POSITIONS:",
        '    raise PermissionDenied("Нет")',
    ]
    for line in old:
        assert idioms(line), line
    assert not idioms('@policy.allowed("orders.approve_order")')
    assert not idioms('policy.require(request.user, "orders.view_order")')


def test_every_record_view_decorated_by_the_policy_names_a_known_action():
    known = set().union(*policy.ROLE_ACTIONS.values())
    unknown = []
    for name, _, _ in URLS:
        view = reverse_view(name)
        action = getattr(view, "policy_action", None)
        if action is not None and action not in known:
            unknown.append((name, action))
    assert not unknown


def reverse_view(name: str):
    from django.urls import get_resolver

    for _, full, pattern in _walk(get_resolver().url_patterns):
        if full == name:
            return pattern.callback
    raise LookupError(name)


# --- The table per role, against the matrix ---------------------------------------------------

CASE_MODELS = sorted(PERSONAL_DATA)


def _user(role: Role, department_id: int | None = 1):
    position = {
        Role.SPECIALIST: Position.PSYCHOLOGIST,
        Role.HEAD: Position.HEAD,
        Role.DIRECTOR: Position.DIRECTOR,
        Role.REGISTRAR: Position.REGISTRAR,
        Role.ADMINISTRATOR: Position.ADMINISTRATOR,
    }[role]
    user = UserFactory.build(
        position=position, department_id=department_id if role in DEPARTMENT_ROLES else None
    )
    user.pk = 999
    return user


def _matrix_reads(role: Role, label: str) -> bool:
    """What the matrix (tests/demo_centre/test_url_matrix.py) expects of a role of department A
    opening a record of department A: the administrator (NO_CASE_CONTENT) nothing, the
    registrar only REGISTRAR_RECORDS, the insiders everything."""
    if role == Role.ADMINISTRATOR:
        return False
    if role == Role.REGISTRAR:
        return label in REGISTRAR_RECORDS
    return True


def test_the_matrix_names_what_this_test_relies_on():
    assert NO_CASE_CONTENT == ["admin"]
    assert "recipients.Recipient" in PERSONAL_DATA
    assert set(RECORD_OF.values()) >= PERSONAL_DATA


@pytest.mark.parametrize("role", [r for r in Role if r != Role.NONE])
def test_the_policy_table_reads_what_the_matrix_expects(role):
    """Per role: which kinds of case record it opens (P12 scoping, issue 11)."""
    for label in CASE_MODELS:
        model = apps.get_model(label)
        assert (role in policy.readers(model)) == _matrix_reads(role, label), (role, label)


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.HEAD])
def test_the_other_department_gets_nothing_P12(role):
    """The matrix's outsiders: a specialist or a head of department B neither opens nor
    changes a record of department A."""
    record = Recipient(department_id=1)
    insider, outsider = _user(role, 1), _user(role, 2)
    assert policy.may(insider, policy.VIEW, record)
    assert policy.may(insider, policy.CHANGE, record)
    assert not policy.may(outsider, policy.VIEW, record)
    assert not policy.may(outsider, policy.CHANGE, record)
    assert not policy.may(outsider, "services.log_service", record)


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.REGISTRAR, Role.NONE])
def test_roles_without_case_content_take_no_case_action(role):
    user = _user(role) if role != Role.NONE else _user(Role.SPECIALIST)
    if role == Role.NONE:
        user.awaiting_confirmation = True
    case_apps = ("recipients.", "services.", "rehab_programs.", "consilium.", "orders.")
    catalogue = {a for a in policy.REFERENCE_DATA if a.startswith("services.")}
    actions = policy.role_actions(user.role) - catalogue
    assert not [a for a in actions if a.startswith(case_apps)]
    record = Recipient(department_id=1)
    assert not policy.may(user, policy.VIEW, record)
    assert not policy.may(user, policy.CHANGE, record)


def test_the_director_reads_every_department_and_changes_no_case_record():
    director = _user(Role.DIRECTOR)
    for department_id in (1, 2):
        record = Recipient(department_id=department_id)
        assert policy.may(director, policy.VIEW, record)
        assert not policy.may(director, policy.CHANGE, record)
    assert policy.may(director, "orders.approve_order")
    assert not policy.may(_user(Role.HEAD), "orders.approve_order")


def test_every_scoped_model_is_answered_by_the_policy():
    """Every kind of case record has readers and writers from the policy's tables."""
    for model in apps.get_models():
        if isinstance(model._default_manager.all(), ScopedQuerySet):
            assert policy.readers(model)
            assert policy.writers(model) <= policy.readers(model) | {Role.REGISTRAR}
    for label in [*policy.RECORD_READERS, *policy.RECORD_WRITERS]:
        apps.get_model(label)  # a misspelt label would be a rule that never applies


def test_anonymous_and_inactive_users_may_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not policy.may(AnonymousUser(), "agenda.view_agenda")
    head = _user(Role.HEAD)
    head.is_active = False
    assert not policy.may(head, "orders.draft_order")


def test_require_raises_permission_denied_with_the_reason():
    visit_specialist = _user(Role.SPECIALIST)
    with pytest.raises(PermissionDenied, match="Недостаточно прав"):
        policy.require(visit_specialist, "orders.approve_order")


# --- Actions are checked whoever calls them ---------------------------------------------------


def test_an_action_refuses_the_other_department_even_without_a_view_P12(specialist_b, dept_a):
    """A task or a command calling an action is checked by the policy too."""
    from recipients.actions import update_recipient

    child = RecipientFactory(department=dept_a, last_name="Орлова")
    with pytest.raises(PermissionDenied):
        update_recipient(recipient=child, changed_by=specialist_b, last_name="Иванова")
    child.refresh_from_db()
    assert child.last_name == "Орлова"


def test_an_action_refuses_a_role_without_the_action(administrator, director, dept_a):
    from recipients.actions import archive_recipient, update_recipient

    child = RecipientFactory(department=dept_a)
    with pytest.raises(PermissionDenied):
        update_recipient(recipient=child, changed_by=administrator, last_name="Иванова")
    with pytest.raises(PermissionDenied):
        archive_recipient(recipient=child, archived_by=director)


def test_an_action_lets_the_right_user_through(specialist, dept_a):
    from recipients.actions import update_recipient

    child = RecipientFactory(department=dept_a, last_name="Орлова")
    update_recipient(recipient=child, changed_by=specialist, last_name="Иванова")
    child.refresh_from_db()
    assert child.last_name == "Иванова"


def test_a_service_record_is_changed_by_its_provider_or_the_head(specialist, psychologist, head):
    from services.models import ServiceRecord

    child = Recipient(department=specialist.department)
    record = ServiceRecord(provider=specialist, recipient=child, department=specialist.department)
    assert policy.may(specialist, "services.change_servicerecord", record)
    assert policy.may(head, "services.change_servicerecord", record)
    assert not policy.may(psychologist, "services.change_servicerecord", record)


# --- The access log: the director reads and exports it ----------------------------------------


def test_the_director_reads_and_exports_the_access_log(client, director, head, specialist, dept_a):
    """Who, what, when, from where — on the page and in the XLSX export."""
    child = RecipientFactory(department=dept_a)
    client.force_login(specialist)
    url = reverse("recipients:detail", args=[child.pk])
    assert client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200
    row = AccessLog.objects.get(user=specialist)
    assert row.address == "10.1.2.3"
    assert row.record == f"recipients.recipient:{child.pk}"
    assert row.created_at is not None

    assert client.get(reverse("access_log")).status_code == 403  # not the specialist's

    client.force_login(director)
    page = client.get(reverse("access_log"))
    assert page.status_code == 200
    assert specialist.last_name in page.content.decode()
    export = client.get(reverse("access_log"), {"format": "xlsx"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    text = " ".join(str(c) for r in sheet.iter_rows(values_only=True) for c in r if c is not None)
    assert "Сотрудник" in text and "IP-адрес" in text and "Когда" in text
    assert specialist.full_name in text
    assert "10.1.2.3" in text
    assert f"recipients.recipient:{child.pk}" in text
