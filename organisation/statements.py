"""What a page builds through the ORM once per shape of its query, kept for the next request.

Building and compiling a page's queries (subqueries of the calendar, a union of kinds, the
children's lines) costs more Python than the database takes to answer them, and their SQL
depends only on a few things (the scope's SQL, the day, the filter): the shape. `kept(key,
build)` returns what `build()` made the first time for that key (SQL and parameters, or a
compiler with its converters), never rows: the data are read at every execution. Per thread and
database alias, as a compiler holds its thread's connection; at most `LIMIT` shapes a thread,
then it starts afresh. The process-wide ones that keep only text (the deadline register's
union, the ИПСРН list's SQL) use `functools.lru_cache` directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

T = TypeVar("T")
LIMIT = 512

_local = threading.local()


def kept(key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """`build()`, made once per `key` on this thread and database (see the module)."""
    store: dict[tuple[Any, ...], Any] = _local.__dict__.setdefault("kept", {})
    full = (connection.alias, *key)
    try:
        found = store.get(full)
    except TypeError:  # a part of the key that cannot be hashed: built every time
        return build()
    if found is None:
        found = build()
        if len(store) >= LIMIT:
            store.clear()
        store[full] = found
    return found


def forget() -> None:
    """Drop what this thread keeps (tests that count how often a shape is built)."""
    _local.__dict__.pop("kept", None)


# --- Statements that take a list of ids --------------------------------------------------------


@dataclass(frozen=True)
class WithIds:
    """A queryset's SQL compiled with negative marks in place of a list of ids: `params()` puts
    the ids of a run in their places. `compiler` is the one that made the SQL (its `select`,
    `klass_info` and converters describe the columns)."""

    sql: str
    template: tuple[Any, ...]
    at: tuple[int, ...]
    compiler: Any
    converters: Any

    def params(self, ids: Sequence[int]) -> list[Any]:
        params = list(self.template)
        for i in self.at:
            params[i] = ids[-1 - params[i]]
        return params

    def fetch(self, ids: Sequence[int]) -> list[Any]:
        """The rows for `ids`, converted as the ORM converts them."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(ids))
            return self.converted(cursor.fetchall())

    def converted(self, rows: list[Any]) -> list[Any]:
        if self.converters:
            return list(self.compiler.apply_converters(rows, self.converters))
        return rows


def with_ids(
    key: tuple[Hashable, ...], build: Callable[[list[int]], QuerySet[Any]], n: int
) -> WithIds:
    """`build(ids)` (a queryset that takes `n` ids as the parameters of an IN and no other
    negative integer) compiled once per `key` and `n` (`kept`)."""

    def compiled() -> WithIds:
        marks = [-1 - i for i in range(n)]
        compiler = build(marks).query.get_compiler(connection.alias)
        sql, params = compiler.as_sql()
        at = tuple(i for i, p in enumerate(params) if type(p) is int and p < 0)
        if [params[i] for i in at] != marks:
            raise RuntimeError("the ids are not the only negative parameters")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        return WithIds(sql, tuple(params), at, compiler, compiler.get_converters(fields))

    return kept(("with ids", *key, n), compiled)


@dataclass(frozen=True)
class Pending:
    """A statement of `with_ids` with the ids of a run and what makes the result of its rows
    (`rows_later`, `instances_later`), for `run_together`."""

    statement: WithIds | None  # None: no ids, no query
    ids: Sequence[int]
    finish: Callable[[list[Any]], Any]


def run_together(pending: Sequence[Pending]) -> list[Any]:
    """The results of several statements, in their order: on PostgreSQL in one round trip (the
    statements joined by semicolons, their parameters bound on the client, as psycopg's client
    cursor does for every query here), elsewhere one after the other."""
    runs = [(p.statement, p.ids) for p in pending if p.statement is not None]
    if len(runs) > 1 and connection.vendor == "postgresql":
        text = ";\n".join(_bound(statement.sql, statement.params(ids)) for statement, ids in runs)
        with connection.cursor() as cursor:
            cursor.execute(text)
            fetched = [cursor.fetchall()]
            while cursor.nextset():
                fetched.append(cursor.fetchall())
        found = iter(
            [statement.converted(rows) for (statement, _), rows in zip(runs, fetched, strict=True)]
        )
    else:
        found = iter([statement.fetch(ids) for statement, ids in runs])
    return [p.finish(next(found) if p.statement is not None else []) for p in pending]


