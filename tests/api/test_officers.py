"""Officers' terms: appointing and ending them, and handing a mayor's seats to the next mayor;
ended terms stay as history."""

TAKAISHI, NANTO, RYUGASAKI, SAPPORO = "272256", "162108", "082082", "011002"

OFFICERS = """
query ($includeFormer: Boolean! = false) {
  alliance(slug: "expo2025") {
    officers(includeFormer: $includeFormer) { id role personName title startedOn endedOn municipality { code } }
  }
}
"""

APPOINT = """
mutation ($input: AppointOfficerInput!) {
  appointOfficer(input: $input) {
    userErrors { code field }
    officer { id role personName startedOn endedOn municipality { code } }
  }
}
"""

END_TERM = """
mutation ($input: EndOfficerTermInput!) {
  endOfficerTerm(input: $input) { userErrors { code field } officer { id endedOn } }
}
"""

MAYORAL_CHANGE = """
mutation ($input: RecordMayoralChangeInput!) {
  recordMayoralChange(input: $input) {
    userErrors { code field }
    officers { role personName title startedOn endedOn municipality { code } }
  }
}
"""


async def officers(client, include_former=False) -> list[dict]:
    return (await client.data(OFFICERS, {"includeFormer": include_former}))["alliance"]["officers"]


def appointment(role, name="新任 太郎", **fields) -> dict:
    return {"input": {"allianceSlug": "expo2025", "role": role, "personName": name, **fields}}


def new_mayor_of_takaishi(since="2026-05-01") -> dict:
    return {"input": {"municipalityCode": TAKAISHI, "personName": "高石 新市長", "since": since}}


# A new mayor after an election


async def test_a_new_mayor_takes_the_chair_in_the_same_place_on_the_list(sign_in):
    admin = await sign_in("ADMIN")
    before = await officers(admin)
    assert (before[0]["role"], before[0]["personName"]) == ("CHAIR", "阪口 伸六")

    payload = await admin.accepted(MAYORAL_CHANGE, new_mayor_of_takaishi())

    assert payload["officers"] == [
        {
            "role": "CHAIR",
            "personName": "高石 新市長",
            "title": "高石市長",
            "startedOn": "2026-05-01",
            "endedOn": None,
            "municipality": {"code": TAKAISHI},
        }
    ]
    after = await officers(admin)
    assert [(o["role"], o["personName"]) for o in after] == [("CHAIR", "高石 新市長")] + [
        (o["role"], o["personName"]) for o in before[1:]
    ]


async def test_the_outgoing_mayors_term_ends_the_day_before_and_stays_as_history(sign_in):
    admin = await sign_in("ADMIN")

    await admin.accepted(MAYORAL_CHANGE, new_mayor_of_takaishi(since="2026-05-01"))

    chairs = [o for o in await officers(admin, include_former=True) if o["role"] == "CHAIR"]
    assert [(o["personName"], o["endedOn"]) for o in chairs] == [("阪口 伸六", "2026-04-30"), ("高石 新市長", None)]
    assert chairs[1]["startedOn"] == "2026-05-01"


async def test_a_mayor_who_holds_no_seat_is_not_found(sign_in):
    admin = await sign_in("ADMIN")
    before = await officers(admin, include_former=True)

    payload = await admin.mutate(
        MAYORAL_CHANGE, {"input": {"municipalityCode": RYUGASAKI, "personName": "龍ケ崎 新市長", "since": "2026-05-01"}}
    )

    assert payload["userErrors"] == [{"code": "NOT_FOUND", "field": ["input", "municipalityCode"]}]
    assert await officers(admin, include_former=True) == before


async def test_the_new_mayors_term_begins_after_the_current_one(sign_in):
    admin = await sign_in("ADMIN")

    codes = await admin.refused(MAYORAL_CHANGE, new_mayor_of_takaishi(since="2021-11-08"))

    assert codes == ["INVALID"]
    assert (await officers(admin))[0]["personName"] == "阪口 伸六"


# Appointing


