"""Standard users of every role, in two departments: department A is "ours", B the outsider."""

from __future__ import annotations

from typing import Any

import pytest
from xdist.scheduler import LoadScopeScheduling

from organisation import calendar
from organisation.models import Position
from tests.factories import DepartmentFactory, UserFactory

# The tests that take longest (the demo centre's package, the Chromium journeys, then the
# modules of a quarter of a minute or more): they are handed out first, so that
# pytest-xdist's workers end together on short modules rather than one of them starting a
# long one last. Measured with a timeline of each worker; the rest keep their order.
HEAVY_FIRST = (
    "tests/demo_centre/",
    "tests/browser/",
    "tests/reports/test_documents.py",
    "tests/reliability/test_backup.py",
    "tests/services/test_views.py",
    "tests/test_migrations.py",
    "tests/test_settings.py",
    "tests/rehab_programs/test_views.py",
)
# Handed to one pytest-xdist worker as a whole, like one module: the tests of the demo centre,
# which is loaded once for the package (tests/demo_centre/conftest.py), and the browser
# journeys: one Chromium and one live server in the run, and never three Chromiums drawing at
# once on two cores (the journeys took 112 s of worker time in one worker, 122–155 s spread).
TOGETHER = ("tests/demo_centre/", "tests/browser/")


