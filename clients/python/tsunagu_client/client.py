from typing import Any, Optional, Union

from .async_base_client import AsyncBaseClient
from .base_model import UNSET, UnsetType
from .input_types import MunicipalityFilter
from .municipalities import Municipalities
from .offerings_by_theme import OfferingsByTheme
from .partner_offerings import PartnerOfferings
from .partners import Partners
from .themes import Themes
from .viewer import Viewer


def gql(q: str) -> str:
    return q


class TsunaguClient(AsyncBaseClient):
    async def themes(self, **kwargs: Any) -> Themes:
        query = gql("""
            query Themes {
              themes {
                number
                roman
                title
                titleEn
                pillar {
                  key
                  nameEn
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Themes", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Themes.model_validate(data)

    async def partners(
        self,
        first: Union[Optional[int], UnsetType] = UNSET,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Partners:
        query = gql("""
            query Partners($first: Int = 20, $after: String) {
              partners(first: $first, after: $after) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                nodes {
                  slug
                  name
                  nameEn
                  kind
                }
              }
            }
            """)
        variables: dict[str, object] = {"first": first, "after": after}
        response = await self.execute(
            query=query, operation_name="Partners", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Partners.model_validate(data)

    async def municipalities(
        self,
        filter_: Union[Optional[MunicipalityFilter], UnsetType] = UNSET,
        first: Union[Optional[int], UnsetType] = UNSET,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> Municipalities:
        query = gql("""
            query Municipalities($filter: MunicipalityFilter, $first: Int = 20, $after: String) {
              municipalities(filter: $filter, first: $first, after: $after) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                nodes {
                  code
                  name
                  nameEn
                  kind
                  prefecture {
                    code
                    name
                  }
                  memberships {
                    tier
                    status
                    alliance {
                      slug
                    }
                  }
                }
              }
            }
            """)
        variables: dict[str, object] = {
            "filter": filter_,
            "first": first,
            "after": after,
        }
        response = await self.execute(
            query=query, operation_name="Municipalities", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Municipalities.model_validate(data)

    async def partner_offerings(
        self,
        partner_slug: str,
        first: Union[Optional[int], UnsetType] = UNSET,
        after: Union[Optional[str], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> PartnerOfferings:
        query = gql("""
            query PartnerOfferings($partnerSlug: String!, $first: Int = 20, $after: String) {
              offerings(filter: {partnerSlug: $partnerSlug}, first: $first, after: $after) {
                totalCount
                pageInfo {
                  hasNextPage
                  endCursor
                }
                nodes {
                  ...OfferingSummary
                }
              }
            }

            fragment OfferingSummary on Offering {
              id
              slug
              title
              kind
              audience
              capacity
              placesLeft
              startsOn
              endsOn
              themes {
                number
                title
              }
            }
            """)
        variables: dict[str, object] = {
            "partnerSlug": partner_slug,
            "first": first,
            "after": after,
        }
        response = await self.execute(
            query=query,
            operation_name="PartnerOfferings",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return PartnerOfferings.model_validate(data)

    async def offerings_by_theme(
        self,
        theme_number: int,
        first: Union[Optional[int], UnsetType] = UNSET,
        **kwargs: Any,
    ) -> OfferingsByTheme:
        query = gql("""
            query OfferingsByTheme($themeNumber: Int!, $first: Int = 20) {
              offerings(filter: {themeNumber: $themeNumber}, first: $first) {
                totalCount
                nodes {
                  ...OfferingSummary
                  partner {
                    slug
                    name
                  }
                }
              }
            }

            fragment OfferingSummary on Offering {
              id
              slug
              title
              kind
              audience
              capacity
              placesLeft
              startsOn
              endsOn
              themes {
                number
                title
              }
            }
            """)
        variables: dict[str, object] = {"themeNumber": theme_number, "first": first}
        response = await self.execute(
            query=query,
            operation_name="OfferingsByTheme",
            variables=variables,
            **kwargs,
        )
        data = self.get_data(response)
        return OfferingsByTheme.model_validate(data)

    async def viewer(self, **kwargs: Any) -> Viewer:
        query = gql("""
            query Viewer {
              viewer {
                name
                role
                scopes
                tokenExpiresAt
                partner {
                  slug
                  name
                }
                municipality {
                  code
                  name
                }
              }
            }
            """)
        variables: dict[str, object] = {}
        response = await self.execute(
            query=query, operation_name="Viewer", variables=variables, **kwargs
        )
        data = self.get_data(response)
        return Viewer.model_validate(data)
