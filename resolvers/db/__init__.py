"""Data access shared by every domain: per-request DataLoaders (`loaders`), statements whose SQL is
built once per shape (`statements`), rows read as values (`rows`), cursor pagination
(`pagination`) and transactions with work that waits for the commit (`transaction`)."""
