"""Querysets compiled once, then run many times with new values.

Django builds a queryset's SQL again every time it is evaluated. For a read
that is small and hot (a reader's claim page, rendered without the shared
cache) building the SQL costs more than the database's work: about 1 ms of
Python per query, against 0.1–0.3 ms in PostgreSQL.

`PreparedQuery` takes a function that builds the queryset from keyword
arguments, the same querysets the rest of the code uses (so what is public is
still decided by `Claim.objects.public()` and the `published()` querysets, in
one place). Once per process and database it builds and compiles it, with a
placeholder for each argument, and keeps the SQL and the layout of its rows
(nothing that holds a connection: under ASGI or `runserver` each request has
its own); it then runs that SQL with each call's values through a cursor of
the connection (logged, counted and routed like any query; see below for
PostgreSQL) and makes model instances as the queryset would, `select_related` objects and
annotations included, with the calling connection's converters.

What a prepared queryset may not do:
- use an argument anywhere but as one query parameter, unchanged (checked:
  each placeholder must appear exactly once among the compiled parameters;
  the placeholders hold `%` and `_`, which a LIKE-style lookup would escape);
- depend on anything but its arguments. Its SQL is reused as it is, so the
  build function must not read the time, today's date, the active language
  or time zone, or a setting. Compiling twice and comparing catches only what
  changes between two builds (a time to the microsecond), not a value that
  holds for a while: that is the build function's author's duty;
- prefetch, return values or tuples, or choose its own database (`using()`):
  its reads go where the router sends its model's reads (checked).

On PostgreSQL, when the connection allows it, the SQL is also a server-side
prepared statement: its values are bound on the server, and PostgreSQL parses
it once per connection instead of on every page; after five executions with
their values it settles on a generic plan when that costs no more, and plans
no more (planning the claim query took 0.7 ms, running it 0.1 ms). psycopg
keys a statement by its parameters' types too, so a small and a large claim
id (int2, int4) make two statements. It is allowed when:
- `prepare_threshold` is set in the connection's OPTIONS
  (DATABASE_PREPARED_STATEMENTS, off for a pooler such as PgBouncer);
- the connection lasts beyond the request (CONN_MAX_AGE or the pool): a
  statement prepared on a connection about to close is an extra round trip;
- the read runs in autocommit, outside a transaction: see the next point.
A migration that changes the type of a column the statement returns makes
PostgreSQL refuse it (SQLSTATE 0A000, "cached plan must not change result
type") on every connection that prepared it, and psycopg would keep using it
until the connection closed. The read then drops the connection's prepared
statements (DEALLOCATE ALL, which psycopg follows by clearing its own cache),
logs a warning and runs once more with client-side binding, which no cached
plan can break; the next read prepares afresh. In a transaction the error
would have aborted it, which is why reads are not prepared there.
Every other query keeps Django's client-side binding, which psycopg never
prepares. BENCHMARKS.md ("Prepared statements") has the figures.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DatabaseError, connections, router
from django.db.models import Model, QuerySet
from django.db.models.expressions import ColPairs
from django.db.models.query import ModelIterable, get_related_populators

# Two placeholders per argument type (compiled twice): values no real query
# passes, that an escaping lookup would change.
_PLACEHOLDERS: dict[type, Callable[[int, int], Any]] = {
    str: lambda n, round_: f"\x00veraz_prepared%{n}:{round_}\x00",
    # Within a 32-bit integer, so that an integer column takes it as it is.
    int: lambda n, round_: -2_000_000_000 - 2 * n - round_,
}


logger = logging.getLogger(__name__)


class PreparedQueryError(ValueError):
    """A queryset that cannot be prepared (see the module's docstring)."""


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[str, int], ...]  # (argument, index in params)
    columns: tuple  # the select list's expressions, for the converters
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
        # By alias and vendor (a test may put another database behind an alias).
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        # A connection's converters hold it: kept per thread, for the thread's
        # own connection, and gone with the thread.
        self._local = threading.local()

    @cached_property
    def model(self) -> type[Model]:
        return self.build(**self._placeholders(0)).model

    def _placeholders(self, round_: int) -> dict[str, Any]:
        return {
            name: _PLACEHOLDERS[kind](n, round_)
            for n, (name, kind) in enumerate(self.argument_types.items())
        }

    def __call__(self, *, using: str | None = None, **arguments: Any) -> list[Model]:
        """The rows, read from `using` or where the router sends the model's reads."""
        if arguments.keys() != self.argument_types.keys():
            raise TypeError(
                f"Expected arguments {sorted(self.argument_types)}, got {sorted(arguments)}"
            )
        for name, value in arguments.items():
            kind = self.argument_types[name]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise TypeError(f"{name!r} must be {kind.__name__}")
        using = using or router.db_for_read(self.model)
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(using)
        params = list(compiled.params)
        for name, index in compiled.slots:
            params[index] = arguments[name]
        rows = _fetch(connection, compiled.sql, params)
        return self._instances(compiled, self._converted(compiled, rows, connection), using)

    def _converted(self, compiled: _Compiled, rows: list, connection) -> list:
        """The rows with the database's and the fields' converters applied, as
        the compiler's apply_converters() does, with this connection's."""
        cache = self._local.__dict__.setdefault("converters", {})
        held = cache.get(compiled.sql)
        if held is None or held[0] is not connection:
            converters = [
                (position, functions, expression)
                for position, expression in enumerate(compiled.columns)
                if expression
                and (
                    functions := connection.ops.get_db_converters(expression)
                    + expression.get_db_converters(connection)
                )
            ]
            held = cache[compiled.sql] = (connection, converters)
        converters = held[1]
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, functions, expression in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted

    def _compile_once(self, using: str, round_: int) -> tuple[Any, str, list, dict]:
        placeholders = self._placeholders(round_)
        queryset = self.build(**placeholders)
        if (
            queryset._prefetch_related_lookups
            or queryset._iterable_class is not ModelIterable
            or queryset._known_related_objects
            or queryset._db is not None
        ):
            raise PreparedQueryError(
                "A prepared queryset returns model instances, without prefetching, "
                "from the database the router chooses: prepare each query on its own."
            )
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet) as error:
            raise PreparedQueryError(
                f"The placeholders changed what the query asks ({type(error).__name__}):"
                " an argument's type does not fit its column."
            ) from error
        return compiler, sql, list(params), placeholders

    def _compile(self, using: str) -> _Compiled:
        compiler, sql, params, placeholders = self._compile_once(using, 0)
        _, other_sql, other_params, other_placeholders = self._compile_once(using, 1)
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
        # Built again with other placeholders, it must be the same query with
        # only those placeholders changed.
        expected = list(params)
        for name, index in slots:
            expected[index] = other_placeholders[name]
        if sql != other_sql or other_params != expected:
            raise PreparedQueryError(
                "Building the queryset twice gave different SQL or values: it depends on "
                "something besides its arguments (a time, say) that would be frozen."
            )
        select, klass_info = compiler.select, compiler.klass_info
        if any(isinstance(column[0], ColPairs) for column in select):
            raise PreparedQueryError("A composite primary key's columns are not supported.")
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            columns=tuple(column[0] for column in select[: compiler.col_count]),
            model=klass_info["model"],
            init_list=[f[0].target.attname for f in select[start:end]],
            model_slice=slice(start, end),
            related_populators=get_related_populators(klass_info, select, using),
            annotation_col_map=dict(compiler.annotation_col_map or {}),
        )

    @staticmethod
    def _instances(compiled: _Compiled, rows: list, using: str) -> list[Model]:
        # As Django's ModelIterable makes them, from the compiled query's layout.
        instances = []
        for row in rows:
            obj = compiled.model.from_db(using, compiled.init_list, row[compiled.model_slice])
            for populator in compiled.related_populators:
                populator.populate(row, obj)
            for name, position in compiled.annotation_col_map.items():
                setattr(obj, name, row[position])
            instances.append(obj)
        return instances


