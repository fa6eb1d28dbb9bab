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
