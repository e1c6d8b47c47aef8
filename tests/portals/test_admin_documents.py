"""The secretariat's documents: the roster as a PDF for the general assembly (with the roster's
filters, its text layer naming the municipalities) and an event's registrants laid out to print."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

CREATE_EVENT = """mutation($starts: DateTime!, $ends: DateTime!) { createEvent(input: {allianceSlug: "expo2025",
  title: "防災DX勉強会", description: "d", kind: SEMINAR, format: HYBRID, venue: "大阪府庁 本館",
  audience: ALL_MEMBERS, startsAt: $starts, endsAt: $ends, capacity: 1, themeNumbers: [8]}) {
  event { id } userErrors { code } } }"""
REGISTER = """mutation($event: ID!) { registerForEvent(input: {eventId: $event}) { userErrors { code } } }"""


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_the_roster_pdf_lists_the_filtered_members_by_name(signed_in):
    admin = await signed_in("ADMIN")

    osaka = await admin.get("/admin/members.pdf?prefectureCode=27&status=ACTIVE")
    english = await admin.get("/admin/members.pdf?prefectureCode=27&status=ACTIVE&lang=en")

    assert osaka.status_code == 200 and osaka.headers["content-type"] == "application/pdf"
    assert osaka.headers["content-disposition"] == 'attachment; filename="roster-expo2025.pdf"'
    text = pdf_text(osaka)
    assert "会員名簿" in text and "高石市" in text and "南砺市" not in text
    assert re.search(r"令和\d+年\d{1,2}月\d{1,2}日現在", text)
    assert "Takaishi City" in pdf_text(english)


async def test_the_roster_page_links_to_the_pdf_with_its_filters(signed_in):
    admin = await signed_in("ADMIN")

    page = await admin.get("/admin/members?tier=FULL&prefectureCode=27")

    assert 'href="/admin/members.pdf?tier=FULL&amp;prefectureCode=27" download' in page.text


# Steps aside: `node` returns the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_an_events_registrants_are_listed_to_print(signed_in, sign_in):
    admin_api = await sign_in("ADMIN")
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=10)).replace(microsecond=0)
    event = (await admin_api.accepted(
        CREATE_EVENT, {"starts": start.isoformat(), "ends": (start + dt.timedelta(hours=2)).isoformat()}
    ))["event"]
    for code in ("272256", "162108"):
        await (await sign_in("MUNICIPALITY", municipality=code)).accepted(REGISTER, {"event": event["id"]})
    admin = await signed_in("ADMIN")

    page = await admin.get(f"/admin/events/{event['id']}/registrants")
    english = await admin.get(f"/admin/events/{event['id']}/registrants?lang=en")

    rows = re.findall(r'<td data-label="自治体名">([^<]+)</td>\s*<td data-label="状態">([^<]+)</td>', page.text)
    assert rows == [("高石市", "申込済み"), ("南砺市", "キャンセル待ち (1番目)")]
    assert '<table class="printed">' in page.text and 'class="no-print"' in page.text
    assert "参加確定 1団体（定員 1）· キャンセル待ち 1団体" in page.text
    assert "Takaishi City" in english.text and "1 confirmed (capacity 1) · 1 waiting" in english.text
