"""Events after they are announced: updateEvent, cancelEvent with a reason, who sees the meeting
URL, and the calendar (an event's iCalendar and an account's feed, parsed back with the library)."""

import icalendar
import pytest

from tests.api.test_events import (
    CANCEL_REGISTRATION,
    KANKO,
    MURORAN,
    NANTO,
    REGISTER,
    RYUGASAKI,
    SOMPO,
    TAKAISHI,
    event_input,
    faults,
    new_event,
    soon,
    staff,
)

UPDATE = """
mutation($input: UpdateEventInput!) {
  updateEvent(input: $input) {
    event { title startsAt registrationClosesAt capacity placesLeft waitlistCount venue sequence meetingUrl
            themes { number } }
    userErrors { field code message }
  }
}"""
CANCEL = """
mutation($id: ID!, $reason: String) {
  cancelEvent(input: {eventId: $id, reason: $reason}) {
    event { status cancellationReason sequence } userErrors { field code message }
  }
}"""
NOTIFICATIONS = "{ notifications(first: 10) { nodes { kind message subject { ... on Event { id } } } } }"
MEETING = "query($id: ID!) { node(id: $id) { ... on Event { meetingUrl icalendar } } }"
ISSUE_FEED = "mutation { issueCalendarFeed { url userErrors { code } } }"
AUDIT = """query { auditLog(filter: {action: "updateEvent"}) { nodes { target changes outcome } } }"""
ZOOM = "https://meet.example.jp/j/123456"

# Steps aside: these tests read events through `node` and notifications' `subject`, which return
# the Node interface (graphql-core resolves the runtime types).
pytestmark = pytest.mark.plan_fallback("abstract_type")


@pytest.fixture
async def admin(sign_in):
    return await sign_in("ADMIN")


async def registered(sign_in, code: str, event_id: str):
    """Staff of `code`, registered for the event (a place or a place in the queue)."""
    client = await staff(sign_in, code)
    await client.accepted(REGISTER, {"id": event_id})
    return client


async def kinds_and_messages(client) -> list[tuple[str, str]]:
    return [(n["kind"], n["message"]) for n in (await client.data(NOTIFICATIONS))["notifications"]["nodes"]]


