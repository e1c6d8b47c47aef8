"""The admin's one search box: every kind the API's `search` finds, linked to its admin page,
matched terms highlighted, paged, in both languages."""

import re

import pytest

# Steps aside: a search result is the SearchResult union (graphql-core resolves the runtime types).
pytestmark = pytest.mark.plan_fallback("abstract_type")
MARKED = re.compile(r"<mark>([^<]+)</mark>")


async def test_every_admin_page_has_the_search_box_and_other_portals_do_not(signed_in):
    admin = await signed_in("ADMIN")
    member = await signed_in("MUNICIPALITY", municipality_code="272256")

    dashboard = await admin.get("/admin")
    portal = await member.get("/portal")

    assert 'action="/admin/search" role="search"' in dashboard.text
    assert "/admin/search" not in portal.text


async def test_a_search_lists_each_kind_linked_to_its_admin_page_with_the_terms_marked(signed_in):
    admin = await signed_in("ADMIN")

    page = await admin.get("/admin/search?q=高石")
    partners = await admin.get("/admin/search?q=sompo")

    assert re.search(r'<a href="/admin/members/[^"]+"><mark>高石</mark>市</a>', page.text)
    assert "自治体" in page.text and "「高石」の検索結果:" in page.text
    assert '<a href="/admin/partners/sompo-holdings"><mark>SOMPO</mark>ホールディングス株式会社</a>' in partners.text
    assert re.search(r'<span class="tag">提供メニュー</span>[\s\S]*?<a href="/admin/partners/sompo-holdings">[^<]*<mark>SOMPO</mark>', partners.text)


async def test_related_terms_are_marked_and_results_page_in_both_languages(signed_in):
    admin = await signed_in("ADMIN")

    related = await admin.get("/admin/search?q=脱炭素")
    first = await admin.get("/admin/search?q=大阪")
    following = re.search(r'href="(/admin/search\?[^"]*after=[^"]+)" rel="next"', first.text)
    second = await admin.get(following.group(1).replace("&amp;", "&"))
    english = await admin.get("/admin/search?q=脱炭素&lang=en")

    assert {"脱炭素", "カーボンニュートラル"} <= set(MARKED.findall(related.text))
    titles = re.compile(r"<h2>(.+?)</h2>")
    assert 'rel="prev"' in second.text and not set(titles.findall(first.text)) & set(titles.findall(second.text))
    assert "<mark>大阪</mark>" in second.text
    assert re.search(r"\d+ results for “脱炭素”", english.text) and "Case study" in english.text


async def test_a_search_for_one_kind_finds_only_that_kind(signed_in):
    admin = await signed_in("ADMIN")

    page = await admin.get("/admin/search?q=防災&kind=CASE_STUDY")

    kinds = set(re.findall(r'<p class="meta"><span class="tag">([^<]+)</span>', page.text))
    assert kinds == {"事例"}
