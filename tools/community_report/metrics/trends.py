"""Health over time: each metric as a series of months or quarters, per repository and for
the whole set — one SQL query, the single definition, run by whichever engine holds the
store (DuckDB by default, Spark for ecosystem scale; ``tools.community_report.engines``).

Inputs, as views the engine makes of the store's tables for the repositories asked for:
``r_commits``, ``r_items``, ``r_comments``, ``r_reviews``, and ``identities`` (name, email →
who, is_bot: who is who, decided over every repository at once, so a contributor is one
identity across them). Each period's figures are those the
snapshot report gives for a window equal to that period (a test holds the two to it):

- commits: non-merge, non-bot commits authored in the period;
- active: identities with a contribution in it (commit, or credit by a Co-authored-by
  trailer; issue or pull request opened, comment, review; bots never count);
- new: active, and the first contribution ever falls in the period;
- returning: active, not new, and silent for ``inactive_days`` or more before their first
  contribution in the period;
- absence factor: the fewest contributors whose commits make up more than half the period's;
- issues / pull requests opened by people; pull requests merged, and the acceptance ratio
  (merged ÷ closed, of those closed in the period);
- first response: for items opened in the period, hours to the first comment or review by
  someone other than the author (before the period's end); median and 90th percentile
  (nearest rank). Wall-clock hours: business hours are the snapshot report's alone.

The SQL is written in DuckDB's dialect using only what Spark SQL also has (``date_trunc``,
window functions, ``INTERVAL`` literals); SQLGlot transpiles it for Spark.
"""

from __future__ import annotations

from datetime import datetime

from ...community_report.metrics.issue_metrics import FIGURES as TIMELINES
from ...community_report.metrics.popularity import FIGURES as POPULARITY

PERIODS = {"month": "1 MONTH", "quarter": "3 MONTH"}

