"""Every page in one language: Japanese pages carry no English sentence, English pages no Japanese
text (names included), dates read as each reader writes them, and a refusal is one message."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from models import Municipality, WorkingGroup
from tests.helpers import global_id

JAPANESE_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\([月火水木金土日]\)")
ENGLISH_DATE = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
JAPANESE_TEXT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]+")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}")
TEST_USER_NAME = re.compile(r"\b\w+ portal user\b")
"""The names the test users are given (`conftest.new_token`): people's names are not translated."""
APPLY = """
mutation($input: ApplyForMembershipInput!) { applyForMembership(input: $input) { userErrors { code } } }"""
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

ADMIN_PAGES = ["/admin", "/admin/members", "/admin/applications", "/admin/working-groups", "/admin/partners",
               "/admin/partners/sompo-holdings", "/admin/events?all=1", "/admin/officers", "/admin/accounts",
               "/admin/audit", "/admin/print/members?prefectureCode=27"]
MEMBER_PAGES = ["/portal", "/portal/working-groups", "/portal/offerings", "/portal/challenges", "/portal/events",
                "/portal/peers", "/portal/bulletins", "/portal/notifications"]
PARTNER_PAGES = ["/partner", "/partner/requests", "/partner/challenges", "/partner/proposals"]


class VisibleText(HTMLParser):
    """The text a reader sees, leaving out scripts and what is marked as another language
    (the language switch's `English` / `日本語`)."""

    def __init__(self, page_language: str) -> None:
        super().__init__()
        self.page_language = page_language
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            return
        language = dict(attrs).get("lang")
        other = tag in ("script", "style") or (language is not None and language != self.page_language)
        self.stack.append(other or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_ELEMENTS and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str, language: str) -> str:
    return " ".join(" ".join(text_nodes(html, language)).split())


def text_nodes(html: str, language: str) -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    return [part for part in (" ".join(part.split()) for part in parser.parts) if part]


def english_sentences(html: str) -> list[str]:
    """Runs of three or more English words in a piece of text with no Japanese in it (a Japanese
    sentence may quote an English term: 「Health in All Policy」の考え方…)."""
    found = []
    for node in text_nodes(html, "ja"):
        node = TEST_USER_NAME.sub("", node)
        if not JAPANESE_TEXT.search(node):
            found += ENGLISH_SENTENCE.findall(node)
    return found


async def pages_of(client, paths: list[str], language: str) -> dict[str, str]:
    """Each page's HTML."""
    pages = {}
    for path in paths:
        response = await client.get(f"{path}{'&' if '?' in path else '?'}lang={language}")
        assert response.status_code == 200, (path, response.status_code)
        pages[path] = response.text
    return pages


@pytest.fixture
async def readers(signed_in):
    return {
        "admin": (await signed_in("ADMIN"), ADMIN_PAGES),
        "member": (await signed_in("MUNICIPALITY", municipality_code="272256"), MEMBER_PAGES),
        "partner": (await signed_in("PARTNER", partner_slug="sompo-holdings"), PARTNER_PAGES),
    }


# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_japanese_pages_carry_no_english_sentence(readers):
    found = {}
    for client, paths in readers.values():
        for path, html in (await pages_of(client, paths, "ja")).items():
            if english := english_sentences(html):
                found[path] = english

    assert found == {}, found


# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_english_pages_carry_no_japanese_text(readers):
    found = {}
    for client, paths in readers.values():
        for path, html in (await pages_of(client, paths, "en")).items():
            if japanese := JAPANESE_TEXT.findall(visible_text(html, "en")):
                found[path] = japanese

    assert found == {}, found


async def test_the_roster_dates_and_names_read_in_the_pages_language(signed_in):
    admin = await signed_in("ADMIN")
    takaishi = await Municipality.get(code="272256").prefetch_related("prefecture")

    japanese = visible_text((await admin.get("/admin/members?prefectureCode=27&lang=ja")).text, "ja")
    english = visible_text((await admin.get("/admin/members?prefectureCode=27&lang=en")).text, "en")

    assert JAPANESE_DATE.search(japanese) and not ISO_DATE.search(japanese)
    assert ENGLISH_DATE.search(english) and not ISO_DATE.search(english)
    assert takaishi.name in japanese and takaishi.prefecture.name in japanese
    assert takaishi.name_en in english and takaishi.prefecture.name_en in english
    assert takaishi.name not in english


# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_event_times_are_japan_time_in_both_languages(signed_in):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/events")
    created = await admin.post("/admin/events", {
        "title": "防災DX勉強会", "description": "事例の共有", "kind": "SEMINAR", "format": "ONSITE",
        "audience": "ALL_MEMBERS", "startsAt": "2030-05-20T14:00", "endsAt": "2030-05-20T16:00",
        "venue": "大阪府庁",
    })
    assert created.status_code == 303
    staff = await signed_in("MUNICIPALITY", municipality_code="272256")

    japanese = visible_text((await staff.get("/portal/events?lang=ja")).text, "ja")
    english = visible_text((await staff.get("/portal/events?lang=en")).text, "en")

    assert "2030年5月20日(月) 14:00〜16:00 · セミナー · 現地開催 · 大阪府庁" in japanese
    assert "20 May 2030, 14:00–16:00 JST · Seminar · In person" in english


