"""The bulletin as written and as sent: Markdown rendered safe, files checked by their content and
downloaded only by its audience, scheduling, and one email per contact with a one-click
unsubscribe link, written in the publishing transaction."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from models import (
    Bulletin,
    BulletinDelivery,
    Contact,
    ContactRole,
    Municipality,
    OutboundEmail,
    StoredFile,
)
from resolvers.bulletin import publish_due
from resolvers.mail.sender import send_all_due
from tests.api.test_audit_readable import LOG
from tests.api.test_email import mail_settings, parts_of, smtp, subject_of  # noqa: F401 (fixtures)

# Steps aside: bulletins are read back with `node`, which returns the Node interface.
pytestmark = pytest.mark.plan_fallback("abstract_type")

TAKAISHI = "272256"  # a full, active member of expo2025
RYUGASAKI = "082082"  # a supporting, active member
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HOSTILE = """# 会報 12月号

<script>alert("x")</script>

<img src=x onerror=alert(1)>

[詳しくはこちら](javascript:alert(1)) と [連合のサイト](https://expo2025-mayors.example.jp/news)
"""

CREATE = """mutation($input: CreateBulletinInput!) { createBulletin(input: $input) {
  bulletin { id bodyHtml } userErrors { field code message } } }"""
ATTACH = """mutation($input: AttachBulletinFileInput!) { attachBulletinFile(input: $input) {
  attachment { id filename contentType size downloadUrl } userErrors { field code message } } }"""
SCHEDULE = """mutation($id: ID!, $at: DateTime!) { scheduleBulletin(input: {bulletinId: $id, publishAt: $at}) {
  bulletin { status publishAt } userErrors { field code message } } }"""
UNSCHEDULE = """mutation($id: ID!) { unscheduleBulletin(input: {bulletinId: $id}) {
  bulletin { status publishAt } userErrors { field code } } }"""
UPDATE = """mutation($id: ID!) { updateBulletin(input: {bulletinId: $id, title: "改題"}) { userErrors { field code } } }"""
PUBLISH = """mutation($id: ID!) { publishBulletin(input: {bulletinId: $id}) {
  bulletin { status } notifiedCount emailedCount userErrors { field code message } } }"""
READ = """query($id: ID!) { node(id: $id) { ... on Bulletin { status bodyHtml
  attachments { filename downloadUrl } delivery { queued sent failed total } } } }"""
PREVIEW = "query($body: String!) { bulletinPreview(body: $body) }"


def bulletin_input(**fields) -> dict:
    return {
        "allianceSlug": "expo2025", "year": 2026, "month": 12, "title": "万博首長連合 会報 12月号",
        "body": "今月の報告です。", "audience": "ALL_MEMBERS", **fields,
    }


async def draft(admin, **fields) -> str:
    return (await admin.accepted(CREATE, {"input": bulletin_input(**fields)}))["bulletin"]["id"]


async def attach(admin, bulletin_id: str, filename: str, content: bytes) -> dict:
    return await admin.mutate(ATTACH, {"input": {"bulletinId": bulletin_id, "filename": filename, "content": base64.b64encode(content).decode()}})


async def add_contact(code: str, name: str, email: str | None, *, ended_on: dt.date | None = None) -> Contact:
    municipality = await Municipality.get(code=code)
    return await Contact.create(
        municipality=municipality, role=ContactRole.MAIN, name=name, email=email,
        fiscal_year=2026, started_on=dt.date(2026, 4, 1), ended_on=ended_on,
    )


def harmless(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered and "onerror" not in lowered.replace("onerror=alert(1)&gt;", "")
    assert "javascript:" not in lowered.replace("[詳しくはこちら](javascript:alert(1))", "")
    assert "<img" not in lowered


# Markdown


async def test_markdown_with_a_script_an_event_handler_and_a_javascript_link_renders_harmless(sign_in):
    admin = await sign_in("ADMIN")

    created = await admin.accepted(CREATE, {"input": bulletin_input(body=HOSTILE)})
    preview = (await admin.data(PREVIEW, {"body": HOSTILE}))["bulletinPreview"]

    html = created["bulletin"]["bodyHtml"]
    assert html == preview
    assert "<h1>会報 12月号</h1>" in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html, "raw HTML is shown as text"
    assert '<a href="https://expo2025-mayors.example.jp/news" rel="noopener nofollow">連合のサイト</a>' in html
    assert 'href="javascript' not in html
    harmless(html)


# Files


async def test_a_pdf_and_a_png_are_attached_with_the_type_their_content_says(sign_in):
    admin = await sign_in("ADMIN")
    bulletin_id = await draft(admin)

    pdf = await attach(admin, bulletin_id, "../../総会資料", PDF)
    png = await attach(admin, bulletin_id, "photo.png", PNG)

    assert pdf["userErrors"] == [] and png["userErrors"] == []
    assert (pdf["attachment"]["filename"], pdf["attachment"]["contentType"]) == ("総会資料.pdf", "application/pdf")
    assert (png["attachment"]["contentType"], png["attachment"]["size"]) == ("image/png", len(PNG))
    files = (await admin.data(READ, {"id": bulletin_id}))["node"]["attachments"]
    assert [f["filename"] for f in files] == ["総会資料.pdf", "photo.png"]


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("minutes.pdf", b"<html><script>alert(1)</script></html>"),  # a PDF by name only
        ("photo.jpg", b"GIF89a\x01\x00\x01\x00"),  # a GIF
        ("tool.pdf", b"MZ\x90\x00\x03"),  # a Windows program
    ],
)
async def test_a_file_whose_content_is_not_pdf_png_or_jpeg_is_refused(sign_in, filename, content):
    admin = await sign_in("ADMIN")
    bulletin_id = await draft(admin)

    payload = await attach(admin, bulletin_id, filename, content)

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID", ["input", "content"])]
    assert "PDF" in payload["userErrors"][0]["message"]
    assert await StoredFile.all().count() == 0


async def test_a_file_over_the_limit_is_refused(sign_in, monkeypatch):
    # /graphql takes bodies up to 1 MB, so the 10 MB limit is lowered here; the admin portal's
    # test sends a real 10 MB + 1 byte file.
    monkeypatch.setattr("resolvers.bulletin_files.MAX_FILE_BYTES", 1024)
    admin = await sign_in("ADMIN")
    bulletin_id = await draft(admin)

    payload = await attach(admin, bulletin_id, "big.pdf", PDF + b"0" * 1024)

    assert [e["code"] for e in payload["userErrors"]] == ["INVALID"]
    assert "MB" in payload["userErrors"][0]["message"]


async def test_files_are_attached_to_drafts_only(sign_in):
    admin = await sign_in("ADMIN")
    bulletin_id = await draft(admin)
    await admin.accepted(PUBLISH, {"id": bulletin_id})

    payload = await attach(admin, bulletin_id, "late.pdf", PDF)

    assert [e["code"] for e in payload["userErrors"]] == ["INVALID_TRANSITION"]


@pytest.mark.parametrize(
    ("audience", "who", "status"),
    [
        ("ALL_MEMBERS", RYUGASAKI, 200),  # a supporting member reads an all-members bulletin
        ("ALL_MEMBERS", TAKAISHI, 200),
        ("FULL_MEMBERS", RYUGASAKI, 404),
        ("FULL_MEMBERS", TAKAISHI, 200),
        ("ALL_MEMBERS", "anonymous", 404),
        ("ALL_MEMBERS", "partner", 404),
        ("PUBLIC", "anonymous", 200),
    ],
)
async def test_a_file_is_downloaded_only_by_those_its_bulletins_audience_admits(sign_in, client, audience, who, status):
    admin = await sign_in("ADMIN")
    bulletin_id = await draft(admin, audience=audience)
    url = (await attach(admin, bulletin_id, "総会資料.pdf", PDF))["attachment"]["downloadUrl"]
    await admin.accepted(PUBLISH, {"id": bulletin_id})
    headers = {}
    if who == "partner":
        headers = (await sign_in("PARTNER", partner="sompo-holdings")).headers
    elif who != "anonymous":
        headers = (await sign_in("MUNICIPALITY", municipality=who)).headers

    response = await client.get(url, headers=headers)

    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    if status == 200:
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert "filename*=UTF-8''%E7%B7%8F%E4%BC%9A%E8%B3%87%E6%96%99.pdf" in response.headers["content-disposition"]


async def test_a_drafts_file_is_downloaded_by_the_secretariat_alone(sign_in, client):
    admin = await sign_in("ADMIN")
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    bulletin_id = await draft(admin, audience="PUBLIC")
    url = (await attach(admin, bulletin_id, "a.png", PNG))["attachment"]["downloadUrl"]

    assert (await client.get(url, headers=admin.headers)).status_code == 200
    assert (await client.get(url, headers=member.headers)).status_code == 404
    assert (await client.get("/bulletin-files/999999")).status_code == 404


# Scheduling


async def test_a_scheduled_bulletin_is_published_by_the_schedule_once_due(sign_in):
    admin = await sign_in("ADMIN")
    member = await sign_in("MUNICIPALITY", municipality=RYUGASAKI)
    bulletin_id = await draft(admin)
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()

    scheduled = await admin.accepted(SCHEDULE, {"id": bulletin_id, "at": soon})
    refused_edit = await admin.mutate(UPDATE, {"id": bulletin_id})
    before = (await member.data(READ, {"id": bulletin_id}))["node"]
    assert await publish_due("http://localhost:8000") == [], "not yet due"
    await Bulletin.filter(status="SCHEDULED").update(publish_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    published = await publish_due("http://localhost:8000")

    assert scheduled["bulletin"]["status"] == "SCHEDULED"
    assert [(e["code"], e["field"]) for e in refused_edit["userErrors"]] == [("INVALID_TRANSITION", ["input", "bulletinId"])]
    assert before is None, "members do not see a scheduled bulletin"
    assert len(published) == 1
    assert (await member.data(READ, {"id": bulletin_id}))["node"]["status"] == "PUBLISHED"
    assert await publish_due("http://localhost:8000") == [], "published once"


@pytest.mark.parametrize("offset", [dt.timedelta(minutes=-5), dt.timedelta(seconds=10), dt.timedelta(days=400)])
async def test_a_schedule_time_in_the_past_too_soon_or_too_far_is_refused(sign_in, offset):
    admin = await sign_in("ADMIN")
    bulletin_id = await draft(admin)

    payload = await admin.mutate(SCHEDULE, {"id": bulletin_id, "at": (dt.datetime.now(dt.UTC) + offset).isoformat()})

    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID", ["input", "publishAt"])]


async def test_a_scheduled_bulletin_goes_back_to_draft_and_only_a_draft_is_scheduled(sign_in):
    admin = await sign_in("ADMIN")
    bulletin_id = await draft(admin)
    at = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    await admin.accepted(SCHEDULE, {"id": bulletin_id, "at": at})

    again = await admin.mutate(SCHEDULE, {"id": bulletin_id, "at": at})
    back = await admin.accepted(UNSCHEDULE, {"id": bulletin_id})
    not_scheduled = await admin.mutate(UNSCHEDULE, {"id": bulletin_id})

    assert [e["code"] for e in again["userErrors"]] == ["INVALID_TRANSITION"]
    assert back["bulletin"] == {"status": "DRAFT", "publishAt": None}
    assert [e["code"] for e in not_scheduled["userErrors"]] == ["INVALID_TRANSITION"]


# Email


async def test_each_current_contact_in_the_audience_is_emailed_the_bulletin_with_its_files(sign_in, mail_settings, smtp):
    admin = await sign_in("ADMIN")
    await add_contact(TAKAISHI, "高石 太郎", "taro@city.takaishi.example.jp")
    await add_contact(RYUGASAKI, "龍ケ崎 花子", "hanako@city.ryugasaki.example.jp")
    await add_contact(RYUGASAKI, "前任 次郎", "jiro@city.ryugasaki.example.jp", ended_on=dt.date(2026, 3, 31))
    await add_contact(RYUGASAKI, "住所なし", None)
    english = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await english.accepted(
        'mutation { updateMyPreferences(input: {email: "taro@city.takaishi.example.jp", language: EN}) { userErrors { code } } }'
    )
    bulletin_id = await draft(admin, body=HOSTILE)
    await attach(admin, bulletin_id, "総会資料.pdf", PDF)

    published = await admin.accepted(PUBLISH, {"id": bulletin_id})
    queued = (await admin.data(READ, {"id": bulletin_id}))["node"]["delivery"]
    await send_all_due(mail_settings)
    sent = (await admin.data(READ, {"id": bulletin_id}))["node"]["delivery"]

    assert published["emailedCount"] == 2
    assert queued == {"queued": 2, "sent": 0, "failed": 0, "total": 2}
    assert sent == {"queued": 0, "sent": 2, "failed": 0, "total": 2}
    received = {message["To"]: message for message in smtp.recorder.received}
    assert sorted(received) == ["hanako@city.ryugasaki.example.jp", "taro@city.takaishi.example.jp"]
    japanese, english_mail = received["hanako@city.ryugasaki.example.jp"], received["taro@city.takaishi.example.jp"]
    assert subject_of(japanese) == "【会報】2026年12月号 万博首長連合 会報 12月号"
    assert subject_of(english_mail) == "[Bulletin] 2026-12: 万博首長連合 会報 12月号"
    assert parts_of(japanese)["text/plain"].startswith("龍ケ崎 花子 様")
    harmless(parts_of(japanese)["text/html"])
    files = [(p.get_filename(), p.get_content_type(), p.get_content()) for p in japanese.iter_attachments()]
    assert files == [("総会資料.pdf", "application/pdf", PDF)]
    assert japanese["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert japanese["List-Unsubscribe"] != english_mail["List-Unsubscribe"], "one link per reader"


async def test_the_one_click_unsubscribe_link_works_without_a_sign_in_and_stops_later_bulletins(
    sign_in, client, mail_settings, smtp
):
    admin = await sign_in("ADMIN")
    await add_contact(RYUGASAKI, "龍ケ崎 花子", "hanako@city.ryugasaki.example.jp")
    await add_contact(TAKAISHI, "高石 太郎", "taro@city.takaishi.example.jp")
    first = await draft(admin, month=11)
    await admin.accepted(PUBLISH, {"id": first})
    await send_all_due(mail_settings)
    hanako = next(m for m in smtp.recorder.received if m["To"] == "hanako@city.ryugasaki.example.jp")
    link = hanako["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://localhost:8000")

    confirmation = await client.get(path)
    one_click = await client.post(path, content="List-Unsubscribe=One-Click", headers={"Content-Type": "application/x-www-form-urlencoded"})
    forged = await client.post(path[:-4] + "AAAA", content="List-Unsubscribe=One-Click")
    second = await draft(admin, month=12)
    emailed = (await admin.accepted(PUBLISH, {"id": second}))["emailedCount"]

    assert path.startswith("/unsubscribe/bulletins/") and "hanako" not in path
    assert confirmation.status_code == 200 and "hanako@city.ryugasaki.example.jp" in confirmation.text
    assert one_click.status_code == 200 and "停止しました" in one_click.text
    assert forged.status_code == 404
    assert emailed == 1
    recipients = await OutboundEmail.filter(bulletin_deliveries__bulletin_id=int(base64.b64decode(second).decode().split(":")[1])).values_list("to_address", flat=True)
    assert recipients == ["taro@city.takaishi.example.jp"]
    action = {"filter": {"action": "unsubscribeBulletins"}}
    (ja,) = (await admin.data(LOG, action))["auditLog"]["nodes"]
    (en,) = (await admin.reading("en").data(LOG, action))["auditLog"]["nodes"]
    assert (ja["actionName"], en["actionName"]) == ("会報メールの配信停止（メールのリンクから）", "Stop bulletin emails (from the link in an email)")
    assert ja["targetKind"] == "Bulletin" and ja["fieldChanges"][0]["after"] == "hanako@city.ryugasaki.example.jp"


async def test_a_publish_that_rolls_back_queues_no_email(sign_in, monkeypatch):
    admin = await sign_in("ADMIN")
    await add_contact(RYUGASAKI, "龍ケ崎 花子", "hanako@city.ryugasaki.example.jp")
    bulletin_id = await draft(admin)

    def broken(row):
        raise RuntimeError("the publication fails after its emails were queued")

    monkeypatch.setattr("resolvers.bulletin.target_of", broken)
    errors = await admin.errors(PUBLISH, {"id": bulletin_id})

    assert errors[0]["extensions"]["code"] == "INTERNAL_ERROR"
    assert await OutboundEmail.all().count() == 0
    assert await BulletinDelivery.all().count() == 0
    assert (await Bulletin.get(id=int(base64.b64decode(bulletin_id).decode().split(":")[1]))).status == "DRAFT"
