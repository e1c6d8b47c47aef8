"""Founding a successor alliance without dissolution: the active members move across with their
tiers, the old memberships stay as TRANSFERRED history, and unpaid dues carry over unsettled."""


TAKAISHI, NANTO, MOTEGI = "272256", "162108", "093432"
FOUNDED_ON = "2026-04-01"

FOUND = """
mutation ($input: FoundSuccessorAllianceInput!) {
  foundSuccessorAlliance(input: $input) {
    userErrors { code field }
    alliance { slug foundedOn predecessor { slug } workingGroups { theme { number } } }
  }
}
"""

STATISTICS = """
query ($slug: String!, $status: MembershipStatus) {
  alliance(slug: $slug) { statistics(status: $status) { memberCount byTier { key count } byStatus { key count } } }
}
"""

MEMBERSHIPS = """
query ($code: String!) {
  municipality(code: $code) {
    memberships {
      id tier status joinedOn leftOn alliance { slug }
      history { kind tierAfter statusBefore statusAfter effectiveOn }
      dues { fiscalYear amount status carriedOver } duesBalance
    }
  }
}
"""

BILL = """
mutation ($input: BillDuesInput!) { billDues(input: $input) { userErrors { code } dues { id } } }
"""

SETTLE = """
mutation ($input: SettleDuesInput!) { settleDues(input: $input) { userErrors { code } } }
"""


HISTORY_NOTES = """
query ($code: String!) {
  municipality(code: $code) { memberships { alliance { slug } history { kind note } } }
}
"""


def successor(slug="expo-legacy", founded_on=FOUNDED_ON, predecessor="expo2025") -> dict:
    return {"input": {"predecessorSlug": predecessor, "slug": slug, "name": "万博レガシー首長連合", "foundedOn": founded_on}}


async def memberships(client, code) -> dict[str, dict]:
    """The municipality's memberships by alliance slug."""
    data = await client.data(MEMBERSHIPS, {"code": code})
    return {m["alliance"]["slug"]: m for m in data["municipality"]["memberships"]}


async def statistics(client, slug, status=None) -> dict:
    return (await client.data(STATISTICS, {"slug": slug, "status": status}))["alliance"]["statistics"]


def tally(rows) -> dict[str, int]:
    return {row["key"]: row["count"] for row in rows}


# Carrying the members over


async def test_every_active_member_moves_to_the_successor_with_its_tier(sign_in):
    admin = await sign_in("ADMIN")
    active_before = await statistics(admin, "expo2025", "ACTIVE")

    await admin.accepted(FOUND, successor())

    after = await statistics(admin, "expo-legacy")
    assert after["memberCount"] == active_before["memberCount"] == 581
    assert tally(after["byTier"]) == tally(active_before["byTier"])
    assert tally(after["byStatus"]) == {"ACTIVE": 581}


async def test_the_predecessors_memberships_become_transferred(sign_in):
    admin = await sign_in("ADMIN")
    tiers_before = tally((await statistics(admin, "expo2025", "ACTIVE"))["byTier"])

    await admin.accepted(FOUND, successor())

    assert (await statistics(admin, "expo2025", "ACTIVE"))["memberCount"] == 0
    transferred = await statistics(admin, "expo2025", "TRANSFERRED")
    assert tally(transferred["byTier"]) == tiers_before


async def test_the_old_membership_records_the_transfer_in_its_history(sign_in):
    admin = await sign_in("ADMIN")

    await admin.accepted(FOUND, successor())

    old = (await memberships(admin, TAKAISHI))["expo2025"]
    assert (old["status"], old["leftOn"]) == ("TRANSFERRED", FOUNDED_ON)
    assert old["history"][-1] == {
        "kind": "STATUS_CHANGED",
        "tierAfter": None,
        "statusBefore": "ACTIVE",
        "statusAfter": "TRANSFERRED",
        "effectiveOn": FOUNDED_ON,
    }


async def test_the_new_membership_records_that_it_was_carried_over(sign_in):
    admin = await sign_in("ADMIN")

    await admin.accepted(FOUND, successor())

    new = (await memberships(admin, TAKAISHI))["expo-legacy"]
    assert (new["tier"], new["status"], new["joinedOn"]) == ("FULL", "ACTIVE", FOUNDED_ON)
    assert new["history"] == [
        {
            "kind": "CARRIED_OVER",
            "tierAfter": "FULL",
            "statusBefore": None,
            "statusAfter": "ACTIVE",
            "effectiveOn": FOUNDED_ON,
        }
    ]


