"""Markdown as the secretariat writes it, rendered to HTML that is safe to put in a page or an email.

markdown-it-py (CommonMark) renders with raw HTML turned off, so a `<script>` typed into the text
comes out as text; nh3 (ammonia) then keeps only the tags and attributes below, and links only to
http(s) and mailto URLs, each with `rel="noopener nofollow"`. Either step alone would make the
output safe; both are kept so that a change to one cannot let markup through.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol",
    "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "s",
}
ATTRIBUTES = {"a": {"href", "title"}, "td": {"style"}, "th": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Only the alignment markdown-it writes for table columns.
STYLE_PROPERTIES = {"text-align"}

MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table").enable("strikethrough")


def safe_html(markdown: str) -> str:
    """`markdown` as HTML with no script, event handler, style sheet or `javascript:` link."""
    return nh3.clean(
        MARKDOWN.render(markdown),
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow",
        filter_style_properties=STYLE_PROPERTIES,
    )
