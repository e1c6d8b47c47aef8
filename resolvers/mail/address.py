"""Email addresses as Tsunagu stores them: checked, stripped, the domain in lower case.

Only plain `local@domain` addresses are taken (no display names, comments or quoted local parts),
so that nothing a caller types can add a header line (`\r\nBcc: …`) or a second recipient.
"""

from __future__ import annotations

import re

from i18n import message
from resolvers.errors import Refused

MAX_ADDRESS = 254
MAX_LOCAL_PART = 64
LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
DOMAIN_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


def normalised_address(value: str, field: tuple[str, ...]) -> str:
    """`" Aoi@City.Example.JP "` → `"Aoi@city.example.jp"`; anything else is refused as INVALID."""
    address = value.strip()
    local, at, domain = address.rpartition("@")
    domain = domain.lower()
    if not (at and len(address) <= MAX_ADDRESS and is_local_part(local) and is_domain(domain)):
        raise Refused("INVALID", message("email.errors.bad_address"), field=field)
    return f"{local}@{domain}"


def optional_address(value: str | None, field: tuple[str, ...]) -> str | None:
    """None and "" (no address) stay None; anything else must be an address."""
    if value is None or not value.strip():
        return None
    return normalised_address(value, field)


def is_local_part(local: str) -> bool:
    return len(local) <= MAX_LOCAL_PART and LOCAL_PART.fullmatch(local) is not None


def is_domain(domain: str) -> bool:
    labels = domain.split(".")
    return len(labels) >= 2 and all(DOMAIN_LABEL.fullmatch(label) for label in labels)


def is_plain_address(value: str) -> bool:
    """Whether `value` is one address as Tsunagu stores them: nothing around it, no second one."""
    local, at, domain = value.rpartition("@")
    return bool(at) and len(value) <= MAX_ADDRESS and is_local_part(local) and is_domain(domain.lower())
