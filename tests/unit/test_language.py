"""The language of a request, and messages rendered in it."""

import pytest

from i18n import Text, choose_language, language_in_use, message, negotiate, speaking


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en", "en"),
        ("ja-JP", "ja"),
        ("en-US,en;q=0.9,ja;q=0.8", "en"),
        ("ja;q=0.5, en;q=0.9", "en"),
        ("fr-FR, en;q=0.2, ja;q=0.3", "ja"),
        ("fr, de", None),
        ("en;q=0, ja;q=0", None),
        ("*", "ja"),
        ("en;q=abc, ja", "ja"),
        ("", None),
        (None, None),
    ],
)
def test_negotiate_prefers_the_highest_quality_of_our_languages(header, expected):
    assert negotiate(header) == expected


def test_a_header_wins_over_the_saved_preference_which_wins_over_japanese():
    assert choose_language("en", saved="ja") == "en"
    assert choose_language("fr", saved="en") == "en"
    assert choose_language(None, saved=None) == "ja"
    assert choose_language(None, saved="xx") == "ja"


def test_a_text_renders_in_the_language_in_use():
    greeting = Text("account.signed_in_as", {"name": "高石市"})

    assert str(greeting) == "高石市 でサインイン中"
    with speaking("en"):
        assert language_in_use() == "en"
        assert str(greeting) == "Signed in as 高石市"
    assert language_in_use() == "ja"


def test_message_refuses_a_key_the_catalogue_lacks():
    with pytest.raises(KeyError, match="'no.such.key' is not in the message catalogue"):
        message("no.such.key")
