"""The secretariat's event page (edit, cancel with a confirmed reason, print, .ics) and the member
portal's calendar links and feed."""

import re

import icalendar
import pytest

from tests.api.test_event_changes import ZOOM
from tests.api.test_events import TAKAISHI, event_input

CREATE = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } userErrors { code } } }"
REGISTER = "mutation($id: ID!) { registerForEvent(input: {eventId: $id}) { userErrors { code } } }"

# Steps aside: the pages read an event through `node`, and its `organiser` union.
pytestmark = pytest.mark.plan_fallback("abstract_type")


async def an_event_with_a_registrant(sign_in) -> str:
    admin = await sign_in("ADMIN")
    event_id = (await admin.accepted(CREATE, {"input": event_input(capacity=5, meetingUrl=ZOOM)}))["event"]["id"]
    member = await sign_in("MUNICIPALITY", municipality=TAKAISHI)
    await member.accepted(REGISTER, {"id": event_id})
    return event_id


async def test_the_secretariat_edits_and_cancels_an_event_after_confirming_a_reason(signed_in, sign_in):
    event_id = await an_event_with_a_registrant(sign_in)
    admin = await signed_in("ADMIN")
    page = await admin.get(f"/admin/events/{event_id}")
    assert page.status_code == 200 and "参加確定（1団体）" in page.text and "高石市" in page.text
    form = dict(re.findall(r'<input type="[^"]+" id="f-(\w+)" name="\w+" value="([^"]*)"', page.text))

    saved = await admin.post(f"/admin/events/{event_id}/edit", {
        **form, "title": "防災DXセミナー（会場変更）", "description": "d", "kind": "SEMINAR", "format": "HYBRID",
        "audience": "ALL_MEMBERS", "venue": "堺市役所", "themeNumbers": "8",
    })
    assert saved.status_code == 303
    assert "申込済みの自治体にお知らせしました" in (await admin.get(saved.headers["location"])).text

    missing = await admin.post(f"/admin/events/{event_id}/cancel", {"reason": " "})
    assert missing.status_code == 422 and 'id="f-reason-error"' in missing.text
    confirm = await admin.post(f"/admin/events/{event_id}/cancel", {"reason": "台風の接近のため"})
    assert confirm.status_code == 200 and "中止しますか" in confirm.text and "1団体" in confirm.text
    done = await admin.post(f"/admin/events/{event_id}/cancel", {"reason": "台風の接近のため", "confirmed": "yes"})
    assert done.status_code == 303

    member = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    told = (await member.get("/portal/notifications")).text
    assert "変更箇所：名称、内容、開催形式、会場" in told and "理由：台風の接近のため" in told


async def test_the_print_view_and_the_ics_of_an_event(signed_in, sign_in):
    event_id = await an_event_with_a_registrant(sign_in)
    admin = await signed_in("ADMIN")

    printed = await admin.get(f"/admin/events/{event_id}/print")
    ics = await admin.get(f"/admin/events/{event_id}/calendar.ics")

    assert 'class="printed"' in printed.text and "高石市" in printed.text
    assert ics.headers["content-type"].startswith("text/calendar")
    (event,) = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "防災DXセミナー" and str(event["URL"]) == ZOOM


async def test_a_member_adds_events_to_a_calendar_and_subscribes_to_its_feed(signed_in, sign_in, browser):
    event_id = await an_event_with_a_registrant(sign_in)
    member = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)

    page = (await member.get("/portal/events?lang=en")).text
    assert f'href="/portal/events/{event_id}/calendar.ics"' in page and f'href="{ZOOM}"' in page
    issued = await member.post("/portal/events/calendar-feed")
    assert issued.headers["cache-control"] == "no-store", "the secret URL is shown once, never cached"
    url = re.search(r'id="feed-url" value="http://localhost:8000([^"]+)"', issued.text).group(1)

    feed = await browser.get(url)
    titles = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")]
    assert "防災DXセミナー" in titles


@pytest.mark.plan_fallback("abstract_type")
async def test_an_event_has_a_page_of_its_own_and_an_unknown_one_is_not_found(signed_in, sign_in):
    event_id = await an_event_with_a_registrant(sign_in)
    registrant = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    no_such_event = "RXZlbnQ6OTk5OTk5"  # Event:999999

    page = await registrant.get(f"/portal/events/{event_id}?lang=en")
    missing = await registrant.get(f"/portal/events/{no_such_event}")

    assert page.status_code == 200
    assert '<h1><span lang="ja">防災DXセミナー</span></h1>' in page.text
    assert f'href="{ZOOM}"' in page.text, "a confirmed registrant sees the meeting URL"
    assert "Cancel my registration" in page.text, "and may cancel it there"
    assert 'href="/portal/events">Back to all events</a>' in page.text
    assert missing.status_code == 404
