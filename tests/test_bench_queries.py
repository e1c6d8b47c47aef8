"""The side-by-side benchmark's query pairs (bench/queries.py), checked without node or wrk.

bench/run.py compares Tsunagu with PostGraphile only after mapping PostGraphile's answer onto
Tsunagu's field names, so the mapping must turn the same data into the same document.
"""

from __future__ import annotations

import pytest
from graphql import parse, validate

from bench import executor, queries
from schema import schema

MUNICIPALITY = {"code": "272051", "name": "吹田市", "prefecture": {"name": "大阪府"}}
THEME = {"number": 4, "title": "健康促進"}


def postgraphile_member(**extra: object) -> dict:
    municipality = {key: value for key, value in MUNICIPALITY.items() if key != "prefecture"}
    return {
        "tier": "FULL",
        **extra,
        "municipalityByMunicipalityId": municipality
        | {"prefectureByPrefectureId": {"name": "大阪府"}},
    }


@pytest.mark.parametrize("name", queries.NAMES)
def test_tsunagus_benchmark_queries_validate_against_the_schema(name):
    errors = validate(schema._schema, parse(queries.TSUNAGU[name]))

    assert errors == []


@pytest.mark.parametrize("name", queries.NAMES)
def test_both_servers_receive_the_query_under_the_same_operation_name(name):
    for server in ("tsunagu", "postgraphile"):
        body = queries.request_body(server, name)
        operation = parse(body["query"]).definitions[0]

        assert body["operationName"] == name
        assert operation.name.value == name


def test_q1_postgraphile_answer_normalises_to_tsunagus_shape():
    seat = {"workingGroupByWorkingGroupId": {"themeByThemeId": THEME}}
    member = postgraphile_member(workingGroupParticipantsByMembershipId={"nodes": [seat]})
    postgraphile = {"data": {"allianceBySlug": {"membershipsByAllianceId": {"nodes": [member]}}}}
    tsunagu = {
        "data": {
            "alliance": {
                "members": {
                    "nodes": [
                        {
                            "tier": "FULL",
                            "municipality": MUNICIPALITY,
                            "workingGroups": [{"theme": THEME}],
                        }
                    ]
                }
            }
        },
        "extensions": {"cost": {"requested": 1}},
    }

    assert queries.normalise("postgraphile", "Q1", postgraphile) == queries.normalise(
        "tsunagu", "Q1", tsunagu
    )
    assert queries.items("Q1", queries.normalise("tsunagu", "Q1", tsunagu)) == 1


def test_q2_postgraphile_answer_normalises_to_tsunagus_shape():
    group = {
        "allianceByAllianceId": {"slug": "expo2025"},
        "workingGroupParticipantsByWorkingGroupId": {"totalCount": 23},
    }
    offering = {
        "offeringByOfferingId": {"title": "健康セミナー", "partnerByPartnerId": {"name": "博報堂"}}
    }
    postgraphile = {
        "data": {
            "allThemes": {
                "nodes": [
                    THEME
                    | {
                        "pillarByPillarId": {"name": "繋ぐ"},
                        "workingGroupsByThemeId": {"nodes": [group]},
                        "offeringThemesByThemeId": {"nodes": [offering]},
                    }
                ]
            }
        }
    }
    tsunagu = {
        "data": {
            "themes": [
                THEME
                | {
                    "pillar": {"name": "繋ぐ"},
                    "workingGroups": [
                        {"alliance": {"slug": "expo2025"}, "participants": {"totalCount": 23}}
                    ],
                    "offerings": [{"title": "健康セミナー", "partner": {"name": "博報堂"}}],
                }
            ]
        }
    }

    assert queries.normalise("postgraphile", "Q2", postgraphile) == tsunagu


def test_q3_postgraphile_answer_normalises_to_tsunagus_shape():
    extra = {"nameKana": "スイタシ", "kind": "CITY"}
    member = postgraphile_member(joinedOn="2021-11-01")
    member["municipalityByMunicipalityId"] |= extra
    postgraphile = {"data": {"allianceBySlug": {"membershipsByAllianceId": {"nodes": [member]}}}}
    municipality = {"code": "272051", "name": "吹田市", **extra, "prefecture": {"name": "大阪府"}}
    tsunagu = {
        "data": {
            "alliance": {
                "members": {
                    "nodes": [
                        {"tier": "FULL", "joinedOn": "2021-11-01", "municipality": municipality}
                    ]
                }
            }
        }
    }

    assert queries.normalise("postgraphile", "Q3", postgraphile) == tsunagu


def test_different_data_stays_different_after_normalising():
    member = postgraphile_member(workingGroupParticipantsByMembershipId={"nodes": []})
    postgraphile = {"data": {"allianceBySlug": {"membershipsByAllianceId": {"nodes": [member]}}}}
    tsunagu = {
        "data": {
            "alliance": {
                "members": {
                    "nodes": [
                        {"tier": "SUPPORTING", "municipality": MUNICIPALITY, "workingGroups": []}
                    ]
                }
            }
        }
    }

    assert queries.normalise("postgraphile", "Q1", postgraphile) != queries.normalise(
        "tsunagu", "Q1", tsunagu
    )


def test_an_answer_with_errors_is_not_normalised_away():
    refused = {
        "data": {"alliance": None},
        "errors": [{"message": "`first` must be between 0 and 100"}],
    }

    assert queries.normalise("tsunagu", "Q3", refused) == refused


def test_the_executor_floor_times_graphql_core_over_tsunagus_answer_and_checks_it():
    member = {"tier": "FULL", "municipality": MUNICIPALITY, "workingGroups": [{"theme": THEME}]}
    answer = {"alliance": {"members": {"nodes": [member]}}}

    assert executor.floor_ms("Q1", answer) > 0
    with pytest.raises(RuntimeError, match="did not reproduce"):
        executor.floor_ms("Q1", {"alliance": {"members": {"nodes": [{"tier": "FULL"}]}}})
