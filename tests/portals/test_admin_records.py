"""A member's private records on its membership page: contacts current and past, dues by fiscal
year with the balance, and the forms that add and end them (through the API's mutations)."""

import html
import re

import pytest

MEMBERS_ROW = re.compile(r'href="/admin/members/([^"]+)">([^<]+)</a>')
END_CONTACT = re.compile(r'action="(/admin/members/[^/]+/contacts/[^/]+/end)"')
SETTLE = re.compile(r'action="(/admin/members/[^/]+/dues/[^/]+/settle)"')


async def takaishi_page(admin) -> str:
    roster = await admin.get("/admin/members?search=高石")
    membership_id = MEMBERS_ROW.search(roster.text).group(1)
    await admin.get(f"/admin/members/{membership_id}")
    return f"/admin/members/{membership_id}"


def text_of(page) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page.text))


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_the_secretariat_adds_a_contact_then_ends_it_and_it_stays_as_history(signed_in):
    admin = await signed_in("ADMIN")
    path = await takaishi_page(admin)

    added = await admin.post(f"{path}/contacts/new", {
        "municipalityCode": "272256", "role": "MAIN", "name": "高石 花子", "department": "企画課",
        "email": "hanako@example.jp", "phone": "072-000-0000", "fiscalYear": "2026", "form": "contact",
    })
    page = await admin.get(added.headers["location"])

    assert added.status_code == 303
    assert "担当者を登録しました。" in page.text
    assert re.search(r"主担当\s+高石 花子\s+企画課\s+hanako@example.jp\s+072-000-0000\s+2026年度\s+\d{4}年\d{1,2}月\d{1,2}日\(.\)から\s+現任", text_of(page))

    ended = await admin.post(END_CONTACT.search(page.text).group(1))
    page = await admin.get(ended.headers["location"])

    assert "担当を終了しました。" in page.text and "現任" not in text_of(page).replace("現任の", "")
    assert re.search(r"高石 花子.*\d{4}年\d{1,2}月\d{1,2}日\(.\)〜\d{4}年\d{1,2}月\d{1,2}日\(.\)", text_of(page), re.S)
    assert not END_CONTACT.search(page.text)


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_dues_are_billed_by_fiscal_year_with_the_era_and_settled_with_the_balance(signed_in):
    admin = await signed_in("ADMIN")
    path = await takaishi_page(admin)

    for year, amount in (("2025", "100000"), ("2026", "120000")):
        await admin.post(f"{path}/dues/new", {"fiscalYear": year, "amount": amount, "form": "dues"})
    page = await admin.get(path)

    assert "2026年度（令和8年度）" in page.text and "2025年度（令和7年度）" in page.text
    assert "未納額の合計: 220,000円" in page.text
    settle_2026 = SETTLE.search(page.text).group(1)
    await admin.post(settle_2026, {"status": "PAID"})
    english = await admin.get(f"{path}?lang=en")

    assert "Outstanding: ¥100,000" in english.text
    assert re.search(r"FY2026\s+¥120,000\s+Paid", text_of(english))


# Steps aside: `node`/`nodes` return the Node interface (graphql-core resolves the runtime types).
@pytest.mark.plan_fallback("abstract_type")
async def test_a_refused_bill_is_shown_beside_its_field_in_the_form_that_was_sent(signed_in):
    admin = await signed_in("ADMIN")
    path = await takaishi_page(admin)
    await admin.post(f"{path}/dues/new", {"fiscalYear": "2026", "amount": "120000", "form": "dues"})

    twice = await admin.post(f"{path}/dues/new", {"fiscalYear": "2026", "amount": "120000", "form": "dues"})
    not_a_number = await admin.post(f"{path}/dues/new", {"fiscalYear": "2026", "amount": "たくさん", "form": "dues"})

    assert twice.status_code == 422 and 'id="error-summary"' in twice.text
    assert not_a_number.status_code == 422 and 'id="f-amount-error"' in not_a_number.text
    assert 'id="f-contact-fiscalYear"' in not_a_number.text and 'id="f-fiscalYear"' in not_a_number.text
