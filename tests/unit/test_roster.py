"""Resolving printed roster names to the registry."""

import pytest

from seed.roster import Registry, RegistryEntry, UnresolvedName

REGISTRY = Registry(
    [
        RegistryEntry("082082", "茨城県", "龍ケ崎市"),
        RegistryEntry("104256", "群馬県", "嬬恋村"),
        RegistryEntry("014648", "北海道", "池田町"),
        RegistryEntry("999991", "架空県", "上田町"),
        RegistryEntry("999992", "架空県", "下田町"),
    ]
)


def test_an_exact_name_needs_no_correction():
    resolution = REGISTRY.resolve("北海道", "池田町")
    assert (resolution.entry.code, resolution.correction) == ("014648", None)


def test_a_small_ke_variant_resolves_as_a_spelling_variant():
    resolution = REGISTRY.resolve("茨城県", "龍ヶ崎市")
    assert (resolution.entry.name, resolution.correction) == ("龍ケ崎市", "spelling variant")


def test_a_one_character_misprint_resolves_when_only_one_name_is_that_close():
    resolution = REGISTRY.resolve("群馬県", "嬭恋村")
    assert resolution.entry.name == "嬬恋村"
    assert resolution.correction.startswith("misprint")


def test_a_misprint_close_to_two_names_is_refused_as_ambiguous():
    with pytest.raises(UnresolvedName, match="^架空県 中田町: ambiguous, could be 上田町, 下田町$"):
        REGISTRY.resolve("架空県", "中田町")


def test_a_name_in_the_wrong_prefecture_is_refused():
    with pytest.raises(UnresolvedName, match="^茨城県 池田町: no official municipality matches$"):
        REGISTRY.resolve("茨城県", "池田町")


def test_a_misprint_must_keep_the_kind():
    with pytest.raises(UnresolvedName, match="^群馬県 嬬恋町: no official municipality matches$"):
        REGISTRY.resolve("群馬県", "嬬恋町")


def test_a_name_in_an_unknown_prefecture_is_refused():
    with pytest.raises(UnresolvedName, match="^京都府 池田町: no such prefecture$"):
        REGISTRY.resolve("京都府", "池田町")
