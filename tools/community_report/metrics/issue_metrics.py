"""What github/issue-metrics measures beyond first responses: the time pull requests spend in
draft, the time items carry each label (both from their timelines' events), and
Discussions' first response and answer. Pure functions of the records; wall-clock hours.

- **time in draft**: a pull request is in draft from its creation when it was opened as one
  (its first draft event is "ready for review", or it has none and is still a draft), and
  from each "converted to draft"; until "ready for review", its closing, or the end of the
  window, whichever comes first. Only pull requests that were ever in draft count.
- **time in a label**: from each "labeled" to the matching "unlabeled", the item's closing
  or the window's end; an item labeled twice adds both spans.
- **discussions**: time to the first comment by someone other than the author (not a bot),
  and, in categories that take an answer, time until one was chosen.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ...community_report.metrics.github import hours_between, summary
from ...community_report.metrics.window import Window
from ...community_report.records import Activity, Discussion, Issue, ItemEvent


def _hours(start: datetime, end: datetime) -> float:
    return hours_between(start, end, None)  # wall-clock: no business hours here


def _events_by_item(events: list[ItemEvent]) -> dict[tuple[str, int], list[ItemEvent]]:
    out: dict[tuple[str, int], list[ItemEvent]] = defaultdict(list)
    for e in sorted(events, key=lambda e: e.at):
        out[(e.repo, e.number)].append(e)
    return out


def draft_hours(pull: Issue, events: list[ItemEvent], end: datetime) -> float | None:
    """Hours ``pull`` spent in draft before ``end``; None if it never was a draft."""
    moves = [e for e in events if e.kind in ("convert_to_draft", "ready_for_review")]
    opened_as_draft = (moves[0].kind == "ready_for_review") if moves else pull.draft
    stop = min(pull.closed_at or end, end)
    start = pull.created_at if opened_as_draft else None
    total, ever = 0.0, opened_as_draft
    for e in moves:
        if e.at >= stop:
            break
        if e.kind == "convert_to_draft" and start is None:
            start, ever = e.at, True
        elif e.kind == "ready_for_review" and start is not None:
            total += _hours(start, e.at)
            start = None
    if start is not None:
        total += _hours(start, stop)
    return total if ever else None


def label_hours(item: Issue, events: list[ItemEvent], end: datetime) -> dict[str, float]:
    """Hours ``item`` carried each label before ``end`` (or its closing)."""
    stop = min(item.closed_at or end, end)
    since: dict[str, datetime] = {}
    total: dict[str, float] = defaultdict(float)
    for e in events:
        if e.at >= stop:
            break
        if e.kind == "labeled" and e.label not in since:
            since[e.label] = e.at
        elif e.kind == "unlabeled" and e.label in since:
            total[e.label] += _hours(since.pop(e.label), e.at)
    for label, start in since.items():
        total[label] += _hours(start, stop)
    return dict(total)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def drafts_and_labels(issues: list[Issue], events: list[ItemEvent], opened_in, end) -> dict:
    """Time in draft of the pull requests, and time in each label of the items, opened in
    the period (``opened_in``: a test of a creation time), measured up to ``end``."""
    by_item = _events_by_item(events)
    drafts, labels = [], defaultdict(list)
    for item in issues:
        if item.author_is_bot or not opened_in(item.created_at):
            continue
        mine = by_item.get((item.repo, item.number), [])
        if item.is_pull_request:
            hours = draft_hours(item, mine, end)
            if hours is not None:
                drafts.append(hours)
        for label, hours in label_hours(item, mine, end).items():
            labels[label].append(hours)
    return {
        "time_in_draft_hours": {**summary(drafts), "mean": _mean(drafts)},
        "time_in_label_hours": [
            {"label": label, **summary(hours), "mean": _mean(hours)}
            for label, hours in sorted(labels.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
    }


def discussion_figures(discussions: list[Discussion], opened_in, end) -> dict:
    """Discussions opened in the period: how many, answered how fast (before ``end``)."""
    mine = [d for d in discussions if not d.author_is_bot and opened_in(d.created_at)]
    first = [_hours(d.created_at, d.first_response_at) for d in mine
             if d.first_response_at is not None and d.first_response_at < end]  # fmt: skip
    answerable = [d for d in mine if d.answerable]
    answered = [_hours(d.created_at, d.answered_at) for d in answerable
                if d.answered_at is not None and d.answered_at < end]  # fmt: skip
    return {
        "opened": len(mine),
        "first_response_hours": summary(first),
        "without_response": len(mine) - len(first),
        "answerable": len(answerable),
        "answered": len(answered),
        "time_to_answer_hours": summary(answered),
    }


def window_report(activity: Activity, window: Window) -> dict | None:
    """The window's figures, or None where the source read no timelines (git, no token)."""
    if activity.discussions is None:
        return None
    out = drafts_and_labels(activity.issues, activity.item_events, window.__contains__,
                            window.until)  # fmt: skip
    out["discussions"] = discussion_figures(activity.discussions, window.__contains__,
                                            window.until)  # fmt: skip
    return out


# the figures each period of the trends gets from the timelines (GitHub sources that read them)
FIGURES = ("draft_median_hours", "discussions_opened", "discussion_response_median_hours",
           "discussion_answer_median_hours", "time_in_label_median_hours")  # fmt: skip


def per_period(starts: list, ends: list, issues: list[Issue], events: list[ItemEvent],
               discussions: list[Discussion] | None) -> dict:  # fmt: skip
    """Each period's figures for the trends: the median time in draft of the pull requests
    opened in it, its discussions and their median first response and answer, and each
    label's median time (JSON only); all measured up to the period's end. Periods as
    ``starts``/``ends`` (aware datetimes); a source without timelines gives None."""
    if discussions is None:
        return {start: dict.fromkeys(FIGURES) for start in starts}
    out = {}
    for start, end in zip(starts, ends, strict=True):

        def opened_in(moment, start=start, end=end):
            return start <= moment < end

        found = drafts_and_labels(issues, events, opened_in, end)
        talk = discussion_figures(discussions, opened_in, end)
        out[start] = {
            "draft_median_hours": found["time_in_draft_hours"]["median"],
            "discussions_opened": talk["opened"],
            "discussion_response_median_hours": talk["first_response_hours"]["median"],
            "discussion_answer_median_hours": talk["time_to_answer_hours"]["median"],
            "time_in_label_median_hours": {
                row["label"]: row["median"] for row in found["time_in_label_hours"]
            },
        }
    return out
