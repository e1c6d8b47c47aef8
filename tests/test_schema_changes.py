"""The schema changelog check: every change is announced, removals only after a due deprecation."""

import datetime as dt
import shutil

import scripts.check_schema_changes as checker
from scripts.check_schema_changes import CURRENT_PATH, RELEASED_PATH, add_months, check, draft, main

RELEASED_ON = "# Released on 2026-01-10.\n"
BASE = RELEASED_ON + """
type Query { theme(number: Int!): Theme }
type Theme { number: Int! title: String! summary: String! }
"""
DEPRECATED = RELEASED_ON + """
type Query { theme(number: Int!): Theme }
type Theme { number: Int! title: String!
  summary: String! @deprecated(reason: "Use description instead; removal on 2026-05-01")
  description: String! }
"""
WITHOUT_SUMMARY = """
type Query { theme(number: Int!): Theme }
type Theme { number: Int! title: String! description: String! }
"""
ANNOUNCEMENT = """# Changelog
## API
### 2026-01-10
- Added `Theme.description`.
- Deprecated `Theme.summary` (use `Theme.description`; removal on 2026-05-01).
"""
REMOVAL = """# Changelog
## API
### 2026-05-02
- Removed `Theme.summary`.
""" + ANNOUNCEMENT.removeprefix("# Changelog\n## API\n")


def test_removing_a_field_that_was_never_deprecated_fails():
    changelog = "## API\n### 2026-02-01\n- Removed `Theme.summary`.\n"
    current = BASE.replace(" summary: String! ", " ")

    report = check(BASE, current, changelog, on=dt.date(2026, 2, 1))

    assert not report.passed
    assert report.breaking == ["Field Theme.summary was removed."]
    assert "`Theme.summary` was removed without being deprecated first" in report.problems[0]


def test_deprecating_a_field_with_a_removal_date_passes():
    current = DEPRECATED.removeprefix(RELEASED_ON)

    report = check(BASE, current, ANNOUNCEMENT, on=dt.date(2026, 1, 10))

    assert report.passed, report.problems
    assert report.breaking == []
    assert [(c.coordinate, c.kind) for c in report.changes] == [
        ("Theme.description", "added"),
        ("Theme.summary", "deprecated"),
    ]


def test_removing_the_field_after_its_announced_date_passes():
    report = check(DEPRECATED, WITHOUT_SUMMARY, REMOVAL, on=dt.date(2026, 5, 2))

    assert report.passed, report.problems
    assert report.breaking == ["Field Theme.summary was removed."]


def test_removing_the_field_before_its_announced_date_fails():
    report = check(DEPRECATED, WITHOUT_SUMMARY, REMOVAL, on=dt.date(2026, 4, 30))

    assert report.problems == ["`Theme.summary` was removed before its announced removal date, 2026-05-01."]


def test_a_deprecation_reason_without_a_removal_date_fails():
    current = DEPRECATED.replace("; removal on 2026-05-01", "")

    report = check(BASE, current, ANNOUNCEMENT, on=dt.date(2026, 1, 10))

    assert len(report.problems) == 1
    assert "`Theme.summary` is deprecated with reason 'Use description instead'" in report.problems[0]


def test_a_removal_date_less_than_three_months_after_the_announcement_fails():
    current = DEPRECATED.replace("2026-05-01", "2026-03-01")

    report = check(BASE, current, ANNOUNCEMENT.replace("2026-05-01", "2026-03-01"), on=dt.date(2026, 1, 10))

    assert report.problems == [
        "`Theme.summary`: removal on 2026-03-01 gives less than 3 months' notice after the "
        "deprecation announced on 2026-01-10."
    ]


def test_an_addition_the_changelog_does_not_mention_fails_and_draft_writes_the_entry():
    current = BASE.replace("summary: String! }", "summary: String! roman: String! }")
    on = dt.date(2026, 2, 1)

    unmentioned = check(BASE, current, "## API\n### 2026-02-01\n- Added `Theme.number`.\n", on)
    entry = draft(unmentioned, on)
    announced = check(BASE, current, f"## API\n{entry}\n", on)

    assert [c.coordinate for c in unmentioned.changes] == ["Theme.roman"]
    assert "`Theme.roman` was added but the changelog" in unmentioned.problems[0]
    assert entry == "### 2026-02-01\n- Added `Theme.roman`."
    assert announced.passed and announced.safe == ["Field Theme.roman was added."]


def test_a_mention_in_an_entry_older_than_the_release_does_not_count():
    current = BASE.replace("summary: String! }", "summary: String! roman: String! }")

    report = check(BASE, current, "## API\n### 2025-12-01\n- Added `Theme.roman`.\n", dt.date(2026, 2, 1))

    assert not report.passed


def test_a_new_type_is_one_change_and_an_incompatible_change_fails():
    new_type = BASE + "type Pillar { key: String! }\ntype Query2 { p: Pillar }\n"
    narrowed = BASE.replace("theme(number: Int!)", "theme(number: Int!, lang: String!)")
    changelog = "## API\n### 2026-02-01\n- Added `Pillar`, `Query2`, `Query.theme(lang:)`.\n"

    added = check(BASE, new_type, changelog, dt.date(2026, 2, 1))
    breaking = check(BASE, narrowed, changelog, dt.date(2026, 2, 1))

    assert added.passed and [c.coordinate for c in added.changes] == ["Pillar", "Query2"]
    assert breaking.problems == [
        "Breaking change: A required argument Query.theme(lang:) was added. Add a new element instead."
    ]


def test_a_type_goes_with_the_deprecated_field_that_returned_it():
    released = RELEASED_ON + """
    type Query { theme: Theme, legacy: Legacy @deprecated(reason: "Use theme instead; removal on 2026-05-01") }
    type Theme { number: Int! }
    type Legacy { number: Int! }
    """
    changelog = "## API\n### 2026-05-02\n- Removed `Query.legacy`, `Legacy`.\n### 2026-01-10\n- Deprecated `Query.legacy`.\n"

    report = check(released, "type Query { theme: Theme }\ntype Theme { number: Int! }", changelog, dt.date(2026, 5, 2))

    assert report.passed, report.problems


def test_three_months_after_the_end_of_a_month():
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 10), 3) == dt.date(2026, 4, 10)


def test_the_checked_in_schema_passes_against_the_released_contract(capsys):
    assert RELEASED_PATH.exists() and CURRENT_PATH.exists()

    status = main([])

    assert status == 0, capsys.readouterr().err


def test_release_makes_the_current_schema_the_baseline(tmp_path, monkeypatch, capsys):
    released = tmp_path / "released.graphql"
    shutil.copyfile(RELEASED_PATH, released)
    monkeypatch.setattr(checker, "RELEASED_PATH", released)
    monkeypatch.setattr(checker, "today", lambda: dt.date(2027, 1, 5))

    assert main(["--release"]) == 0
    capsys.readouterr()
    assert main(["--draft"]) == 0

    assert released.read_text(encoding="utf-8").startswith("# Released on 2027-01-05.")
    assert capsys.readouterr().out == "### 2027-01-05\n"
