"""Header injection: a line break followed by `Bcc:` (or a second address) in anything that reaches
a header of an email is refused or neutralised, header by header, and never adds a recipient.

The headers the sender writes: From, To, Subject, Date, Message-ID, Auto-Submitted,
List-Unsubscribe, List-Unsubscribe-Post, Content-Language, and each attachment's Content-Type and
Content-Disposition (its file name). Date, Message-ID, Auto-Submitted and List-Unsubscribe-Post are
written by Tsunagu alone; the others carry values from outside, tried here one by one.
"""

from __future__ import annotations

import dataclasses

import pytest

from i18n import Text
from models import OutboundEmail, OutboundEmailStatus, StoredFile
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import enqueue, now, store_file
from resolvers.mail.sender import send_all_due
from tests.api.test_email import mail_settings, smtp, subject_of  # noqa: F401 (fixtures)

INJECTION = "\r\nBcc: evil@attacker.example"
EVIL = "evil@attacker.example"
LETTER = Letter(subject=Text("email.login_link.subject"), paragraphs=("本文",))


def nothing_reached(smtp) -> bool:
    """No message carried a Bcc header, and nothing was addressed to the attacker."""
    return EVIL not in smtp.recorder.envelope_recipients and all(
        "Bcc" not in message and "bcc" not in {name.lower() for name in message.keys()}
        for message in smtp.recorder.received
    )


async def test_a_name_in_a_subject_is_kept_on_one_line(mail_settings, smtp):
    subject = Text("email.notification.subject", {"kind": f"利用依頼{INJECTION}\u2028X-Evil: 1"})
    await enqueue("hanako@kanko.example.jp", Letter(subject=subject, paragraphs=("本文",)), "ja")

    await send_all_due(mail_settings)

    (received,) = smtp.recorder.received
    assert subject_of(received) == f"【Tsunagu】利用依頼 Bcc: {EVIL} X-Evil: 1"
    assert received["X-Evil"] is None and nothing_reached(smtp)
    assert smtp.recorder.envelope_recipients == ["hanako@kanko.example.jp"]


@pytest.mark.parametrize("address", [f"hanako@kanko.example.jp{INJECTION}", f"hanako@kanko.example.jp, {EVIL}",
                                     f"Hanako <hanako@kanko.example.jp>{INJECTION}"])
async def test_an_address_with_a_header_or_a_second_recipient_is_refused_when_queued(database_url, address):
    with pytest.raises(ValueError):
        await enqueue(address, LETTER, "ja")

    assert await OutboundEmail.all().count() == 0


async def test_a_file_name_is_kept_on_one_line_and_a_bad_content_type_refused(mail_settings, smtp):
    minutes = await store_file(f"総会資料{INJECTION}.pdf", "application/pdf", b"%PDF-1.4")
    with pytest.raises(ValueError):
        await store_file("a.pdf", f"application/pdf{INJECTION}", b"%PDF-1.4")
    await enqueue("hanako@kanko.example.jp", LETTER, "ja", attachments=[minutes])

    await send_all_due(mail_settings)

    (received,) = smtp.recorder.received
    (attached,) = received.iter_attachments()
    assert attached.get_filename() == f"総会資料 Bcc: {EVIL}.pdf"
    assert "\r" not in attached.get_filename() and nothing_reached(smtp)


async def test_an_unsubscribe_link_with_a_line_break_is_refused_when_queued(database_url):
    for url in (f"http://localhost:8000/unsubscribe/x{INJECTION}", "http://localhost:8000/x>, <mailto:evil@attacker.example"):
        with pytest.raises(ValueError):
            await enqueue("hanako@kanko.example.jp", LETTER, "ja", unsubscribe_url=url)

    assert await OutboundEmail.all().count() == 0


@pytest.mark.parametrize(
    "column, value",
    [
        ("to_address", f"hanako@kanko.example.jp{INJECTION}"),
        ("to_address", f"hanako@kanko.example.jp, {EVIL}"),
        ("subject", f"件名{INJECTION}"),
        ("unsubscribe_url", f"http://localhost:8000/u{INJECTION}"),
        ("language", "en\r\nX:1"),
    ],
)
async def test_a_stored_row_with_an_unsafe_header_fails_and_the_rest_of_its_batch_is_sent(
    mail_settings, smtp, column, value
):
    """Rows written by any other way than `enqueue` are checked again when sent."""
    unsafe = await enqueue("hanako@kanko.example.jp", LETTER, "ja")
    await OutboundEmail.filter(id=unsafe.id).update(**{column: value})
    safe = await enqueue("taro@city.example.jp", LETTER, "ja")

    await send_all_due(mail_settings)

    failed = await OutboundEmail.get(id=unsafe.id)
    assert failed.status is OutboundEmailStatus.FAILED and failed.last_error.startswith("not sent: a header")
    assert (await OutboundEmail.get(id=safe.id)).status is OutboundEmailStatus.SENT
    assert [message["Message-ID"] for message in smtp.recorder.received] == [safe.message_id]
    assert smtp.recorder.envelope_recipients == ["taro@city.example.jp"] and nothing_reached(smtp)


async def test_a_from_address_with_a_line_break_sends_nothing(mail_settings, smtp):
    row = await enqueue("hanako@kanko.example.jp", LETTER, "ja")
    broken = dataclasses.replace(mail_settings, mail_from=f"Tsunagu <no-reply@tsunagu.localhost>{INJECTION}")

    await send_all_due(broken)

    assert smtp.recorder.received == [] and smtp.recorder.envelope_recipients == []
    assert (await OutboundEmail.get(id=row.id)).status is OutboundEmailStatus.FAILED


async def test_the_headers_tsunagu_writes_itself_are_single_lines(mail_settings, smtp):
    row = await enqueue("hanako@kanko.example.jp", LETTER, "ja", unsubscribe_url="http://localhost:8000/unsubscribe/notifications/1.x")
    assert row.next_attempt_at <= now()

    await send_all_due(mail_settings)

    (received,) = smtp.recorder.received
    for name in ("Date", "Message-ID", "Auto-Submitted", "List-Unsubscribe", "List-Unsubscribe-Post", "Content-Language"):
        assert received[name] and "\n" not in str(received[name]) and "\r" not in str(received[name]), name


async def test_a_stored_file_whose_name_would_add_a_header_fails_its_message_only(mail_settings, smtp):
    """A file row changed by any other way than `store_file` is checked again when sent."""
    minutes = await store_file("総会資料.pdf", "application/pdf", b"%PDF-1.4")
    await StoredFile.filter(id=minutes.id).update(filename=f"minutes{INJECTION}.pdf")
    unsafe = await enqueue("hanako@kanko.example.jp", LETTER, "ja", attachments=[minutes])
    safe = await enqueue("taro@city.example.jp", LETTER, "ja")

    await send_all_due(mail_settings)

    failed = await OutboundEmail.get(id=unsafe.id)
    assert failed.status is OutboundEmailStatus.FAILED and failed.last_error.startswith("not sent: a header")
    assert (await OutboundEmail.get(id=safe.id)).status is OutboundEmailStatus.SENT
    assert smtp.recorder.envelope_recipients == ["taro@city.example.jp"] and nothing_reached(smtp)
