"""Lookups the project registers on Django's fields (imported by OrganisationConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`__in` on an integer column (ids too) leaves out the values the column cannot hold: they
    match no row, as Django's own `exact`, `gt`… already treat them. Without it an id typed
    into a form (`99999999999999999999999` ticked in a multiple choice, a list of ids in the
    query string) is an OverflowError, a server error, on SQLite."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                v
                for v in self.rhs
                if not isinstance(v, int)
                or ((low is None or v >= low) and (high is None or v <= high))
            ]
        return super().process_rhs(compiler, connection)
