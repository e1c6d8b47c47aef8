"""CSV written for spreadsheets, safe from formula injection.

Excel, LibreOffice and Google Sheets read a cell whose text begins with `=`, `+`, `-`, `@`, a tab or
a carriage return as a formula, so a contact named `=HYPERLINK("http://evil.example","x")` would
be a live link in the secretariat's spreadsheet (OWASP, "CSV Injection"). Every export writes its
rows through `SpreadsheetWriter`, which puts a single quote before such text: the spreadsheet shows
the cell as text, the quote hidden, and evaluates nothing. The full-width forms (`＝`, `＋`, `－`,
`＠`), which Japanese input methods type, are quoted too, as a precaution: whether a spreadsheet
reads them as a formula depends on its version and settings.

What this does to legitimate values:
- numbers passed as numbers (a fiscal year, a count), negative ones included, are written as they
  are: they are not text anybody typed, and they stay numbers in the spreadsheet;
- text is judged by its first character alone, so a phone number `+81 72-265-1001` or a note
  `-5%` is written `'+81 72-265-1001`, `'-5%`. That is what a spreadsheet should show anyway:
  unquoted, Excel would compute `+81 72-265-1001` as a sum or call it an error.
Programs that read the CSV as data (Python's csv module, pandas) see the quote: drop a leading `'`
before one of the characters above to get the value as stored.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable
from typing import TextIO

FORMULA_STARTS = frozenset("=+-@\t\r")
TEXT_PREFIX = "'"


def as_text(value: object) -> object:
    """`value`, quoted if a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value and unicodedata.normalize("NFKC", value[0]) in FORMULA_STARTS:
        return TEXT_PREFIX + value
    return value


class SpreadsheetWriter:
    """`csv.writer` (comma-separated, CRLF line ends) whose every cell goes through `as_text`."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([as_text(cell) for cell in row])
