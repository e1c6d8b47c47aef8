"""Alliances, memberships, officers and working groups as the API shows them."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

import models
from resolvers import alliance as alliance_resolvers
from resolvers import dues as dues_resolvers
from resolvers import membership as membership_resolvers
from resolvers.db.pagination import counted_page, paginate_list, paginate_listing
from schema.context import Info
from schema.node import ModelNode, from_row
from schema.pagination import (
    AfterArg,
    BeforeArg,
    Connection,
    FirstArg,
    LastArg,
    first_arg,
    items_select,
    last_arg,
    page_request,
    to_connection,
)
from schema.permissions import SecretariatOrItsMunicipality
from schema.registry.types import Municipality, MunicipalityKind
from schema.relation import Loaded, prefetch, related, relation
from schema.rows import joined

if TYPE_CHECKING:
    from schema.dues.types import Dues
    from schema.entitlement.types import MembershipBenefit
    from schema.theme.types import Theme

# A whole roster in one request (the admin portal's CSV export); the cost limit still bounds it.
MAX_MEMBERS_PAGE_SIZE = 1000
MembersFirstArg = Annotated[int | None, first_arg(MAX_MEMBERS_PAGE_SIZE)]
MembersLastArg = Annotated[int | None, last_arg(MAX_MEMBERS_PAGE_SIZE)]
# Joined to every page of members: directories show where each member is.
MEMBER_PLACE = "municipality__prefecture"


@strawberry.enum(description="The tier of a membership (seed 002, Q4).")
class MembershipTier(Enum):
    _value_: str
    FULL = strawberry.enum_value(
        "FULL",
        description="Full member (正会員): takes part in working groups and projects, uses partner "
        "offerings and gets secretariat support, besides what supporting members get.",
    )
    SUPPORTING = strawberry.enum_value(
        "SUPPORTING",
        description="Supporting member (賛助会員): receives the monthly bulletin and online seminars.",
    )


@strawberry.enum(description="Where a membership stands in its lifecycle.")
class MembershipStatus(Enum):
    _value_: str
    APPLIED = strawberry.enum_value("APPLIED", description="Applied to join; awaiting a decision.")
    ACTIVE = strawberry.enum_value("ACTIVE", description="A member in good standing.")
    SUSPENDED = strawberry.enum_value("SUSPENDED", description="Membership suspended for now.")
    WITHDRAWN = strawberry.enum_value("WITHDRAWN", description="The municipality has left.")
    REJECTED = strawberry.enum_value("REJECTED", description="The application was refused.")
    TRANSFERRED = strawberry.enum_value(
        "TRANSFERRED",
        description="Carried over to the successor alliance; kept here as history.",
    )


@strawberry.enum(description="What happened to a membership.")
class MembershipChangeKind(Enum):
    _value_: str
    APPLIED = strawberry.enum_value("APPLIED", description="The municipality applied to join.")
    JOINED = strawberry.enum_value("JOINED", description="The membership began.")
    TIER_CHANGED = strawberry.enum_value("TIER_CHANGED", description="The tier changed.")
    STATUS_CHANGED = strawberry.enum_value("STATUS_CHANGED", description="The status changed.")
    CARRIED_OVER = strawberry.enum_value(
        "CARRIED_OVER", description="Carried over from the predecessor alliance."
    )


@strawberry.enum(description="The role of an alliance officer.")
class OfficerRole(Enum):
    _value_: str
    CHAIR = strawberry.enum_value("CHAIR", description="Chair (会長).")
    ACTING_CHAIR = strawberry.enum_value("ACTING_CHAIR", description="Acting chair (会長代行).")
    VICE_CHAIR = strawberry.enum_value("VICE_CHAIR", description="Vice-chair (副会長).")
    AUDITOR = strawberry.enum_value("AUDITOR", description="Auditor (監査役).")
    ADVISER = strawberry.enum_value("ADVISER", description="Adviser (顧問); need not be a mayor.")


@strawberry.enum(description="What to sort members by.")
class MembershipOrderField(Enum):
    _value_: str
    CODE = strawberry.enum_value("CODE", description="The official municipality code (north to south).")
    NAME_KANA = strawberry.enum_value("NAME_KANA", description="The reading of the name (あいうえお順).")
    JOINED_ON = strawberry.enum_value("JOINED_ON", description="The date the membership began.")


@strawberry.enum(description="A sort direction.")
class OrderDirection(Enum):
    _value_: str
    ASC = strawberry.enum_value("ASC", description="Ascending.")
    DESC = strawberry.enum_value("DESC", description="Descending.")


@strawberry.input(description="Narrows an alliance's members; every given field must match.")
class MembershipFilter:
    tier: MembershipTier | None = strawberry.field(default=None, description="Only this tier.")
    status: MembershipStatus | None = strawberry.field(default=None, description="Only this status.")
    prefecture_code: str | None = strawberry.field(
        default=None, description='Only municipalities of this prefecture ("01" to "47").'
    )
    kind: MunicipalityKind | None = strawberry.field(
        default=None, description="Only cities, towns, villages or special wards."
    )
    search: str | None = strawberry.field(
        default=None,
        description="Part of the municipality's name, reading (kana) or romaji; notation variants "
        "such as ヶ/ケ and full-/half-width are folded. At most 100 characters.",
    )


@strawberry.input(description="The order of an alliance's members.")
class MembershipOrder:
    field: MembershipOrderField = strawberry.field(
        default=MembershipOrderField.CODE, description="What to sort by."
    )
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )


@strawberry.type(description="A count of members sharing one value (a tier, kind, prefecture…).")
class Tally:
    key: str = strawberry.field(description="The value counted, e.g. FULL, CITY or a prefecture code.")
    count: int = strawberry.field(description="How many members have it.")


@strawberry.type(description="Counts of an alliance's members.")
class AllianceStatistics:
    member_count: int = strawberry.field(description="How many memberships are counted.")
    by_tier: list[Tally] = strawberry.field(description="Members by tier (FULL, SUPPORTING).")
    by_status: list[Tally] = strawberry.field(description="Members by status.")
    by_kind: list[Tally] = strawberry.field(description="Members by municipality kind.")
    by_prefecture: list[Tally] = strawberry.field(
        description='Members by prefecture code ("01" to "47"); prefectures with none are left out.'
    )


@strawberry.type(description="An officer or adviser of an alliance, for the term the record covers.")
class Officer(ModelNode):
    model = models.Officer
    id: relay.NodeID[int]
    role: OfficerRole = strawberry.field(description="The office held.")
    person_name: str = strawberry.field(description="The office holder's name.")
    title: str | None = strawberry.field(description="The holder's title, e.g. 高石市長.")
    started_on: dt.date | None = strawberry.field(description="When the term began, if known.")
    ended_on: dt.date | None = strawberry.field(description="When the term ended; null while it runs.")
    municipality_id: strawberry.Private[int | None]


    @relation(
        "Municipality | None", description="The member municipality whose mayor holds the seat; null for advisers."
    )
    def municipality(self, info: Info) -> Loaded[Municipality | None]:
        if self.municipality_id is None:
            return None
        return related(info.context.loaders.municipality_by_id, self.municipality_id, Municipality.from_model)


@strawberry.type(description="One entry in a membership's history.")
class MembershipChange:
    kind: MembershipChangeKind = strawberry.field(description="What happened.")
    tier_before: MembershipTier | None = strawberry.field(description="The tier before the change.")
    tier_after: MembershipTier | None = strawberry.field(description="The tier after the change.")
    status_before: MembershipStatus | None = strawberry.field(description="The status before.")
    status_after: MembershipStatus | None = strawberry.field(description="The status after.")
    effective_on: dt.date | None = strawberry.field(description="When it took effect, if known.")
    note: str | None = strawberry.field(
        description="Why, in words: as the secretariat wrote it, or, for what the service recorded "
        "itself (a succession), rendered in the reader's language."
    )

    @classmethod
    def of(cls, row: models.MembershipChange) -> MembershipChange:
        change = from_row(cls, row)
        change.note = membership_resolvers.history_note(row)
        return change



@strawberry.type(description="A municipality's membership of an alliance.")
class Membership(ModelNode):
    model = models.Membership
    columns_read = {"benefits": ("tier",)}
    id: relay.NodeID[int]
    tier: MembershipTier = strawberry.field(description="Full or supporting member.")
    status: MembershipStatus = strawberry.field(description="Where the membership stands.")
    joined_on: dt.date | None = strawberry.field(description="When the membership began, if known.")
    left_on: dt.date | None = strawberry.field(description="When it ended, if it has.")
    alliance_id: strawberry.Private[int]
    municipality_id: strawberry.Private[int]
    joined_municipality: strawberry.Private[Municipality | None] = joined("Municipality", "schema.registry.types")


    @relation("Alliance", description="The alliance.")
    def alliance(self, info: Info) -> Loaded[Alliance]:
        return related(info.context.loaders.alliance_by_id, self.alliance_id, Alliance.from_model)

    @relation("Municipality", description="The member municipality.")
    def municipality(self, info: Info) -> Loaded[Municipality]:
        return related(
            info.context.loaders.municipality_by_id, self.municipality_id, Municipality.from_model,
            joined=self.joined_municipality,
        )

    @relation("list[WorkingGroup]", description="The working groups this member currently takes part in.")
    def working_groups(self, info: Info) -> Loaded[list[WorkingGroup]]:
        return related(info.context.loaders.working_groups_by_membership, self.id, WorkingGroup.read)

    @strawberry.field(
        description="Each benefit of membership (seed 002, Q4): whether this membership's tier includes it, and why not."
    )
    def benefits(self) -> list[Annotated[MembershipBenefit, strawberry.lazy("schema.entitlement.types")]]:
        from schema.entitlement.types import benefits_of

        return benefits_of(models.MembershipTier(self.tier.value))

    @strawberry.field(description="Every change to this membership, oldest first.")
    async def history(self, info: Info) -> list[MembershipChange]:
        rows = await info.context.loaders.changes_by_membership.load(self.id)
        return [MembershipChange.of(row) for row in rows]

    @relation(
        list[Annotated["Dues", strawberry.lazy("schema.dues.types")]] | None,
        description="The member's bills of dues by fiscal year, including balances carried over "
        "from a predecessor alliance. The secretariat and the member's own staff only.",
        permission_classes=[SecretariatOrItsMunicipality],
    )
    def dues(self, info: Info) -> Loaded[list[Dues] | None]:
        from schema.dues.types import Dues

        return related(info.context.loaders.dues_by_membership, self.id, Dues.from_models)

    @relation(
        "int | None",
        description="What the member still owes in yen: its open bills, carried-over balances "
        "included. The secretariat and the member's own staff only.",
        permission_classes=[SecretariatOrItsMunicipality],
    )
    def dues_balance(self, info: Info) -> Loaded[int | None]:
        return related(info.context.loaders.dues_by_membership, self.id, dues_resolvers.balance)


@strawberry.type(description="The working group an alliance runs for one theme.")
class WorkingGroup(ModelNode):
    model = models.WorkingGroup
    id: relay.NodeID[int]
    alliance_id: strawberry.Private[int]
    theme_id: strawberry.Private[int]
    joined_alliance: strawberry.Private[Alliance | None] = joined("Alliance")
    joined_theme: strawberry.Private[Annotated[Theme, strawberry.lazy("schema.theme.types")] | None] = joined(
        "Theme", "schema.theme.types"
    )

    @relation("Alliance", description="The alliance that runs the group.")
    def alliance(self, info: Info) -> Loaded[Alliance]:
        return related(
            info.context.loaders.alliance_by_id, self.alliance_id, Alliance.from_model,
            joined=self.joined_alliance,
        )

    @relation(Annotated["Theme", strawberry.lazy("schema.theme.types")], description="The theme the group works on.")
    def theme(self, info: Info) -> Loaded[Theme]:
        from schema.theme.types import Theme

        return related(
            info.context.loaders.theme_by_id, self.theme_id, Theme.from_model, joined=self.joined_theme
        )

    @relation("Connection[Membership]", description="The full members currently taking part, by municipality code.")
    def participants(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        last: LastArg = None,
        before: BeforeArg = None,
    ) -> Loaded[Connection[Membership]]:
        request = page_request(first, after, last, before)
        loaders = info.context.loaders
        if request.first == 0 or request.last == 0:
            return related(
                loaders.participant_count_by_working_group,
                self.id,
                lambda total: to_connection(counted_page(request, total), Membership.from_model),
            )
        return related(
            loaders.active_participants_by_working_group,
            self.id,
            lambda members: to_connection(paginate_list(members, request), Membership.from_model),
        )


@strawberry.type(description="A mayors' alliance (首長連合).")
class Alliance(ModelNode):
    model = models.Alliance
    id: relay.NodeID[int]
    slug: str = strawberry.field(description="A stable short name for URLs, e.g. expo2025.")
    name: str = strawberry.field(description="The official name in Japanese.")
    name_en: str | None = strawberry.field(description="The name in English.")
    short_name: str | None = strawberry.field(description="The common short name, e.g. 万博首長連合.")
    mission: str | None = strawberry.field(description="What the alliance sets out to do.")
    vision: str | None = strawberry.field(description="How it means to get there.")
    founded_on: dt.date | None = strawberry.field(description="When it was founded.")
    predecessor_id: strawberry.Private[int | None]


    @relation("Alliance | None", description="The alliance this one succeeded, without dissolution.")
    def predecessor(self, info: Info) -> Loaded[Alliance | None]:
        if self.predecessor_id is None:
            return None
        return related(
            info.context.loaders.alliance_by_id, self.predecessor_id, Alliance.from_model
        )

    @relation("Alliance | None", description="The alliance that succeeded this one, if any.")
    def successor(self, info: Info) -> Loaded[Alliance | None]:
        return related(info.context.loaders.successor_by_alliance, self.id, Alliance.from_model_or_none)

    @strawberry.field(description="The member municipalities, filtered and ordered; paged.")
    async def members(
        self,
        info: Info,
        first: MembersFirstArg = None,
        after: AfterArg = None,
        last: MembersLastArg = None,
        before: BeforeArg = None,
        filter: Annotated[
            MembershipFilter | None, strawberry.argument(description="Which members to include.")
        ] = None,
        order_by: Annotated[
            MembershipOrder | None, strawberry.argument(description="The order (default: by code).")
        ] = None,
    ) -> Connection[Membership]:
        query = membership_query(filter, order_by)
        page = await paginate_listing(
            models.Membership,
            alliance_resolvers.members,
            (self.id, query),
            page_request(first, after, last, before, max_size=MAX_MEMBERS_PAGE_SIZE),
            MEMBER_PLACE,
            info.context.loaders.unshown,
            Membership.read,
        )
        if items_select(info, "workingGroups"):
            await prefetch(info.context.loaders.working_groups_by_membership, [member.id for member in page.items])
        return to_connection(page, Membership.from_model)

    @strawberry.field(description="Counts of the members by tier, status, kind and prefecture.")
    async def statistics(
        self,
        status: Annotated[
            MembershipStatus | None,
            strawberry.argument(description="Count only memberships with this status."),
        ] = None,
    ) -> AllianceStatistics:
        stats = await alliance_resolvers.statistics(
            self.id, models.MembershipStatus(status.value) if status else None
        )
        return AllianceStatistics(
            member_count=stats.member_count,
            by_tier=[Tally(key=t.key, count=t.count) for t in stats.by_tier],
            by_status=[Tally(key=t.key, count=t.count) for t in stats.by_status],
            by_kind=[Tally(key=t.key, count=t.count) for t in stats.by_kind],
            by_prefecture=[Tally(key=t.key, count=t.count) for t in stats.by_prefecture],
        )

    @strawberry.field(
        description="Officers and advisers in the order of the official list: the running terms, "
        "or with `includeFormer` every term, each seat's holders oldest first."
    )
    async def officers(
        self,
        info: Info,
        include_former: Annotated[
            bool, strawberry.argument(description="Include terms that have ended.")
        ] = False,
    ) -> list[Officer]:
        rows = await info.context.loaders.officers_by_alliance.load(self.id)
        return [Officer.from_model(row) for row in rows if include_former or row.ended_on is None]

    @strawberry.field(description="The municipalities that staff the secretariat (事務局).")
    async def secretariat(self, info: Info) -> list[Municipality]:
        seats = await info.context.loaders.secretariat_seats_by_alliance.load(self.id)
        rows = await info.context.loaders.municipality_by_id.load_many([s.municipality_id for s in seats])
        return [Municipality.from_model(row) for row in rows]

    @relation("list[WorkingGroup]", description="The working groups, one per theme, by theme number.")
    def working_groups(self, info: Info) -> Loaded[list[WorkingGroup]]:
        return related(
            info.context.loaders.working_groups_by_alliance, self.id, WorkingGroup.read
        )


def membership_query(
    filter: MembershipFilter | None, order_by: MembershipOrder | None
) -> alliance_resolvers.MembershipQuery:
    filter = filter or MembershipFilter()
    order_by = order_by or MembershipOrder()
    return alliance_resolvers.MembershipQuery(
        tier=models.MembershipTier(filter.tier.value) if filter.tier else None,
        status=models.MembershipStatus(filter.status.value) if filter.status else None,
        prefecture_code=filter.prefecture_code,
        kind=models.MunicipalityKind(filter.kind.value) if filter.kind else None,
        search=filter.search,
        order_by=alliance_resolvers.MembershipOrderField[order_by.field.name],
        descending=order_by.direction is OrderDirection.DESC,
    )
