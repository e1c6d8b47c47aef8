"""Japanese first, English available: the catalogues agree, and nothing the pages ask for is missing."""

import re

from portals.api import enum_values
from portals.i18n import LANGUAGES, catalogue
from portals.web import TEMPLATES_DIR

PORTALS_DIR = TEMPLATES_DIR.parent
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_][a-z0-9_.]*)["']""")
NAV_KEY = re.compile(r'"(nav\.[a-z_.]+)"')


def used_keys() -> set[str]:
    sources = [*TEMPLATES_DIR.rglob("*.html"), *PORTALS_DIR.glob("*.py")]
    keys: set[str] = set()
    for path in sources:
        text = path.read_text()
        keys |= set(LITERAL_KEY.findall(text)) | set(NAV_KEY.findall(text))
    return keys


def test_both_catalogues_have_the_same_keys():
    japanese, english = (set(catalogue(language)) for language in LANGUAGES)

    assert japanese - english == set()
    assert english - japanese == set()


def test_every_key_the_pages_use_is_in_the_catalogue():
    """Keys built in a template (`t("benefit." ~ key)`) are checked as prefixes."""
    known = set(catalogue("ja"))
    used = used_keys()
    prefixes = {key for key in used if key.endswith(".")}

    assert used - prefixes - known == set()
    assert {p for p in prefixes if not any(k.startswith(p) for k in known)} == set()


def test_every_value_of_a_translated_enum_has_a_label():
    # EventUpdateField is no enum of the schema: its labels name what changed in a notification.
    labelled = {key.split(".")[1] for key in catalogue("ja") if key.startswith("enum.")} - {"EventUpdateField"}
    missing = {
        f"{enum}.{value}"
        for enum in labelled
        for value in enum_values(enum)
        if f"enum.{enum}.{value}" not in catalogue("ja")
    }

    assert missing == set()