def parsed(text: str | bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def vevents(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


# --- updateEvent ------------------------------------------------------------------------------------


async def test_update_event_tells_the_registered_and_the_waiting_what_changed_in_their_language(sign_in, admin):
    event_id = await new_event(admin, capacity=1)
    confirmed = await registered(sign_in, TAKAISHI, event_id)
    waiting = await registered(sign_in, NANTO, event_id)
    bystander = await staff(sign_in, MURORAN)

    payload = await admin.accepted(
        UPDATE, {"input": {"eventId": event_id, "title": "防災DXセミナー（第2回）", "startsAt": soon(31), "endsAt": soon(31, 16)}}
    )

    event = payload["event"]
    assert (event["title"], event["sequence"]) == ("防災DXセミナー（第2回）", 1)
    assert event["registrationClosesAt"] == event["startsAt"], "a deadline that was the start moves with it"
    assert await kinds_and_messages(confirmed) == [
        ("EVENT_UPDATED", "万博首長連合が主催する、お申し込みのイベント「防災DXセミナー（第2回）」の内容が変更されました（変更箇所：名称、開始日時、終了日時、申込締切）。詳細をご確認ください。")
    ]
    assert await kinds_and_messages(waiting.reading("en")) == [
        ("EVENT_UPDATED", "The event “防災DXセミナー（第2回）” organised by Mayoral Alliance for EXPO2025 OSAKA, KANSAI, JAPAN, which you registered for, has changed (title, start, end, registration deadline). Please check the details.")
    ]
    assert await kinds_and_messages(bystander) == []
    (entry,) = (await admin.data(AUDIT))["auditLog"]["nodes"]
    assert entry["outcome"] == "ACCEPTED"
    assert entry["changes"]["title"] == ["防災DXセミナー", "防災DXセミナー（第2回）"]
    assert entry["changes"]["notified"] == [None, 2]


async def test_a_capacity_below_the_confirmed_places_is_refused_and_more_places_confirm_the_queue_in_order(sign_in, admin):
    event_id = await new_event(admin, capacity=2)
    for code in (TAKAISHI, NANTO, MURORAN, RYUGASAKI):
        await registered(sign_in, code, event_id)

    refused = await admin.mutate(UPDATE, {"input": {"eventId": event_id, "capacity": 1}})
    assert faults(refused) == [("INVALID", ["input", "capacity"])]
    assert "2団体" in refused["userErrors"][0]["message"]

    grown = await admin.accepted(UPDATE, {"input": {"eventId": event_id, "capacity": 3}})
    assert (grown["event"]["placesLeft"], grown["event"]["waitlistCount"]) == (0, 1)
    first_in_line = await staff(sign_in, MURORAN)
    assert [kind for kind, _ in await kinds_and_messages(first_in_line)] == ["WAITLIST_PROMOTED", "EVENT_UPDATED"]

    unlimited = await admin.accepted(UPDATE, {"input": {"eventId": event_id, "capacity": None}})
    assert (unlimited["event"]["capacity"], unlimited["event"]["waitlistCount"]) == (None, 0)


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"title": " "}, "INVALID", ["input", "title"]),
        ({"endsAt": soon(29)}, "INVALID", ["input", "endsAt"]),
        ({"capacity": 0}, "INVALID", ["input", "capacity"]),
        ({"meetingUrl": "javascript:alert(1)"}, "INVALID", ["input", "meetingUrl"]),
        ({"format": "ONSITE", "venue": "大阪府咲洲庁舎", "meetingUrl": ZOOM}, "INVALID", ["input", "meetingUrl"]),
        ({"format": "HYBRID"}, "INVALID", ["input", "venue"]),
        ({"title": "防災DXセミナー"}, "UNCHANGED", ["input"]),
        ({"themeNumbers": [11]}, "INVALID", ["input", "themeNumbers"]),
    ],
)
async def test_a_bad_change_is_a_user_error_naming_the_field_and_changes_nothing(admin, fields, code, field):
    event_id = await new_event(admin)

    payload = await admin.mutate(UPDATE, {"input": {"eventId": event_id, **fields}})

    assert [(e["code"], e["field"]) for e in payload["userErrors"]][:1] == [(code, field)]
    assert payload["userErrors"][0]["message"]
    assert (await admin.data(MEETING, {"id": event_id}))["node"]["meetingUrl"] is None


async def test_only_the_organiser_changes_an_event_and_not_once_it_is_cancelled(sign_in, admin):
    partner = await sign_in("PARTNER", partner=SOMPO)
    other = await sign_in("PARTNER", partner=KANKO)
    member = await staff(sign_in, TAKAISHI)
    event_id = (await partner.accepted(
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } userErrors { code } } }",
        {"input": event_input()},
    ))["event"]["id"]

    assert await other.refused(UPDATE, {"input": {"eventId": event_id, "title": "乗っ取り"}}) == ["FORBIDDEN"]
    assert await member.refused(UPDATE, {"input": {"eventId": event_id, "title": "乗っ取り"}}) == ["FORBIDDEN"]
    await partner.accepted(UPDATE, {"input": {"eventId": event_id, "title": "主催者による変更"}})
    await admin.accepted(CANCEL, {"id": event_id, "reason": "講師の体調不良のため"})
    assert await partner.refused(UPDATE, {"input": {"eventId": event_id, "title": "再開"}}) == ["INVALID_TRANSITION"]


# --- cancelEvent with a reason ------------------------------------------------------------------------


async def test_cancelling_with_a_reason_tells_every_registrant_the_reason(sign_in, admin):
    event_id = await new_event(admin, capacity=1)
    confirmed = await registered(sign_in, TAKAISHI, event_id)
    waiting = await registered(sign_in, NANTO, event_id)

    payload = await admin.accepted(CANCEL, {"id": event_id, "reason": "  台風の接近のため  "})

    assert payload["event"] == {"status": "CANCELLED", "cancellationReason": "台風の接近のため", "sequence": 1}
    assert await kinds_and_messages(confirmed) == [
        ("EVENT_CANCELLED", "万博首長連合が主催する、お申し込みのイベント「防災DXセミナー」は中止となりました。理由：台風の接近のため")
    ]
    assert await kinds_and_messages(waiting.reading("en")) == [
        ("EVENT_CANCELLED", "The event “防災DXセミナー” organised by Mayoral Alliance for EXPO2025 OSAKA, KANSAI, JAPAN, which you registered for, is cancelled. Reason: 台風の接近のため")
    ]


