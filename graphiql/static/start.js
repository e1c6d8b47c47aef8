// Starts GraphiQL against the endpoint that served the page: HTTP for queries and mutations,
// WebSocket (graphql-transport-ws) for subscriptions. Headers typed into the editor (a bearer
// token) are not kept in the browser's storage.
"use strict";

const endpoint = window.location.origin + window.location.pathname;
const socket = new URL(endpoint);
socket.protocol = socket.protocol === "https:" ? "wss:" : "ws:";

const EXAMPLE_QUERY = `# Tsunagu's GraphQL API.
# Ctrl-Enter runs the query; the Docs
# panel (top left) describes the schema.
# To act as a user, add a header below:
# {"Authorization": "Bearer tsu_…"}
{
  alliance(slug: "expo2025") {
    shortName
    statistics {
      memberCount
      byTier { key count }
    }
  }
  search(query: "ぼうさい", first: 5) {
    totalCount
    nodes {
      __typename
      ... on Theme { title }
      ... on CaseStudy { title }
    }
  }
}
`;

const fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socket.toString() });

ReactDOM.createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: EXAMPLE_QUERY,
    defaultEditorToolsVisibility: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    inputValueDeprecation: true,
  }),
);
