"""Pillars, themes, partners, offerings and case studies."""


async def test_ten_themes_under_three_pillars_with_their_goals(gql):
    data = await gql.data(
        """{ pillars { key nameEn themes { number roman } }
             themes { number roman title titleEn legacyGoals summary pillar { key } } }"""
    )

    assert [(p["key"], [t["roman"] for t in p["themes"]]) for p in data["pillars"]] == [
        ("EMPOWERING", ["I", "II", "III"]),
        ("CONNECTING", ["IV", "V", "VI"]),
        ("SAVING", ["VII", "VIII", "IX", "X"]),
    ]
    themes = {t["number"]: t for t in data["themes"]}
    assert themes[8]["roman"] == "VIII" and themes[8]["title"] == "防災"
    assert themes[7]["roman"] == "VII"
    assert all(len(t["legacyGoals"]) >= 3 and t["summary"] for t in themes.values())
    assert any("共同調達" in goal for goal in themes[8]["legacyGoals"])


async def test_theme_by_number_and_unknown_number(gql):
    data = await gql.data("{ eight: theme(number: 8) { titleEn } eleven: theme(number: 11) { title } }")

    assert data == {"eight": {"titleEn": "Disaster prevention"}, "eleven": None}


async def test_every_partner_has_offerings_tagged_with_themes(gql):
    data = await gql.data(
        "{ partners(first: 100) { totalCount nodes { slug offerings { title audience themes { number } } } } }"
    )
    partners = data["partners"]["nodes"]

    assert data["partners"]["totalCount"] == len(partners) >= 15
    for partner in partners:
        assert partner["offerings"], partner["slug"]
        assert all(o["themes"] for o in partner["offerings"]), partner["slug"]


async def test_offerings_filter_by_theme_and_partner(gql):
    data = await gql.data(
        """{ dx: offerings(first: 100, filter: {themeNumber: 9}) { totalCount nodes { themes { number } } }
             sompo: partner(slug: "sompo-holdings") { offerings { slug } }
             missing: partner(slug: "no-such-partner") { name } }"""
    )

    assert data["dx"]["totalCount"] > 0
    assert all(9 in [t["number"] for t in o["themes"]] for o in data["dx"]["nodes"])
    assert data["missing"] is None
    slugs = [o["slug"] for o in data["sompo"]["offerings"]]
    filtered = await gql.data(
        '{ offerings(first: 100, filter: {partnerSlug: "sompo-holdings"}) { nodes { slug } } }'
    )
    assert len(slugs) >= 2
    assert [o["slug"] for o in filtered["offerings"]["nodes"]] == slugs


async def test_case_studies_from_all_three_sources(gql):
    data = await gql.data(
        """{ all: caseStudies(first: 1) { totalCount }
             iwata: caseStudies(first: 10, filter: {municipalityCode: "222119"}) {
               nodes { organisation pitch { proposalsReceived proposalsSelected } themes { number } } }
             health: caseStudies(first: 100, filter: {themeNumber: 4}) { totalCount }
             hitachi: caseStudies(first: 10, filter: {search: "データ駆動型"}) { nodes { organisation municipalities { name } } } }"""
    )

    assert data["all"]["totalCount"] >= 60
    assert data["iwata"]["nodes"][0]["pitch"] == {"proposalsReceived": 24, "proposalsSelected": 1}
    assert data["health"]["totalCount"] > 0
    hitachi = [n for n in data["hitachi"]["nodes"] if n["organisation"] == "日立製作所"]
    assert hitachi and hitachi[0]["municipalities"] == [{"name": "松山市"}]


async def test_case_studies_filter_by_prefecture(gql):
    data = await gql.data(
        '{ caseStudies(first: 100, filter: {prefectureCode: "22"}) { nodes { prefectures { code } } } }'
    )

    nodes = data["caseStudies"]["nodes"]
    assert nodes and all("22" in [p["code"] for p in n["prefectures"]] for n in nodes)
