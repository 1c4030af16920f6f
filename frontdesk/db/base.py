"""The model base class and the database proxy every model is bound to."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from peewee import SQL, AutoField, Check, DatabaseProxy, Model, NodeList

database_proxy = DatabaseProxy()


class BaseModel(Model):
    id = AutoField()

    if TYPE_CHECKING:  # peewee adds ``<field>_id`` for every foreign key; let the checker see them

        def __getattr__(self, name: str) -> Any: ...

    class Meta:
        database = database_proxy
        legacy_table_names = False


def one_of(column: str, enum: type[StrEnum], *, nullable: bool = False) -> SQL | NodeList:
    """A CHECK constraint that keeps ``column`` inside ``enum``'s values."""
    allowed = ", ".join(f"'{member.value}'" for member in enum)
    clause = f"{column} IN ({allowed})"
    if nullable:
        clause = f"({column} IS NULL OR {clause})"
    return Check(clause)
