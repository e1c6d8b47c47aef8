"""Cells a spreadsheet would take for a formula are written as text; other values as they are."""

import csv
import io

import pytest

from resolvers.spreadsheet import SpreadsheetWriter, as_text


@pytest.mark.parametrize("text", [
    '=HYPERLINK("http://evil.example","x")', "+81 72-265-1001", "-5%", "@SUM(A1)", "\t=1", "\r=1",
    "＝1+1", "－1", "＠総務課",
])
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_quote(text):
    assert as_text(text) == "'" + text


@pytest.mark.parametrize("value", ["高石 太郎", "072-265-1001", "a=b", "", " =1", 2026, -5, 1.5, None])
def test_other_values_are_written_as_they_are(value):
    assert as_text(value) == value


def test_every_cell_of_a_row_goes_through_it():
    out = io.StringIO()

    SpreadsheetWriter(out).writerow(["=1+1", -3, "ok"])

    assert out.getvalue() == "'=1+1,-3,ok\r\n"
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=1+1", "-3", "ok"]
