"""Naming, ending and exporting municipalities' staff contacts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry import relay

import models
from resolvers import contact
from schema.contact.types import Contact, ContactRole
from schema.context import Info
from schema.mutations import Payload, mutate, node_id


@strawberry.input(description="A staff contact for a member municipality.")
class AddContactInput:
    role: ContactRole = strawberry.field(description="What the person is the contact for.")
    name: str = strawberry.field(description="The person's name.")
    municipality_code: str | None = strawberry.field(
        default=None, description="Staff may leave it out (their own); the secretariat must give it."
    )
    department: str | None = strawberry.field(default=None, description="Their department.")
    email: str | None = strawberry.field(default=None, description="Their work email address.")
    phone: str | None = strawberry.field(default=None, description="Their work telephone number.")
    working_group_id: relay.GlobalID | None = strawberry.field(
        default=None, description="For WORKING_GROUP contacts: the WorkingGroup's ID."
    )
    fiscal_year: int | None = strawberry.field(
        default=None,
        description="The fiscal year they are named for; the current one if null. Contacts of the "
        "same role from earlier years end on the last day of March before it.",
    )


@strawberry.type(description="The result of addContact.")
class AddContactPayload(Payload):
    contact: Contact | None = strawberry.field(default=None, description="The new contact.")


@strawberry.input(description="A contact who is no longer the contact.")
class EndContactInput:
    contact_id: relay.GlobalID = strawberry.field(description="The Contact's ID.")
    ended_on: dt.date | None = strawberry.field(default=None, description="The last day; today if null.")


@strawberry.type(description="The result of endContact.")
class EndContactPayload(Payload):
    contact: Contact | None = strawberry.field(default=None, description="The ended contact, kept as history.")


@strawberry.input(description="Which contacts to export.")
class ExportContactsInput:
    alliance_slug: str = strawberry.field(description="The alliance whose active members' contacts to export.")
    municipality_code: str | None = strawberry.field(
        default=None, description="Only this municipality; staff always get their own only."
    )


@strawberry.type(description="The result of exportContacts.")
class ExportContactsPayload(Payload):
    csv: str | None = strawberry.field(
        default=None,
        description="The current contacts as CSV (UTF-8, a header row first). The header row, the "
        "municipalities' names and the roles are in the reader's language. A text cell that begins "
        "with =, +, -, @, a tab or a carriage return (or their full-width forms) starts with a single "
        "quote, so that a spreadsheet shows it as text instead of running it as a formula.",
    )
    row_count: int | None = strawberry.field(default=None, description="How many contacts it holds.")


@strawberry.type
class ContactMutation:
    @strawberry.mutation(description="Name a staff contact for a member municipality.")
    async def add_contact(
        self, info: Info, input: Annotated[AddContactInput, strawberry.argument(description="The contact.")]
    ) -> AddContactPayload:
        row, errors = await mutate(
            info,
            lambda: contact.add_contact(
                info.context.actor,
                municipality_code=input.municipality_code,
                role=models.ContactRole(input.role.value),
                name=input.name,
                department=input.department,
                email=input.email,
                phone=input.phone,
                working_group_id=(
                    node_id(input.working_group_id, "WorkingGroup", "workingGroupId")
                    if input.working_group_id
                    else None
                ),
                year=input.fiscal_year,
            ),
        )
        return AddContactPayload(contact=Contact.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="End a contact; the record is kept.")
    async def end_contact(
        self, info: Info, input: Annotated[EndContactInput, strawberry.argument(description="The contact.")]
    ) -> EndContactPayload:
        row, errors = await mutate(
            info,
            lambda: contact.end_contact(
                info.context.actor, node_id(input.contact_id, "Contact", "contactId"), input.ended_on
            ),
        )
        return EndContactPayload(contact=Contact.from_model(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="Export current contacts as CSV; every export is recorded in the audit log.")
    async def export_contacts(
        self, info: Info, input: Annotated[ExportContactsInput, strawberry.argument(description="What to export.")]
    ) -> ExportContactsPayload:
        export, errors = await mutate(
            info, lambda: contact.export_contacts(info.context.actor, input.alliance_slug, input.municipality_code)
        )
        if export is None:
            return ExportContactsPayload(user_errors=errors)
        return ExportContactsPayload(csv=export.csv, row_count=export.row_count)
