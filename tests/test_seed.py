"""`tsunagu seed`: idempotent, transactional, and honest about what it corrected or refused."""

import re

import pytest

from cli import main
from models import Alliance, Membership, Municipality, SearchEntry, SearchKind
from seed.dataset import read_dataset
from seed.loader import SeedError, load_dataset
from settings import DATA_DIR
from tests.api.test_government_pitch import CREATE, PUBLISH, challenge_input

SEARCH_CHALLENGES = """
query($q: String!) {
  search(query: $q, kinds: [CHALLENGE]) { nodes { ... on Challenge { title } } }
}"""


async def test_a_second_run_changes_nothing(database_url):
    report = await load_dataset(read_dataset(DATA_DIR))

    assert not report.changed
    assert report.lines()[-1] == "nothing to change: the database already holds the dataset"


# Steps aside: `search` returns the SearchResult union (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_run_rewrites_the_search_body_of_a_challenge_published_by_a_member(gql, sign_in):
    city = await sign_in("MUNICIPALITY", municipality="272256")
    challenge = (await city.accepted(CREATE, {"input": challenge_input()}))["challenge"]
    await city.accepted(PUBLISH, {"id": challenge["id"]})
    await SearchEntry.filter(kind=SearchKind.CHALLENGE).update(body="written by an older release")

    await load_dataset(read_dataset(DATA_DIR))

    found = await gql.data(SEARCH_CHALLENGES, {"q": "つなみひなん"})
    assert found["search"]["nodes"] == [{"title": "津波避難の高齢者支援"}]


async def test_the_first_run_reports_each_roster_correction(empty_database_url):
    report = await load_dataset(read_dataset(DATA_DIR))
    lines = report.lines()

    assert "corrected 茨城県 龍ヶ崎市 → 龍ケ崎市 (082082): spelling variant" in lines
    assert "corrected 群馬県 嬭恋村 → 嬬恋村 (104256): misprint: one character differs" in lines
    assert "membership: 1162 created, 0 updated" in lines
    assert await Membership.filter(alliance__slug="expo2025").count() == 581


async def test_an_unresolvable_name_is_refused_and_nothing_is_written(empty_database_url, data_copy):
    roster = data_copy / "roster.toml"
    roster.write_text(roster.read_text(encoding="utf-8").replace('"茂木町"', '"架空町"'), encoding="utf-8")

    with pytest.raises(SeedError) as refusal:
        await load_dataset(read_dataset(data_copy))

    assert "cannot resolve 栃木県 架空町: no official municipality matches" in str(refusal.value)
    assert await Municipality.all().count() == 0


async def test_a_failure_half_way_leaves_the_database_as_it_was(empty_database_url, data_copy):
    partners = data_copy / "partners.toml"
    text = partners.read_text(encoding="utf-8")
    partners.write_text(re.sub(r"themes = \[[^\]]*\]", "themes = [99]", text, count=1), encoding="utf-8")

    with pytest.raises(KeyError):
        await load_dataset(read_dataset(data_copy))

    assert await Municipality.all().count() == 0
    assert await Alliance.all().count() == 0
    assert await SearchEntry.all().count() == 0


async def test_a_changed_tier_in_the_data_is_applied_and_kept_in_history(database_url, data_copy):
    full = data_copy / "full_members.toml"
    full.write_text(full.read_text(encoding="utf-8").replace('name = "南砺市"', 'name = "氷見市"'), encoding="utf-8")

    report = await load_dataset(read_dataset(data_copy))

    assert report.updated["membership"] == 4
    himi = await Membership.get(alliance__slug="expo2025", municipality__name="氷見市").prefetch_related("changes")
    assert himi.tier == "FULL"
    assert [c.kind for c in himi.changes][-1] == "TIER_CHANGED"


def test_the_seed_command_prints_corrections_and_is_idempotent(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path / 'cli.sqlite3'}")

    assert main(["seed"]) == 0
    first = capsys.readouterr().out
    assert main(["seed"]) == 0
    second = capsys.readouterr().out

    assert "龍ヶ崎市 → 龍ケ崎市" in first
    assert "municipality: 1741 created, 0 updated" in first
    assert second.splitlines()[-1] == "nothing to change: the database already holds the dataset"
