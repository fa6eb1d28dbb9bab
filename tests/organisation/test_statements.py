"""`organisation.statements.kept`: what a page builds once per shape of its query."""

from __future__ import annotations

import threading

import pytest

from organisation import statements


@pytest.fixture(autouse=True)
def _fresh():
    statements.forget()
    yield
    statements.forget()


def test_a_shape_is_built_once_and_another_shape_apart():
    built: list[str] = []

    def build(text: str):
        def made() -> str:
            built.append(text)
            return f"SQL {text}"

        return made

    assert statements.kept(("page", 1), build("one")) == "SQL one"
    assert statements.kept(("page", 1), build("again")) == "SQL one"
    assert statements.kept(("page", 2), build("two")) == "SQL two"
    assert built == ["one", "two"]


def test_a_key_that_cannot_be_hashed_is_built_every_time():
    built: list[int] = []

    def made() -> str:
        built.append(1)
        return "SQL"

    for _ in range(2):
        statements.kept(("page", [1, 2]), made)
    assert built == [1, 1]


def test_each_thread_keeps_its_own():
    statements.kept(("page",), lambda: "main thread")
    seen: list[str] = []
    worker = threading.Thread(target=lambda: seen.append(statements.kept(("page",), lambda: "own")))
    worker.start()
    worker.join()
    assert seen == ["own"]


def test_the_kept_shapes_are_bounded(monkeypatch):
    monkeypatch.setattr(statements, "LIMIT", 3)
    for n in range(3):
        statements.kept(("page", n), lambda n=n: n)
    statements.kept(("page", 3), lambda: 3)  # the fourth starts afresh
    built: list[int] = []

    def made() -> int:
        built.append(0)
        return 0

    statements.kept(("page", 0), made)
    assert built == [0]


# --- statements that take a list of ids --------------------------------------------------------


def _children(of: list[int]):
    from recipients.models import Recipient

    return (
        Recipient.objects.filter(pk__in=of)
        .select_related("family", "department")
        .only("pk", "first_name", "family__name", "department__name")
        .order_by()
    )


@pytest.fixture
def three_children(db):
    from tests.factories import RecipientFactory

    return sorted(RecipientFactory.create_batch(3), key=lambda r: r.pk)


def test_instances_are_the_querysets_with_their_related_rows(three_children):
    ids = [r.pk for r in three_children]
    loaded = sorted(statements.instances(("children",), _children, ids), key=lambda r: r.pk)
    expected = sorted(_children(ids), key=lambda r: r.pk)
    assert [r.pk for r in loaded] == ids
    for got, want in zip(loaded, expected, strict=True):
        assert got.first_name == want.first_name
        assert got.get_deferred_fields() == want.get_deferred_fields()
        assert "last_name" in got.get_deferred_fields()
        # select_related filled in: no query to read them
        assert got.family.name == want.family.name
        assert got.department.name == want.department.name


def test_instances_build_one_statement_for_every_size_up_to_a_power_of_two(three_children):
    ids = [r.pk for r in three_children]
    built: list[int] = []

    def counted(of: list[int]):
        built.append(len(of))
        return _children(of)

    assert len(statements.instances(("children",), counted, ids)) == 3
    assert len(statements.instances(("children",), counted, ids[:1] + ids[2:])) == 2
    assert len(statements.instances(("children",), counted, ids[1:2])) == 1
    assert built == [4, 2, 1]  # three and four ids share a statement; the padding is harmless
    assert statements.instances(("children",), counted, []) == []


def test_statements_run_together_give_each_its_own_rows(
    three_children, specialist, head, django_assert_num_queries
):
    from django.db import connection

    from organisation.models import User

    users = sorted([specialist.pk, head.pk])
    ids = [r.pk for r in three_children]

    def names(of: list[int]):
        return User.objects.filter(pk__in=of).order_by().values_list("pk", "last_name")

    pending = [
        statements.instances_later(("children",), _children, ids[:2]),
        statements.instances_later(("children",), _children, []),  # nothing to read: no query
        statements.rows_later(("names",), names, users),
    ]
    # one round trip on PostgreSQL, one query each elsewhere
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        children, nothing, found = statements.run_together(pending)
    assert sorted(r.pk for r in children) == ids[:2]
    assert nothing == []
    assert sorted(found) == sorted(User.objects.filter(pk__in=users).values_list("pk", "last_name"))