def _bound(sql: str, params: list[Any]) -> str:
    """`sql` with its parameters in the text, as psycopg's client cursor binds them: integers
    (the ids, mostly) written as they are, anything else quoted by the driver."""
    if all(type(p) is int for p in params):
        return sql % tuple(map(str, params))
    return connection.ops.compose_sql(sql, params)  # type: ignore[attr-defined,no-any-return]


def rows_later(
    key: tuple[Hashable, ...], build: Callable[[list[int]], QuerySet[Any]], ids: list[int]
) -> Pending:
    """`rows`, to run with others (`run_together`)."""
    statement = with_ids(key, build, len(ids)) if ids else None
    return Pending(statement, ids, list)


def rows(
    key: tuple[Hashable, ...] | None, build: Callable[[list[int]], QuerySet[Any]], ids: list[int]
) -> list[Any]:
    """The rows of `build(ids)`, a `values_list` queryset that takes the ids only as the
    parameters of an IN, its SQL built once per `key` and number of ids (`with_ids`). `key`
    None: built every time."""
    if not ids:
        return []
    if key is None:
        return list(build(ids))
    return with_ids(key, build, len(ids)).fetch(ids)


def instances_later(
    key: tuple[Hashable, ...], build: Callable[[list[int]], QuerySet[Any]], ids: list[int]
) -> Pending:
    """`instances`, to run with others (`run_together`)."""
    if not ids:
        return Pending(None, (), list)
    n = 1 << (len(ids) - 1).bit_length()
    padded = [*ids, *[ids[-1]] * (n - len(ids))]
    statement = with_ids(("instances", *key), build, n)
    made = kept(("instances maker", *key, n), lambda: _maker(statement))
    return Pending(statement, padded, made)


def _maker(statement: WithIds) -> Callable[[list[Any]], list[Any]]:
    """What makes model instances of the rows of `statement` (`ModelIterable`'s work, with its
    select_related), read off its compiler once."""
    compiler = statement.compiler
    select, klass_info = compiler.select, compiler.klass_info
    if compiler.annotation_col_map or klass_info is None:
        raise RuntimeError("`instances` reads models with no annotations")
    model_cls = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    names = [f[0].target.attname for f in select[start:end]]
    db = connection.alias
    populators = get_related_populators(klass_info, select, db)  # type: ignore[call-arg]

    def made(found: list[Any]) -> list[Any]:
        result = []
        for row in found:
            obj = model_cls.from_db(db, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            result.append(obj)
        return result

    return made


def instances(
    key: tuple[Hashable, ...], build: Callable[[list[int]], QuerySet[Any]], ids: list[int]
) -> list[Model]:
    """The model instances of `build(ids)` (a queryset of a model, with its `select_related`
    and `only`/`defer`, that takes the ids only as the parameters of an IN) as iterating it
    gives them, its SQL built once per `key` and a size of at least `len(ids)`: the ids are
    padded to a power of two by repeating the last, which an IN does not mind."""
    return run_together([instances_later(key, build, ids)])[0]


# --- Statements without ids: several aggregates of a report in one round trip -------------------


def compiled(qs: QuerySet[Any]) -> WithIds:
    """A `values()` queryset's SQL, parameters and converters, to run with others
    (`later`, `run_together`): its rows are tuples in the order of the queryset's names."""
    compiler = qs.query.get_compiler(connection.alias)
    sql, params = compiler.as_sql()
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    return WithIds(sql, tuple(params), (), compiler, compiler.get_converters(fields))


def raw(sql: str, params: Sequence[Any]) -> WithIds:
    """A statement written in SQL (its rows as the driver gives them), to run with others."""
    return WithIds(sql, tuple(params), (), None, None)


def later(statement: WithIds, finish: Callable[[list[Any]], Any]) -> Pending:
    """`statement`, whose rows `finish` makes into a result, to run with others
    (`run_together`)."""
    return Pending(statement, (), finish)
