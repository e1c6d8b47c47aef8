"""Check every change to schema.graphql against the last released SDL, and release it.

The baseline is `schema/released.graphql`, the SDL partners last received, headed by the date it
was released. Each change since then is classified by graphql-core (breaking / dangerous; anything
found by neither is safe) and must be mentioned, as a backticked schema coordinate (`Type`,
`Type.field`, `Type.field(arg:)`, `Enum.VALUE`), in an entry of CHANGELOG.md's "API" section dated
on or after that release. A breaking change fails the check, except a removal of something that
the baseline deprecated with `@deprecated(reason: "Use X instead; removal on YYYY-MM-DD")` where
that date has passed and falls at least three months after the changelog entry that announced
the deprecation ("- Deprecated `Type.field` …"). A new deprecation must carry such a date.

    python scripts/check_schema_changes.py            # the check (tests/test_schema_changes.py runs it in CI)
    python scripts/check_schema_changes.py --draft    # a changelog entry for the changes not yet mentioned
    python scripts/check_schema_changes.py --release  # after the check passes: the current SDL becomes the baseline
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    BreakingChangeType,
    DangerousChangeType,
    GraphQLSchema,
    build_schema,
    find_schema_changes,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    is_interface_type,
    is_introspection_type,
    is_object_type,
    is_specified_directive,
    is_specified_scalar_type,
    is_union_type,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from resolvers.calendar import today  # noqa: E402
from schema.contract.changelog import CHANGELOG_PATH, Entry, api_entries  # noqa: E402

CURRENT_PATH = ROOT / "schema.graphql"
RELEASED_PATH = ROOT / "schema" / "released.graphql"
RELEASED_HEADER = re.compile(r"^# Released on (\d{4}-\d{2}-\d{2})", re.MULTILINE)
REMOVAL_DATE = re.compile(r"; removal on (\d{4}-\d{2}-\d{2})\.?$")
NOTICE_MONTHS = 3
REMOVALS = {
    BreakingChangeType.TYPE_REMOVED,
    BreakingChangeType.FIELD_REMOVED,
    BreakingChangeType.ARG_REMOVED,
    BreakingChangeType.VALUE_REMOVED_FROM_ENUM,
    BreakingChangeType.DIRECTIVE_REMOVED,
    BreakingChangeType.DIRECTIVE_ARG_REMOVED,
}


@dataclass(frozen=True)
class Element:
    """What one schema coordinate looks like: a change to any part of it is a change to it."""

    signature: tuple[object, ...]
    deprecation: str | None = None
    named_type: str | None = None


@dataclass(frozen=True)
class Change:
    coordinate: str
    kind: str  # added, removed, deprecated or changed


@dataclass
class Report:
    breaking: list[str] = field(default_factory=list)
    dangerous: list[str] = field(default_factory=list)
    safe: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def user_types(schema: GraphQLSchema) -> Iterator[object]:
    for graphql_type in schema.type_map.values():
        if not (is_introspection_type(graphql_type) or is_specified_scalar_type(graphql_type)):
            yield graphql_type


def elements(schema: GraphQLSchema) -> dict[str, Element]:
    """Every schema coordinate of the schema with what defines it."""
    found: dict[str, Element] = {}
    for t in user_types(schema):
        members = tuple(sorted(m.name for m in t.types)) if is_union_type(t) else ()
        interfaces = tuple(sorted(i.name for i in getattr(t, "interfaces", ())))
        found[t.name] = Element((type(t).__name__, t.description, interfaces, members))
        if is_enum_type(t):
            for name, value in t.values.items():
                found[f"{t.name}.{name}"] = Element((value.description,), value.deprecation_reason)
        if is_object_type(t) or is_interface_type(t) or is_input_object_type(t):
            for name, f in t.fields.items():
                default = repr(getattr(f, "default_value", None))
                found[f"{t.name}.{name}"] = element(f, default)
                for arg_name, arg in getattr(f, "args", {}).items():
                    found[f"{t.name}.{name}({arg_name}:)"] = element(arg, repr(arg.default_value))
    for d in schema.directives:
        if not is_specified_directive(d):
            found[f"@{d.name}"] = Element((d.description, tuple(sorted(loc.name for loc in d.locations)), d.is_repeatable))
            for arg_name, arg in d.args.items():
                found[f"@{d.name}({arg_name}:)"] = element(arg, repr(arg.default_value))
    return found


def element(f: object, default: str) -> Element:
    return Element(
        (str(f.type), f.description, default, f.deprecation_reason),
        f.deprecation_reason,
        get_named_type(f.type).name,
    )


def parent(coordinate: str) -> str | None:
    if coordinate.endswith(":)"):
        return coordinate[: coordinate.index("(")]
    if "." in coordinate:
        return coordinate.split(".")[0]
    return None


def owner_type(coordinate: str) -> str:
    """`Query.themes(first:)` → `Query`; `@include(if:)` → `@include`."""
    return coordinate.split("(")[0].split(".")[0]


def diff(old: dict[str, Element], new: dict[str, Element]) -> list[Change]:
    """The changes, each named at the highest coordinate that changed (an added type, not its fields)."""
    changes = []
    for coordinate in sorted(old.keys() | new.keys()):
        before, after = old.get(coordinate), new.get(coordinate)
        if before == after:
            continue
        above = parent(coordinate)
        if before is None:
            if above is None or above in old:
                changes.append(Change(coordinate, "added"))
        elif after is None:
            if above is None or above in new:
                changes.append(Change(coordinate, "removed"))
        elif after.deprecation is not None and after.deprecation != before.deprecation:
            changes.append(Change(coordinate, "deprecated"))
        else:
            changes.append(Change(coordinate, "changed"))
    return changes


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day if it is shorter (Nov 30 + 3 → Feb 28)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def announced_on(coordinate: str, entries: list[Entry]) -> dt.date | None:
    """The date of the first changelog entry with a "- Deprecated" line naming the coordinate."""
    dates = [
        entry.date
        for entry in entries
        for line in entry.text.splitlines()
        if line.lstrip("- ").startswith("Deprecated") and f"`{coordinate}`" in line
    ]
    return min(dates, default=None)


def deprecation_problem(coordinate: str, reason: str | None, entries: list[Entry], on: dt.date) -> str | None:
    """Why a deprecation does not give enough notice, or None if it does."""
    match = REMOVAL_DATE.search(reason or "")
    if match is None:
        return (
            f"`{coordinate}` is deprecated with reason {reason!r}: write "
            '"Use X instead; removal on YYYY-MM-DD" so clients know what to use and until when.'
        )
    removal = dt.date.fromisoformat(match.group(1))
    announced = announced_on(coordinate, entries) or on
    if removal < add_months(announced, NOTICE_MONTHS):
        return (
            f"`{coordinate}`: removal on {removal} gives less than {NOTICE_MONTHS} months' notice "
            f"after the deprecation announced on {announced}."
        )
    return None


def removal_problem(coordinate: str, old: dict[str, Element], entries: list[Entry], on: dt.date) -> str | None:
    reason = old[coordinate].deprecation
    if reason is None:
        return (
            f"`{coordinate}` was removed without being deprecated first: restore it and mark it "
            '@deprecated(reason: "Use X instead; removal on YYYY-MM-DD") at least three months ahead.'
        )
    match = REMOVAL_DATE.search(reason)
    if match and announced_on(coordinate, entries) is None:
        return f"`{coordinate}` was removed, but no changelog entry announced its deprecation."
    if problem := deprecation_problem(coordinate, reason, entries, on):
        return problem
    removal = dt.date.fromisoformat(match.group(1))
    if removal > on:
        return f"`{coordinate}` was removed before its announced removal date, {removal}."
    return None


def type_removal_problems(removed_types: set[str], allowed: set[str], old: dict[str, Element]) -> list[str]:
    """A type may go once everything that led to it went with a due deprecation (or with it)."""
    going = set(allowed)
    settled = False
    while not settled:
        settled = True
        for name in removed_types - going:
            references = [c for c, e in old.items() if e.named_type == name and parent(c) is not None]
            if all(c in going or parent(c) in going or owner_type(c) in going for c in references):
                going.add(name)
                settled = False
    return [
        f"`{name}` was removed while fields or arguments that returned or took it were not "
        "removed after a due deprecation."
        for name in sorted(removed_types - going)
    ]


def check(released_sdl: str, current_sdl: str, changelog: str, on: dt.date) -> Report:
    """Classify the changes from `released_sdl` to `current_sdl` and list what the rules refuse."""
    released_on = released_date(released_sdl)
    old_schema, new_schema = build_schema(released_sdl), build_schema(current_sdl)
    old, new = elements(old_schema), elements(new_schema)
    entries = api_entries(changelog)
    report = Report(changes=diff(old, new))
    for change in find_schema_changes(old_schema, new_schema):
        if isinstance(change.type, BreakingChangeType):
            report.breaking.append(change.description)
            if change.type not in REMOVALS:
                report.problems.append(f"Breaking change: {change.description} Add a new element instead.")
        elif isinstance(change.type, DangerousChangeType):
            report.dangerous.append(change.description)
        else:
            report.safe.append(change.description)
    mentioned = set().union(*(e.mentions() for e in entries if e.date >= released_on))
    report.problems += [
        f"`{c.coordinate}` was {c.kind} but the changelog's API section does not mention it "
        f"since the release of {released_on} (run --draft)."
        for c in report.changes
        if c.coordinate not in mentioned
    ]
    report.problems += rule_problems(report.changes, old, new, entries, on)
    return report


def rule_problems(
    changes: list[Change], old: dict[str, Element], new: dict[str, Element], entries: list[Entry], on: dt.date
) -> list[str]:
    problems = []
    allowed: set[str] = set()
    removed_types = set()
    for change in changes:
        if change.kind == "deprecated":
            problem = deprecation_problem(change.coordinate, new[change.coordinate].deprecation, entries, on)
        elif change.kind == "removed" and parent(change.coordinate) is None and not change.coordinate.startswith("@"):
            removed_types.add(change.coordinate)
            continue
        elif change.kind == "removed":
            problem = removal_problem(change.coordinate, old, entries, on)
            if problem is None:
                allowed.add(change.coordinate)
        else:
            continue
        if problem:
            problems.append(problem)
    return problems + type_removal_problems(removed_types, allowed, old)


def released_date(sdl: str) -> dt.date:
    match = RELEASED_HEADER.search(sdl)
    if match is None:
        raise ValueError("The released SDL must start with '# Released on YYYY-MM-DD'.")
    return dt.date.fromisoformat(match.group(1))


def draft(report: Report, on: dt.date) -> str:
    verbs = {"added": "Added", "removed": "Removed", "deprecated": "Deprecated", "changed": "Changed"}
    lines = [f"### {on.isoformat()}"]
    for kind, verb in verbs.items():
        coordinates = [f"`{c.coordinate}`" for c in report.changes if c.kind == kind]
        if coordinates:
            lines.append(f"- {verb} {', '.join(coordinates)}.")
    return "\n".join(lines)


def print_report(report: Report) -> None:
    for title, items in (("breaking", report.breaking), ("dangerous", report.dangerous), ("safe", report.safe)):
        for item in items:
            print(f"{title}: {item}")
    for change in report.changes:
        if change.kind == "deprecated":
            print(f"deprecated: {change.coordinate}")
    for problem in report.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--draft", action="store_true", help="print a changelog entry for every change")
    action.add_argument("--release", action="store_true", help="make the current SDL the released baseline")
    args = parser.parse_args(argv)
    current = CURRENT_PATH.read_text(encoding="utf-8")
    on = today()
    released, changelog = RELEASED_PATH.read_text(encoding="utf-8"), CHANGELOG_PATH.read_text(encoding="utf-8")
    report = check(released, current, changelog, on)
    if args.draft:
        print(draft(report, on))
        return 0
    print_report(report)
    if not report.passed:
        return 1
    if args.release:
        header = f"# Released on {on.isoformat()}. Do not edit: see scripts/check_schema_changes.py."
        RELEASED_PATH.write_text(f"{header}\n\n{current}", encoding="utf-8")
        print(f"released: {RELEASED_PATH} now holds the contract of {on}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
