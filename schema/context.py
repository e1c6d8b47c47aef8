"""The per-request context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field

from strawberry.types import Info as StrawberryInfo

from resolvers.access import ANONYMOUS, Actor
from resolvers.loaders import Loaders
from settings import Settings


@dataclass
class Context:
    settings: Settings
    actor: Actor = ANONYMOUS
    loaders: Loaders = field(default_factory=Loaders)


Info = StrawberryInfo[Context, None]
