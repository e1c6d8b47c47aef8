"""Writing the seed dataset into the database: idempotent and in one transaction.

Every row is matched on its natural key (code, slug, number, …) and only written when it is new
or differs, so a second run changes nothing and reports nothing. All roster names are resolved
before the first write: a name that cannot be resolved stops the load with nothing written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.transactions import in_transaction

from models import (
    Alliance,
    Audience,
    CaseStudy,
    Membership,
    MembershipChange,
    MembershipChangeKind,
    MembershipNoteKind,
    MembershipStatus,
    MembershipTier,
    Municipality,
    MunicipalityKind,
    Offering,
    OfferingKind,
    Officer,
    OfficerRole,
    Partner,
    PartnerKind,
    Pillar,
    PillarKey,
    Prefecture,
    SearchEntry,
    SecretariatSeat,
    Theme,
    WorkingGroup,
)
from seed.dataset import Dataset
from seed.organisations import partners_named
from seed.roster import Registry, RegistryEntry, Resolution, UnresolvedName
from seed.search_bodies import bodies_are_current, record_body_format, search_rows

M = TypeVar("M", bound=Model)
EXPO_SLUG = "expo2025"


class SeedError(Exception):
    """The dataset cannot be loaded as it stands; the message says what to fix."""


@dataclass
class SeedReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    corrections: list[Resolution] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        lines = [
            f"corrected {c.entry.prefecture_name} {c.printed_name} → {c.entry.name} "
            f"({c.entry.code}): {c.correction}"
            for c in self.corrections
        ]
        for table in sorted(set(self.created) | set(self.updated)):
            lines.append(f"{table}: {self.created[table]} created, {self.updated[table]} updated")
        if not self.changed:
            lines.append("nothing to change: the database already holds the dataset")
        return lines


@dataclass(frozen=True)
class RosterMember:
    resolution: Resolution
    tier: MembershipTier


def resolve_roster(dataset: Dataset) -> list[RosterMember]:
    """Map every printed roster name to the registry, or refuse with every problem listed."""
    registry = Registry(
        [
            RegistryEntry(row["code"], prefecture_name, row["name"])
            for prefecture_name, rows in _municipalities_by_prefecture_name(dataset).items()
            for row in rows
        ]
    )
    problems: list[str] = []
    resolutions: list[Resolution] = []
    for block in dataset.roster["prefecture"]:
        if len(block["members"]) != block["count"]:
            problems.append(
                f"{block['name']}: the deck says {block['count']} members, the list has "
                f"{len(block['members'])}"
            )
        for printed in block["members"]:
            try:
                resolutions.append(registry.resolve(block["name"], printed))
            except UnresolvedName as error:
                problems.append(f"cannot resolve {error}")
    codes = [r.entry.code for r in resolutions]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        problems.append(f"listed twice: {', '.join(duplicates)}")
    if len(resolutions) != dataset.roster["total"]:
        problems.append(f"the roster has {len(resolutions)} names, the deck says {dataset.roster['total']}")
    full = {(row["prefecture"], row["name"]) for row in dataset.full_members}
    members = {(r.entry.prefecture_name, r.entry.name) for r in resolutions}
    problems += [f"full member {p} {n} is not on the roster" for p, n in sorted(full - members)]
    if problems:
        raise SeedError("the seed dataset was not loaded:\n  " + "\n  ".join(problems))
    return [
        RosterMember(
            r,
            MembershipTier.FULL
            if (r.entry.prefecture_name, r.entry.name) in full
            else MembershipTier.SUPPORTING,
        )
        for r in resolutions
    ]


def _municipalities_by_prefecture_name(dataset: Dataset) -> dict[str, list[dict[str, str]]]:
    names = {row["code"]: row["name"] for row in dataset.prefectures}
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in dataset.municipalities:
        grouped.setdefault(names[row["prefecture_code"]], []).append(row)
    return grouped


async def load_dataset(dataset: Dataset) -> SeedReport:
    roster = resolve_roster(dataset)
    loader = _Loader(dataset, SeedReport(corrections=[m.resolution for m in roster if m.resolution.correction]))
    async with in_transaction():
        await loader.load(roster)
    return loader.report


class _Loader:
    def __init__(self, dataset: Dataset, report: SeedReport) -> None:
        self.dataset = dataset
        self.report = report

    async def upsert(
        self, model: type[M], key: Callable[[Any], Hashable], rows: list[dict[str, Any]]
    ) -> dict[Hashable, M]:
        """Create the rows that are missing, update the ones that differ; return all by key."""
        table = model._meta.db_table
        existing = {key(obj): obj for obj in await model.all()}
        missing = []
        for row in rows:
            current = existing.get(key(row))
            if current is None:
                missing.append(model(**row))
                continue
            changed = [name for name, value in row.items() if getattr(current, name) != value]
            if changed:
                current.update_from_dict({name: row[name] for name in changed})
                await current.save(update_fields=changed)
                self.report.updated[table] += 1
        if missing:
            await model.bulk_create(missing)
            self.report.created[table] += len(missing)
        return {key(obj): obj for obj in await model.all()}

    async def sync_related(self, owner: Model, relation: str, wanted: Sequence[Model]) -> None:
        manager = getattr(owner, relation)
        current = {obj.pk for obj in await manager.all()}
        target = {obj.pk for obj in wanted}
        if current == target:
            return
        if current - target:
            await manager.remove(*[obj for obj in await manager.all() if obj.pk not in target])
        if target - current:
            await manager.add(*[obj for obj in wanted if obj.pk not in current])
        counter = self.report.updated if current else self.report.created
        counter[f"{owner._meta.db_table}.{relation}"] += 1

    async def load(self, roster: list[RosterMember]) -> None:
        prefectures = await self.upsert(
            Prefecture, lambda r: _get(r, "code"), [dict(row) for row in self.dataset.prefectures]
        )
        municipalities = await self.upsert(
            Municipality,
            lambda r: _get(r, "code"),
            [
                {
                    "code": row["code"],
                    "name": row["name"],
                    "name_kana": row["name_kana"],
                    "name_en": row["name_en"],
                    "kind": MunicipalityKind(row["kind"]),
                    "prefecture_id": prefectures[row["prefecture_code"]].id,
                }
                for row in self.dataset.municipalities
            ],
        )
        prefecture_names = {p.id: p.name for p in prefectures.values()}
        by_name = {(prefecture_names[m.prefecture_id], m.name): m for m in municipalities.values()}
        alliances = await self.load_alliances()
        await self.load_officers(alliances, by_name)
        themes = await self.load_themes()
        await self.load_memberships(alliances, municipalities, roster)
        await self.upsert(
            WorkingGroup,
            lambda r: (_get(r, "alliance_id"), _get(r, "theme_id")),
            [{"alliance_id": alliances[EXPO_SLUG].id, "theme_id": t.id} for t in themes.values()],
        )
        partners = await self.load_partners(themes)
        await self.load_case_studies(themes, municipalities, prefectures, partners)
        await self.load_search_entries()

    async def load_alliances(self) -> dict[Hashable, Alliance]:
        rows = [
            {key: entry.get(key) for key in
             ("slug", "name", "name_en", "short_name", "founded_on", "mission", "vision")}
            for entry in self.dataset.alliances["alliance"]
        ]
        alliances = await self.upsert(Alliance, lambda r: _get(r, "slug"), rows)
        links = [
            {**row, "predecessor_id": alliances[entry["predecessor"]].id}
            for row, entry in zip(rows, self.dataset.alliances["alliance"], strict=True)
            if "predecessor" in entry
        ]
        return await self.upsert(Alliance, lambda r: _get(r, "slug"), links) if links else alliances

    async def load_officers(self, alliances: dict, by_name: dict) -> None:
        officer_rows, seat_rows = [], []
        for alliance in alliances.values():
            handover = self.successor_founding(alliance, alliances)
            for position, officer in enumerate(self.dataset.alliances["officer"]):
                seat = officer.get("municipality")
                officer_rows.append(
                    {
                        "alliance_id": alliance.id,
                        "role": OfficerRole(officer["role"]),
                        "person_name": officer["person_name"],
                        "title": officer.get("title"),
                        "municipality_id": by_name[tuple(seat)].id if seat else None,
                        "started_on": None if alliance.predecessor_id is None else alliance.founded_on,
                        "ended_on": handover,
                        "position": position,
                    }
                )
            for position, seat in enumerate(self.dataset.alliances["secretariat"]):
                seat_rows.append(
                    {
                        "alliance_id": alliance.id,
                        "municipality_id": by_name[tuple(seat["municipality"])].id,
                        "position": position,
                    }
                )
        await self.upsert(
            Officer,
            lambda r: (_get(r, "alliance_id"), _get(r, "role"), _get(r, "person_name")),
            officer_rows,
        )
        await self.upsert(
            SecretariatSeat,
            lambda r: (_get(r, "alliance_id"), _get(r, "municipality_id")),
            seat_rows,
        )

    @staticmethod
    def successor_founding(alliance: Alliance, alliances: dict) -> dt.date | None:
        for other in alliances.values():
            if other.predecessor_id == alliance.id:
                return other.founded_on
        return None

    async def load_memberships(
        self, alliances: dict, municipalities: dict, roster: list[RosterMember]
    ) -> None:
        for alliance in alliances.values():
            handover = self.successor_founding(alliance, alliances)
            carried_over = alliance.predecessor_id is not None
            before = {m.municipality_id: m for m in await Membership.filter(alliance_id=alliance.id)}
            rows = [
                {
                    "alliance_id": alliance.id,
                    "municipality_id": municipalities[member.resolution.entry.code].id,
                    "tier": member.tier,
                    "status": MembershipStatus.TRANSFERRED if handover else MembershipStatus.ACTIVE,
                    "joined_on": alliance.founded_on if carried_over else None,
                    "left_on": handover,
                }
                for member in roster
            ]
            after = await self.upsert(
                Membership, lambda r: (_get(r, "alliance_id"), _get(r, "municipality_id")), rows
            )
            await self.record_history(alliance, before, after, handover)

    async def record_history(
        self, alliance: Alliance, before: dict, after: dict, handover: dt.date | None
    ) -> None:
        changes: list[MembershipChange] = []
        for (alliance_id, municipality_id), membership in after.items():
            if alliance_id != alliance.id:
                continue
            previous = before.get(municipality_id)
            if previous is None:
                changes += self.opening_history(alliance, membership, handover)
            elif previous.tier != membership.tier:
                changes.append(
                    MembershipChange(
                        membership_id=membership.id,
                        kind=MembershipChangeKind.TIER_CHANGED,
                        tier_before=previous.tier,
                        tier_after=membership.tier,
                        note_kind=MembershipNoteKind.SEED_CORRECTION,
                    )
                )
        if changes:
            await MembershipChange.bulk_create(changes)
            self.report.created["membership_change"] += len(changes)

    @staticmethod
    def opening_history(
        alliance: Alliance, membership: Membership, handover: dt.date | None
    ) -> list[MembershipChange]:
        if alliance.predecessor_id is not None:
            return [
                MembershipChange(
                    membership_id=membership.id,
                    kind=MembershipChangeKind.CARRIED_OVER,
                    tier_after=membership.tier,
                    status_after=MembershipStatus.ACTIVE,
                    effective_on=alliance.founded_on,
                    note_kind=MembershipNoteKind.FROM_PREDECESSOR,
                )
            ]
        opening = [
            MembershipChange(
                membership_id=membership.id,
                kind=MembershipChangeKind.JOINED,
                tier_after=membership.tier,
                status_after=MembershipStatus.ACTIVE,
            )
        ]
        if handover:
            opening.append(
                MembershipChange(
                    membership_id=membership.id,
                    kind=MembershipChangeKind.STATUS_CHANGED,
                    status_before=MembershipStatus.ACTIVE,
                    status_after=MembershipStatus.TRANSFERRED,
                    effective_on=handover,
                    note_kind=MembershipNoteKind.TO_SUCCESSOR,
                )
            )
        return opening

    async def load_themes(self) -> dict[Hashable, Theme]:
        pillars = await self.upsert(
            Pillar,
            lambda r: _get(r, "key"),
            [
                {
                    "key": PillarKey(p["key"]),
                    "name": p["name"],
                    "name_en": p["name_en"],
                    "domain": p["domain"],
                    "tagline": p["tagline"],
                    "position": position,
                }
                for position, p in enumerate(self.dataset.themes["pillar"])
            ],
        )
        return await self.upsert(
            Theme,
            lambda r: _get(r, "number"),
            [
                {
                    **{key: t[key] for key in ("number", "roman", "title", "title_en", "heading",
                                              "legacy", "legacy_goals", "summary")},
                    "pillar_id": pillars[PillarKey(t["pillar"])].id,
                }
                for t in self.dataset.themes["theme"]
            ],
        )

    async def load_partners(self, themes: dict) -> dict[Hashable, Partner]:
        partners = await self.upsert(
            Partner,
            lambda r: _get(r, "slug"),
            [
                {
                    "slug": p["slug"],
                    "name": p["name"],
                    "name_en": p.get("name_en"),
                    "kind": PartnerKind(p["kind"]),
                    "description": p["description"],
                }
                for p in self.dataset.partners
            ],
        )
        offering_rows = [
            {
                "slug": o["slug"],
                "partner_id": partners[p["slug"]].id,
                "title": o["title"],
                "kind": OfferingKind(o["kind"]),
                "summary": o["summary"],
                "legacy_goals": o.get("legacy_goals", []),
                "audience": Audience(o["audience"]),
                "capacity": o.get("capacity"),
                "starts_on": o.get("starts_on"),
                "ends_on": o.get("ends_on"),
            }
            for p in self.dataset.partners
            for o in p.get("offering", [])
        ]
        offerings = await self.upsert(Offering, lambda r: _get(r, "slug"), offering_rows)
        for p in self.dataset.partners:
            for o in p.get("offering", []):
                await self.sync_related(
                    offerings[o["slug"]], "themes", [themes[number] for number in o["themes"]]
                )
        return partners

    async def load_case_studies(
        self, themes: dict, municipalities: dict, prefectures: dict, partners: dict
    ) -> None:
        rows = [
            {
                "slug": c["slug"],
                "title": c["title"],
                "organisation": c["organisation"],
                "category": c.get("category"),
                "summary": c["summary"],
                "outcome": c.get("outcome"),
                "year": c.get("year"),
                "source": c["source"],
                "proposals_received": c.get("pitch", {}).get("proposals_received"),
                "proposals_selected": c.get("pitch", {}).get("proposals_selected"),
                "programme": c.get("pitch", {}).get("programme"),
                "co_creators": c.get("partners", []),
            }
            for c in self.dataset.case_studies
        ]
        cases = await self.upsert(CaseStudy, lambda r: _get(r, "slug"), rows)
        for c in self.dataset.case_studies:
            case = cases[c["slug"]]
            await self.sync_related(case, "themes", [themes[n] for n in c["themes"]])
            await self.sync_related(
                case, "municipalities", [municipalities[code] for code in c["municipalities"]]
            )
            await self.sync_related(
                case, "prefectures", [prefectures[code] for code in c["prefectures"]]
            )
            named = [c["organisation"], *c.get("partners", [])]
            await self.sync_related(case, "partners", partners_named(named, partners.values()))

    async def load_search_entries(self) -> None:
        await self.upsert(
            SearchEntry,
            lambda r: (_get(r, "kind"), _get(r, "object_id")),
            await search_rows(),
        )
        if not await bodies_are_current():
            await record_body_format()


def _get(row: Any, name: str) -> Any:
    return row[name] if isinstance(row, dict) else getattr(row, name)
