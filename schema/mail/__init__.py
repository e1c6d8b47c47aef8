"""The outbox as the secretariat sees it, resending, and setting users' addresses."""
