"""Email: addresses, the outbox written with the change, and delivery to a real SMTP server.

The SMTP server is aiosmtpd on 127.0.0.1 (a free port), run by the `smtp` fixture; what it received
is read back as parsed messages. Senders are run with `send_all_due`, as `tsunagu send-mail --once`
runs them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import email
import itertools
import time
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import Message
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from i18n import Text
from models import OutboundEmail, OutboundEmailStatus, StoredFile
from resolvers.mail.letter import Letter
from resolvers.mail.outbox import claim, enqueue, now, store_file
from resolvers.mail.sender import send_all_due, send_due
from tests.test_scale_out import free_port

TOKENS = "{ apiTokens(first: 100) { nodes { id user { name } } } }"
SET_EMAIL = """mutation($t: ID!, $e: String) { setUserEmail(input: {tokenId: $t, email: $e}) {
  email userErrors { field code } } }"""
CREATE_LINK = """mutation($t: ID!) { createLoginLink(input: {tokenId: $t}) {
  path emailedTo userErrors { code } } }"""
PREFERENCES = """mutation($input: UpdateMyPreferencesInput!) { updateMyPreferences(input: $input) {
  language email notificationEmail userErrors { field code } } }"""
OUTBOX = """query($status: OutboundEmailStatus) { outboundEmails(first: 50, filter: {status: $status}) {
  nodes { id toAddress subject status attempts lastError messageId } } }"""
RESEND = "mutation($id: ID!) { resendEmail(input: {id: $id}) { outboundEmail { status } userErrors { code } } }"
OFFERING = 'query { partner(slug: "kanko-yoho-platform") { offerings { id slug } } }'
REQUEST = "mutation($id: ID!) { requestOffering(input: {offeringId: $id}) { userErrors { code } } }"
ANSWER = """mutation($id: ID!) {
  respondToOfferingRequest(input: {requestId: $id, response: ACCEPT}) { userErrors { code } } }"""

KANKO = "kanko-yoho-platform"
TAKAISHI = "272256"
WAIT = 5.0


class Recorder:
    """An aiosmtpd handler that keeps every message it accepts, and answers with `replies` first."""

    def __init__(self) -> None:
        self.received: list[Message] = []
        self.attempted_ids: list[str] = []
        self.replies: list[str] = []
        self.envelope_recipients: list[str] = []
        self.raw: list[bytes] = []
        self.arrived: list[float] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.arrived.append(time.monotonic())
        self.raw.append(envelope.original_content)
        parsed = email.message_from_bytes(envelope.original_content, policy=default)
        self.attempted_ids.append(parsed["Message-ID"])
        self.envelope_recipients.extend(envelope.rcpt_tos)
        if self.replies:
            return self.replies.pop(0)
        self.received.append(parsed)
        return "250 OK"


@dataclasses.dataclass
class SmtpServer:
    recorder: Recorder
    port: int
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, ready_timeout=WAIT)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(Recorder(), free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mail_settings(settings, smtp):
    return dataclasses.replace(settings, smtp_url=smtp.url)


async def token_id_of(admin, name: str) -> str:
    nodes = (await admin.data(TOKENS))["apiTokens"]["nodes"]
    return next(node["id"] for node in nodes if node["user"]["name"] == name)


async def partner_with_address(sign_in, admin, address: str = "Hanako@Kanko.Example.JP"):
    partner = await sign_in("PARTNER", partner=KANKO)
    await admin.accepted(SET_EMAIL, {"t": await token_id_of(admin, "Partner test user"), "e": address})
    return partner


def subject_of(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def parts_of(message: Message) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}


async def make_due_now() -> None:
    await OutboundEmail.filter(status=OutboundEmailStatus.QUEUED).update(next_attempt_at=now() - dt.timedelta(seconds=1))


# Addresses


async def test_the_secretariat_sets_an_address_stored_with_the_domain_in_lower_case(sign_in):
    admin = await sign_in("ADMIN")
    await sign_in("PARTNER", partner=KANKO)
    token = await token_id_of(admin, "Partner test user")

    payload = await admin.accepted(SET_EMAIL, {"t": token, "e": "  Hanako.Sato@Kanko.Example.JP "})

    assert payload["email"] == "Hanako.Sato@kanko.example.jp"


@pytest.mark.parametrize(
    "address",
    ["hanako", "hanako@", "@example.jp", "hanako@example", "a b@example.jp", "hanako@example.jp\r\nBcc: x@evil.example",
     "hanako@example.jp,x@evil.example", "Hanako <hanako@example.jp>", "hanako@exa_mple.jp"],
)
async def test_an_invalid_address_or_a_header_injection_is_a_user_error(sign_in, address):
    admin = await sign_in("ADMIN")
    await sign_in("PARTNER", partner=KANKO)
    token = await token_id_of(admin, "Partner test user")

    payload = await admin.mutate(SET_EMAIL, {"t": token, "e": address})

    assert payload["userErrors"] == [{"field": ["input", "email"], "code": "INVALID"}]


async def test_staff_change_their_own_address_and_email_preference(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    saved = await staff.accepted(PREFERENCES, {"input": {"email": "taro@City.Takaishi.LG.JP"}})
    off = await staff.accepted(PREFERENCES, {"input": {"notificationEmail": "OFF"}})
    refused = await staff.mutate(PREFERENCES, {"input": {"email": "taro@x.jp\nBcc: y@evil.example"}})

    assert (saved["email"], saved["notificationEmail"]) == ("taro@city.takaishi.lg.jp", "IMMEDIATE")
    assert (off["email"], off["notificationEmail"], off["language"]) == ("taro@city.takaishi.lg.jp", "OFF", None)
    assert refused["userErrors"] == [{"field": ["input", "email"], "code": "INVALID"}]


# Steps aside: the refusal of `outboundEmails` to a member, as the test means.
@pytest.mark.plan_fallback("field_error")
async def test_only_the_secretariat_sets_addresses_and_reads_the_outbox(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    admin = await sign_in("ADMIN")
    token = await token_id_of(admin, "Municipality test user")

    assert await staff.refused(SET_EMAIL, {"t": token, "e": "a@example.jp"}) == ["FORBIDDEN"]
    assert (await staff.errors(OUTBOX))[0]["extensions"]["code"] == "FORBIDDEN"


# Login links


async def test_a_login_link_is_emailed_in_the_users_language(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    partner = await partner_with_address(sign_in, admin)
    await partner.accepted(PREFERENCES, {"input": {"language": "EN"}})

    link = await admin.accepted(CREATE_LINK, {"t": await token_id_of(admin, "Partner test user")})
    await send_all_due(mail_settings)

    assert link["emailedTo"] == "Hanako@kanko.example.jp" and link["path"].startswith("/login/link/")
    (received,) = smtp.recorder.received
    assert received["To"] == "Hanako@kanko.example.jp"
    assert received["From"] == "Tsunagu <no-reply@tsunagu.localhost>"
    assert received["Content-Language"] == "en" and received["Date"]
    assert subject_of(received) == "Your sign-in link for Tsunagu"
    parts = parts_of(received)
    assert "http://localhost:8000" + link["path"] in parts["text/plain"]
    assert f'href="http://localhost:8000{link["path"]}"' in parts["text/html"]


async def test_a_japanese_message_has_an_encoded_subject_and_both_parts(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    await partner_with_address(sign_in, admin)

    await admin.accepted(CREATE_LINK, {"t": await token_id_of(admin, "Partner test user")})
    await send_all_due(mail_settings)

    (received,) = smtp.recorder.received
    raw = received.as_string()
    assert "=?utf-8?" in raw.split("\n\n", 1)[0].lower(), "the subject is sent as RFC 2047 encoded-words"
    assert subject_of(received) == "Tsunagu へのログインリンク"
    parts = parts_of(received)
    assert "Partner test user 様" in parts["text/plain"] and "15 分間" in parts["text/plain"]
    assert "<p>Partner test user 様</p>" in parts["text/html"]
    assert received["Message-ID"].endswith("@tsunagu>")
    (row,) = await OutboundEmail.all()
    assert (row.status, row.attempts, row.message_id) == (OutboundEmailStatus.SENT, 1, received["Message-ID"])


async def test_attached_files_and_one_click_unsubscribe_reach_the_reader(sign_in, mail_settings, smtp):
    await sign_in("ADMIN")
    minutes = await store_file("総会資料.pdf", "application/pdf", b"%PDF-1.4 minutes")
    invitation = await store_file("event.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    letter = Letter(subject=Text("email.login_link.subject"), paragraphs=("本文",))
    unsubscribe = "http://localhost:8000/unsubscribe/abc"
    for address in ("a@example.jp", "b@example.jp"):
        await enqueue(address, letter, "ja", attachments=[minutes, invitation], unsubscribe_url=unsubscribe)
    await enqueue("c@example.jp", letter, "ja")

    await send_all_due(mail_settings)

    by_address = {message["To"]: message for message in smtp.recorder.received}
    for address in ("a@example.jp", "b@example.jp"):
        received = by_address[address]
        files = [(part.get_filename(), part.get_content_type(), part.get_content()) for part in received.iter_attachments()]
        assert files == [
            ("総会資料.pdf", "application/pdf", b"%PDF-1.4 minutes"),
            ("event.ics", "text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
        ]
        assert parts_of(received)["text/plain"].startswith("本文")
        assert received["List-Unsubscribe"] == f"<{unsubscribe}>"
        assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = by_address["c@example.jp"]
    assert list(plain.iter_attachments()) == [] and plain["List-Unsubscribe"] is None
    assert await StoredFile.all().count() == 2, "a file sent to many is stored once"


async def test_a_message_is_seven_bit_with_mime_version_in_its_header_only(mail_settings, smtp):
    minutes = await store_file("総会資料.pdf", "application/pdf", b"%PDF-1.4 minutes")
    letter = Letter(subject=Text("email.login_link.subject"), paragraphs=("本文は日本語です。",))
    await enqueue("a@example.jp", letter, "ja", attachments=[minutes])
    await enqueue("b@example.jp", letter, "ja")

    await send_all_due(mail_settings)

    assert all(max(raw) < 0x80 for raw in smtp.recorder.raw), "no 8-bit byte: no server needs to encode it again"
    for received in smtp.recorder.received:
        assert received["MIME-Version"] == "1.0"
        inner = [part for part in received.walk() if part is not received]
        assert {part.get_content_type() for part in inner} >= {"text/plain", "text/html"}
        assert [part for part in inner if part["MIME-Version"] is not None] == [], "no part has a MIME-Version of its own"
        assert parts_of(received)["text/html"].count("本文は日本語です。") == 1


async def test_a_user_without_an_address_gets_the_link_by_hand_only(sign_in):
    admin = await sign_in("ADMIN")
    await sign_in("PARTNER", partner=KANKO)

    link = await admin.accepted(CREATE_LINK, {"t": await token_id_of(admin, "Partner test user")})

    assert link["emailedTo"] is None and link["path"]
    assert await OutboundEmail.all().count() == 0


async def test_a_rolled_back_mutation_enqueues_nothing(sign_in, monkeypatch):
    admin = await sign_in("ADMIN")
    await partner_with_address(sign_in, admin)

    def broken(row):
        raise RuntimeError("the change fails after its email was queued")

    monkeypatch.setattr("resolvers.portal_session.target_of", broken)
    errors = await admin.errors(CREATE_LINK, {"t": await token_id_of(admin, "Partner test user")})

    assert errors[0]["extensions"]["code"] == "INTERNAL_ERROR"
    assert await OutboundEmail.all().count() == 0


# Notifications


async def test_each_staff_member_with_an_address_is_emailed_a_notification_in_their_language(
    sign_in, mail_settings, smtp
):
    admin = await sign_in("ADMIN")
    partner = await partner_with_address(sign_in, admin)
    english = await sign_in("PARTNER", partner=KANKO)
    await english.accepted(PREFERENCES, {"input": {"email": "ken@kanko.example.jp", "language": "EN"}})
    quiet = await sign_in("PARTNER", partner=KANKO)
    await quiet.accepted(PREFERENCES, {"input": {"email": "quiet@kanko.example.jp", "notificationEmail": "OFF"}})
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    offerings = (await member.data(OFFERING))["partner"]["offerings"]

    await member.accepted(REQUEST, {"id": next(o["id"] for o in offerings if o["slug"] == "kanko-yoho-demo-accounts")})
    await send_all_due(mail_settings)

    received = {message["To"]: message for message in smtp.recorder.received}
    assert sorted(received) == ["Hanako@kanko.example.jp", "ken@kanko.example.jp"]
    assert subject_of(received["Hanako@kanko.example.jp"]) == "【Tsunagu】利用依頼"
    assert subject_of(received["ken@kanko.example.jp"]) == "[Tsunagu] Offering requested"
    for address, language in (("Hanako@kanko.example.jp", "ja"), ("ken@kanko.example.jp", "en")):
        notes = await partner.reading(language).data("{ notifications(first: 1) { nodes { message portalPath } } }")
        (note,) = notes["notifications"]["nodes"]
        text = parts_of(received[address])["text/plain"]
        assert note["message"] in text
        page = f"{mail_settings.link_origin}{note['portalPath']}"
        assert note["portalPath"].startswith("/partner/offerings/") and page in text.split()
        assert f'<a href="{page}">' in parts_of(received[address])["text/html"], "the page is a link to click"


# The request is found through its notification's `subject`, a Node (an interface).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_member_emailed_the_answer_to_its_request_gets_the_link_to_its_offerings_page(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await admin.accepted(SET_EMAIL, {"t": await token_id_of(admin, "Municipality test user"), "e": "staff@city.takaishi.example.jp"})
    await partner_with_address(sign_in, admin)
    partner = await sign_in("PARTNER", partner=KANKO)
    offerings = (await member.data(OFFERING))["partner"]["offerings"]
    await member.accepted(REQUEST, {"id": next(o["id"] for o in offerings if o["slug"] == "kanko-yoho-demo-accounts")})
    request_id = (await partner.data("{ notifications(first: 1) { nodes { subject { id } } } }"))["notifications"]["nodes"][0]["subject"]["id"]
    await partner.accepted(ANSWER, {"id": request_id})
    await send_all_due(mail_settings)

    (answered,) = [m for m in smtp.recorder.received if m["To"] == "staff@city.takaishi.example.jp"]
    note = (await member.data("{ notifications(first: 1) { nodes { kind portalPath } } }"))["notifications"]["nodes"][0]
    assert note == {"kind": "OFFERING_REQUEST_ANSWERED", "portalPath": "/portal/offerings"}
    assert f"{mail_settings.link_origin}/portal/offerings" in parts_of(answered)["text/plain"].split()


# Faults


async def test_while_the_smtp_server_is_down_messages_wait_and_are_delivered_when_it_is_back(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    await partner_with_address(sign_in, admin)
    smtp.stop()

    await admin.accepted(CREATE_LINK, {"t": await token_id_of(admin, "Partner test user")})
    await send_all_due(mail_settings)
    (waiting,) = await OutboundEmail.all()
    smtp.start()
    await make_due_now()
    await send_all_due(mail_settings)

    assert waiting.status is OutboundEmailStatus.QUEUED and waiting.attempts == 1
    assert "cannot connect" in waiting.last_error and waiting.next_attempt_at > now()
    (received,) = smtp.recorder.received
    assert received["Message-ID"] == waiting.message_id
    assert (await OutboundEmail.get(id=waiting.id)).status is OutboundEmailStatus.SENT


async def test_a_temporary_refusal_is_retried_with_the_same_message_id(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    await partner_with_address(sign_in, admin)
    smtp.recorder.replies = ["451 4.3.0 Try again later"]

    await admin.accepted(CREATE_LINK, {"t": await token_id_of(admin, "Partner test user")})
    await send_all_due(mail_settings)
    (deferred,) = await OutboundEmail.all()
    await make_due_now()
    await send_all_due(mail_settings)

    assert deferred.status is OutboundEmailStatus.QUEUED and deferred.last_error.startswith("451")
    assert len(smtp.recorder.received) == 1
    first, second = smtp.recorder.attempted_ids
    assert first == second == deferred.message_id
    sent = await OutboundEmail.get(id=deferred.id)
    assert (sent.status, sent.attempts) == (OutboundEmailStatus.SENT, 2)


async def test_a_permanent_refusal_fails_with_the_answer_and_the_secretariat_resends_it(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    await partner_with_address(sign_in, admin)
    smtp.recorder.replies = ["550 5.1.1 No such mailbox"]

    await admin.accepted(CREATE_LINK, {"t": await token_id_of(admin, "Partner test user")})
    await send_all_due(mail_settings)
    (failed,) = (await admin.data(OUTBOX, {"status": "FAILED"}))["outboundEmails"]["nodes"]
    resent = await admin.accepted(RESEND, {"id": failed["id"]})
    again = await admin.mutate(RESEND, {"id": failed["id"]})
    await send_all_due(mail_settings)

    assert failed["lastError"].startswith("550") and "No such mailbox" in failed["lastError"]
    assert failed["toAddress"] == "Hanako@kanko.example.jp" and failed["attempts"] == 1
    assert resent["outboundEmail"]["status"] == "QUEUED"
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_TRANSITION"]
    (received,) = smtp.recorder.received
    assert received["Message-ID"] == failed["messageId"]
    assert (await admin.data(OUTBOX, {"status": "SENT"}))["outboundEmails"]["nodes"][0]["id"] == failed["id"]


async def test_senders_at_once_send_each_message_exactly_once(
    sign_in, mail_settings, smtp, uneven_statement_latency
):
    admin = await sign_in("ADMIN")
    await partner_with_address(sign_in, admin)
    token = await token_id_of(admin, "Partner test user")
    for _ in range(30):
        await admin.accepted(CREATE_LINK, {"t": token})

    senders = (send_all_due(mail_settings) for _ in range(3))
    await asyncio.wait_for(asyncio.gather(*senders), WAIT * 6)

    ids = [message["Message-ID"] for message in smtp.recorder.received]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert await OutboundEmail.filter(status=OutboundEmailStatus.SENT).count() == 30


async def test_a_sender_that_loses_the_race_for_the_first_due_messages_takes_the_next_ones(database_url):
    letter = Letter(subject=Text("email.login_link.subject"), paragraphs=("お知らせ",))
    for number in range(4):
        await enqueue(f"reader{number}@example.jp", letter, "ja")

    first, second = await asyncio.gather(claim(limit=2), claim(limit=2))

    taken = [{row.id for row in first}, {row.id for row in second}]
    assert all(taken), f"each sender claimed some of the four due messages, none stopped as if the outbox were empty: {taken}"
    assert not taken[0] & taken[1] and len(taken[0] | taken[1]) == 4


async def test_a_sender_spreads_its_messages_at_its_rate(mail_settings, smtp):
    letter = Letter(subject=Text("email.login_link.subject"), paragraphs=("お知らせ",))
    for number in range(6):
        await enqueue(f"reader{number}@example.jp", letter, "ja")

    await send_all_due(dataclasses.replace(mail_settings, mail_rate=20))

    arrived = smtp.recorder.arrived
    assert len(arrived) == 6
    assert arrived[-1] - arrived[0] >= 5 / 20 * 0.9, "six messages at 20 a second take a quarter of a second"
    assert min(later - earlier for earlier, later in itertools.pairwise(arrived)) > 0.02, "one at a time, not in bursts"


async def test_without_smtp_url_messages_are_written_to_the_maildir(sign_in, settings, tmp_path):
    admin = await sign_in("ADMIN")
    await partner_with_address(sign_in, admin)
    local = dataclasses.replace(settings, maildir=tmp_path / "mail")

    await admin.accepted(CREATE_LINK, {"t": await token_id_of(admin, "Partner test user")})
    assert await send_due(local) == 1

    (written,) = list((tmp_path / "mail" / "new").iterdir())
    assert subject_of(email.message_from_bytes(written.read_bytes(), policy=default)) == "Tsunagu へのログインリンク"
