"""Who may do what: the rule of every mutation, and the permission classes of private fields.

This module is the list a reader checks. A mutation's rule is applied by `schema.mutations.mutate`
before it runs and appended to its description; rules that need the object itself (e.g. "staff of
*this* municipality") are applied in the resolvers with the functions of `resolvers.access`.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case

from i18n import Text
from i18n import message as catalogued
from resolvers.access import (
    ADMIN,
    ADMIN_OR_MUNICIPALITY_STAFF,
    ADMIN_OR_PARTNER_STAFF,
    ANYONE_SIGNED_IN,
    MUNICIPALITY_STAFF,
    PARTNER_STAFF,
    Actor,
    Rule,
    may_act_for_municipality,
)
from resolvers.errors import Forbidden, Unauthenticated

MUTATION_RULES: dict[str, Rule] = {
    # accounts
    "issueToken": ADMIN,
    "revokeToken": ADMIN,
    "createLoginLink": ADMIN,
    "updateMyPreferences": ANYONE_SIGNED_IN,
    # email
    "setUserEmail": ADMIN,
    "resendEmail": ADMIN,
    # membership
    "applyForMembership": ADMIN_OR_MUNICIPALITY_STAFF,
    "approveMembership": ADMIN,
    "rejectMembership": ADMIN,
    "suspendMembership": ADMIN,
    "reinstateMembership": ADMIN,
    "withdrawMembership": ADMIN,
    "changeMembershipTier": ADMIN,
    "joinWorkingGroup": ADMIN_OR_MUNICIPALITY_STAFF,
    "leaveWorkingGroup": ADMIN_OR_MUNICIPALITY_STAFF,
    "foundSuccessorAlliance": ADMIN,
    # officers
    "appointOfficer": ADMIN,
    "endOfficerTerm": ADMIN,
    "recordMayoralChange": ADMIN,
    # contacts (personal data)
    "addContact": ADMIN_OR_MUNICIPALITY_STAFF,
    "endContact": ADMIN_OR_MUNICIPALITY_STAFF,
    "exportContacts": ADMIN_OR_MUNICIPALITY_STAFF,
    # dues
    "billDues": ADMIN,
    "settleDues": ADMIN,
    # partners and offerings
    "createPartner": ADMIN,
    "updatePartner": ADMIN,
    "createOffering": ADMIN_OR_PARTNER_STAFF,
    "updateOffering": ADMIN_OR_PARTNER_STAFF,
    "pauseOffering": ADMIN_OR_PARTNER_STAFF,
    "resumeOffering": ADMIN_OR_PARTNER_STAFF,
    "withdrawOffering": ADMIN_OR_PARTNER_STAFF,
    "requestOffering": MUNICIPALITY_STAFF,
    "respondToOfferingRequest": PARTNER_STAFF,
    # challenges, proposals and projects (the government pitch)
    "createChallenge": MUNICIPALITY_STAFF,
    "updateChallenge": MUNICIPALITY_STAFF,
    "requestChallengeReview": MUNICIPALITY_STAFF,
    "reviewChallenge": ADMIN,
    "publishChallenge": MUNICIPALITY_STAFF,
    "closeChallenge": MUNICIPALITY_STAFF,
    "withdrawChallenge": MUNICIPALITY_STAFF,
    "submitProposal": PARTNER_STAFF,
    "updateProposal": PARTNER_STAFF,
    "withdrawProposal": PARTNER_STAFF,
    "declineProposal": MUNICIPALITY_STAFF,
    "shortlistProposal": MUNICIPALITY_STAFF,
    "selectProposal": MUNICIPALITY_STAFF,
    "advanceProject": MUNICIPALITY_STAFF,
    "endPilot": MUNICIPALITY_STAFF,
    "endProject": MUNICIPALITY_STAFF,
    "publishProjectCaseStudy": MUNICIPALITY_STAFF,
    # notifications
    "markNotificationsRead": ANYONE_SIGNED_IN,
    # events
    "createEvent": ADMIN_OR_PARTNER_STAFF,
    "cancelEvent": ADMIN_OR_PARTNER_STAFF,
    "updateEvent": ADMIN_OR_PARTNER_STAFF,
    "issueCalendarFeed": ANYONE_SIGNED_IN,
    "registerForEvent": MUNICIPALITY_STAFF,
    "cancelEventRegistration": ADMIN_OR_MUNICIPALITY_STAFF,
    # bulletins
    "createBulletin": ADMIN,
    "updateBulletin": ADMIN,
    "publishBulletin": ADMIN,
    "scheduleBulletin": ADMIN,
    "unscheduleBulletin": ADMIN,
    "attachBulletinFile": ADMIN,
    "removeBulletinAttachment": ADMIN,
    # joint procurement
    "createProcurementGroup": ADMIN_OR_MUNICIPALITY_STAFF,
    "joinProcurementGroup": ADMIN_OR_MUNICIPALITY_STAFF,
    "changeProcurementQuantity": ADMIN_OR_MUNICIPALITY_STAFF,
    "leaveProcurementGroup": ADMIN_OR_MUNICIPALITY_STAFF,
    "closeProcurementGroup": ADMIN_OR_MUNICIPALITY_STAFF,
    # case studies
    "createCaseStudy": ADMIN,
    "recordCaseStudyAdoption": ADMIN_OR_MUNICIPALITY_STAFF,
    "withdrawCaseStudyAdoption": ADMIN_OR_MUNICIPALITY_STAFF,
    # introductions between peers
    "requestIntroduction": MUNICIPALITY_STAFF,
    "answerIntroduction": MUNICIPALITY_STAFF,
}

OBJECT_RULES = {
    "createLoginLink": "only for a token that is neither revoked nor expired",
    "applyForMembership": "staff apply for their own municipality",
    "joinWorkingGroup": "only an active FULL member of the group's alliance; staff act for their own municipality",
    "leaveWorkingGroup": "staff act for their own municipality",
    "addContact": "staff act for their own municipality",
    "endContact": "staff act for their own municipality",
    "exportContacts": "staff export their own municipality's contacts",
    "createOffering": "partner staff act for their own organisation",
    "updateOffering": "partner staff act for their own organisation's offerings; not once withdrawn",
    "pauseOffering": "partner staff act for their own organisation's offerings",
    "resumeOffering": "partner staff act for their own organisation's offerings",
    "withdrawOffering": "partner staff act for their own organisation's offerings",
    "requestOffering": "only an ACTIVE offering, within its audience, period and capacity; the contact one of "
    "the municipality's current contacts",
    "respondToOfferingRequest": "only requests for the partner's own offerings",
    "createChallenge": "an active full member, for its own municipality",
    "updateChallenge": "only the municipality's own drafts",
    "requestChallengeReview": "only the municipality's own drafts",
    "publishChallenge": "only the municipality's own drafts, with a deadline and a theme",
    "closeChallenge": "only the municipality's own published challenges",
    "withdrawChallenge": "only the municipality's own, with no proposal selected",
    "submitProposal": "one per organisation, on a published challenge before its deadline",
    "updateProposal": "only the organisation's own submitted proposals, before the deadline",
    "withdrawProposal": "only the organisation's own undecided proposals",
    "declineProposal": "only the challenge's own municipality, with a message to the partner",
    "shortlistProposal": "only the challenge's own municipality",
    "selectProposal": "only the challenge's own municipality",
    "advanceProject": "only the challenge's own municipality; phases in order",
    "endPilot": "only the challenge's own municipality",
    "endProject": "only the challenge's own municipality",
    "publishProjectCaseStudy": "only the challenge's own municipality, once the project is commercialised",
    "markNotificationsRead": "only the caller's own organisation's notifications",
    "createEvent": "events of the alliance or a working group by the secretariat; partner staff for their own organisation",
    "cancelEvent": "partner staff only their own organisation's events",
    "updateEvent": "partner staff only their own organisation's events; not once cancelled or ended",
    "registerForEvent": "for the caller's municipality, within the event's audience and the member's tier "
    "(supporting members: seminars held online or hybrid), before registration closes",
    "cancelEventRegistration": "staff cancel their own municipality's registrations, before the event starts",
    "updateBulletin": "drafts only",
    "publishBulletin": "drafts and scheduled bulletins",
    "scheduleBulletin": "drafts only",
    "unscheduleBulletin": "scheduled bulletins only",
    "attachBulletinFile": "drafts only",
    "removeBulletinAttachment": "drafts only",
    "createProcurementGroup": "the organiser is an active FULL member of the alliance; staff act for their own municipality",
    "joinProcurementGroup": "an active FULL member of the group's alliance, while the group is open; staff act for their own municipality",
    "changeProcurementQuantity": "an active FULL member taking part, while the group is open; staff act for their own municipality",
    "leaveProcurementGroup": "a member taking part, while the group is open; staff act for their own municipality",
    "closeProcurementGroup": "the organiser's staff or the secretariat",
    "recordCaseStudyAdoption": "staff act for their own municipality; any municipality in the registry, "
    "member or not, except where the case took place",
    "withdrawCaseStudyAdoption": "staff act for their own municipality",
    "requestIntroduction": "both municipalities active members; one open request per pair",
    "answerIntroduction": "only requests made to the caller's own municipality, once",
}


def describe_rules(mutation_type: type) -> None:
    """Append each mutation's rule to its description, so introspection shows who may call it."""
    definition = get_object_definition(mutation_type, strict=True)
    for field in definition.fields:
        name = field.graphql_name or to_camel_case(field.python_name)
        rule = MUTATION_RULES[name]
        extra = f"; {OBJECT_RULES[name]}" if name in OBJECT_RULES else ""
        field.description = f"{field.description} Requires: {rule.description}{extra}."