def _fetch(connection, sql: str, params: list) -> list:
    if _prepares(connection):
        try:
            with _preparing_cursor(connection) as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        except DatabaseError as error:
            if getattr(error.__cause__, "sqlstate", None) != STALE_STATEMENT:
                raise
            logger.warning(
                "A prepared read was refused (%s): dropping this connection's prepared "
                "statements and reading again. A migration changed a column it returns.",
                error,
            )
            with connection.cursor() as cursor:
                cursor.execute("DEALLOCATE ALL")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# feature_not_supported: for a SELECT that ran before, what PostgreSQL says of
# a prepared statement whose result columns changed type. Matched by code, not
# by message, which the server may speak in another language.
STALE_STATEMENT = "0A000"


def _prepares(connection) -> bool:
    """Whether this read is a server-side prepared statement (the module's
    docstring says when, and why)."""
    if connection.vendor != "postgresql":
        return False
    settings = connection.settings_dict
    options = settings.get("OPTIONS", {})
    return (
        options.get("prepare_threshold") is not None
        and (settings.get("CONN_MAX_AGE") != 0 or bool(options.get("pool")))
        and connection.get_autocommit()
        and not connection.in_atomic_block
    )


def _preparing_cursor(connection):
    """A cursor that binds values on the server and prepares the statement,
    wrapped as Django wraps its own (Django 5.2's `create_cursor()` and
    `_prepare_cursor()`), so that the query is logged and counted like any
    other."""
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
        """Server-side binding, and the statement prepared on first use."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

        def _convert_query(self, query, params=None):
            # psycopg records the query it sends only when it does not prepare
            # it; Django's query log reads it from there (else it logs None).
            self._query = super()._convert_query(query, params)
            return self._query

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


def set_parent(objects: list[Model], field_name: str, parent: Model) -> None:
    """Cache `parent` as each object's `field_name` (a foreign key), as a
    prefetch from the parent does: reading it then costs no query."""
    for obj in objects:
        obj._meta.get_field(field_name).set_cached_value(obj, parent)
