"""A migration operation that creates several models with one rendering of the project's state.

`manage.py migrate` keeps the project's models rendered while it applies migrations, and each
`CreateModel` renders again the new model and every model related to it, recursively: here
every model refers to the staff user, so each of the hundred-odd `CreateModel` of the initial
migrations rendered the whole project again (most of the time a fresh database took to
migrate). `CreateModels` adds its models' states and leaves the rendering to the next use of
the state, which renders the project once. Its database operations are the `CreateModel`
operations it holds, in order, so the tables, constraints and indexes are the same.
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.models import CreateModel
from django.db.migrations.state import ProjectState


class CreateModels(Operation):
    """`CreateModel` operations of one app, applied in order, the state rendered once."""

    reduces_to_sql = True
    reversible = True
    serialization_expand_args = ["operations"]

    def __init__(self, operations: list[CreateModel]) -> None:
        if not all(isinstance(op, CreateModel) for op in operations):
            raise TypeError("CreateModels holds CreateModel operations only")
        self.operations = operations

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__qualname__, [self.operations], {}

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        # Without its rendered apps the state adds each model without rendering anything; the
        # next use of `state.apps` renders every model once, from the models' states.
        state.__dict__.pop("apps", None)
        for operation in self.operations:
            operation.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        for operation in reversed(self.operations):
            operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def references_model(self, name: str, app_label: str) -> bool:
        return any(op.references_model(name, app_label) for op in self.operations)

    def describe(self) -> str:
        return "Create models " + ", ".join(op.name for op in self.operations)

    @property
    def migration_name_fragment(self) -> str:
        return "initial"


def batched(operations: list[Operation]) -> list[Operation]:
    """The operations of a migration, each run of two or more consecutive `CreateModel` in one
    `CreateModels`: `operations = batched([...])` keeps the migration file as Django wrote it."""
    result: list[Operation] = []
    run: list[CreateModel] = []
    for operation in [*operations, None]:
        if isinstance(operation, CreateModel):
            run.append(operation)
            continue
        result.extend([CreateModels(run)] if len(run) > 1 else run)
        run = []
        if operation is not None:
            result.append(operation)
    return result
