"""The portals' longest pages run a handful of statements, far fewer than the rows they show:
their documents go through the API's DataLoaders like any other client's (the working groups
count their participants in the statement that reads them)."""

import pytest

PAGES = [
    ("ADMIN", {}, "/admin/members", 10),  # 50 members with their municipality and prefecture
    # 47 prefectures; the charts read every member's history, 100 members (three statements) a page.
    ("ADMIN", {}, "/admin", 32),
    # 20 offerings, the member's requests with their contacts, its contacts to name one, its tier
    ("MUNICIPALITY", {"municipality_code": "272256"}, "/portal/offerings", 16),
    ("MUNICIPALITY", {"municipality_code": "272256"}, "/portal/working-groups", 14),
    ("MUNICIPALITY", {"municipality_code": "272256"}, "/portal/case-studies", 8),  # 10 cases, themes
    ("PARTNER", {"partner_slug": "sompo-holdings"}, "/partner", 14),
    ("PARTNER", {"partner_slug": "sompo-holdings"}, "/partner/offerings", 10),
]


@pytest.mark.parametrize(("role", "target", "path", "most"), PAGES)
async def test_a_long_page_runs_a_bounded_number_of_statements(signed_in, sql_statements, role, target, path, most):
    client = await signed_in(role, **target)
    sql_statements.count = 0

    response = await client.get(path)

    assert response.status_code == 200
    assert sql_statements.count <= most, f"{path}: {sql_statements.count} statements"
