"""The bulletin editor and the reader's page: what the secretariat and members see, and the
refusals beside the fields."""

from __future__ import annotations

import re

import pytest

from tests.api.test_bulletin_delivery import HOSTILE, PDF

# Steps aside: a bulletin's page reads it with `node`, which returns the Node interface.
pytestmark = pytest.mark.plan_fallback("abstract_type")

RYUGASAKI = "082082"  # a supporting, active member
DRAFT = {"year": "2026", "month": "12", "title": "会報 12月号", "audience": "ALL_MEMBERS", "body": HOSTILE, "action": "save"}


async def new_draft(admin) -> str:
    await admin.get("/admin/bulletins/new")
    response = await admin.post("/admin/bulletins/new", DRAFT)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("?")[0]


async def upload(admin, path: str, filename: str, content: bytes):
    await admin.get(path)
    return await admin.http.post(
        f"{path}/attachments",
        data={"csrf_token": admin.csrf_token},
        files={"file": (filename, content, "application/pdf")},
        headers={"origin": "http://testserver"},
    )


def harmless(html: str) -> None:
    assert "<script>" not in html.replace('<script src="/static/portal.js" defer></script>', "")
    assert "<img" not in html and 'href="javascript' not in html


async def test_the_preview_and_the_members_page_show_hostile_markdown_as_harmless_text(signed_in):
    admin = await signed_in("ADMIN")
    await admin.get("/admin/bulletins/new")

    preview = await admin.post("/admin/bulletins/new", {**DRAFT, "action": "preview"})
    path = await new_draft(admin)
    await admin.post(f"{path}/publish", {})
    member = await signed_in("MUNICIPALITY", municipality_code=RYUGASAKI)
    listing = await member.get("/portal/bulletins")
    member_path = re.search(r'href="(/portal/bulletins/[^"]+)"', listing.text).group(1)
    page = await member.get(member_path)

    for response in (preview, page):
        assert response.status_code == 200
        assert "&lt;script&gt;" in response.text
        assert 'rel="noopener nofollow"' in response.text
        harmless(response.text)
    assert "会報 12月号" in page.text


async def test_a_file_over_10_mb_or_not_a_pdf_is_refused_beside_the_field(signed_in):
    admin = await signed_in("ADMIN")
    path = await new_draft(admin)

    too_large = await upload(admin, path, "big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    not_pdf = await upload(admin, path, "minutes.pdf", b"<html>not a pdf</html>")
    accepted = await upload(admin, path, "minutes.pdf", PDF)

    assert too_large.status_code == 422 and "10MB" in too_large.text
    assert not_pdf.status_code == 422 and "PDF、PNG、JPEG" in not_pdf.text
    assert accepted.status_code == 303


async def test_the_list_filters_by_status_and_shows_sent_n_of_m(signed_in):
    admin = await signed_in("ADMIN")
    path = await new_draft(admin)
    await admin.post(f"{path}/publish", {})

    drafts = await admin.get("/admin/bulletins?status=DRAFT")
    published = await admin.get("/admin/bulletins?status=PUBLISHED&lang=en")

    assert "会報 12月号" not in drafts.text
    assert "会報 12月号" in published.text and "Sent 0 of 0" in published.text
