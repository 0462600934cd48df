"""When people contribute: by ISO week and by weekday × hour (UTC); how often releases come."""

from __future__ import annotations

import itertools
import statistics
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


def releases(tags, window) -> dict | None:
    """Release cadence from the tags: how many fall in the window, the median days between
    consecutive tags over the window and before it (the last ten gaps up to the window's
    end), and the last tag before the window's end with its age in days. None when the
    source has no tags to read (GitHub sources)."""
    if tags is None:
        return None
    before_end = [t for t in tags if t.created_at < window.until]
    pairs = itertools.pairwise(before_end)
    gaps = [(b.created_at - a.created_at).total_seconds() / 86400 for a, b in pairs][-10:]
    last = before_end[-1] if before_end else None
    return {
        "in_window": [t.name for t in before_end if t.created_at >= window.since],
        "total": len(before_end),
        "median_days_between": round(statistics.median(gaps), 1) if gaps else None,
        "last": last.name if last else None,
        "days_since_last": (
            round((window.until - last.created_at).total_seconds() / 86400, 1) if last else None
        ),
    }
