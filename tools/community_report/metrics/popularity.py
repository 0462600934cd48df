"""Popularity and size over time, beside the trends: stars and forks gained in each period
(GitHub's ``starred_at`` and fork times, or GH Archive's WatchEvent and ForkEvent), and the
code as it stood at each period's end (files, and lines of text files, from git). Pure: the
sources read the facts, this sorts them into the trends report's periods."""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime

FIGURES = ("stars", "forks", "files", "lines")


def period_end(start: date, by: str) -> datetime:
    """The first moment after the period that starts on ``start`` (UTC)."""
    months = 1 if by == "month" else 3
    year, month = start.year + (start.month - 1 + months) // 12, (start.month - 1 + months) % 12 + 1
    return datetime(year, month, 1, tzinfo=UTC)


def per_period(starts: list[date], by: str, popularity: list[tuple[str, datetime]] | None,
               sizes: dict[datetime, tuple[int, int]] | None) -> dict[date, dict]:  # fmt: skip
    """Each period's figures: stars and forks gained in it, files and lines at its end.
    None where a figure was not read for this repository (no stars from git alone, no
    sizes without git), never a zero."""
    starts = sorted(starts)
    out = {s: dict.fromkeys(FIGURES) for s in starts}
    if popularity is not None:
        bounds = [period_end(s, by) for s in starts]
        for s in starts:
            out[s]["stars"] = out[s]["forks"] = 0
        for kind, at in popularity:
            k = bisect_right(bounds, at)  # the first period whose end is after it
            if k < len(starts) and at >= datetime(*starts[k].timetuple()[:3], tzinfo=UTC):
                out[starts[k]]["stars" if kind == "star" else "forks"] += 1  # it holds `at`
    if sizes is not None:
        for s in starts:
            files, lines = sizes.get(period_end(s, by), (None, None))
            out[s]["files"], out[s]["lines"] = files, lines
    return out


def add_to(report: dict, figures: dict[str, dict[date, dict]], keys=FIGURES,
           whole: dict[date, dict] | None = None) -> None:  # fmt: skip
    """Fill the trends report's rows with the figures of each repository (``figures``: repo →
    period start → figures). The whole set's are ``whole``'s where given (figures that do
    not add up, such as medians), else the sums of what is known."""
    for scope, rows in report["series"].items():
        for row in rows:
            start = date.fromisoformat(row["start"])
            if scope != "all":
                row.update(figures.get(scope, {}).get(start, dict.fromkeys(keys)))
            elif whole is not None:
                row.update(whole.get(start, dict.fromkeys(keys)))
            else:
                for key in keys:
                    known = [f[start][key] for f in figures.values()
                             if start in f and f[start][key] is not None]  # fmt: skip
                    row[key] = sum(known) if known else None
