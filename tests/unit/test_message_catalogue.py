"""The catalogue every person-readable message comes from: complete in both languages, with the
same parameters, and each language written in itself."""

import re
from string import Formatter

import pytest

import models
from i18n import LANGUAGES, catalogue, message
from resolvers.errors import state_name
from resolvers.offering_request import Response

JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")
# What a Japanese message may quote in Latin letters: code spans, parameters, URLs and paths,
# names of GraphQL fields, arguments, codes and headers, and product names.
QUOTED = re.compile(
    r"`[^`]*`"
    r"|\{[^{}]*\}"
    r"|https?://\S*"
    r"|/[\w./-]+"
    r"|\b[\w.-]+/[\w./-]+"
    r"|\"[^\"]*\""
    r"|<[^>]*>"
)
TWO_WORDS = re.compile(r"[A-Za-z]{2,} [a-z]{2,}")
# Words around a number, which each language puts on its own side ("会員 12" / "12 members").
AFFIXES = ("_before", "_after")


def parameters(template: str) -> set[str]:
    if "{" not in template or '{"' in template:
        return set()
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def api_messages(language: str) -> dict[str, str]:
    return {key: text for key, text in catalogue(language).items() if key.startswith("errors.")}


def test_every_key_is_in_both_languages_with_the_same_parameters():
    japanese, english = (catalogue(language) for language in LANGUAGES)

    assert set(japanese) == set(english)
    empty = [key for key in japanese if not (japanese[key].strip() and english[key].strip())]
    assert [key for key in empty if not key.endswith(AFFIXES)] == []
    assert {key: (parameters(japanese[key]), parameters(english[key])) for key in japanese
            if parameters(japanese[key]) != parameters(english[key])} == {}


@pytest.mark.parametrize("key", sorted(api_messages("ja")))
def test_a_japanese_api_message_has_no_english_sentence(key):
    text = api_messages("ja")[key]

    assert TWO_WORDS.findall(QUOTED.sub("", text)) == []


@pytest.mark.parametrize("key", sorted(api_messages("en")))
def test_an_english_api_message_has_no_japanese(key):
    text = api_messages("en")[key]

    assert JAPANESE_SCRIPT.findall(QUOTED.sub("", text)) == []


@pytest.mark.parametrize(
    "enum",
    [
        models.ChallengeStatus,
        models.ProposalStatus,
        models.ProjectPhase,
        models.DuesStatus,
        models.MembershipStatus,
        models.MembershipTier,
        models.OfferingRequestStatus,
        models.OfficerRole,
        Response,
    ],
)
def test_every_state_a_refusal_names_has_a_label_in_both_languages(enum):
    """Refusals name states with the portals' enum labels (`state_name`); a missing one would be a fault."""
    for value in enum:
        name = state_name(value) if enum is not Response else message(f"enum.OfferingResponse.{value.value}")
        assert all(name.render(language) for language in LANGUAGES)
