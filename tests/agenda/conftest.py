"""«Мой день» moved here from the services app with its tests: the same children and day."""

from tests.services.conftest import child, child_b, frozen_today

__all__ = ["child", "child_b", "frozen_today"]