async def test_the_succession_note_reads_in_the_readers_language(sign_in):
    admin = await sign_in("ADMIN")
    founding = successor()
    founding["input"]["nameEn"] = "EXPO Legacy Mayors' Alliance"
    await admin.accepted(FOUND, founding)

    async def notes(language: str) -> dict[str, str]:
        data = await admin.reading(language).data(HISTORY_NOTES, {"code": TAKAISHI})
        return {m["alliance"]["slug"]: m["history"][-1]["note"] for m in data["municipality"]["memberships"]}

    assert await notes("ja") == {
        "olympic-paralympic": "後継の連合へ引き継ぎ",
        "expo2025": "2025年日本国際博覧会とともに、地域の未来社会を創造する首長連合 → 万博レガシー首長連合",
        "expo-legacy": "2025年日本国際博覧会とともに、地域の未来社会を創造する首長連合 → 万博レガシー首長連合",
    }
    assert await notes("en") == {
        "olympic-paralympic": "carried over to the successor alliance",
        "expo2025": "Mayoral Alliance for EXPO2025 OSAKA, KANSAI, JAPAN → EXPO Legacy Mayors' Alliance",
        "expo-legacy": "Mayoral Alliance for EXPO2025 OSAKA, KANSAI, JAPAN → EXPO Legacy Mayors' Alliance",
    }


async def test_a_supporting_member_stays_supporting(sign_in):
    admin = await sign_in("ADMIN")

    await admin.accepted(FOUND, successor())

    assert (await memberships(admin, "082082"))["expo-legacy"]["tier"] == "SUPPORTING"


async def test_a_suspended_member_is_not_carried_over(sign_in):
    admin = await sign_in("ADMIN")
    motegi = (await memberships(admin, MOTEGI))["expo2025"]
    await admin.accepted(
        "mutation ($input: SuspendMembershipInput!) { suspendMembership(input: $input) { userErrors { code } } }",
        {"input": {"membershipId": motegi["id"]}},
    )

    await admin.accepted(FOUND, successor())

    after = await memberships(admin, MOTEGI)
    assert "expo-legacy" not in after
    assert after["expo2025"]["status"] == "SUSPENDED"
    assert (await statistics(admin, "expo-legacy"))["memberCount"] == 580


async def test_running_officer_terms_continue_only_for_seats_whose_municipality_moved_across(sign_in):
    admin = await sign_in("ADMIN")
    officers = '{ alliance(slug: "%s") { officers { personName municipality { code } } } }'
    before = (await admin.data(officers % "expo2025"))["alliance"]["officers"]
    motegi = (await memberships(admin, MOTEGI))["expo2025"]
    await admin.accepted(
        "mutation ($input: SuspendMembershipInput!) { suspendMembership(input: $input) { userErrors { code } } }",
        {"input": {"membershipId": motegi["id"]}},
    )

    await admin.accepted(FOUND, successor())

    carried = (await admin.data(officers % "expo-legacy"))["alliance"]["officers"]
    assert [o for o in before if o["municipality"] == {"code": MOTEGI}]
    assert carried == [o for o in before if o["municipality"] != {"code": MOTEGI}]
    assert (await admin.data(officers % "expo2025"))["alliance"]["officers"] == []


# The new alliance


async def test_the_successor_is_linked_to_its_predecessor_both_ways(sign_in):
    admin = await sign_in("ADMIN")

    founded = await admin.accepted(FOUND, successor())

    assert founded["alliance"]["predecessor"] == {"slug": "expo2025"}
    data = await admin.data('{ alliance(slug: "expo2025") { successor { slug foundedOn } } }')
    assert data["alliance"]["successor"] == {"slug": "expo-legacy", "foundedOn": FOUNDED_ON}


async def test_the_successor_runs_a_working_group_for_each_of_the_ten_themes(sign_in):
    admin = await sign_in("ADMIN")
    themes = (await admin.data("{ themes { number } }"))["themes"]

    founded = await admin.accepted(FOUND, successor())

    groups = [g["theme"]["number"] for g in founded["alliance"]["workingGroups"]]
    assert groups == [t["number"] for t in themes]
    assert len(groups) == 10


# Dues


