"""Introductions between peer municipalities, as the API shows them."""
