"""A notification email read on a phone: its long links break instead of widening the message."""

from __future__ import annotations

from typing import Any

import pytest

from i18n import message
from resolvers.mail.letter import Letter

PAGE = "http://localhost:8000/partner/offerings/T2ZmZXJpbmc6MTIzNDU2Nzg5MA=="
UNSUBSCRIBE = "http://localhost:8000/unsubscribe/" + "a1b2c3d4e5" * 8
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_a_notification_email_fits_a_phone(chromium: Any, language: str) -> None:
    letter = Letter(
        subject=message("email.notification.subject", kind="利用依頼"),
        paragraphs=(message("email.notification.greeting", name="山田 花子"), message("email.notification.open")),
        link=PAGE,
        postscript=(message("email.notification.unsubscribe", url=UNSUBSCRIBE),),
    )
    context = await chromium.new_context(viewport={"width": 390, "height": 700})
    try:
        page = await context.new_page()
        await page.set_content(letter.html_in(language))

        assert await page.evaluate(FITS), "nothing is wider than the phone"
        assert await page.get_by_role("link", name=PAGE).get_attribute("href") == PAGE
    finally:
        await context.close()
