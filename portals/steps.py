"""Where a challenge, project or proposal stands, as a row of steps (`shared/steps.html` shows it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    """One step: its catalogue key and whether it is done, current or to come."""

    key: str
    state: str


def steps(keys: tuple[str, ...], current: int) -> list[Step]:
    """The steps, those before `current` done; `current` past the last means all are done."""
    return [Step(key, "done" if i < current else "current" if i == current else "todo") for i, key in enumerate(keys)]
