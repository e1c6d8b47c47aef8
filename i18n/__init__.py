"""One message catalogue for the API and the portals, Japanese first, English on request.

Everything a person reads is a key in `locales/<language>/*.toml` (the two files hold the same keys
with the same parameters; a test checks it). Programs branch on codes; people read messages:

- `catalogue.Translator` renders keys for a page whose language is known (the portals);
- `text.Text` is a message named by key and parameters and rendered later, in the language of the
  request that reads it (an API refusal, a stored notification), see `language`;
- `language` chooses the language of a request and keeps it for the code that renders messages.
"""

from i18n.catalogue import DEFAULT_LANGUAGE, LANGUAGES, Translator, catalogue
from i18n.language import choose_language, language_in_use, negotiate, speaking
from i18n.text import Listed, Named, Text, field_label, kind_label, message

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Listed",
    "Named",
    "Text",
    "Translator",
    "catalogue",
    "choose_language",
    "field_label",
    "kind_label",
    "language_in_use",
    "message",
    "negotiate",
    "speaking",
]
