"""Querysets of the hot path that the ORM compiles once per thread and then runs with new values.

Building a query in Django costs more than running it on SQLite: a start and a submit each spent about
a millisecond turning querysets into SQL, the same SQL every time with other numbers. A `Prepared`
query is written as an ordinary queryset, by a function of its parameters; the first call on a thread
builds it with stand-in values, asks the ORM for its SQL, and keeps the SQL with the places those values
took. Every later call executes that SQL with the given values and makes the objects exactly as the ORM
does (its converters, `from_db`, `select_related`'s objects), so what a caller gets back is what the
queryset would have given. Only the SQL's writing is skipped; a queryset whose SQL depends on its
values (a list of varying length, a None) cannot be prepared, and preparing one refuses it at once.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

# Stand-ins for the parameters while the ORM writes the SQL (never run): positive and within every
# integer column's range, since Django turns an out-of-range integer into "no rows" without SQL.
_INT_STAND_IN = 1_987_650_000
_TEXT_STAND_IN = "\x00prepared-{}\x00"
_LARGEST, _LARGEST_NEGATIVE = 2**63 - 1, -(2**63)  # a 64-bit integer column's range


class NotPreparable(ValueError):
    """The queryset's SQL does not hold each parameter once as a value of its own."""


@dataclass(frozen=True)
class _Slot:
    position: int  # which of the call's arguments goes here


@dataclass
class _Compiled:
    connection: Any
    sql: str
    params: list[Any]  # constants, and a _Slot where an argument goes
    compiler: Any
    converters: dict[int, Any]  # column → the backend's and the field's converters, as the ORM finds them
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]


def _stand_in(position: int, kind: type) -> Any:
    if kind is int:
        return _INT_STAND_IN + position
    if kind is str:
        return _TEXT_STAND_IN.format(position)
    raise NotPreparable(f"a prepared query takes int and str parameters, not {kind.__name__}")


class Prepared(Generic[M]):
    """`build(*values)` is the queryset, from its values and constants only (it runs once per thread);
    `kinds` the type of each value (int or str)."""

    def __init__(self, build: Callable[..., QuerySet[M]], *kinds: type) -> None:
        self.build, self.kinds = build, kinds
        self._local = threading.local()

    def __call__(self, *values: Any) -> list[M]:
        if any(type(v) is int and not _LARGEST_NEGATIVE <= v <= _LARGEST for v in values):
            return []  # no column holds it (SQLite could not even take it): as the ORM, "no rows"
        compiled = self._compiled()
        params = [values[p.position] if isinstance(p, _Slot) else p for p in compiled.params]
        with compiled.connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return list(self._objects(compiled, rows))

    def first(self, *values: Any) -> M | None:
        found = self(*values)
        return found[0] if found else None

    def sql(self) -> str:
        """The SQL this thread runs (for tests and for reading)."""
        return self._compiled().sql

    def _compiled(self) -> _Compiled:
        compiled: _Compiled | None = getattr(self._local, "compiled", None)
        if compiled is not None and compiled.connection is connections[compiled.connection.alias]:
            return compiled
        stands = [_stand_in(n, kind) for n, kind in enumerate(self.kinds)]
        queryset = self.build(*stands)
        connection = connections[queryset.db]
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, raw = compiler.as_sql()
        except EmptyResultSet as empty:
            raise NotPreparable(f"the ORM finds no rows for any value: {queryset.query}") from empty
        places = {value: _Slot(n) for n, value in enumerate(stands)}
        params = [places.get(value, value) if type(value) in (int, str) else value for value in raw]
        slots = [p.position for p in params if isinstance(p, _Slot)]
        if sorted(slots) != list(range(len(stands))):
            raise NotPreparable(f"each parameter must appear once in the SQL as a value: {sql}")
        klass_info, select = compiler.klass_info, compiler.select
        if klass_info is None or compiler.annotation_col_map:
            raise NotPreparable("a prepared query makes model objects only, without annotations")
        fields = klass_info["select_fields"]
        compiled = _Compiled(
            connection=connection,
            sql=sql,
            params=params,
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in select[0 : compiler.col_count]]),
            init_list=[f[0].target.attname for f in select[fields[0] : fields[-1] + 1]],
            start=fields[0],
            end=fields[-1] + 1,
            populators=get_related_populators(klass_info, select, queryset.db),  # type: ignore[call-arg]
        )
        self._local.compiled = compiled
        return compiled

    @staticmethod
    def _objects(compiled: _Compiled, rows: list[Any]) -> Iterator[M]:
        """As Django's ModelIterable makes them from the rows of its SQL."""
        model = compiled.compiler.klass_info["model"]
        db = compiled.connection.alias
        converted = (
            compiled.compiler.apply_converters(rows, compiled.converters) if compiled.converters else rows
        )
        for row in converted:
            obj = model.from_db(db, compiled.init_list, row[compiled.start : compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            yield obj


# ---- writes ------------------------------------------------------------------------------------------------

_INSERTS: dict[tuple[type[Model], int, str], str] = {}
_UPDATES: dict[tuple[type[Model], tuple[str, ...], str], str] = {}


@functools.cache
def _columns(model: type[Model]) -> tuple[Any, ...]:
    """The fields an INSERT writes: every concrete column but the generated primary key (found once per
    model: a start inserts three times)."""
    meta = model._meta
    fields = tuple(f for f in meta.concrete_fields if f is not meta.pk or not f.db_returning)
    if any(hasattr(f, "get_placeholder") or getattr(f, "generated", False) for f in fields):
        raise NotPreparable(f"{model.__name__} has a column the ORM writes in its own way")
    return fields


def insert(objs: Sequence[M]) -> None:
    """Insert these new objects of one model in one statement and give each its primary key, as
    `bulk_create` does (no signals, as there), with the values each field prepares for the database;
    only the SQL is written once per model and row count instead of by the ORM every time."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = _columns(model)
    key = (model, len(objs), connection.vendor)
    sql = _INSERTS.get(key)
    if sql is None:
        name = connection.ops.quote_name
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        table, pk = name(model._meta.db_table), name(str(model._meta.pk.column))
        columns = ", ".join(name(str(f.column)) for f in fields)
        # the model's own names, quoted by the backend; every value a parameter
        sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(objs))} RETURNING {pk}"  # noqa: S608
        _INSERTS[key] = sql
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        keys = cursor.fetchall()
    for obj, (pk,) in zip(objs, keys, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def update(obj: Model, names: Sequence[str]) -> None:
    """`obj.save(update_fields=names)` for an object known to exist: one UPDATE by its primary key."""
    model = type(obj)
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(n) for n in names]
    key = (model, tuple(names), connection.vendor)
    sql = _UPDATES.get(key)
    if sql is None:
        name = connection.ops.quote_name
        sets = ", ".join(f"{name(str(f.column))} = %s" for f in fields)  # type: ignore[union-attr]
        table, pk = name(model._meta.db_table), name(str(model._meta.pk.column))
        sql = f"UPDATE {table} SET {sets} WHERE {pk} = %s"  # noqa: S608 - as the INSERT's
        _UPDATES[key] = sql
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, obj.pk])