async def test_the_dashboard_names_the_alliance_and_the_prefectures_in_english(signed_in):
    admin = await signed_in("ADMIN")

    page = (await admin.get("/admin?lang=en")).text
    labels = re.findall(r'<abbr title="([^"]+)" aria-hidden="true">([A-Z]{3})</abbr>', page)

    assert "<h1>Mayoral Alliance for EXPO2025" in page and "万博首長連合" not in page
    assert len(labels) == 47 and len({label for _, label in labels}) == 47
    assert {name for name, _ in labels} >= {"Fukui", "Fukuoka", "Fukushima"}


async def test_a_refusal_is_one_message_in_the_pages_language(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code="082082")
    group = global_id("WorkingGroup", (await WorkingGroup.filter(alliance__slug="expo2025").first()).pk)
    await staff.get("/portal/working-groups")

    japanese = await staff.post("/portal/working-groups/join", {"workingGroupId": group})
    await staff.get("/portal/working-groups?lang=en")
    english = await staff.post("/portal/working-groups/join", {"workingGroupId": group})

    japanese_text, english_text = visible_text(japanese.text, "ja"), visible_text(english.text, "en")
    assert japanese_text.count("ワーキンググループへの参加は正会員の特典です") == 3  # the summary, the page and the group
    assert english_sentences(japanese.text) == [] and 'lang="en"' not in japanese.text.split("<main", 1)[1]
    assert "benefit of full members" in english_text and "正会員の特典" not in english_text


# Steps aside: an error in Alliance.members, as the test means (graphql-core reports it with its
# path).
@pytest.mark.plan_fallback("field_error")
async def test_an_error_page_speaks_the_readers_language_not_the_apis(signed_in):
    admin = await signed_in("ADMIN")

    japanese = await admin.get("/admin/members?after=not-a-cursor&lang=ja")
    english = await admin.get("/admin/members?after=not-a-cursor&lang=en")

    assert japanese.status_code == english.status_code == 400
    assert "ページのアドレスが正しくありません" in japanese.text
    assert "The page address is not right" in english.text
    for response in (japanese, english):
        assert "INVALID_ARGUMENT" not in response.text and "`" not in response.text


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_members_history_reads_as_sentences(signed_in, sign_in):
    sapporo = await sign_in("MUNICIPALITY", municipality="011002")
    await sapporo.accepted(APPLY, {"input": {"allianceSlug": "expo2025", "tier": "SUPPORTING"}})
    admin = await signed_in("ADMIN")
    applications = (await admin.get("/admin/applications")).text
    first = re.search(r'href="(/admin/members/[^"]+)"', applications)
    assert first is not None

    page = visible_text((await admin.get(first.group(1))).text, "ja")

    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日\(.\) 入会申請 会員区分：賛助会員、状態：申請中", page)
    assert "— →" not in page and " : " not in page


async def test_the_words_are_the_ones_a_japanese_reader_expects(signed_in, browser):
    admin = await signed_in("ADMIN")
    member = await signed_in("MUNICIPALITY", municipality_code="272256")

    sign_in_page = (await browser.get("/login")).text
    officers = visible_text((await admin.get("/admin/officers")).text, "ja")
    accounts = visible_text((await admin.get("/admin/accounts")).text, "ja")
    offerings = (await member.get("/portal/offerings")).text

    assert "`" not in sign_in_page and "tsu_" in sign_in_page
    assert "肩書" in officers and "タイトル" not in officers
    assert "パートナーのURL名" in accounts and "識別子" not in accounts
    tags = re.findall(r'<span class="tag">([^<]*)</span>', offerings)
    assert tags and all(" " in tag.strip() for tag in tags)


# Steps aside: an event's `organiser` is the EventOrganiser union (graphql-core resolves the
# runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_place_on_the_waiting_list_is_said_once(signed_in):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/events")
    created = await admin.post("/admin/events", {
        "title": "首長サミット", "description": "意見交換", "kind": "CONFERENCE", "format": "HYBRID",
        "audience": "ALL_MEMBERS", "startsAt": "2030-06-03T13:00", "endsAt": "2030-06-03T17:00", "capacity": "1", "venue": "大阪府庁",
    })
    assert created.status_code == 303, visible_text(created.text, "ja")
    first = await signed_in("MUNICIPALITY", municipality_code="272256")
    second = await signed_in("MUNICIPALITY", municipality_code="162108")
    for staff in (first, second):
        page = await staff.get("/portal/events")
        event_id = re.search(r'name="eventId" value="([^"]+)"', page.text).group(1)
        registered = await staff.post("/portal/events/register", {"eventId": event_id})
        assert registered.status_code == 303, visible_text(registered.text, "ja")[-600:]

    page = visible_text((await second.get("/portal/events")).text, "ja")

    assert "キャンセル待ち1番目" in page and "(キャンセル待ち" not in page and "キャンセル待ち (" not in page
    assert "ハイブリッド開催（現地・オンライン）" in page and "残り0（定員1）" in page
