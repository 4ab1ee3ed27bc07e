"""`__in` on integer columns ignores values outside the column's range.

Django already turns an out-of-range `exact`, `gt`, `lt` ... into "matches nothing" (or
everything), but not `in`: a forged id like 2**63 in a multiple choice field or an admin
filter reached the database, where SQLite raises OverflowError and PostgreSQL "out of
range", both a 500. A value outside the range can match no row, so it is dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import IntegerField
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

if TYPE_CHECKING:  # generic in the stubs only
    _In = In[Any]
else:
    _In = In


@IntegerField.register_lookup
class IntegerFieldIn(_In):
    def process_rhs(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
