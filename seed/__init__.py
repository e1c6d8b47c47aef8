"""Loading the curated seed dataset in `data/` into the database (`tsunagu seed`)."""
