"""Staff contacts of member municipalities: personal data, so every export is logged.

Contacts rotate with the fiscal year (April–March): naming a contact for a role in a new fiscal
year ends the previous year's contacts for that role on the last day of March. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery

from i18n import Named, message
from models import Contact, ContactRole, Membership, MembershipStatus, Municipality, WorkingGroup
from resolvers.access import Actor, require_municipality
from resolvers.audit import Change, assign, created, target_of
from resolvers.calendar import fiscal_year, fiscal_year_start, today
from resolvers.errors import Refused
from resolvers.lookup import alliance_by_slug, get_or_refuse
from resolvers.mail.address import optional_address
from resolvers.membership import ONGOING, acting_municipality
from resolvers.spreadsheet import SpreadsheetWriter

EXPORT_COLUMNS = ("municipality_code", "municipality", "role", "name", "department", "email", "phone", "fiscal_year")
"""The export's columns; the header row names them in the reader's language (`contact_csv.*`)."""


@dataclass(frozen=True)
class ContactExport:
    csv: str
    row_count: int


def is_current(contact: Contact, on: dt.date) -> bool:
    """A contact whose end date is still ahead stays current, even once its successor is named."""
    return contact.ended_on is None or contact.ended_on > on


async def add_contact(
    actor: Actor,
    *,
    municipality_code: str | None,
    role: ContactRole,
    name: str,
    department: str | None,
    email: str | None,
    phone: str | None,
    working_group_id: int | None,
    year: int | None,
) -> Change[Contact]:
    municipality = await acting_municipality(actor, municipality_code)
    if not await Membership.exists(municipality_id=municipality.id, status__in=list(ONGOING)):
        raise Refused("NOT_A_MEMBER", message("errors.contact.not_a_member", municipality=Named.of(municipality)))
    check_contact_details(name, role, working_group_id)
    email = optional_address(email, ("input", "email"))
    if working_group_id is not None:
        await get_or_refuse(WorkingGroup, ("input", "workingGroupId"), id=working_group_id)
    year = year if year is not None else fiscal_year(today())
    if year not in (fiscal_year(today()), fiscal_year(today()) + 1):
        raise Refused("INVALID", message("errors.contact.fiscal_year_range"), field=("input", "fiscalYear"))
    await end_previous_years(municipality, role, working_group_id, year)
    contact = await Contact.create(
        municipality=municipality,
        role=role,
        working_group_id=working_group_id,
        name=name.strip(),
        department=department,
        email=email,
        phone=phone,
        fiscal_year=year,
        started_on=max(today(), fiscal_year_start(year)),
    )
    return Change(contact, target_of(contact), created(contact, "municipality_id", "role", "fiscal_year"))


def check_contact_details(name: str, role: ContactRole, working_group_id: int | None) -> None:
    if not name.strip():
        raise Refused("INVALID", message("errors.contact.name_missing"), field=("input", "name"))
    if (role is ContactRole.WORKING_GROUP) != (working_group_id is not None):
        raise Refused(
            "INVALID",
            message("errors.contact.working_group_mismatch"),
            field=("input", "workingGroupId"),
        )


async def end_previous_years(municipality: Municipality, role: ContactRole, working_group_id: int | None, year: int) -> None:
    await Contact.filter(
        municipality_id=municipality.id,
        role=role,
        working_group_id=working_group_id,
        fiscal_year__lt=year,
        ended_on=None,
    ).update(ended_on=fiscal_year_start(year) - dt.timedelta(days=1))


async def end_contact(actor: Actor, contact_id: int, ended_on: dt.date | None) -> Change[Contact]:
    contact = await get_or_refuse(Contact, ("input", "contactId"), id=contact_id)
    require_municipality(actor, contact.municipality_id, field=("input", "contactId"))
    if contact.ended_on is not None:
        raise Refused("INVALID_TRANSITION", message("errors.contact.ended_already"), field=("input", "contactId"))
    if ended_on is not None and ended_on < contact.started_on:
        raise Refused("INVALID", message("errors.contact.ends_before_start"), field=("input", "endedOn"))
    changes = assign(contact, ended_on=ended_on or today())
    await contact.save(update_fields=["ended_on"])
    return Change(contact, target_of(contact), changes)


async def export_contacts(actor: Actor, alliance_slug: str, municipality_code: str | None) -> Change[ContactExport]:
    """The current contacts of the alliance's active members as CSV, safe to open in a spreadsheet
    (`resolvers.spreadsheet`); staff get their own only."""
    alliance = await alliance_by_slug(alliance_slug)
    members = Membership.filter(alliance_id=alliance.id, status=MembershipStatus.ACTIVE)
    target = target_of(alliance)
    if municipality_code is not None or not actor.is_admin:
        municipality = await acting_municipality(actor, municipality_code)
        members = members.filter(municipality_id=municipality.id)
        target = target_of(municipality)
    rows = (
        await Contact.filter(municipality_id__in=Subquery(members.values("municipality_id")))
        .filter(Q(ended_on=None) | Q(ended_on__gt=today()))
        .select_related("municipality")
        .order_by("municipality__code", "role", "id")
    )
    buffer = io.StringIO()
    writer = SpreadsheetWriter(buffer)
    writer.writerow(str(message(f"contact_csv.{column}")) for column in EXPORT_COLUMNS)
    for row in rows:
        municipality_of_row = row.municipality
        writer.writerow(
            (
                municipality_of_row.code,
                str(Named(municipality_of_row.name, municipality_of_row.name_en)),
                str(message(f"contact_csv.roles.{row.role.value}")),
                row.name,
                row.department or "",
                row.email or "",
                row.phone or "",
                row.fiscal_year,
            )
        )
    export = ContactExport(csv=buffer.getvalue(), row_count=len(rows))
    return Change(export, target, {"rows": [None, len(rows)]})
