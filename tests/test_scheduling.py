"""The suite's own scheduling: the demo centre's package goes to one pytest-xdist worker as one
scope (so the centre is loaded once in a run); every other module stays a scope of its own."""

from __future__ import annotations

from tests.conftest import TogetherScheduling


def _scope(nodeid: str) -> str:
    scheduler = object.__new__(TogetherScheduling)  # _split_scope reads nothing of the run
    return scheduler._split_scope(nodeid)


def test_the_demo_centres_tests_are_one_scope_and_other_modules_their_own():
    demo = {
        _scope("tests/demo_centre/test_url_matrix.py::test_the_matrix[home]"),
        _scope("tests/demo_centre/test_fuzz_forms.py::test_the_lists_name_urls_that_exist"),
        _scope("tests/demo_centre/test_demo_reload.py::test_the_whole_demo_loads_twice"),
    }
    assert demo == {"tests/demo_centre/"}
    assert _scope("tests/security/test_policy.py::test_x[a]") == "tests/security/test_policy.py"
    assert _scope("tests/organisation/test_dates.py::test_y") == "tests/organisation/test_dates.py"
