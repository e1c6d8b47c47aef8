"""The three benchmark queries, written for each server, and the normaliser that compares them.

Tsunagu's texts are the contract in QUERIES.md. PostGraphile's ask its generated schema over
the same tables (stock amber preset, default inflection) for the same data in the same order:

    Tsunagu                                PostGraphile
    alliance(slug:)                        allianceBySlug(slug:)
    members (by municipality code)         membershipsByAllianceId(orderBy: MUNICIPALITY_ID_ASC)
    municipality / prefecture              municipalityByMunicipalityId / prefectureByPrefectureId
    Membership.workingGroups (current,     workingGroupParticipantsByMembershipId(condition:
      by theme)                              {leftOn: null}, orderBy: WORKING_GROUP_ID_ASC)
    themes (by number)                     allThemes(orderBy: NUMBER_ASC)
    Theme.workingGroups (by alliance)      workingGroupsByThemeId(orderBy: ALLIANCE_ID_ASC)
    participants(first: 0) { totalCount } workingGroupParticipantsByWorkingGroupId(condition:
                                             {leftOn: null}) { totalCount }
    Theme.offerings (by id)                offeringThemesByThemeId(orderBy: OFFERING_ID_ASC)

Two orders rely on how `tsunagu seed` numbers rows: municipality ids follow the JIS codes and
working-group ids follow the theme numbers. `bench/run.py` checks the normalised responses
for equality before it measures, so a seed that broke either would stop the run.

`normalise(name, document)` maps a PostGraphile response onto Tsunagu's field names and
shapes; Tsunagu's own responses pass through unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Document = dict[str, Any]

TSUNAGU = {
    "Q1": """query Q1 {
  alliance(slug: "expo2025") {
    members(first: 50) {
      nodes {
        tier
        municipality { code name prefecture { name } }
        workingGroups { theme { number title } }
      }
    }
  }
}""",
    "Q2": """query Q2 {
  themes {
    number
    title
    pillar { name }
    workingGroups { alliance { slug } participants(first: 0) { totalCount } }
    offerings { title partner { name } }
  }
}""",
    "Q3": """query Q3 {
  alliance(slug: "expo2025") {
    members(first: 1000) {
      nodes { tier joinedOn municipality { code name nameKana kind prefecture { name } } }
    }
  }
}""",
}

POSTGRAPHILE = {
    "Q1": """query Q1 {
  allianceBySlug(slug: "expo2025") {
    membershipsByAllianceId(orderBy: MUNICIPALITY_ID_ASC, first: 50) {
      nodes {
        tier
        municipalityByMunicipalityId { code name prefectureByPrefectureId { name } }
        workingGroupParticipantsByMembershipId(condition: {leftOn: null}, orderBy: WORKING_GROUP_ID_ASC) {
          nodes { workingGroupByWorkingGroupId { themeByThemeId { number title } } }
        }
      }
    }
  }
}""",
    "Q2": """query Q2 {
  allThemes(orderBy: NUMBER_ASC) {
    nodes {
      number
      title
      pillarByPillarId { name }
      workingGroupsByThemeId(orderBy: ALLIANCE_ID_ASC) {
        nodes {
          allianceByAllianceId { slug }
          workingGroupParticipantsByWorkingGroupId(condition: {leftOn: null}) { totalCount }
        }
      }
      offeringThemesByThemeId(orderBy: OFFERING_ID_ASC) {
        nodes { offeringByOfferingId { title partnerByPartnerId { name } } }
      }
    }
  }
}""",
    "Q3": """query Q3 {
  allianceBySlug(slug: "expo2025") {
    membershipsByAllianceId(orderBy: MUNICIPALITY_ID_ASC) {
      nodes {
        tier
        joinedOn
        municipalityByMunicipalityId {
          code name nameKana kind prefectureByPrefectureId { name }
        }
      }
    }
  }
}""",
}

NAMES = ("Q1", "Q2", "Q3")
EXPECTED_ITEMS = {"Q1": 50, "Q2": 10, "Q3": 581}


def request_body(server: str, name: str) -> Document:
    """The POST body a server receives for query `name`: Tsunagu's text or PostGraphile's."""
    texts = POSTGRAPHILE if server == "postgraphile" else TSUNAGU
    return {"query": texts[name], "operationName": name}


def _municipality(row: Document) -> Document:
    shaped = {key: value for key, value in row.items() if key != "prefectureByPrefectureId"}
    return shaped | {"prefecture": row["prefectureByPrefectureId"]}


def _members(alliance: Document | None) -> Document | None:
    if alliance is None:
        return None
    return {
        "members": {"nodes": [_member(row) for row in alliance["membershipsByAllianceId"]["nodes"]]}
    }


def _member(row: Document) -> Document:
    shaped: Document = {"tier": row["tier"]}
    if "joinedOn" in row:
        shaped["joinedOn"] = row["joinedOn"]
    shaped["municipality"] = _municipality(row["municipalityByMunicipalityId"])
    if "workingGroupParticipantsByMembershipId" in row:
        seats = row["workingGroupParticipantsByMembershipId"]["nodes"]
        shaped["workingGroups"] = [
            {"theme": seat["workingGroupByWorkingGroupId"]["themeByThemeId"]} for seat in seats
        ]
    return shaped


def _themes(data: Document) -> list[Document]:
    return [
        {
            "number": theme["number"],
            "title": theme["title"],
            "pillar": theme["pillarByPillarId"],
            "workingGroups": [
                {
                    "alliance": group["allianceByAllianceId"],
                    "participants": {
                        "totalCount": group["workingGroupParticipantsByWorkingGroupId"][
                            "totalCount"
                        ]
                    },
                }
                for group in theme["workingGroupsByThemeId"]["nodes"]
            ],
            "offerings": [
                {
                    "title": link["offeringByOfferingId"]["title"],
                    "partner": link["offeringByOfferingId"]["partnerByPartnerId"],
                }
                for link in theme["offeringThemesByThemeId"]["nodes"]
            ],
        }
        for theme in data["allThemes"]["nodes"]
    ]


_FROM_POSTGRAPHILE: dict[str, Callable[[Document], Document]] = {
    "Q1": lambda data: {"alliance": _members(data["allianceBySlug"])},
    "Q2": lambda data: {"themes": _themes(data)},
    "Q3": lambda data: {"alliance": _members(data["allianceBySlug"])},
}


def normalise(server: str, name: str, document: Document) -> Document:
    """A response's `data` in Tsunagu's shape: PostGraphile's connections, join rows and `xByY`
    names mapped onto Tsunagu's fields; `extensions` (Tsunagu's cost and schema version) dropped.
    Responses with errors are returned as they are."""
    if document.get("errors") or document.get("data") is None:
        return document
    data = document["data"]
    return {"data": _FROM_POSTGRAPHILE[name](data) if server == "postgraphile" else data}


def items(name: str, document: Document) -> int:
    """The number of top-level items in a normalised response (members or themes)."""
    data = document["data"]
    if name == "Q2":
        return len(data["themes"])
    return len(data["alliance"]["members"]["nodes"])
