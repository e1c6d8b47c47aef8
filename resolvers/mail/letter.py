"""What an email says, in its reader's language, as plain text and as HTML.

A letter is a subject, paragraphs, at most one link and what follows it (a postscript, such as how
to stop such mail); every piece of text is escaped in the HTML part, so nothing written in
Tsunagu (a name, a notification) can add markup to a message. In the HTML a long word (a link,
an unsubscribe URL) breaks where it must, so that a letter fits a phone's width.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from i18n import Text, catalogue

HTML_PAGE = """<!DOCTYPE html>
<html lang="{language}">
<head><meta charset="utf-8"><title>{subject}</title></head>
<body style="overflow-wrap:anywhere">
{body}
</body>
</html>
"""


@dataclass(frozen=True)
class Letter:
    subject: Text
    paragraphs: tuple[Text | str, ...]
    link: str | None = None
    postscript: tuple[Text | str, ...] = ()

    def subject_in(self, language: str) -> str:
        """The subject on one line: a line break in it could start a header of its own."""
        return " ".join(self.subject.render(language).split())

    def text_in(self, language: str) -> str:
        parts = [render(paragraph, language) for paragraph in self.paragraphs]
        if self.link is not None:
            parts.append(self.link)
        parts.extend(render(paragraph, language) for paragraph in self.postscript)
        parts.append(catalogue(language)["email.footer"])
        return "\n\n".join(parts) + "\n"

    def html_in(self, language: str) -> str:
        parts = [f"<p>{escape(render(paragraph, language))}</p>" for paragraph in self.paragraphs]
        if self.link is not None:
            parts.append(f'<p><a href="{escape(self.link)}">{escape(self.link)}</a></p>')
        parts.extend(f"<p>{escape(render(paragraph, language))}</p>" for paragraph in self.postscript)
        parts.append(f"<p><small>{escape(catalogue(language)['email.footer'])}</small></p>")
        return HTML_PAGE.format(
            language=escape(language), subject=escape(self.subject_in(language)), body="\n".join(parts)
        )


def render(paragraph: Text | str, language: str) -> str:
    return paragraph if isinstance(paragraph, str) else paragraph.render(language)