class TogetherScheduling(LoadScopeScheduling):
    """`--dist loadscope` (make test) with the packages of TOGETHER as one scope each; every
    other module stays a scope of its own. The scopes are handed out in the collection's order
    (HEAVY_FIRST first): xdist's own order, by the number of tests in a scope, put the browser
    journeys (a few long tests a module) last, and one worker ran them alone for 20 s after the
    others had finished."""

    def __init__(self, config: pytest.Config, log: Any = None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False  # what `--no-loadscope-reorder` sets

    def _split_scope(self, nodeid: str) -> str:
        package = next((p for p in TOGETHER if nodeid.startswith(p)), None)
        return package or super()._split_scope(nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadscope":
        return None
    return TogetherScheduling(config, log)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return next((i for i, p in enumerate(HEAVY_FIRST) if path.startswith(p)), len(HEAVY_FIRST))

    items.sort(key=rank)


def _flushes(item: pytest.Item) -> bool:
    """Whether the test ran as a TransactionTestCase: one that ends with a flush."""
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker and validate_django_db(marker)[0]:
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def _load_migrated_data() -> None:
    """What the data migrations put in a new database: the catalogue of services with its
    providers, the working-day table, and on PostgreSQL the trigram indexes of the searches."""
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    import_module("services.migrations.0002_load_catalogue").load_catalogue(apps, None)
    calendar.sync_days()
    with connection.schema_editor() as editor:
        for name in ("recipients.migrations", "patronage.migrations"):
            import_module(f"{name}.0002_trigram_search_indexes").create(apps, editor)


# The tables the data migrations filled, each kept whole in a copy that Django does not know
# of (so no flush empties it): table → its copy.
_MIGRATED_COPIES: dict[str, str] = {}
# Filled again after a flush by Django itself (its post_migrate signal), not from a copy.
_REMADE_BY_FLUSH = {"django_content_type", "auth_permission"}


def _keep_migrated_data() -> None:
    """Copy every table the data migrations filled, so that a refill after a flush is one
    INSERT … SELECT a table inside the database (same rows, same ids), not the catalogue and
    the calendar built again through the ORM."""
    from django.db import connection

    _MIGRATED_COPIES.clear()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            if table in _REMADE_BY_FLUSH:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")
            if cursor.fetchone() is None:
                continue
            copy = f"kept_{table}"[:63]
            cursor.execute(f"DROP TABLE IF EXISTS {quote(copy)}")
            cursor.execute(f"CREATE TABLE {quote(copy)} AS SELECT * FROM {quote(table)}")
            _MIGRATED_COPIES[table] = copy


def _restore_migrated_data() -> None:
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for table, copy in _MIGRATED_COPIES.items():
            cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(copy)}")
    calendar.clear_cache()


def _delete_instead_of_truncate(original):  # type: ignore[no-untyped-def]
    """PostgreSQL's flush between transactional tests is one TRUNCATE of every table: it makes
    new files for each of them (about 0.5 s idle, seconds under load, for a few dozen rows).
    A DELETE of each table does the same to a test's handful of rows in milliseconds; the
    foreign keys are deferred to the end of the flush's transaction. Sequences carry on, as they
    do after TRUNCATE without RESTART IDENTITY."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        if reset_sequences or not tables:
            return original(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return ["SET CONSTRAINTS ALL DEFERRED;"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};"
            for t in tables
        ]

    return sql_flush


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database is made from the models (`--nomigrations` in pytest's options, so the
    suite starts in seconds), then given what the data migrations add. The migrations
    themselves are applied to an empty database by tests/test_migrations.py."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    with django_db_blocker.unblock():
        _load_migrated_data()
        _keep_migrated_data()
    original = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = _delete_instead_of_truncate(original)  # type: ignore[method-assign]
    yield
    DatabaseOperations.sql_flush = original  # type: ignore[method-assign]
    _end_other_sessions(django_db_blocker)


def _end_other_sessions(django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's DROP DATABASE waits five seconds for the database's other sessions, then
    fails and leaves the test database behind. After the browser journeys one is left: the
    connection of the tests that ran after them is not the one Django's `connection` gives
    here (Django's connections are per context, and the tests' context is no longer this
    fixture's), so nothing closes it. End every other session of the test database (as DROP
    DATABASE … WITH (FORCE) would) before pytest-django drops it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """A transactional test ends with a flush that empties the tables the data migrations
    filled (the catalogue of services with its providers, the working-day table). Once its
    fixtures are torn down, put their rows back, so that the next test finds the database as the
    migrations made it, in whatever order the tests run (pytest-xdist's workers mix
    transactional and ordinary tests)."""
    result = yield
    # After the last test the session's fixtures are gone too, the test database with them.
    if nextitem is not None and _flushes(item):
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _restore_migrated_data()
    return result


@pytest.fixture(autouse=True)
def _empty_cache():
    """Nothing a test leaves in Django's cache (the start-page dashboards) reaches the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def dept_a(db):
    return DepartmentFactory(name="Отделение дневного пребывания", short_name="ОДП")


@pytest.fixture
def dept_b(db):
    return DepartmentFactory(name="Отделение реабилитации", short_name="ОР")


@pytest.fixture
def specialist(dept_a):
    return UserFactory(
        username="spec_a", position=Position.SOCIAL_WORK_SPECIALIST, department=dept_a
    )


@pytest.fixture
def psychologist(dept_a):
    return UserFactory(
        username="psych_a",
        last_name="Соколов",
        first_name="Дмитрий",
        patronymic="Андреевич",
        position=Position.PSYCHOLOGIST,
        department=dept_a,
    )


@pytest.fixture
def specialist_b(dept_b):
    return UserFactory(
        username="spec_b", position=Position.SOCIAL_WORK_SPECIALIST, department=dept_b
    )


@pytest.fixture
def head(dept_a):
    return UserFactory(
        username="head_a",
        last_name="Кузнецова",
        first_name="Ирина",
        patronymic="Владимировна",
        position=Position.HEAD,
        department=dept_a,
    )


@pytest.fixture
def head_b(dept_b):
    return UserFactory(username="head_b", position=Position.HEAD, department=dept_b)


@pytest.fixture
def director(db):
    return UserFactory(
        username="director",
        last_name="Петрова",
        first_name="Анна",
        patronymic="Сергеевна",
        position=Position.DIRECTOR,
        department=None,
    )


@pytest.fixture
def registrar(db):
    return UserFactory(
        username="registrar",
        last_name="Воронина",
        first_name="Елена",
        patronymic="Павловна",
        position=Position.REGISTRAR,
        department=None,
    )


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="admin",
        last_name="Смирнов",
        first_name="Олег",
        patronymic="Игоревич",
        position=Position.ADMINISTRATOR,
        department=None,
        is_staff=True,
    )


def login(client, user):
    client.force_login(user)
    return client
