"""Every kind of audit target the log names has a model, and its path leads to a name."""

from tortoise.fields.relational import ForeignKeyFieldInstance

from resolvers.audit_targets import TARGET_NAMES, model_of


def test_every_named_kind_is_a_model_and_its_path_ends_in_a_name():
    for kind, path in TARGET_NAMES.items():
        model = model_of(kind)
        assert model is not None, kind
        for step in filter(None, path.split(".")):
            field = model._meta.fields_map[step]
            model = model_of(field.model_name.split(".")[-1]) if isinstance(field, ForeignKeyFieldInstance) else None
            if model is None:
                assert step == path.split(".")[-1], f"{kind}: {path}"
        if model is not None:
            assert "name" in model._meta.fields_map, f"{kind}: {path} ends at {model.__name__}, which has no name"
