"""Matching, with reasons a person can read.

For a challenge: the offerings (and so the partners) that fit, scored by shared themes, by how
much the texts have in common (the challenge against the offering and against the partner's past
proposals), and by the partner's record. For a municipality: peers with similar public
challenges and themes; for disaster prevention, only peers far enough away not to share the same
disaster, who can therefore help (mutual aid, as the deck describes): in another prefecture and
another region, and at least `MUTUAL_AID_MIN_KM` away.

A score and its reasons use only facts the caller may see. Themes, offerings, public challenges,
working groups and case studies are public and count for everyone; proposals and offering
requests are private to their two parties and count only for those who may see them, so asking
before and after someone proposes tells an outsider nothing.

Every score is a weighted sum of parts in [0, 1]; each part that contributes returns a reason,
a message of the catalogue (`match_reason.*` in `i18n/locales/*/matching.toml`) that reads in the
reader's language, with names (themes, partners, prefectures, regions) in that language too.
Texts are compared as TF-IDF vectors of character bigrams, which suits Japanese (no word
splitter needed); the reasons name the shared kanji terms, never a private proposal's text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from tortoise.expressions import Subquery

from i18n import Named, Text, message
from models import (
    Alliance,
    CaseStudy,
    Challenge,
    Membership,
    MembershipStatus,
    Municipality,
    Offering,
    OfferingRequest,
    OfferingRequestStatus,
    OfferingStatus,
    Prefecture,
    Proposal,
    ProposalStatus,
    WorkingGroupParticipant,
)
from resolvers.access import Actor, visible_to_parties
from resolvers.challenge import PUBLIC_STATUSES
from resolvers.db.rows import column
from resolvers.text import normalise

DISASTER_PREVENTION = 8
MUTUAL_AID_MIN_KM = 300
MUTUAL_AID_FULL_KM = 1000
# The eight regions in prefecture-code order, each with its last prefecture's code.
REGIONS_BY_LAST_CODE = (
    ("Hokkaido", 1), ("Tohoku", 7), ("Kanto", 14), ("Chubu", 23),
    ("Kinki", 30), ("Chugoku", 35), ("Shikoku", 39), ("Kyushu-Okinawa", 47),
)
EARTH_RADIUS_KM = 6371
RUNS = re.compile(r"[\u4e00-\u9fff\u3005]+|[\u30a1-\u30fa\u30fc]+|[a-z0-9]+")
KANJI_TERM = re.compile(r"[\u4e00-\u9fff\u3005]{2}")

OFFERING_WEIGHTS = {"themes": 0.45, "text": 0.40, "record": 0.15}
# Cosine similarities of short Japanese texts are small: this much counts as fully similar.
STRONG_SIMILARITY = 0.3
PEER_WEIGHTS = {"themes": 0.5, "text": 0.3, "distance": 0.2}


class ReasonKind(StrEnum):
    SHARED_THEMES = "SHARED_THEMES"
    SIMILAR_TEXT = "SIMILAR_TEXT"
    SIMILAR_PAST_PROPOSALS = "SIMILAR_PAST_PROPOSALS"
    TRACK_RECORD = "TRACK_RECORD"
    MUTUAL_AID_DISTANCE = "MUTUAL_AID_DISTANCE"


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    weight: float
    message: Text


@dataclass
class Match:
    subject_id: int
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)

    def add(self, kind: ReasonKind, weight: float, message: Text) -> None:
        if weight > 0:
            self.score += weight
            self.reasons.append(Reason(kind, round(weight, 3), message))


# --- text ---------------------------------------------------------------------------------


def bigrams(text: str) -> Counter[str]:
    """Character bigrams within runs of one script (kanji, katakana, latin), after folding."""
    grams: Counter[str] = Counter()
    for run in RUNS.findall(normalise(text)):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


class Corpus:
    """TF-IDF weights over a set of documents, and cosine similarity between any two."""

    def __init__(self, documents: Iterable[Counter[str]]) -> None:
        documents = list(documents)
        frequency: Counter[str] = Counter()
        for document in documents:
            frequency.update(document.keys())
        self.idf = {term: math.log((len(documents) + 1) / (n + 1)) + 1 for term, n in frequency.items()}

    def vector(self, document: Counter[str]) -> dict[str, float]:
        return {term: count * self.idf.get(term, 1.0) for term, count in document.items()}

    def similarity(self, a: Counter[str], b: Counter[str]) -> tuple[float, list[str]]:
        """Cosine similarity, and the shared kanji terms that weigh most in it."""
        va, vb = self.vector(a), self.vector(b)
        shared = va.keys() & vb.keys()
        dot = sum(va[t] * vb[t] for t in shared)
        norm = math.sqrt(sum(v * v for v in va.values())) * math.sqrt(sum(v * v for v in vb.values()))
        terms = sorted((t for t in shared if KANJI_TERM.fullmatch(t)), key=lambda t: -va[t] * vb[t])
        return (dot / norm if norm else 0.0), terms[:3]


def strength(similarity: float) -> float:
    return min(1.0, similarity / STRONG_SIMILARITY)


def terms_phrase(terms: list[str]) -> Text | str:
    return message("match_reason.shared_terms", terms="、".join(terms)) if terms else ""


def listing(names: Iterable[Named]) -> Named:
    """Names as one list, punctuated as each language lists them."""
    names = list(names)
    return Named("、".join(n.ja for n in names), ", ".join(n.render("en") for n in names))


# --- offerings for a challenge ---------------------------------------------------------------


@dataclass(frozen=True)
class OfferingCandidate:
    offering: Offering
    partner_name: Named
    themes: frozenset[int]
    text: Counter[str]


@dataclass(frozen=True)
class ChallengeProfile:
    """The challenge offerings are matched to: its ID, public text and themes."""

    challenge_id: int
    text: str
    themes: set[int]


@dataclass(frozen=True)
class PastProposal:
    challenge_id: int
    text: Counter[str]


@dataclass(frozen=True)
class PartnerRecord:
    """A partner's private activity, as far as one caller may see it."""

    selected: int = 0
    completed: int = 0
    past_proposals: tuple[PastProposal, ...] = ()

    def proposals_before(self, challenge_id: int) -> Counter[str]:
        """Its proposals for other challenges: a challenge is not similar to itself."""
        text: Counter[str] = Counter()
        for proposal in self.past_proposals:
            if proposal.challenge_id != challenge_id:
                text.update(proposal.text)
        return text


