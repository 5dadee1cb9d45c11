"""Querysets compiled once, then run many times with new values.

Django builds a queryset's SQL again every time it is evaluated. For a read
that is small and hot (a reader's claim page, rendered without the shared
cache) building the SQL costs more than the database's work: about 1 ms of
Python per query, against 0.1–0.3 ms in PostgreSQL.

`PreparedQuery` takes a function that builds the queryset from keyword
arguments, the same querysets the rest of the code uses (so what is public is
still decided by `Claim.objects.public()` and the `published()` querysets, in
one place). It builds and compiles it once per thread and database with a
placeholder for each argument, then runs that SQL with each call's values and
makes model instances as the queryset would, `select_related` objects and
annotations included.

What a prepared queryset may not do: depend on anything but its arguments
(no `now()`, no setting read when it is built: the compiled SQL is reused as
it is), or use an argument anywhere but as one query parameter (each
placeholder must appear exactly once among the compiled parameters; compiling
checks it). Tests compare every prepared query with its queryset.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# A placeholder per argument type: values no real query passes.
_PLACEHOLDERS: dict[type, Callable[[int], Any]] = {
    str: lambda n: f"\x00veraz-prepared-{n}\x00",
    int: lambda n: -7_300_000_000_000 - n,
}


class PreparedQueryError(ValueError):
    """A queryset that cannot be prepared: an argument is not one parameter."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[str, int], ...]  # (argument, index in params)
    compiler: Any
    converters: dict
    model: type[Model]
    init_list: list[str]
    model_slice: slice
    related_populators: list
    annotation_col_map: dict


class PreparedQuery:
    """`build(**arguments)` returns a QuerySet; calling the prepared query with
    the same arguments returns its rows as a list of model instances."""

    def __init__(self, build: Callable[..., QuerySet], **argument_types: type):
        unknown = {name: kind for name, kind in argument_types.items() if kind not in _PLACEHOLDERS}
        if unknown:
            raise PreparedQueryError(f"Arguments of unsupported types: {unknown}")
        self.build = build
        self.argument_types = argument_types
        self._local = threading.local()

    @cached_property
    def model(self) -> type[Model]:
        return self.build(**self._placeholders()).model

    def _placeholders(self) -> dict[str, Any]:
        return {
            name: _PLACEHOLDERS[kind](n)
            for n, (name, kind) in enumerate(self.argument_types.items())
        }

    def __call__(self, *, using: str | None = None, **arguments: Any) -> list[Model]:
        """The rows, read from `using` or where the router sends the model's reads."""
        if arguments.keys() != self.argument_types.keys():
            raise TypeError(
                f"Expected arguments {sorted(self.argument_types)}, got {sorted(arguments)}"
            )
        using = using or router.db_for_read(self.model)
        compiled = self._compiled(using)
        params = list(compiled.params)
        for name, index in compiled.slots:
            params[index] = arguments[name]
        with _cursor(connections[using]) as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return self._instances(compiled, rows, using)

    def _compiled(self, using: str) -> _Compiled:
        # Per thread: a compiler keeps the connection it compiled for, and a
        # thread's Django connection is its own.
        cache = getattr(self._local, "compiled", None)
        if cache is None:
            cache = self._local.compiled = {}
        if using not in cache:
            cache[using] = self._compile(using)
        return cache[using]

    def _compile(self, using: str) -> _Compiled:
        placeholders = self._placeholders()
        queryset = self.build(**placeholders)
        if queryset._prefetch_related_lookups:
            raise PreparedQueryError("A prepared queryset cannot prefetch: prepare each query.")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = []
        for name, placeholder in placeholders.items():
            found = [
                i for i, p in enumerate(params) if type(p) is type(placeholder) and p == placeholder
            ]
            if len(found) != 1:
                raise PreparedQueryError(
                    f"{name!r} appears {len(found)} times among the query's parameters, not once."
                )
            slots.append((name, found[0]))
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in select[: compiler.col_count]]),
            model=klass_info["model"],
            init_list=[f[0].target.attname for f in select[start:end]],
            model_slice=slice(start, end),
            related_populators=get_related_populators(klass_info, select, using),
            annotation_col_map=dict(compiler.annotation_col_map or {}),
        )

    @staticmethod
    def _instances(compiled: _Compiled, rows: list, using: str) -> list[Model]:
        # As Django's ModelIterable makes them, from the compiled query's layout.
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        instances = []
        for row in rows:
            obj = compiled.model.from_db(using, compiled.init_list, row[compiled.model_slice])
            for populator in compiled.related_populators:
                populator.populate(row, obj)
            for name, position in compiled.annotation_col_map.items():
                setattr(obj, name, row[position])
            instances.append(obj)
        return instances


def _cursor(connection):
    """A cursor for a prepared read. On PostgreSQL it binds the values on the
    server and asks psycopg to prepare the statement, so that PostgreSQL parses
    and plans it once per connection (planning the claim page's claim query
    took 0.7 ms, running it 0.1 ms); elsewhere, the connection's own cursor.

    The rest of the ORM keeps Django's client-side binding: not every query
    it builds can be bound on the server (a parameter in both a DISTINCT's
    select list and its ORDER BY, for one); a prepared query's tests run it on
    PostgreSQL. Wrapped as Django wraps its cursors (Django 5.2's
    `_prepare_cursor`), so that the query is logged and counted like any other.
    """
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _preparing_cursor_class()(connection.connection)
        # As Django's create_cursor(): the time zone the connection reads in.
        loader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        if connection.timezone != loader.timezone:
            register_tzloader(connection.timezone, cursor)
        return connection._prepare_cursor(cursor)


@cache
def _preparing_cursor_class() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparingCursor(ServerBindingCursor):
        """Server-side binding, and every statement prepared on first use."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparingCursor


def set_prefetched(instance: Model, relation: str, objects: list[Model]) -> None:
    """Give `instance.<relation>.all()` the rows `objects`, as
    `prefetch_related(relation)` would, without its query."""
    manager = getattr(instance, relation)
    queryset = manager.get_queryset()  # filtered to the instance, as prefetching leaves it
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[manager.prefetch_cache_name] = queryset