TRENDS_SQL = """
WITH
human_commits AS (
    SELECT c.repo, i.who, c.authored_at AS ts
    FROM r_commits c JOIN identities i ON c.name = i.name AND c.email = i.email
    WHERE NOT c.is_merge AND NOT i.is_bot
),
plausible AS (  -- at most MAX_COAUTHORS people in a commit's trailers (sources.git)
    SELECT repo, sha FROM r_coauthors GROUP BY repo, sha
    HAVING count(DISTINCT lower(email)) <= {max_coauthors}
),
credited AS (  -- people a Co-authored-by trailer credits: a contribution at the commit's time
    SELECT c.repo, i.who, c.authored_at AS ts
    FROM r_coauthors a
    JOIN plausible p ON p.repo = a.repo AND p.sha = a.sha
    JOIN r_commits c ON c.repo = a.repo AND c.sha = a.sha
    JOIN identities i ON a.name = i.name AND a.email = i.email
    WHERE NOT c.is_merge AND NOT i.is_bot
),
events AS (
    SELECT repo, who, ts FROM human_commits
    UNION ALL SELECT repo, who, ts FROM credited
    UNION ALL SELECT repo, author AS who, created_at AS ts FROM r_items WHERE NOT author_is_bot
    UNION ALL SELECT repo, author AS who, created_at AS ts FROM r_comments WHERE NOT author_is_bot
    UNION ALL SELECT repo, author AS who, submitted_at AS ts FROM r_reviews WHERE NOT author_is_bot
),
scoped AS (  -- distinct: a person's events at one instant are one (ties would break LAG)
    SELECT DISTINCT repo AS scope, who, ts FROM events
    UNION SELECT '*' AS scope, who, ts FROM events
),
lagged AS (
    SELECT scope, who, ts, date_trunc('{unit}', ts) AS period,
           LAG(ts) OVER (PARTITION BY scope, who ORDER BY ts) AS prev_at,
           ROW_NUMBER() OVER (PARTITION BY scope, who, date_trunc('{unit}', ts) ORDER BY ts) AS k
    FROM scoped
),
people AS (
    SELECT scope, period,
           COUNT(*) AS active,
           SUM(CASE WHEN prev_at IS NULL THEN 1 ELSE 0 END) AS new,
           SUM(CASE WHEN prev_at IS NOT NULL
                     AND ts >= prev_at + INTERVAL {inactive_days} DAY THEN 1 ELSE 0 END)
               AS returning
    FROM lagged WHERE k = 1
    GROUP BY scope, period
),
commit_counts AS (
    SELECT scope, period, who, COUNT(*) AS n
    FROM (SELECT repo AS scope, who, date_trunc('{unit}', ts) AS period FROM human_commits
          UNION ALL
          SELECT '*' AS scope, who, date_trunc('{unit}', ts) AS period FROM human_commits) x
    GROUP BY scope, period, who
),
commit_running AS (
    SELECT scope, period, n,
           SUM(n) OVER (PARTITION BY scope, period ORDER BY n DESC, who
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running,
           SUM(n) OVER (PARTITION BY scope, period) AS total,
           ROW_NUMBER() OVER (PARTITION BY scope, period ORDER BY n DESC, who) AS rn
    FROM commit_counts
),
commit_figures AS (
    SELECT scope, period, MAX(total) AS commits,
           MIN(CASE WHEN running * 2 > total THEN rn END) AS absence_factor
    FROM commit_running GROUP BY scope, period
),
human_items AS (
    SELECT repo, number, author, is_pull_request, created_at, closed_at, merged_at
    FROM r_items WHERE NOT author_is_bot
),
scoped_items AS (
    SELECT repo AS scope, * FROM human_items
    UNION ALL SELECT '*' AS scope, * FROM human_items
),
opened AS (
    SELECT scope, date_trunc('{unit}', created_at) AS period,
           SUM(CASE WHEN is_pull_request THEN 0 ELSE 1 END) AS issues_opened,
           SUM(CASE WHEN is_pull_request THEN 1 ELSE 0 END) AS pull_requests_opened
    FROM scoped_items GROUP BY scope, date_trunc('{unit}', created_at)
),
closed AS (
    SELECT scope, date_trunc('{unit}', closed_at) AS period,
           SUM(CASE WHEN merged_at IS NOT NULL THEN 1 ELSE 0 END) AS pull_requests_merged,
           COUNT(*) AS pull_requests_closed
    FROM scoped_items WHERE is_pull_request AND closed_at IS NOT NULL
    GROUP BY scope, date_trunc('{unit}', closed_at)
),
replies AS (
    SELECT repo, number, author, created_at AS ts FROM r_comments WHERE NOT author_is_bot
    UNION ALL SELECT repo, number, author, submitted_at AS ts FROM r_reviews WHERE NOT author_is_bot
),
first_reply AS (
    SELECT i.repo, i.number, MIN(r.ts) AS answered
    FROM human_items i JOIN replies r
      ON r.repo = i.repo AND r.number = i.number AND r.author <> i.author
    GROUP BY i.repo, i.number
),
answered AS (
    SELECT s.scope, date_trunc('{unit}', s.created_at) AS period, s.is_pull_request,
           CAST(date_diff('microsecond', s.created_at, f.answered) AS DOUBLE) / 3600000000.0
               AS hours
    FROM scoped_items s JOIN first_reply f ON f.repo = s.repo AND f.number = s.number
    WHERE f.answered < date_trunc('{unit}', s.created_at) + INTERVAL {length}
),
answered_ranked AS (
    SELECT scope, period, is_pull_request, hours,
           ROW_NUMBER() OVER (PARTITION BY scope, period, is_pull_request ORDER BY hours) AS rn,
           COUNT(*) OVER (PARTITION BY scope, period, is_pull_request) AS n
    FROM answered
),
response AS (
    SELECT scope, period,
        AVG(CASE WHEN NOT is_pull_request AND (rn = FLOOR((n + 1) / 2) OR rn = FLOOR((n + 2) / 2))
                 THEN hours END) AS issue_response_median_hours,
        MAX(CASE WHEN NOT is_pull_request AND rn = FLOOR((9 * n + 9) / 10) THEN hours END)
            AS issue_response_p90_hours,
        AVG(CASE WHEN is_pull_request AND (rn = FLOOR((n + 1) / 2) OR rn = FLOOR((n + 2) / 2))
                 THEN hours END) AS pull_request_response_median_hours,
        MAX(CASE WHEN is_pull_request AND rn = FLOOR((9 * n + 9) / 10) THEN hours END)
            AS pull_request_response_p90_hours
    FROM answered_ranked GROUP BY scope, period
),
starred AS (  -- a period with stars or forks and nothing else is a period too
    SELECT repo AS scope, date_trunc('{unit}', starred_at) AS period FROM r_popularity
    UNION SELECT '*' AS scope, date_trunc('{unit}', starred_at) AS period FROM r_popularity
),
periods AS (
    SELECT scope, period FROM people
    UNION SELECT scope, period FROM opened
    UNION SELECT scope, period FROM closed
    UNION SELECT scope, period FROM starred
)
SELECT p.scope, CAST(p.period AS DATE) AS period,
       COALESCE(c.commits, 0) AS commits,
       COALESCE(pe.active, 0) AS active,
       COALESCE(pe.new, 0) AS new,
       COALESCE(pe.returning, 0) AS returning,
       COALESCE(c.absence_factor, 0) AS absence_factor,
       COALESCE(o.issues_opened, 0) AS issues_opened,
       COALESCE(o.pull_requests_opened, 0) AS pull_requests_opened,
       COALESCE(cl.pull_requests_merged, 0) AS pull_requests_merged,
       COALESCE(cl.pull_requests_closed, 0) AS pull_requests_closed,
       r.issue_response_median_hours, r.issue_response_p90_hours,
       r.pull_request_response_median_hours, r.pull_request_response_p90_hours
FROM periods p
LEFT JOIN people pe ON pe.scope = p.scope AND pe.period = p.period
LEFT JOIN commit_figures c ON c.scope = p.scope AND c.period = p.period
LEFT JOIN opened o ON o.scope = p.scope AND o.period = p.period
LEFT JOIN closed cl ON cl.scope = p.scope AND cl.period = p.period
LEFT JOIN response r ON r.scope = p.scope AND r.period = p.period
ORDER BY p.scope, p.period
"""