NO_RECORD = PartnerRecord()


async def load_offering_candidates() -> list[OfferingCandidate]:
    """Every offering not withdrawn with its public signals: the same for every caller."""
    offerings = await Offering.exclude(status=OfferingStatus.WITHDRAWN).prefetch_related("themes", "partner")
    return [
        OfferingCandidate(
            offering=o,
            partner_name=Named(o.partner.name, o.partner.name_en),
            themes=frozenset(t.number for t in o.themes),
            text=bigrams(" ".join([o.title, o.summary, *o.legacy_goals])),
        )
        for o in offerings
    ]


async def load_partner_records(actor: Actor) -> dict[int, PartnerRecord]:
    """Each partner's proposals and completed offering requests that `actor` may see.

    Both are private between a partner and a municipality, so a score built on them would tell
    an outsider who proposed where: the secretariat counts all, each party its own, anyone else
    none (`resolvers.access.visible_to_parties`).
    """
    past: dict[int, list[PastProposal]] = {}
    selected: Counter[int] = Counter()
    for proposal in await visible_to_parties(actor, Proposal.filter(status__not=ProposalStatus.WITHDRAWN)):
        text = bigrams(f"{proposal.title} {proposal.summary}")
        past.setdefault(proposal.partner_id, []).append(PastProposal(proposal.challenge_id, text))
        if proposal.status is ProposalStatus.SELECTED:
            selected[proposal.partner_id] += 1
    completed = Counter(
        await column(
            visible_to_parties(actor, OfferingRequest.filter(status=OfferingRequestStatus.COMPLETED)), "partner_id"
        )
    )
    return {
        pid: PartnerRecord(selected[pid], completed[pid], tuple(past.get(pid, ())))
        for pid in past.keys() | completed.keys()
    }


