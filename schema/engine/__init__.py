"""The query engine: plans compiled once per document (`executor`), resolvers graphql-core calls
directly (`direct`), the columns a query shows nowhere (`selection`) and values kept per object
(`per_object`). The API surface is in `schema/<domain>/`; nothing here names a domain."""