async def test_a_second_chair_cannot_be_appointed_while_one_is_in_office(sign_in):
    admin = await sign_in("ADMIN")

    payload = await admin.mutate(APPOINT, appointment("CHAIR", municipalityCode=NANTO))

    assert payload["userErrors"] == [{"code": "ALREADY_EXISTS", "field": ["input", "role"]}]
    assert [o["personName"] for o in await officers(admin) if o["role"] == "CHAIR"] == ["阪口 伸六"]


async def test_a_new_chair_can_be_appointed_once_the_term_has_ended(sign_in):
    admin = await sign_in("ADMIN")
    chair = (await officers(admin))[0]
    await admin.accepted(END_TERM, {"input": {"officerId": chair["id"], "endedOn": "2026-03-31"}})

    await admin.accepted(APPOINT, appointment("CHAIR", "田中 幹夫", municipalityCode=NANTO, startedOn="2026-04-01"))

    assert [(o["personName"], o["municipality"]["code"]) for o in await officers(admin) if o["role"] == "CHAIR"] == [
        ("田中 幹夫", NANTO)
    ]


async def test_an_officer_other_than_an_adviser_needs_a_municipality(sign_in):
    admin = await sign_in("ADMIN")

    payload = await admin.mutate(APPOINT, appointment("VICE_CHAIR"))

    assert payload["userErrors"] == [{"code": "INVALID", "field": ["input", "municipalityCode"]}]


async def test_an_adviser_needs_no_municipality(sign_in):
    admin = await sign_in("ADMIN")

    payload = await admin.accepted(APPOINT, appointment("ADVISER", "顧問 花子", startedOn="2026-04-01"))

    assert payload["officer"]["municipality"] is None
    assert (await officers(admin))[-1] == {
        "id": payload["officer"]["id"],
        "role": "ADVISER",
        "personName": "顧問 花子",
        "title": None,
        "startedOn": "2026-04-01",
        "endedOn": None,
        "municipality": None,
    }


async def test_a_municipality_that_is_not_an_active_member_holds_no_seat(sign_in):
    admin = await sign_in("ADMIN")

    payload = await admin.mutate(APPOINT, appointment("VICE_CHAIR", municipalityCode=SAPPORO))

    assert payload["userErrors"] == [{"code": "NOT_A_MEMBER", "field": ["input", "municipalityCode"]}]


async def test_only_the_secretariat_appoints_officers(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert await staff.refused(APPOINT, appointment("VICE_CHAIR", municipalityCode=TAKAISHI)) == ["FORBIDDEN"]


# Ending a term


async def test_an_ended_term_leaves_the_list_of_running_officers_but_is_kept(sign_in):
    admin = await sign_in("ADMIN")
    vice_chair = next(o for o in await officers(admin) if o["personName"] == "青山 剛")

    ended = await admin.accepted(END_TERM, {"input": {"officerId": vice_chair["id"], "endedOn": "2026-03-31"}})

    assert ended["officer"] == {"id": vice_chair["id"], "endedOn": "2026-03-31"}
    assert vice_chair["id"] not in [o["id"] for o in await officers(admin)]
    assert vice_chair["id"] in [o["id"] for o in await officers(admin, include_former=True)]


async def test_a_term_cannot_be_ended_twice(sign_in):
    admin = await sign_in("ADMIN")
    officer_id = (await officers(admin))[1]["id"]
    await admin.accepted(END_TERM, {"input": {"officerId": officer_id, "endedOn": "2026-03-31"}})

    payload = await admin.mutate(END_TERM, {"input": {"officerId": officer_id, "endedOn": "2026-06-30"}})

    assert payload["userErrors"] == [{"code": "INVALID_TRANSITION", "field": ["input", "officerId"]}]
    ended = next(o for o in await officers(admin, include_former=True) if o["id"] == officer_id)
    assert ended["endedOn"] == "2026-03-31"


async def test_a_term_cannot_end_before_it_began(sign_in):
    admin = await sign_in("ADMIN")
    chair = (await officers(admin))[0]
    assert chair["startedOn"] == "2021-11-08"

    payload = await admin.mutate(END_TERM, {"input": {"officerId": chair["id"], "endedOn": "2021-11-07"}})

    assert payload["userErrors"] == [{"code": "INVALID", "field": ["input", "endedOn"]}]
    assert (await officers(admin))[0]["id"] == chair["id"]