COLUMNS = (
    "scope", "period", "commits", "active", "new", "returning", "absence_factor",
    "issues_opened", "pull_requests_opened", "pull_requests_merged", "pull_requests_closed",
    "issue_response_median_hours", "issue_response_p90_hours",
    "pull_request_response_median_hours", "pull_request_response_p90_hours",
)  # fmt: skip

COMMIT_FIGURES = ("commits", "active", "new", "returning", "absence_factor")
ITEM_COUNTS = ("issues_opened", "pull_requests_opened", "pull_requests_merged",
               "pull_requests_closed")  # fmt: skip

# what each renderer shows, in order, with its label
SERIES = (
    ("commits", "commits"),
    ("active", "active contributors"),
    ("new", "new contributors"),
    ("returning", "returning contributors"),
    ("absence_factor", "absence factor"),
    ("issues_opened", "issues opened"),
    ("pull_requests_opened", "pull requests opened"),
    ("pull_requests_merged", "pull requests merged"),
    ("acceptance_ratio", "acceptance ratio"),
    ("issue_response_median_hours", "issue first response, median h"),
    ("issue_response_p90_hours", "issue first response, p90 h"),
    ("pull_request_response_median_hours", "PR first response, median h"),
    ("pull_request_response_p90_hours", "PR first response, p90 h"),
    ("draft_median_hours", "time in draft, median h"),
    ("discussions_opened", "discussions opened"),
    ("discussion_response_median_hours", "discussion first response, median h"),
    ("discussion_answer_median_hours", "discussion answer, median h"),
    ("stars", "stars gained"),
    ("forks", "forks gained"),
    ("files", "files at the end"),
    ("lines", "lines of code at the end"),
)


def trends_sql(by: str, inactive_days: int) -> str:
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}")
    from ...community_report.sources.git import MAX_COAUTHORS

    return TRENDS_SQL.format(unit=by, length=PERIODS[by], inactive_days=int(inactive_days),
                             max_coauthors=MAX_COAUTHORS)  # fmt: skip


def shape(rows: list[tuple], by: str, sources: list[str], notes: list[str], engine: str,
          commits_missing_from: datetime | None = None) -> dict:  # fmt: skip
    """The query's rows as the trends report: one series per scope ("*" = the whole set),
    with the acceptance ratio and roundings applied. Pure: no I/O.

    ``commits_missing_from``: the first GH Archive hour whose pushes list no commits. From
    that period on, a GitHub scope with no commit has unknown commit figures (None, "—"),
    never a zero, and a note says why and what to do."""
    series: dict[str, list[dict]] = {}
    notes = list(notes)
    if commits_missing_from is not None:
        notes.append(
            f"GH Archive's push events list no commits from {commits_missing_from:%Y-%m-%d %H}:00 "
            "UTC on (GitHub's format since October 2025): commit figures of GitHub sources "
            "from then are unknown (—) or partial. Read commits from git: --clone "
            "OWNER/REPO=PATH for each repository."
        )
        missing_start = _floor(commits_missing_from, by)
    # Only GitHub sources (the API or GH Archive) have issues and pull requests: elsewhere
    # their figures are unknown (None, shown as "—"), never a zero.
    with_items = {s for s in sources if s.startswith("github:")}
    for row in rows:
        scope, period, *figures = row
        values = {"period": _label(period, by), "start": period.isoformat()}
        for key, value in zip(COLUMNS[2:], figures, strict=True):
            if key.endswith("_hours"):  # engines give floats or decimals, or NULL
                values[key] = None if value is None else round(float(value), 2)
            else:
                values[key] = int(value)
        if not (with_items if scope == "*" else with_items & {scope}):
            values.update(dict.fromkeys(ITEM_COUNTS))
        if (
            commits_missing_from is not None
            and period >= missing_start
            and values["commits"] == 0
            and (scope.startswith("github:") or (scope == "*" and with_items))
        ):
            values.update(dict.fromkeys(COMMIT_FIGURES))
        # filled by popularity.add_to where the sources have them, else unknown
        values.update(dict.fromkeys((*POPULARITY, *TIMELINES)))
        closed = values["pull_requests_closed"]
        values["acceptance_ratio"] = (
            round(values["pull_requests_merged"] / closed, 4) if closed else None
        )
        series.setdefault("all" if scope == "*" else scope, []).append(values)
    return {
        "kind": "trends",
        "by": by,
        "engine": engine,
        "sources": sources,
        "series": series,
        "notes": notes,
    }


def _floor(moment: datetime, by: str):
    """The first day of the period that holds ``moment``."""
    month = moment.month if by == "month" else 3 * ((moment.month - 1) // 3) + 1
    return moment.date().replace(month=month, day=1)


def _label(period, by: str) -> str:
    if by == "quarter":
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    return f"{period.year}-{period.month:02d}"