def match_offerings(
    candidates: list[OfferingCandidate],
    records: dict[int, PartnerRecord],
    challenge: ChallengeProfile,
    theme_titles: dict[int, Named],
) -> list[Match]:
    """Every offering that fits at all, best first, judged on public signals and on the
    partners' `records` (what the caller may see of their private activity)."""
    query = bigrams(challenge.text)
    idf = Corpus([query, *(c.text for c in candidates)])
    text_scores = {c.offering.id: idf.similarity(query, c.text) for c in candidates}
    past_scores = {
        pid: idf.similarity(query, r.proposals_before(challenge.challenge_id))[0] for pid, r in records.items()
    }

    matches = []
    for candidate in candidates:
        match = Match(candidate.offering.id)
        shared = sorted(candidate.themes & challenge.themes)
        if shared:
            # Jaccard: an offering tagged with every theme is not specific to this challenge.
            overlap = len(shared) / len(candidate.themes | challenge.themes)
            match.add(ReasonKind.SHARED_THEMES, OFFERING_WEIGHTS["themes"] * overlap,
                      message("match_reason.offering.SHARED_THEMES", themes=listing(theme_titles[n] for n in shared),
                              shared=len(shared), of=len(candidate.themes)))
        text, terms = text_scores[candidate.offering.id]
        past = past_scores.get(candidate.offering.partner_id, 0.0)
        if text >= past:
            match.add(ReasonKind.SIMILAR_TEXT, OFFERING_WEIGHTS["text"] * strength(text),
                      message("match_reason.offering.SIMILAR_TEXT", similarity=text, terms=terms_phrase(terms)))
        else:
            match.add(ReasonKind.SIMILAR_PAST_PROPOSALS, OFFERING_WEIGHTS["text"] * strength(past),
                      message("match_reason.offering.SIMILAR_PAST_PROPOSALS", partner=candidate.partner_name))
        record = records.get(candidate.offering.partner_id, NO_RECORD)
        points = 2 * record.selected + record.completed
        match.add(ReasonKind.TRACK_RECORD, OFFERING_WEIGHTS["record"] * min(1.0, points / 6),
                  message("match_reason.offering.TRACK_RECORD", partner=candidate.partner_name,
                          selected=record.selected, completed=record.completed))
        if match.reasons:
            matches.append(match)
    return sorted(matches, key=lambda m: (-m.score, m.subject_id))


# --- peers for a municipality ---------------------------------------------------------------


@dataclass(frozen=True)
class PeerProfile:
    municipality: Municipality
    prefecture: Prefecture
    themes: frozenset[int]
    text: Counter[str]


async def load_peer_profiles() -> dict[int, PeerProfile]:
    """Every municipality with an active membership of a current alliance, with its public signals."""
    succeeded = Subquery(Alliance.filter(predecessor_id__not_isnull=True).values("predecessor_id"))
    member_ids = set(
        await column(
            Membership.filter(status=MembershipStatus.ACTIVE, alliance_id__not_in=succeeded), "municipality_id"
        )
    )
    themes: dict[int, set[int]] = {i: set() for i in member_ids}
    texts: dict[int, list[str]] = {i: [] for i in member_ids}
    for challenge in await Challenge.filter(status__in=PUBLIC_STATUSES).prefetch_related("themes"):
        if challenge.municipality_id in themes:
            themes[challenge.municipality_id].update(t.number for t in challenge.themes)
            texts[challenge.municipality_id].append(f"{challenge.title} {challenge.background} {challenge.desired_outcome}")
    seats = WorkingGroupParticipant.filter(left_on=None).select_related("working_group__theme", "membership")
    for seat in await seats:
        if seat.membership.municipality_id in themes:
            themes[seat.membership.municipality_id].add(seat.working_group.theme.number)
    for case in await CaseStudy.all().prefetch_related("themes", "municipalities"):
        for municipality in case.municipalities:
            if municipality.id in themes:
                themes[municipality.id].update(t.number for t in case.themes)
    municipalities = await Municipality.filter(id__in=member_ids).select_related("prefecture")
    return {
        m.id: PeerProfile(m, m.prefecture, frozenset(themes[m.id]), bigrams(" ".join(texts[m.id])))
        for m in municipalities
    }


