"""Portal sign-ins: browser sessions and one-time login links.

Both are bound to an API token, so a portal user acts exactly as that token would through
/graphql: revoking or expiring the token ends the session. Only digests of the session id and
of the link's code are stored; whoever reads the database cannot sign in with them.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from models.account import ApiToken, User


class PortalSession(Model):
    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="portal_sessions", on_delete=fields.CASCADE
    )
    user_id: int
    token: fields.ForeignKeyRelation[ApiToken] = fields.ForeignKeyField(
        "models.ApiToken", related_name="portal_sessions", on_delete=fields.CASCADE
    )
    token_id: int
    csrf_secret = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "portal_session"


class LoginLink(Model):
    """A single-use link that opens a portal session for its token's user."""

    id = fields.IntField(primary_key=True)
    digest = fields.CharField(max_length=64, unique=True)
    token: fields.ForeignKeyRelation[ApiToken] = fields.ForeignKeyField(
        "models.ApiToken", related_name="login_links", on_delete=fields.CASCADE
    )
    token_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "login_link"
