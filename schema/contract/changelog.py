"""Reading the "API" section of CHANGELOG.md: dated entries, newest first.

```
## API
### 2026-11-22
- Added `Query.deprecatedUsage` ...
```
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from settings import PROJECT_ROOT

CHANGELOG_PATH = PROJECT_ROOT / "CHANGELOG.md"
ENTRY_HEADING = re.compile(r"^### (\d{4}-\d{2}-\d{2})\b.*$", re.MULTILINE)
MENTION = re.compile(r"`([^`\s]+)`")


@dataclass(frozen=True)
class Entry:
    date: dt.date
    text: str

    def mentions(self) -> set[str]:
        """The schema coordinates written in backticks, e.g. `Query.themes` or `Theme`."""
        return set(MENTION.findall(self.text))


def api_section(changelog: str) -> str:
    match = re.search(r"^## API\s*$(.*?)(?=^## |\Z)", changelog, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


def api_entries(changelog: str) -> list[Entry]:
    """The dated entries of the API section, in the order written (newest first by convention)."""
    section = api_section(changelog)
    headings = list(ENTRY_HEADING.finditer(section))
    entries = []
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = following.start() if following else len(section)
        entries.append(Entry(dt.date.fromisoformat(heading.group(1)), section[heading.end():end]))
    return entries


def read_entries(path: Path = CHANGELOG_PATH) -> list[Entry]:
    return api_entries(path.read_text(encoding="utf-8"))


def latest_date(entries: list[Entry]) -> dt.date | None:
    return max((entry.date for entry in entries), default=None)
