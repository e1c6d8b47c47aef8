"""What the workers and hosts of one deployment share: the link to Redis (`redis_link`), the
publish/subscribe broker (`broker`), points budgets (`budget`) and the data version
(`data_version`). Each degrades to one process's own view when Redis is away."""