async def test_cancelling_without_a_reason_still_tells_registrants_and_a_long_reason_is_refused(sign_in, admin):
    event_id = await new_event(admin)
    confirmed = await registered(sign_in, TAKAISHI, event_id)

    assert faults(await admin.mutate(CANCEL, {"id": event_id, "reason": "あ" * 1001})) == [("INVALID", ["input", "reason"])]
    await admin.accepted(CANCEL, {"id": event_id})

    assert await kinds_and_messages(confirmed) == [("EVENT_CANCELLED", "万博首長連合が主催する、お申し込みのイベント「防災DXセミナー」は中止となりました。")]


# --- the meeting URL --------------------------------------------------------------------------------


async def test_the_meeting_url_is_seen_by_confirmed_participants_the_organiser_and_the_secretariat_only(gql, sign_in):
    organiser = await sign_in("PARTNER", partner=SOMPO)
    event_id = (await organiser.accepted(
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id meetingUrl } userErrors { code } } }",
        {"input": event_input(capacity=1, meetingUrl=ZOOM)},
    ))["event"]["id"]
    confirmed = await registered(sign_in, TAKAISHI, event_id)
    waiting = await registered(sign_in, NANTO, event_id)
    unregistered = await staff(sign_in, MURORAN)
    other_partner = await sign_in("PARTNER", partner=KANKO)
    admin = await sign_in("ADMIN")

    async def seen_by(client) -> tuple[str | None, bool]:
        node = (await client.data(MEETING, {"id": event_id}))["node"]
        return node["meetingUrl"], ZOOM in node["icalendar"].replace("\r\n ", "")

    assert await seen_by(confirmed) == (ZOOM, True)
    assert await seen_by(organiser) == (ZOOM, True)
    assert await seen_by(admin) == (ZOOM, True)
    for outsider in (waiting, unregistered, other_partner, gql):
        assert await seen_by(outsider) == (None, False)

    registration = (await confirmed.data(
        "query($id: ID!) { node(id: $id) { ... on Event { viewerRegistration { id } } } }", {"id": event_id}
    ))["node"]["viewerRegistration"]["id"]
    await confirmed.accepted(CANCEL_REGISTRATION, {"id": registration})
    assert await seen_by(confirmed) == (None, False), "a cancelled registration sees it no more"
    assert await seen_by(waiting) == (ZOOM, True), "the next in line, now confirmed, sees it"


# --- the calendar -------------------------------------------------------------------------------------


async def test_an_events_icalendar_has_a_stable_uid_a_sequence_and_japan_time(admin):
    event_id = await new_event(admin)
    before = vevents(parsed((await admin.data(MEETING, {"id": event_id}))["node"]["icalendar"]))["防災DXセミナー"]

    await admin.accepted(UPDATE, {"input": {"eventId": event_id, "title": "防災DXセミナー（改）"}})
    calendar = parsed((await admin.data(MEETING, {"id": event_id}))["node"]["icalendar"])
    after = vevents(calendar)["防災DXセミナー（改）"]

    assert after["UID"] == before["UID"]
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (0, 1)
    assert str(after["DTSTART"].dt.tzinfo) == "Asia/Tokyo" and after["DTSTART"].dt.hour == 14
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


