"""Per-request DataLoaders: every relation a nested query walks costs one statement per level.

Loaders are named `<things>_by_<key>` and built fresh for each request (see `schema.context`),
so nothing cached outlives the request that fetched it. A statement that joins related rows in
(`select_related`) hands them to their by-id loaders (`Loaders.prime`): a field asking for them
then costs no statement, and finds them at once (see `schema.relation.related`). Rows read as
tables keep the rows joined to them instead (`resolvers.db.rows`), which the schema reads into
the joined objects' fields (`schema.rows`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.expressions import F, Q, RawSQL
from tortoise.functions import Count, Sum
from tortoise.models import Model

from i18n import Named
from models import (
    Alliance,
    ApiToken,
    AuditEntry,
    Bulletin,
    CaseStudy,
    CaseStudyAdoption,
    Challenge,
    Contact,
    Dues,
    Event,
    EventRegistration,
    EventRegistrationStatus,
    Introduction,
    Membership,
    MembershipChange,
    Municipality,
    Notification,
    Offering,
    OfferingRequest,
    Officer,
    Partner,
    Pillar,
    Prefecture,
    ProcurementGroup,
    ProcurementParticipation,
    Proposal,
    ProposalStatus,
    SecretariatSeat,
    Theme,
    User,
    WorkingGroup,
)
from resolvers.access import Actor
from resolvers.bulletin_delivery import DeliveryCounts, delivery_counts
from resolvers.bulletin_files import AttachedFile, attached_files
from resolvers.db.rows import TableQuery, UnshownColumns, grouped_by, models_on
from resolvers.db.statements import Table
from resolvers.event import registration_counts
from resolvers.matching import (
    OfferingCandidate,
    PartnerRecord,
    PeerProfile,
    load_offering_candidates,
    load_partner_records,
    load_peer_profiles,
)
from resolvers.offering_request import HOLDS_A_PLACE
from resolvers.procurement import Totals

M = TypeVar("M", bound=Model)
# Hands the rows a `select_related` joined to their by-id loaders: `Loaders.prime`.
ShareJoinedRows = Callable[[Iterable[Model], str], None]
T = TypeVar("T")
# The key of a loader that loads one thing per request (`loaded_once`).
ONLY_KEY = 0
# The active participants of each working group, counted beside the group's own columns.
PARTICIPANT_COUNT = RawSQL(
    '(SELECT COUNT(*) FROM "working_group_participant" AS "seat" '
    'WHERE "seat"."working_group_id" = "working_group"."id" AND "seat"."left_on" IS NULL)'
)


def rows_by_id(model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: Sequence[int]) -> list[M | None]:
        rows = {row.pk: row for row in await model.filter(pk__in=ids)}
        return [rows.get(i) for i in ids]

    return DataLoader(load_fn=load)


def loaded_once(load: Callable[[], Awaitable[T]]) -> DataLoader[int, T]:
    """Something loaded once per request, however many fields ask for it (at `ONLY_KEY`)."""

    async def load_fn(keys: Sequence[int]) -> list[T]:
        value = await load()
        return [value for _ in keys]

    return DataLoader(load_fn=load_fn)


def rows_grouped_by(
    model: type[M], key: str, **filters: Any
) -> DataLoader[int, list[M]]:
    """All rows of `model` whose `key` column is one of the requested ids, in model order."""

    async def load(ids: Sequence[int]) -> list[list[M]]:
        grouped: dict[int, list[M]] = defaultdict(list)
        for row in await model.filter(**{f"{key}__in": ids}, **filters):
            grouped[getattr(row, key)].append(row)
        return [grouped[i] for i in ids]

    return DataLoader(load_fn=load)


def related_rows(model: type[Model], relation: str, order: Callable[[Any], Any]) -> DataLoader[int, list[Any]]:
    """The rows a many-to-many `relation` of `model` links to, for many owners at once."""

    async def load(ids: Sequence[int]) -> list[list[Any]]:
        owners = await model.filter(pk__in=ids).prefetch_related(relation)
        linked = {owner.pk: sorted(getattr(owner, relation), key=order) for owner in owners}
        return [linked.get(i, []) for i in ids]

    return DataLoader(load_fn=load)


ACTIVE_WORKING_GROUPS_BY_MEMBERSHIP = TableQuery(
    WorkingGroup,
    "theme",
    lambda ids: WorkingGroup.filter(participants__membership_id__in=ids, participants__left_on=None)
    .annotate(member_key=F("participants__membership_id"))
    .order_by("theme_id"),
    "member_key",
)


def active_working_groups_by_membership(unshown: UnshownColumns) -> DataLoader[int, Table]:
    """With each group's theme, in one statement, read as a table (`resolvers.db.rows`); by theme."""

    async def load(ids: Sequence[int]) -> list[Table]:
        return grouped_by(await ACTIVE_WORKING_GROUPS_BY_MEMBERSHIP.read(unshown, list(ids)), "member_key", ids)

    return DataLoader(load_fn=load)


