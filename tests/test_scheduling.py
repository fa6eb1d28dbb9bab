"""The suite's own scheduling: the demo centre's package and the browser journeys go to one
pytest-xdist worker each as one scope (so the centre is loaded once in a run, and one Chromium
draws at a time); every other module stays a scope of its own; the scopes go out in the
collection's order, the longest first."""

from __future__ import annotations

from types import SimpleNamespace

from xdist.scheduler import LoadScopeScheduling

from tests.conftest import HEAVY_FIRST, TogetherScheduling


def _scope(nodeid: str) -> str:
    scheduler = object.__new__(TogetherScheduling)  # _split_scope reads nothing of the run
    return scheduler._split_scope(nodeid)


def test_the_demo_centre_and_the_journeys_are_one_scope_each_and_other_modules_their_own():
    demo = {
        _scope("tests/demo_centre/test_url_matrix.py::test_the_matrix[home]"),
        _scope("tests/demo_centre/test_fuzz_forms.py::test_the_lists_name_urls_that_exist"),
        _scope("tests/demo_centre/test_demo_reload.py::test_the_whole_demo_loads_twice"),
    }
    assert demo == {"tests/demo_centre/"}
    journeys = {
        _scope("tests/browser/test_recipients_journeys.py::test_child_is_registered"),
        _scope("tests/browser/test_day_journeys.py::test_a_nurse_marks[800x1280]"),
    }
    assert journeys == {"tests/browser/"}
    assert _scope("tests/security/test_policy.py::test_x[a]") == "tests/security/test_policy.py"
    assert _scope("tests/organisation/test_dates.py::test_y") == "tests/organisation/test_dates.py"


class _Worker:
    """A worker as the scheduler sees it: it is sent the indexes of the tests to run."""

    shutting_down = False

    def send_runtest_some(self, indexes: list[int]) -> None:
        pass


def _handed_out(scheduler_class: type, collection: list[str]) -> list[str]:
    """The scopes in the order the scheduler hands them to one worker."""
    config = SimpleNamespace(  # one worker (`-n 1`), xdist's defaults otherwise
        option=SimpleNamespace(loadscopereorder=True), getvalue={"tx": ["popen"]}.get
    )
    scheduler = scheduler_class(config)
    node = _Worker()
    scheduler.add_node(node)
    scheduler.add_node_collection(node, collection)
    scheduler.schedule()
    order = list(scheduler.assigned_work[node])
    return order + list(scheduler.workqueue)


def test_the_longest_scopes_go_out_first_whatever_their_number_of_tests():
    collection = [
        "tests/demo_centre/test_url_matrix.py::test_the_matrix[a]",
        "tests/demo_centre/test_url_matrix.py::test_the_matrix[b]",
        "tests/browser/test_recipients_journeys.py::test_journey",
        *(f"tests/security/test_policy.py::test_x[{i}]" for i in range(5)),
        *(f"tests/security/test_headers.py::test_y[{i}]" for i in range(3)),
    ]
    # xdist's own order: by the number of tests, so the one long journey went out last
    assert _handed_out(LoadScopeScheduling, collection)[-1] == (
        "tests/browser/test_recipients_journeys.py"
    )
    assert _handed_out(TogetherScheduling, collection) == [
        "tests/demo_centre/",
        "tests/browser/",
        "tests/security/test_policy.py",
        "tests/security/test_headers.py",
    ]
    assert HEAVY_FIRST[:2] == ("tests/demo_centre/", "tests/browser/")
