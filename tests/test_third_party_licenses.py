"""Every runtime dependency is under a permissive licence, and THIRD_PARTY_LICENSES.md says so."""

from email.message import Message

import pytest

from scripts import third_party_licenses as licences

OSI = "License :: OSI Approved"
APACHE = f"{OSI} :: Apache Software License"
MIT_TEXT = """Copyright (c) 2020 Someone

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal"""


def test_every_runtime_dependency_and_vendored_script_has_a_permitted_licence():
    components = licences.python_components() + licences.vendored_components()

    refused = [f"{c.name}: {c.licence}" for c in components if not licences.permitted(c.licence)]

    assert {"sudachipy", "graphiql"} <= {c.name for c in components}
    assert refused == []


def test_the_test_tools_are_not_runtime_dependencies():
    names = {c.name for c in licences.python_components()}

    assert not names & {"pytest", "pytest-asyncio", "asgi-lifespan", "playwright"}


def test_the_checked_in_list_is_what_the_script_writes():
    checked_in = licences.LIST_PATH.read_text(encoding="utf-8")

    assert checked_in == licences.current_list(), "run python scripts/third_party_licenses.py"


def metadata(**fields: str | list[str]) -> Message:
    message = Message()
    for name, value in fields.items():
        for one in value if isinstance(value, list) else [value]:
            message[name.replace("_", "-")] = one
    return message


@pytest.mark.parametrize(
    ("fields", "licence", "declared_in"),
    [
        ({"License_Expression": "MPL-2.0 AND (Apache-2.0 OR MIT)", "License": "ignored"},
         "MPL-2.0 AND (Apache-2.0 OR MIT)", "License-Expression"),
        ({"License": "MIT License", "Classifier": APACHE}, "MIT", "License"),
        ({"License": "GPL-3.0-or-later"}, "GPL-3.0-or-later", "License"),
        ({"License": "UNKNOWN", "Classifier": [f"{OSI} :: MIT License", APACHE]},
         "Apache-2.0 OR MIT", "classifiers"),
        ({"License": MIT_TEXT}, "MIT", "licence text"),
        ({"Classifier": OSI}, "UNKNOWN", "nothing"),
    ],
)
def test_each_shape_of_licence_metadata_is_read(fields, licence, declared_in):
    assert licences.licence_of(metadata(**fields)) == (licence, declared_in)


@pytest.mark.parametrize(
    "licence",
    ["GPL-3.0-or-later", "LGPL-2.1-only", "AGPL-3.0", "MIT AND GPL-2.0-only", "MIT OR LGPL-3.0",
     "GNU General Public License v3 or later (GPLv3+)", "UNKNOWN", ""],
)
def test_copyleft_and_unknown_licences_are_refused(licence):
    assert not licences.permitted(licence)


@pytest.mark.parametrize(
    "licence", ["MIT", "Apache-2.0 OR BSD-2-Clause", "MPL-2.0 AND (Apache-2.0 OR MIT)"]
)
def test_permissive_licences_pass(licence):
    assert licences.permitted(licence)