def active_participants_by_working_group(prime: ShareJoinedRows) -> DataLoader[int, list[Membership]]:
    """The memberships taking part in each group, with their municipality, in one statement;
    by municipality code."""

    async def load(ids: Sequence[int]) -> list[list[Membership]]:
        grouped: dict[int, list[Membership]] = defaultdict(list)
        # Memberships, each annotated with its `group_key`, which the model does not declare.
        rows: list[Any] = await (
            Membership.filter(working_group_seats__working_group_id__in=ids, working_group_seats__left_on=None)
            .select_related("municipality")
            .annotate(group_key=F("working_group_seats__working_group_id"))
            .order_by("municipality__code", "id")
        )
        prime(rows, "municipality")
        for row in rows:
            grouped[row.group_key].append(row)
        return [grouped[i] for i in ids]

    return DataLoader(load_fn=load)


WORKING_GROUPS_BY = {
    key: TableQuery(
        WorkingGroup,
        "alliance",
        lambda ids, key=key: WorkingGroup.filter(**{f"{key}__in": ids})
        .annotate(participant_count=PARTICIPANT_COUNT)
        .order_by("alliance_id", "theme_id"),
        "participant_count",
    )
    for key in ("alliance_id", "theme_id")
}


def working_groups_grouped_by(key: str, counts: DataLoader[int, int], unshown: UnshownColumns) -> DataLoader[int, Table]:
    """Working groups with their alliance and their count of active participants, in one
    statement, read as a table (`resolvers.db.rows`)."""

    async def load(ids: Sequence[int]) -> list[Table]:
        table = await WORKING_GROUPS_BY[key].read(unshown, list(ids))
        group, count = table.columns.index("id"), table.columns.index("participant_count")
        counts.prime_many({values[group]: values[count] for values in table.rows})
        return grouped_by(table, key, ids)

    return DataLoader(load_fn=load)


def participant_count_by_working_group() -> DataLoader[int, int]:
    async def load(ids: Sequence[int]) -> list[int]:
        rows = await WorkingGroup.filter(pk__in=ids).annotate(count=PARTICIPANT_COUNT).values_list("id", "count")
        counts = dict(rows)
        return [counts.get(i, 0) for i in ids]

    return DataLoader(load_fn=load)


OFFERINGS_BY_THEME = TableQuery(
    Offering,
    "partner",
    lambda ids: Offering.filter(themes__id__in=ids).annotate(theme_key=F("themes__id")).order_by("id"),
    "theme_key",
)


def offerings_by_theme(unshown: UnshownColumns) -> DataLoader[int, Table]:
    """With each offering's partner, in one statement, read as a table (`resolvers.db.rows`); by
    offering id."""

    async def load(ids: Sequence[int]) -> list[Table]:
        return grouped_by(await OFFERINGS_BY_THEME.read(unshown, list(ids)), "theme_key", ids)

    return DataLoader(load_fn=load)


def places_taken_by_offering() -> DataLoader[int, int]:
    async def load(ids: Sequence[int]) -> list[int]:
        rows = (
            await OfferingRequest.filter(offering_id__in=ids, status__in=HOLDS_A_PLACE)
            .annotate(taken=Count("id"))
            .group_by("offering_id")
            .values_list("offering_id", "taken")
        )
        taken = dict(rows)
        return [taken.get(i, 0) for i in ids]

    return DataLoader(load_fn=load)


def proposal_count_by_challenge() -> DataLoader[int, int]:
    async def load(ids: Sequence[int]) -> list[int]:
        rows = (
            await Proposal.filter(challenge_id__in=ids, status__not=ProposalStatus.WITHDRAWN)
            .annotate(count=Count("id"))
            .group_by("challenge_id")
            .values_list("challenge_id", "count")
        )
        counts = dict(rows)
        return [counts.get(i, 0) for i in ids]

    return DataLoader(load_fn=load)


def registration_counts_by_event() -> DataLoader[int, dict[EventRegistrationStatus, int]]:
    async def load(ids: Sequence[int]) -> list[dict[EventRegistrationStatus, int]]:
        counts = await registration_counts(ids)
        return [counts[i] for i in ids]

    return DataLoader(load_fn=load)


