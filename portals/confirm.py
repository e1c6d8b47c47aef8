"""A confirmation step for destructive actions, with a required reason kept in the audit log.

The pattern, for any portal page (suspend a membership, revoke a token; cancel an event and
withdraw an offering the same way):

1. the page's button is a GET form to the action's URL, which answers
   `confirmation_page(visit, Confirmation(...))`: what will happen, in words, naming who, a reason
   to write, the button that does it and a way back;
2. the POST to the same URL reads the reason with `required_reason(visit)`; if it is missing the
   same confirmation is shown again with the problem, else the mutation runs with
   `{"reason": reason}` in its input (the mutation takes `reason`, see `schema.reasons`).

The page is `shared/confirm.html`; a page that puts the step inside itself uses the
`confirm_form` macro of `shared/confirm_macros.html`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.responses import Response

from portals.api import NO_ERRORS, Outcome, UserError
from portals.web import Visit


@dataclass(frozen=True)
class Confirmation:
    title: str
    """The action's name, the page's heading, e.g. 会員資格の停止."""
    consequence: str
    """What will happen, in words, naming the municipality or person concerned."""
    action: str
    """Where the confirmed form posts: the URL of the change itself."""
    submit: str
    """The words on the button that does it."""
    back: str
    """Where "go back" leads: the page the person came from."""
    hidden: dict[str, str] = field(default_factory=dict)
    """Fields the change's handler reads besides the reason (e.g. which page to return to)."""


def confirmation_page(visit: Visit, confirmation: Confirmation, errors: Outcome = NO_ERRORS) -> Response:
    """The confirmation step; with `errors` (a missing reason, a refusal), shown again with them."""
    status = 422 if errors.errors else 200
    return visit.render("shared/confirm.html", status=status, errors=errors, confirmation=confirmation)


def required_reason(visit: Visit) -> tuple[str, Outcome]:
    """The reason the confirmation form gave, and the problem if it gave none."""
    value = visit.form.get("reason") if visit.form is not None else None
    reason = value.strip() if isinstance(value, str) else ""
    if reason:
        return reason, NO_ERRORS
    problem = UserError(("input", "reason"), "INVALID", visit.t("confirm.reason_required"), translated=True)
    return "", Outcome({}, [problem])
