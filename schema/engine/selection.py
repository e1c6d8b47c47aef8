"""The columns a query's answer cannot show: what the reads of tables leave unread.

A theme's offerings read as whole rows carry each offering's summary, its JSON list of legacy
goals and its partner's description, for a query that shows only titles and partner names;
decoding those columns was much of the work of such a query (`bench/RESULTS.md`). Before a
query runs, the executor works out from its document which fields it selects on each object
type (`Selection`), and hands the loaders `Selection.unshown`: for a model whose rows the schema
shows as one object type (the type whose `model` it is, `types_by_model`), the columns behind
that type's plain fields that the query selects nowhere. `resolvers.db.rows.TableQuery` reads
the rest, and the type's reader builds objects without them (`schema.rows`).

What stays read: the primary key, every column that is no plain field of the type (foreign
keys, private fields), and the columns a resolver of a selected field reads, which the type
declares in `columns_read`. A row read without a column has no attribute of that name:
a resolver that read one undeclared would fail, not answer with a default, and
`tests/unit/test_columns_read.py` finds such a read before a query does.

A selection is the union over the whole document, fragments and @skip'd fields included, and
a field selected on an interface counts for every type that implements it: it can only
keep more than the query shows, never less.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLObjectType,
    GraphQLSchema,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    visit,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter
from tortoise.models import Model

from schema.engine.per_object import PerObject

NOTHING: frozenset[str] = frozenset()


class Selection:
    """The Python names of the fields one document selects, by GraphQL type name."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.fields: dict[str, set[str]] = defaultdict(set)
        type_info = TypeInfo(schema)
        visit(document, TypeInfoVisitor(type_info, _FieldCollector(type_info, self.fields)))
        self.unshown_by_model: dict[type[Model], frozenset[str]] = {}
        self.types_by_model = types_by_model(schema)

    def unshown(self, model: type[Model]) -> frozenset[str]:
        """The columns of `model` that no field this document selects shows or needs."""
        unshown = self.unshown_by_model.get(model)
        if unshown is None:
            unshown = self.unshown_by_model[model] = self.find_unshown(model)
        return unshown

    def find_unshown(self, model: type[Model]) -> frozenset[str]:
        object_type = self.types_by_model.get(model)
        if object_type is None:
            return NOTHING
        graphql_type = object_type.extensions[GraphQLCoreConverter.DEFINITION_BACKREF].origin
        selected = set(self.fields.get(object_type.name, ()))
        for interface in object_type.interfaces:
            selected |= self.fields.get(interface.name, set())
        columns_read: dict[str, tuple[str, ...]] = getattr(graphql_type, "columns_read", {})
        kept = {column for name in selected for column in columns_read.get(name, (name,))}
        columns = set(model._meta.fields_db_projection) - {model._meta.pk_attr}
        return frozenset((plain_fields(object_type) & columns) - kept)


@functools.cache
def types_by_model(schema: GraphQLSchema) -> dict[type[Model], GraphQLObjectType]:
    """The object type of `schema` that shows each model's rows: the one whose class names the
    model (`ModelNode.model`). Two types for one model are refused: the columns one leaves
    unread, the other might show."""
    found: dict[type[Model], GraphQLObjectType] = {}
    object_types = (named for named in schema.type_map.values() if isinstance(named, GraphQLObjectType))
    for object_type in object_types:
        definition = object_type.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        model = getattr(getattr(definition, "origin", None), "model", None)
        if model is None:
            continue
        if model in found:
            raise TypeError(f"{found[model].name} and {object_type.name} both show {model.__name__} rows: one type a model.")
        found[model] = object_type
    return found


def plain_fields(object_type: GraphQLObjectType) -> set[str]:
    """The Python names of the fields of `object_type` that show an attribute as it is."""
    backrefs = (field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF) for field in object_type.fields.values())
    return {field.python_name for field in backrefs if field is not None and field.base_resolver is None}


class _FieldCollector(Visitor):
    def __init__(self, type_info: TypeInfo, fields: dict[str, set[str]]) -> None:
        super().__init__()
        self.type_info = type_info
        self.fields = fields

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        parent = self.type_info.get_parent_type()
        field = self.type_info.get_field_def()
        if parent is None or field is None:
            return
        strawberry_field = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        self.fields[parent.name].add(getattr(strawberry_field, "python_name", node.name.value))


_selections: PerObject[DocumentNode, dict[GraphQLSchema, Selection]] = PerObject(lambda document: {})


def selection(schema: GraphQLSchema, document: DocumentNode) -> Selection:
    """The selection of `document` against `schema`, worked out once per parsed document."""
    by_schema = _selections(document)
    found = by_schema.get(schema)
    if found is None:
        found = by_schema[schema] = Selection(schema, document)
    return found
