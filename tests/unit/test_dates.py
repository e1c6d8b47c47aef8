"""Dates as each reader writes them: the Japanese era at its boundaries, Japan time, fiscal years."""

import datetime as dt

import pytest

from i18n.dates import (
    format_date,
    format_datetime,
    format_fiscal_year,
    format_number,
    format_official_date,
    format_period,
    format_time,
    wareki,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2019-04-30", "平成31年4月30日"),
        ("2019-05-01", "令和元年5月1日"),
        ("2020-01-01", "令和2年1月1日"),
        ("2026-12-04", "令和8年12月4日"),
        ("1989-01-07", "昭和64年1月7日"),
        ("1989-01-08", "平成元年1月8日"),
        ("1926-12-24", "大正15年12月24日"),
        ("1926-12-25", "昭和元年12月25日"),
        ("1912-07-29", "明治45年7月29日"),
        ("1912-07-30", "大正元年7月30日"),
        ("1868-01-25", "明治元年1月25日"),
    ],
)
def test_a_day_in_the_japanese_era_counts_the_first_year_as_gannen(day, expected):
    assert wareki(day) == expected


def test_a_day_before_meiji_has_no_era():
    with pytest.raises(ValueError):
        wareki("1868-01-24")


def test_the_secretariats_documents_date_in_the_era_in_japanese_only():
    assert format_official_date("2019-05-01", "ja") == "令和元年5月1日"
    assert format_official_date("2019-05-01", "en") == "1 May 2019"


def test_a_moment_is_dated_on_japans_clock():
    assert wareki("2019-04-30T15:00:00+00:00") == "令和元年5月1日"
    assert format_date("2026-12-04T15:30:00Z", "ja") == "2026年12月5日(土)"


def test_dates_read_the_japanese_way_and_the_english_way():
    assert format_date("2026-12-04", "ja") == "2026年12月4日(金)"
    assert format_date(dt.date(2026, 12, 4), "en") == "4 Dec 2026"
    assert format_date(None, "ja") == "" and format_date("", "en") == ""


def test_times_are_japan_time_and_say_so_in_english():
    moment = "2026-12-04T09:30:00+00:00"

    assert format_time(moment, "ja") == "18:30"
    assert format_time(moment, "en") == "18:30 JST"
    assert format_datetime(moment, "ja") == "2026年12月4日(金) 18:30"
    assert format_datetime(moment, "en") == "4 Dec 2026, 18:30 JST"


def test_a_period_names_its_day_once_when_it_ends_the_same_day():
    start, same_day, next_day = "2026-12-04T09:30:00Z", "2026-12-04T11:00:00Z", "2026-12-05T01:00:00Z"

    assert format_period(start, same_day, "ja") == "2026年12月4日(金) 18:30〜20:00"
    assert format_period(start, same_day, "en") == "4 Dec 2026, 18:30–20:00 JST"
    assert format_period(start, next_day, "ja") == "2026年12月4日(金) 18:30 – 2026年12月5日(土) 10:00"


def test_a_fiscal_year_is_named_by_the_era_in_force_when_it_ends():
    assert format_fiscal_year(2026, "ja") == "2026年度"
    assert format_fiscal_year(2026, "ja", with_era=True) == "2026年度（令和8年度）"
    assert format_fiscal_year(2019, "ja", with_era=True) == "2019年度（令和元年度）"
    assert format_fiscal_year(2018, "ja", with_era=True) == "2018年度（平成30年度）"
    assert format_fiscal_year(2026, "en", with_era=True) == "FY2026"


def test_amounts_are_grouped_by_thousands():
    assert format_number(1_234_000, "ja") == "1,234,000"
    assert format_number(120_000, "en") == "120,000"