async def test_an_unpaid_bill_carries_over_as_it_stands(sign_in):
    admin = await sign_in("ADMIN")
    old = (await memberships(admin, TAKAISHI))["expo2025"]
    await admin.accepted(BILL, {"input": {"membershipId": old["id"], "fiscalYear": 2025, "amount": 80_000}})
    balance_before = (await memberships(admin, TAKAISHI))["expo2025"]["duesBalance"]

    await admin.accepted(FOUND, successor())

    after = await memberships(admin, TAKAISHI)
    assert balance_before == 80_000
    assert after["expo-legacy"]["duesBalance"] == balance_before
    assert after["expo-legacy"]["dues"] == [
        {"fiscalYear": 2025, "amount": 80_000, "status": "BILLED", "carriedOver": True}
    ]
    assert [d["status"] for d in after["expo2025"]["dues"]] == ["CARRIED_OVER"]
    assert after["expo2025"]["duesBalance"] == 0


DUES_NOTES = """
query ($code: String!) { municipality(code: $code) { memberships { alliance { slug } dues { note } } } }
"""


async def test_a_carried_over_bill_says_where_it_came_from_in_the_readers_language(sign_in):
    admin = await sign_in("ADMIN")
    old = (await memberships(admin, TAKAISHI))["expo2025"]
    await admin.accepted(BILL, {"input": {"membershipId": old["id"], "fiscalYear": 2025, "amount": 80_000}})
    await admin.accepted(FOUND, successor())

    async def note(language: str) -> str:
        data = await admin.reading(language).data(DUES_NOTES, {"code": TAKAISHI})
        (carried,) = [m["dues"] for m in data["municipality"]["memberships"] if m["alliance"]["slug"] == "expo-legacy"]
        return carried[0]["note"]

    assert await note("ja") == "2025年日本国際博覧会とともに、地域の未来社会を創造する首長連合から繰越"
    assert await note("en") == "Carried over from Mayoral Alliance for EXPO2025 OSAKA, KANSAI, JAPAN"


async def test_a_paid_bill_is_not_carried_over(sign_in):
    admin = await sign_in("ADMIN")
    old = (await memberships(admin, NANTO))["expo2025"]
    billed = await admin.accepted(BILL, {"input": {"membershipId": old["id"], "fiscalYear": 2025, "amount": 80_000}})
    await admin.accepted(SETTLE, {"input": {"duesId": billed["dues"]["id"], "status": "PAID"}})

    await admin.accepted(FOUND, successor())

    after = await memberships(admin, NANTO)
    assert after["expo-legacy"]["dues"] == []
    assert after["expo-legacy"]["duesBalance"] == 0
    assert [d["status"] for d in after["expo2025"]["dues"]] == ["PAID"]


# Refusals


async def test_an_alliance_has_at_most_one_successor(sign_in):
    admin = await sign_in("ADMIN")
    await admin.accepted(FOUND, successor())

    payload = await admin.mutate(FOUND, successor(slug="expo-legacy-2"))

    assert payload["userErrors"] == [{"code": "INVALID_TRANSITION", "field": ["input", "predecessorSlug"]}]
    assert (await admin.data('{ alliance(slug: "expo-legacy-2") { slug } }'))["alliance"] is None


async def test_the_seeded_predecessor_cannot_be_succeeded_again(sign_in):
    admin = await sign_in("ADMIN")

    assert await admin.refused(FOUND, successor(predecessor="olympic-paralympic")) == ["INVALID_TRANSITION"]


async def test_a_slug_already_taken_is_refused(sign_in):
    admin = await sign_in("ADMIN")

    payload = await admin.mutate(FOUND, successor(slug="olympic-paralympic"))

    assert payload["userErrors"] == [{"code": "ALREADY_EXISTS", "field": ["input", "slug"]}]
    assert (await statistics(admin, "expo2025", "ACTIVE"))["memberCount"] == 581


async def test_a_successor_cannot_be_founded_before_its_predecessor(sign_in):
    admin = await sign_in("ADMIN")

    payload = await admin.mutate(FOUND, successor(founded_on="2021-01-01"))

    assert payload["userErrors"] == [{"code": "INVALID", "field": ["input", "foundedOn"]}]
    assert (await admin.data('{ alliance(slug: "expo-legacy") { slug } }'))["alliance"] is None
    assert (await statistics(admin, "expo2025", "ACTIVE"))["memberCount"] == 581


async def test_only_the_secretariat_founds_a_successor(sign_in):
    staff = await sign_in("MUNICIPALITY", municipality=TAKAISHI)

    assert await staff.refused(FOUND, successor()) == ["FORBIDDEN"]
