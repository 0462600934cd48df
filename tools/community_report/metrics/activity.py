"""When people contribute: by ISO week and by weekday × hour (UTC)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from ...community_report.metrics.window import Window


def week_start(moment: datetime) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def by_week(moments: list[datetime], window: Window) -> list[dict]:
    """Contributions per week (weeks start on Monday, UTC), every week of the window listed."""
    counts = Counter(week_start(m) for m in moments if m in window)
    weeks, start = [], week_start(window.since)
    while start < window.until:
        weeks.append({"week": start.date().isoformat(), "count": counts.get(start, 0)})
        start += timedelta(days=7)
    return weeks


def weekday_hour(moments: list[datetime], window: Window) -> list[list[int]]:
    """A 7 × 24 grid: rows Monday…Sunday, columns hours 0–23 UTC."""
    grid = [[0] * 24 for _ in range(7)]
    for m in moments:
        if m in window:
            grid[m.weekday()][m.hour] += 1
    return grid
