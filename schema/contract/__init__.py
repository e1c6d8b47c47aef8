"""The schema as a product: its version, persisted operations, deprecated usage and introspection policy."""
