"""Search keeps finding what people mean: a floor under the relevance figures of
bench/search_relevance.toml (measured by bench/search_relevance.py; figures in bench/RESULTS.md)."""

from bench.search_relevance import evaluate, figures, relevance_set

# Slightly below what the search achieves, so that a change that makes it worse fails here.
FLOOR = {"recall": 0.97, "mrr": 0.95, "precision": 0.95}
CATEGORY_FLOOR = {"recall": 0.9, "mrr": 0.8}


async def test_the_relevance_set_finds_what_people_mean(database_url):
    results = figures(await evaluate(relevance_set()))

    overall = results.pop("all")
    assert overall.recall >= FLOOR["recall"], overall
    assert overall.mrr >= FLOOR["mrr"], overall
    assert overall.precision >= FLOOR["precision"], overall
    for category, group in results.items():
        assert group.recall >= CATEGORY_FLOOR["recall"], (category, group)
        assert group.mrr >= CATEGORY_FLOOR["mrr"], (category, group)


def test_the_relevance_set_is_large_and_covers_every_category():
    queries = relevance_set()

    assert len(queries) >= 40
    assert {q.category for q in queries} == {
        "name", "kana", "width", "english", "variant", "punctuation", "concept", "latin",
    }