async def fetch_feed(client, url: str) -> icalendar.Calendar:
    response = await client.get(url.removeprefix("http://localhost:8000"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return parsed(response.content)


async def test_a_calendar_feed_lists_what_the_tier_may_attend_and_follows_changes(client, sign_in, admin):
    workshop_id = await new_event(admin, title="正会員向けワークショップ", kind="WORKSHOP", format="ONSITE", venue="大阪市")
    seminar_id = await new_event(admin, title="オンラインセミナー", meetingUrl=ZOOM)
    await new_event(admin, title="終わったセミナー", startsAt=soon(-3), endsAt=soon(-3, 16))
    supporting = await registered(sign_in, RYUGASAKI, seminar_id)
    full = await staff(sign_in, TAKAISHI)
    supporting_url = (await supporting.accepted(ISSUE_FEED))["url"]
    full_url = (await full.accepted(ISSUE_FEED))["url"]
    assert supporting_url.startswith("http://localhost:8000/calendar/cal_") and supporting_url != full_url

    supporting_feed = vevents(await fetch_feed(client, supporting_url))
    full_feed = vevents(await fetch_feed(client, full_url))
    assert "オンラインセミナー" in supporting_feed and "正会員向けワークショップ" not in supporting_feed
    assert {"オンラインセミナー", "正会員向けワークショップ"} <= full_feed.keys()
    assert "終わったセミナー" not in full_feed, "upcoming events only"
    assert ZOOM in str(supporting_feed["オンラインセミナー"]["DESCRIPTION"]), "its own confirmed registration"
    assert ZOOM not in str(full_feed["オンラインセミナー"]["DESCRIPTION"]), "not registered"

    await admin.accepted(UPDATE, {"input": {"eventId": workshop_id, "venue": "堺市"}})
    await admin.accepted(CANCEL, {"id": seminar_id, "reason": "講師の都合"})
    full_feed = vevents(await fetch_feed(client, full_url))
    assert (int(full_feed["正会員向けワークショップ"]["SEQUENCE"]), str(full_feed["正会員向けワークショップ"]["LOCATION"])) == (1, "堺市")
    cancelled = full_feed["オンラインセミナー"]
    assert (str(cancelled["STATUS"]), int(cancelled["SEQUENCE"])) == ("CANCELLED", 1)
    assert "講師の都合" in str(cancelled["DESCRIPTION"])


async def test_a_feed_url_issued_again_replaces_the_old_one_and_a_wrong_token_is_not_found(client, sign_in, gql):
    member = await staff(sign_in, TAKAISHI)
    old = (await member.accepted(ISSUE_FEED))["url"]
    new = (await member.accepted(ISSUE_FEED))["url"]

    assert (await client.get(old.removeprefix("http://localhost:8000"))).status_code == 404
    assert (await client.get(new.removeprefix("http://localhost:8000"))).status_code == 200
    assert (await client.get("/calendar/cal_wrong.ics")).status_code == 404
    assert await gql.refused(ISSUE_FEED) == ["UNAUTHENTICATED"]


WORKING_GROUPS = '{ alliance(slug: "expo2025") { workingGroups { id theme { number } } } }'
PATHS = "{ notifications(first: 10) { nodes { kind message portalPath } } }"


@pytest.mark.parametrize(("organiser", "ja", "en"), [
    ({"partnerSlug": SOMPO}, "SOMPOホールディングス株式会社", "Sompo Holdings, Inc."),
    ({"workingGroupId": 8}, "VIII 防災 ワーキンググループ", "VIII Disaster prevention working group"),
])
async def test_registrants_are_told_who_organises_the_event_they_hear_of(sign_in, admin, organiser, ja, en):
    if "workingGroupId" in organiser:
        groups = (await admin.data(WORKING_GROUPS))["alliance"]["workingGroups"]
        organiser = {"workingGroupId": next(g["id"] for g in groups if g["theme"]["number"] == 8)}
    event_id = await new_event(admin, **organiser)
    confirmed = await registered(sign_in, TAKAISHI, event_id)
    await admin.accepted(CANCEL, {"id": event_id})

    (told,) = (await confirmed.data(PATHS))["notifications"]["nodes"]
    assert told == {
        "kind": "EVENT_CANCELLED",
        "message": f"{ja}が主催する、お申し込みのイベント「防災DXセミナー」は中止となりました。",
        "portalPath": f"/portal/events/{event_id}",
    }
    (told,) = (await confirmed.reading("en").data(PATHS))["notifications"]["nodes"]
    assert told["message"] == f"The event “防災DXセミナー” organised by {en}, which you registered for, is cancelled."