def event_registrations_by_id() -> DataLoader[int, EventRegistration | None]:
    """With each registration's event, which `EventRegistration.is_visible` needs."""

    async def load(ids: Sequence[int]) -> list[EventRegistration | None]:
        rows = {row.pk: row for row in await EventRegistration.filter(pk__in=ids).select_related("event")}
        return [rows.get(i) for i in ids]

    return DataLoader(load_fn=load)


def procurement_totals_by_group() -> DataLoader[int, Totals]:
    """Each group's live participant count and combined quantity, summed by the database."""

    async def load(ids: Sequence[int]) -> list[Totals]:
        rows = (
            await ProcurementParticipation.filter(group_id__in=ids, left_at=None)
            .annotate(count=Count("id"), total=Sum("quantity"))
            .group_by("group_id")
            .values_list("group_id", "count", "total")
        )
        totals = {group_id: Totals(count, total) for group_id, count, total in rows}
        return [totals.get(i, Totals()) for i in ids]

    return DataLoader(load_fn=load)


def successors_by_alliance() -> DataLoader[int, Alliance | None]:
    async def load(ids: Sequence[int]) -> list[Alliance | None]:
        rows = {row.predecessor_id: row for row in await Alliance.filter(predecessor_id__in=ids)}
        return [rows.get(i) for i in ids]

    return DataLoader(load_fn=load)


def introductions_by_municipality() -> DataLoader[int, list[Introduction]]:
    """Every request for an introduction a municipality sent or received, newest first."""

    async def load(ids: Sequence[int]) -> list[list[Introduction]]:
        wanted = set(ids)
        rows = await Introduction.filter(Q(requester_id__in=ids) | Q(peer_id__in=ids)).order_by("-id")
        by_municipality: dict[int, list[Introduction]] = defaultdict(list)
        for row in rows:
            for side in {row.requester_id, row.peer_id} & wanted:
                by_municipality[side].append(row)
        return [by_municipality[i] for i in ids]

    return DataLoader(load_fn=load)


def every_column_shown(model: type[Model]) -> frozenset[str]:
    """No column left unread: what loaders read before the executor has said what a query shows."""
    return frozenset()


