"""The member portal's case-study library through its pages: the list by theme, a case, and a
municipality recording and withdrawing its adoption (横展開), with refusals in the reader's language."""

TOYOHASHI_CASE = "toyohashi-agritech-demonstration-projects"  # took place in 豊橋市
TAKAISHI, TOYOHASHI = "272256", "232017"


def case_study_id(page: str) -> str:
    return page.split('name="caseStudyId" value="', 1)[1].split('"', 1)[0]


async def test_the_library_lists_cases_by_theme_and_links_each(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)

    everything = await staff.get("/portal/case-studies")
    agriculture = await staff.get("/portal/case-studies?themeNumber=7")

    assert everything.status_code == 200 and 'href="/portal/case-studies"' in everything.text
    assert f'href="/portal/case-studies/{TOYOHASHI_CASE}"' in everything.text + agriculture.text
    assert everything.text.count('class="card"') == 10


async def test_staff_record_and_withdraw_their_adoption_through_the_case_page(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code=TAKAISHI)
    path = f"/portal/case-studies/{TOYOHASHI_CASE}"
    before = await staff.get(path)

    recorded = await staff.post(f"{path}/adopt", {"caseStudyId": case_study_id(before.text), "note": "令和8年度に予算化"})
    after = await staff.get(recorded.headers["location"])
    withdrawn = await staff.post(f"{path}/withdraw", {"caseStudyId": case_study_id(after.text)})
    again = await staff.get(withdrawn.headers["location"])

    assert "まだ横展開の記録はありません。" in before.text and "横展開を記録する" in before.text
    assert recorded.status_code == 303
    assert "横展開を記録しました。" in after.text and "高石市" in after.text and "令和8年度に予算化" in after.text
    assert "横展開した自治体（1団体）" in after.text and "横展開の記録を取り消す" in after.text
    assert withdrawn.status_code == 303
    assert "横展開の記録を取り消しました。" in again.text and "まだ横展開の記録はありません。" in again.text


async def test_the_municipality_where_it_took_place_is_refused_in_its_language(signed_in):
    staff = await signed_in("MUNICIPALITY", municipality_code=TOYOHASHI)
    path = f"/portal/case-studies/{TOYOHASHI_CASE}"
    ja = await staff.post(f"{path}/adopt", {"caseStudyId": case_study_id((await staff.get(path)).text)})
    en = await staff.post(f"{path}/adopt", {"caseStudyId": case_study_id((await staff.get(f"{path}?lang=en")).text)})

    assert ja.status_code == 422 and en.status_code == 422
    assert "この事例は豊橋市のものです。" in ja.text and "took place in" not in ja.text
    assert "The case took place in Toyohashi City" in en.text and "この事例は" not in en.text
    assert ja.text.count("横展開した自治体（0団体）") == 1 and "Municipalities that adopted it (0)" in en.text
