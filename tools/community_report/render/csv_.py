"""The contributor table as CSV, for spreadsheets: one row per contributor of the window (of
the whole set, for several repositories), in the order of the report. Like JSON it keeps
email addresses: an analyst joins on them. A cell a spreadsheet would read as a formula
(text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: names come from
git as their authors typed them) is written with a leading ``'``."""

from __future__ import annotations

import csv
import io

COLUMNS = ("who", "name", "commits", "co_authored", "added", "deleted", "issues",
           "pull_requests", "comments", "reviews", "first_contribution", "last_contribution",
           "areas")  # fmt: skip
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str | int:
    if isinstance(value, list):
        value = "; ".join(value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value


def render(report: dict) -> str:
    if report.get("kind") == "set":
        report = report["all"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in report["contributors"]["every"]:
        writer.writerow([_cell(row.get(column)) for column in COLUMNS])
    return out.getvalue()