class Loaders:
    """The DataLoaders of one request, created on first use."""

    def __init__(self) -> None:
        # The columns the request's query shows nowhere, by model, once the executor has said
        # (`schema.engine.selection.Selection.unshown`); until then, every column is read.
        self.unshown: UnshownColumns = every_column_shown

    def close(self) -> None:
        """Let go of every loader, once the request is answered.

        The loaders that prime others hold these loaders (through `prime`), and graphql-core's
        executor holds itself and so the context: cycles that only the garbage collector breaks.
        Until it ran, every row and object the request read stayed in memory, and made its
        collections slow. Dropped here, they go as soon as the answer is built.
        """
        self.__dict__.clear()

    def prime(self, rows: Iterable[Model], path: str) -> None:
        """Hand the rows a `select_related(path)` joined to `rows` to their by-id loaders.

        `path` is a chain of foreign keys (`"municipality__prefecture"`); every model on it
        needs a `<table>_by_id` loader. (Rows read as tables need none of this: their objects
        hold the objects joined to them, `schema.rows`.) Keep chains short:
        Tortoise names each joined column `<table>__<relation>.<column>`, and PostgreSQL cuts
        names at 63 characters, which leaves a row's deeper columns unset.
        """
        level: list[Any] = list(rows)
        if not level:
            return
        first: Model = level[0]
        joined_models = [joined for _, joined in models_on(type(first), path)[1:]]
        for name, joined in zip(path.split("__"), joined_models, strict=True):
            level = [related for row in level if (related := getattr(row, name)) is not None]
            if level:
                self.by_id(joined).prime_many({row.pk: row for row in level})

    @cached_property
    def alliance_by_id(self) -> DataLoader[int, Alliance | None]:
        return rows_by_id(Alliance)

    @cached_property
    def api_token_by_id(self) -> DataLoader[int, ApiToken | None]:
        return rows_by_id(ApiToken)

    @cached_property
    def audit_entry_by_id(self) -> DataLoader[int, AuditEntry | None]:
        return rows_by_id(AuditEntry)

    @cached_property
    def challenge_by_id(self) -> DataLoader[int, Challenge | None]:
        return rows_by_id(Challenge)

    @cached_property
    def contact_by_id(self) -> DataLoader[int, Contact | None]:
        return rows_by_id(Contact)

    @cached_property
    def dues_by_id(self) -> DataLoader[int, Dues | None]:
        return rows_by_id(Dues)

    @cached_property
    def event_by_id(self) -> DataLoader[int, Event | None]:
        return rows_by_id(Event)

    @cached_property
    def event_registration_by_id(self) -> DataLoader[int, EventRegistration | None]:
        return event_registrations_by_id()

    @cached_property
    def notification_by_id(self) -> DataLoader[int, Notification | None]:
        return rows_by_id(Notification)

    @cached_property
    def offering_request_by_id(self) -> DataLoader[int, OfferingRequest | None]:
        return rows_by_id(OfferingRequest)

    @cached_property
    def introduction_by_id(self) -> DataLoader[int, Introduction | None]:
        return rows_by_id(Introduction)

    @cached_property
    def introductions_by_municipality(self) -> DataLoader[int, list[Introduction]]:
        return introductions_by_municipality()

    @cached_property
    def officer_by_id(self) -> DataLoader[int, Officer | None]:
        return rows_by_id(Officer)

    @cached_property
    def proposal_by_id(self) -> DataLoader[int, Proposal | None]:
        return rows_by_id(Proposal)

    @cached_property
    def user_by_id(self) -> DataLoader[int, User | None]:
        return rows_by_id(User)

    @cached_property
    def bulletin_by_id(self) -> DataLoader[int, Bulletin | None]:
        return rows_by_id(Bulletin)

    @cached_property
    def attachments_by_bulletin(self) -> DataLoader[int, list[AttachedFile]]:
        return DataLoader(load_fn=attached_files)

    @cached_property
    def delivery_by_bulletin(self) -> DataLoader[int, DeliveryCounts]:
        async def load(ids: Sequence[int]) -> list[DeliveryCounts]:
            counts = await delivery_counts(ids)
            return [counts[i] for i in ids]

        return DataLoader(load_fn=load)

    @cached_property
    def procurement_group_by_id(self) -> DataLoader[int, ProcurementGroup | None]:
        return rows_by_id(ProcurementGroup)

    @cached_property
    def case_study_by_id(self) -> DataLoader[int, CaseStudy | None]:
        return rows_by_id(CaseStudy)

    @cached_property
    def membership_by_id(self) -> DataLoader[int, Membership | None]:
        return rows_by_id(Membership)

    @cached_property
    def municipality_by_id(self) -> DataLoader[int, Municipality | None]:
        return rows_by_id(Municipality)

    @cached_property
    def offering_by_id(self) -> DataLoader[int, Offering | None]:
        return rows_by_id(Offering)

    @cached_property
    def partner_by_id(self) -> DataLoader[int, Partner | None]:
        return rows_by_id(Partner)

    @cached_property
    def pillar_by_id(self) -> DataLoader[int, Pillar | None]:
        return rows_by_id(Pillar)

    @cached_property
    def prefecture_by_id(self) -> DataLoader[int, Prefecture | None]:
        return rows_by_id(Prefecture)

    @cached_property
    def theme_by_id(self) -> DataLoader[int, Theme | None]:
        return rows_by_id(Theme)

    @cached_property
    def working_group_by_id(self) -> DataLoader[int, WorkingGroup | None]:
        return rows_by_id(WorkingGroup)

    @cached_property
    def memberships_by_municipality(self) -> DataLoader[int, list[Membership]]:
        return rows_grouped_by(Membership, "municipality_id")

    @cached_property
    def changes_by_membership(self) -> DataLoader[int, list[MembershipChange]]:
        return rows_grouped_by(MembershipChange, "membership_id")

    @cached_property
    def contacts_by_municipality(self) -> DataLoader[int, list[Contact]]:
        return rows_grouped_by(Contact, "municipality_id")

    @cached_property
    def dues_by_membership(self) -> DataLoader[int, list[Dues]]:
        return rows_grouped_by(Dues, "membership_id")

    @cached_property
    def places_taken_by_offering(self) -> DataLoader[int, int]:
        return places_taken_by_offering()

    @cached_property
    def proposals_by_challenge(self) -> DataLoader[int, list[Proposal]]:
        return rows_grouped_by(Proposal, "challenge_id")

    @cached_property
    def proposal_count_by_challenge(self) -> DataLoader[int, int]:
        return proposal_count_by_challenge()

    @cached_property
    def themes_by_challenge(self) -> DataLoader[int, list[Theme]]:
        return related_rows(Challenge, "themes", order=lambda t: t.number)

    @cached_property
    def registration_counts_by_event(self) -> DataLoader[int, dict[EventRegistrationStatus, int]]:
        return registration_counts_by_event()

    @cached_property
    def registrations_by_event(self) -> DataLoader[int, list[EventRegistration]]:
        return rows_grouped_by(EventRegistration, "event_id")

    @cached_property
    def live_participations_by_procurement_group(self) -> DataLoader[int, list[ProcurementParticipation]]:
        return rows_grouped_by(ProcurementParticipation, "group_id", left_at=None)

    @cached_property
    def procurement_totals_by_group(self) -> DataLoader[int, Totals]:
        return procurement_totals_by_group()

    @cached_property
    def officers_by_alliance(self) -> DataLoader[int, list[Officer]]:
        return rows_grouped_by(Officer, "alliance_id")

    @cached_property
    def secretariat_seats_by_alliance(self) -> DataLoader[int, list[SecretariatSeat]]:
        return rows_grouped_by(SecretariatSeat, "alliance_id")

    @cached_property
    def working_groups_by_alliance(self) -> DataLoader[int, Table]:
        return working_groups_grouped_by("alliance_id", self.participant_count_by_working_group, self.unshown)

    @cached_property
    def working_groups_by_theme(self) -> DataLoader[int, Table]:
        return working_groups_grouped_by("theme_id", self.participant_count_by_working_group, self.unshown)

    @cached_property
    def participant_count_by_working_group(self) -> DataLoader[int, int]:
        return participant_count_by_working_group()

    @cached_property
    def active_participants_by_working_group(self) -> DataLoader[int, list[Membership]]:
        return active_participants_by_working_group(self.prime)

    @cached_property
    def working_groups_by_membership(self) -> DataLoader[int, Table]:
        return active_working_groups_by_membership(self.unshown)

    @cached_property
    def themes_by_pillar(self) -> DataLoader[int, list[Theme]]:
        return rows_grouped_by(Theme, "pillar_id")

    @cached_property
    def offerings_by_partner(self) -> DataLoader[int, list[Offering]]:
        return rows_grouped_by(Offering, "partner_id")

    @cached_property
    def successor_by_alliance(self) -> DataLoader[int, Alliance | None]:
        return successors_by_alliance()

    @cached_property
    def themes_by_offering(self) -> DataLoader[int, list[Theme]]:
        return related_rows(Offering, "themes", order=lambda t: t.number)

    @cached_property
    def offerings_by_theme(self) -> DataLoader[int, Table]:
        return offerings_by_theme(self.unshown)

    @cached_property
    def themes_by_event(self) -> DataLoader[int, list[Theme]]:
        return related_rows(Event, "themes", order=lambda t: t.number)

    @cached_property
    def themes_by_case_study(self) -> DataLoader[int, list[Theme]]:
        return related_rows(CaseStudy, "themes", order=lambda t: t.number)

    @cached_property
    def municipalities_by_case_study(self) -> DataLoader[int, list[Municipality]]:
        return related_rows(CaseStudy, "municipalities", order=lambda m: m.code)

    @cached_property
    def prefectures_by_case_study(self) -> DataLoader[int, list[Prefecture]]:
        return related_rows(CaseStudy, "prefectures", order=lambda p: p.code)

    @cached_property
    def offering_candidates(self) -> DataLoader[int, list[OfferingCandidate]]:
        return loaded_once(load_offering_candidates)

    @cached_property
    def partner_records_seen_by(self) -> DataLoader[Actor, dict[int, PartnerRecord]]:
        """Keyed by the caller: what a record holds depends on who asks."""

        async def load(actors: Sequence[Actor]) -> list[dict[int, PartnerRecord]]:
            return [await load_partner_records(actor) for actor in actors]

        return DataLoader(load_fn=load)

    @cached_property
    def peer_profiles(self) -> DataLoader[int, dict[int, PeerProfile]]:
        return loaded_once(load_peer_profiles)

    @cached_property
    def theme_titles(self) -> DataLoader[int, dict[int, Named]]:
        async def load() -> dict[int, Named]:
            titles = await Theme.all().values_list("number", "title", "title_en")
            return {number: Named(title, title_en) for number, title, title_en in titles}

        return loaded_once(load)

    @cached_property
    def partners_by_case_study(self) -> DataLoader[int, list[Partner]]:
        return related_rows(CaseStudy, "partners", order=lambda p: (p.name, p.id))

    @cached_property
    def adoptions_by_case_study(self) -> DataLoader[int, list[CaseStudyAdoption]]:
        """Newest first; the list's length is the case's adoption count."""
        return rows_grouped_by(CaseStudyAdoption, "case_study_id")

    def by_id(self, model: type[Model]) -> DataLoader[int, Any]:
        """The by-id loader of a model, for `node(id:)` lookups."""
        return getattr(self, f"{model._meta.db_table}_by_id")