class ReadRule(BasePermission):
    """A private field: anonymous callers are told to sign in, others that it is not theirs
    (`refusal`, in their language; strawberry's own `message` is a plain string)."""

    refusal: Text = catalogued("errors.read.private")

    def allows(self, actor: Actor, source: Any) -> bool:
        raise NotImplementedError

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        actor: Actor = info.context.actor
        if not actor.is_authenticated:
            raise Unauthenticated(catalogued("errors.read.sign_in_for_field"))
        return self.allows(actor, source)

    def on_unauthorized(self) -> None:
        raise Forbidden(self.refusal)


class SecretariatOnly(ReadRule):
    refusal = catalogued("errors.read.secretariat_only")

    def allows(self, actor: Actor, source: Any) -> bool:
        return actor.is_admin


class SignedIn(ReadRule):
    refusal = catalogued("errors.read.sign_in")

    def allows(self, actor: Actor, source: Any) -> bool:
        return ANYONE_SIGNED_IN.allows(actor)


class SecretariatOrOwnMunicipality(ReadRule):
    """On a Municipality: the secretariat and that municipality's own staff."""

    refusal = catalogued("errors.read.own_municipality")

    def allows(self, actor: Actor, source: Any) -> bool:
        return may_act_for_municipality(actor, source.id)


class SecretariatOrItsMunicipality(ReadRule):
    """On what belongs to one municipality (a CaseStudyAdoption, a Membership): the secretariat
    and that municipality's own staff, never another's."""

    refusal = catalogued("errors.read.own_municipality")

    def allows(self, actor: Actor, source: Any) -> bool:
        return may_act_for_municipality(actor, source.municipality_id)
