"""Reading a posted form into a mutation's input, checking what GraphQL's types would refuse
outright (a number, a date, a choice), so that the user sees it beside the field instead of an
error page. Field names in the forms are the names of the mutation's input fields. Numbers are
read as `resolvers.text.ascii_digits` reads them everywhere: full-width digits are taken."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portals.api import Outcome, UserError, enum_values
from portals.i18n import Translator
from resolvers.text import whole_number

JAPAN_OFFSET = "+09:00"
MAX_INTEGER_DIGITS = 9
MAX_CHOICE_DIGITS = 3


def theme_number(value: str | None) -> int | None:
    """A theme number from the query string; None when absent or not a number."""
    return whole_number(value, MAX_CHOICE_DIGITS) if value else None


class FormInput:
    def __init__(self, form: Any, t: Translator) -> None:
        self.form = form
        self.t = t
        self.problems: list[UserError] = []

    def text(self, name: str) -> str:
        value = self.form.get(name)
        return value.strip() if isinstance(value, str) else ""

    def optional(self, name: str) -> str | None:
        return self.text(name) or None

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        if not value:
            return None
        number = whole_number(value, MAX_INTEGER_DIGITS)
        if number is None:
            self._problem(name, "form.not_a_number")
            return None
        return number

    def date(self, name: str) -> str | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            self._problem(name, "form.not_a_date")
            return None

    def japan_datetime(self, name: str) -> str | None:
        """A `datetime-local` value, which is Japan time, as an ISO date-time with its offset."""
        value = self.text(name)
        if not value:
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            self._problem(name, "form.not_a_datetime")
            return None
        return moment.replace(tzinfo=None).isoformat(timespec="minutes") + JAPAN_OFFSET

    def choice(self, name: str, enum_name: str) -> str | None:
        value = self.text(name)
        if not value:
            return None
        if value not in enum_values(enum_name):
            self._problem(name, "form.not_a_choice")
            return None
        return value

    def numbers(self, name: str) -> list[int]:
        values = [value for value in self.form.getlist(name) if isinstance(value, str)]
        numbers = [whole_number(value, MAX_CHOICE_DIGITS) for value in values]
        if None in numbers:
            self._problem(name, "form.not_a_choice")
            return []
        return [number for number in numbers if number is not None]

    def required(self, name: str, value: Any) -> Any:
        """`value` as read by another method; a blank field is a problem (a bad one is one already)."""
        if not self.text(name):
            self._problem(name, "form.required")
        return value

    @property
    def outcome(self) -> Outcome:
        """The problems found before asking the API; a refused outcome if there are any."""
        return Outcome({}, list(self.problems))

    def _problem(self, name: str, key: str) -> None:
        self.problems.append(UserError(("input", name), "INVALID", self.t(key), translated=True))