def distance_km(a: Prefecture, b: Prefecture) -> float | None:
    """Great-circle distance between two prefectural offices; None if either is not located.

    The registry locates prefectural offices only (`data/prefecture_offices.csv`), so two
    municipalities are as far apart as their prefectures' offices.
    """
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def region_of(prefecture: Prefecture) -> str:
    """The prefecture's region of the usual eight (八地方区分): its code falls in the region's range."""
    number = int(prefecture.code)
    return next(name for name, last in REGIONS_BY_LAST_CODE if number <= last)


@dataclass(frozen=True)
class MutualAid:
    """Why two members can help each other after a disaster: how far apart, and their regions."""

    km: float
    regions: tuple[str, str]


def mutual_aid(a: Prefecture, b: Prefecture) -> MutualAid | None:
    """Two members may count on each other only if one disaster is unlikely to strike both: in
    different prefectures, in different regions (a great earthquake strikes a region, as 2011 struck
    Tohoku from Aomori to Fukushima) and at least `MUTUAL_AID_MIN_KM` apart. None otherwise."""
    regions = (region_of(a), region_of(b))
    km = distance_km(a, b)
    if a.id == b.id or regions[0] == regions[1] or km is None or km < MUTUAL_AID_MIN_KM:
        return None
    return MutualAid(km, regions)


def match_peers(
    profiles: dict[int, PeerProfile], me: PeerProfile, theme_number: int | None, theme_titles: dict[int, Named]
) -> list[Match]:
    """Peers of `me`, best first; for disaster prevention, only those far enough away."""
    interests = set(me.themes) | ({theme_number} if theme_number else set())
    for_mutual_aid = theme_number == DISASTER_PREVENTION
    idf = Corpus(p.text for p in profiles.values())
    matches = []
    for peer in profiles.values():
        if peer.municipality.id == me.municipality.id:
            continue
        match = Match(peer.municipality.id)
        if for_mutual_aid:
            aid = mutual_aid(me.prefecture, peer.prefecture)
            if aid is None:
                continue
            match.add(ReasonKind.MUTUAL_AID_DISTANCE, PEER_WEIGHTS["distance"] * min(1.0, aid.km / MUTUAL_AID_FULL_KM),
                      message("match_reason.peer.MUTUAL_AID_DISTANCE", km=round(aid.km),
                              mine=Named(me.prefecture.name, me.prefecture.name_en),
                              theirs=Named(peer.prefecture.name, peer.prefecture.name_en),
                              my_region=message(f"region.{aid.regions[0]}"),
                              their_region=message(f"region.{aid.regions[1]}")))
        shared = sorted(interests & peer.themes)
        if shared and interests:
            match.add(ReasonKind.SHARED_THEMES, PEER_WEIGHTS["themes"] * len(shared) / len(interests),
                      message("match_reason.peer.SHARED_THEMES", themes=listing(theme_titles[n] for n in shared)))
        if me.text and peer.text:
            text, terms = idf.similarity(me.text, peer.text)
            match.add(ReasonKind.SIMILAR_TEXT, PEER_WEIGHTS["text"] * strength(text),
                      message("match_reason.peer.SIMILAR_TEXT", similarity=text, terms=terms_phrase(terms)))
        if match.reasons:
            matches.append(match)
    return sorted(matches, key=lambda m: (-m.score, m.subject_id))
