"""The report laid out as titled tables, shared by the text, markdown and HTML renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...community_report.metrics.sets import PREFIX, short_name


@dataclass
class Section:
    title: str
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _n(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _who(p: dict) -> str:
    """A person as a report shows them: name and identity, or the name alone where the
    identity was left out (an email address in a published report)."""
    return f"{p['name']} ({p['who']})" if p["who"] and p["who"] != p["name"] else p["name"]


def _share(value) -> str:
    return "—" if value is None else f"{value:.0%}"


def _change(now, before) -> str:
    if now is None or before is None:
        return "—"
    diff = now - before
    return f"{'+' if diff > 0 else ''}{_n(diff)}"


DEFINITIONS = [
    "Absence factor (bus factor): the fewest contributors who made more than half of the "
    "window's commits. Elephant factor: the same count over organisations. Onion: core "
    "contributors made the first 80% of the commits, regular ones the next 15%, casual ones "
    "the rest.",
]


def sections(report: dict) -> list[Section]:
    c, k = report["contributors"], report["commits"]
    prev = c["previous"]
    # against a previous window with no activity at all a change means nothing: no "+1"
    empty_before = k["previous"] == 0 and prev["active"] == 0

    def _delta(now, before) -> str:
        return "—" if empty_before else _change(now, before)

    out = [
        Section(
            "Summary",
            ["metric", "this window", "previous window", "change"],
            [
                [
                    "commits (non-merge)",
                    _n(k["total"]),
                    _n(k["previous"]),
                    _delta(k["total"], k["previous"]),
                ],
                [
                    "active contributors",
                    _n(c["active"]),
                    _n(prev["active"]),
                    _delta(c["active"], prev["active"]),
                ],
                ["new contributors", _n(c["new"]), _n(prev["new"]), _delta(c["new"], prev["new"])],
                [
                    "absence factor",
                    _n(c["absence_factor"]),
                    _n(prev["absence_factor"]),
                    _delta(c["absence_factor"], prev["absence_factor"]),
                ],
                [
                    "elephant factor",
                    _n(c["elephant_factor"]),
                    _n(prev["elephant_factor"]),
                    _delta(c["elephant_factor"], prev["elephant_factor"]),
                ],
            ],
            [
                *report.get("notes", ()),
                *(
                    ["The previous window holds no activity: no change is shown."]
                    if empty_before
                    else []
                ),
                f"{_n(c['returning'])} returning, {_n(c['inactive'])} inactive (no contribution "
                f"in {c['inactive_days']} days), {_n(c['total'])} contributors ever; "
                f"{_n(k['merges'])} merges and {_n(k['bots'])} bot commits left out "
                f"({len(c['bot_identities'])} bots).",
                f"Onion: {c['onion']['core']} core, {c['onion']['regular']} regular, "
                f"{c['onion']['casual']} casual contributors.",
                *DEFINITIONS,
            ],
        ),
        Section(
            "Top contributors",
            ["contributor", "commits", "lines added", "lines deleted"],
            [
                [
                    _who(p),
                    _n(p["commits"]),
                    _n(p.get("added")),
                    _n(p.get("deleted")),
                ]
                for p in c["top"]
            ],
        ),
        Section(
            "Organisations",
            ["organisation", "commits", "share"],
            [[o["name"], _n(o["commits"]), _share(o["share"])] for o in c["organisations"]],
        ),
    ]
    if c["new_contributors"]:
        out.append(
            Section(
                "New contributors",
                ["contributor"],
                [[_who(p)] for p in c["new_contributors"]],
            )
        )
    if c.get("credited_only"):
        out.append(
            Section(
                "Credited only by Co-authored-by trailers",
                ["contributor"],
                [[_who(p)] for p in c["credited_only"]],
            )
        )
    out.append(
        Section(
            "Ownership",
            ["area", "commits", "lines", "people", "top by commits", "top by lines", "status"],
            [
                [
                    o["area"],
                    _n(o["commits"]),
                    _n(o["lines"]),
                    _n(o["contributors"]),
                    ", ".join(f"{t['name']} ({t['commits']})" for t in o["top_by_commits"]),
                    ", ".join(f"{t['name']} ({t['lines']:,})" for t in o["top_by_lines"]),
                    o["status"],
                ]
                for o in report["ownership"]
            ],
            [
                "A path belongs to the area of its last matching CODEOWNERS line, so lines count "
                "once; a commit that touches several areas counts once in each, so the commits "
                "column adds up to more than the window's commits. Status: at risk when one "
                "person made every change or wrote 90% or more of the lines; quiet when an area "
                "changed too little to judge (under 3 commits or 20 lines); abandoned when "
                "everyone who changed it has since gone inactive.",
            ],
        )
    )
    if report.get("code_ownership") is not None:
        out.append(
            Section(
                "Code as it stands (blame)",
                ["area", "lines", "owners", "top owners", "inactive owners' lines", "status"],
                [
                    [
                        o["area"],
                        _n(o["lines"]),
                        _n(o["owners"]),
                        ", ".join(f"{t['name']} ({t['share']:.0%})" for t in o["top"]),
                        _share(o["inactive_share"]),
                        o["status"],
                    ]
                    for o in report["code_ownership"]
                ],
                [
                    "Who last changed each line at HEAD (git blame), per area: code nobody "
                    "touched in the window shows here too. At risk: one person owns 90% or more "
                    "of the lines; abandoned: every owner is inactive."
                ],
            )
        )
    rel = report.get("releases")
    if rel and rel["total"]:
        median = rel["median_days_between"]
        row = [
            ", ".join(rel["in_window"][-8:]) or "none",
            _n(rel["total"]),
            "—" if median is None else f"{median:g}",
            rel["last"],
            f"{rel['days_since_last']:g}",
        ]
        headers = ["tags in the window", "tags in all", "median days between", "last tag",
                   "days since"]  # fmt: skip
        note = ("Releases as the repository's git tags mark them; the median gap is over the "
                "last ten gaps up to the window's end.")  # fmt: skip
        out.append(Section("Releases", headers, [row], [note]))
    if report.get("hotspots"):
        out.append(
            Section(
                "Hotspots",
                ["file", "commits", "lines added", "lines deleted", "people"],
                [
                    [
                        h["path"],
                        _n(h["commits"]),
                        _n(h["added"]),
                        _n(h["deleted"]),
                        _n(h["authors"]),
                    ]
                    for h in report["hotspots"]
                ],
                [
                    "The files changed by the most commits in the window (two or more): where "
                    "change concentrates, and with it review effort and risk."
                ],
            )
        )
    if c["emeritus_candidates"]:
        out.append(
            Section(
                "Emeritus candidates",
                ["maintainer", "last contribution"],
                [[e["login"], e["last_contribution"] or "never"] for e in c["emeritus_candidates"]],
            )
        )
    if report["issues"] is not None:
        i, p, r = report["issues"], report["pull_requests"], report["responsiveness"]
        fr_i, fr_p = r["issues"]["first_response_hours"], r["pull_requests"]["first_response_hours"]
        out.append(
            Section(
                "Issues and pull requests",
                ["metric", "issues", "pull requests"],
                [
                    ["opened", _n(i["opened"]), _n(p["opened"])],
                    ["closed / merged", _n(i["closed"]), _n(p["merged"])],
                    ["open at the end", _n(i["open_at_end"]), _n(p["open_at_end"])],
                    ["first response, median h", _n(fr_i["median"]), _n(fr_p["median"])],
                    ["first response, p90 h", _n(fr_i["p90"]), _n(fr_p["p90"])],
                    [
                        "never answered",
                        _n(r["issues"]["never_answered"]),
                        _n(r["pull_requests"]["never_answered"]),
                    ],
                    [
                        "answered within target",
                        _share(r["issues"]["answered_in_time_share"]),
                        _share(r["pull_requests"]["answered_in_time_share"]),
                    ],
                    [
                        "target, hours",
                        _n(r["issues"]["target_hours"]),
                        _n(r["pull_requests"]["target_hours"]),
                    ],
                    [
                        "time to close / merge, median h",
                        _n(i["time_to_close_hours"]["median"]),
                        _n(p["time_to_merge_hours"]["median"]),
                    ],
                    [
                        "age of open items, median days",
                        _n(i["open_age_days"]["median"]),
                        _n(p["open_age_days"]["median"]),
                    ],
                ],
                [
                    f"Acceptance ratio {_share(p['acceptance_ratio'])} of closed pull requests "
                    f"merged; review coverage {_share(p['review_coverage'])} of merged pull "
                    "requests approved by someone other than the author."
                    + (" Hours are business hours." if r["business_hours"] else "")
                ],
            )
        )
        t = report.get("timelines")
        if t is not None:
            talk = t["discussions"]

            def hours(label: str, items, s: dict) -> list[str]:
                return [label, _n(items), _n(s["median"]), _n(s["p90"]), _n(s.get("mean", "—"))]

            d = t["time_in_draft_hours"]
            out.append(
                Section(
                    "Drafts, labels and discussions",
                    ["metric", "items", "median h", "p90 h", "mean h"],
                    [
                        hours("time in draft (pull requests)", d["count"], d),
                        *(
                            hours(f"time labelled {row['label']}", row["count"], row)
                            for row in t["time_in_label_hours"][:15]
                        ),
                        hours(
                            "discussions: first response",
                            talk["opened"],
                            talk["first_response_hours"],
                        ),
                        hours(
                            "discussions: time to answer",
                            talk["answerable"],
                            talk["time_to_answer_hours"],
                        ),
                    ],
                    [
                        f"Of {talk['opened']:,} discussions opened, {talk['without_response']:,} "
                        f"had no response; {talk['answered']:,} of {talk['answerable']:,} in "
                        "categories that take an answer were answered. Items opened in the "
                        "window, measured to its end (labels: the 15 most used; JSON has all)."
                    ],
                )
            )
        n = report["newcomers"]
        out.append(
            Section(
                "Newcomer experience",
                [
                    "first-time pull requests",
                    "first response, median h",
                    "never answered",
                    "merged",
                ],
                [
                    [
                        _n(n["pull_requests"]),
                        _n(n["first_response_hours"]["median"]),
                        _share(n["never_answered_share"]),
                        _share(n["merged_share"]),
                    ]
                ],
            )
        )
        missed = r["issues"]["missed"] + r["pull_requests"]["missed"]
        if missed:
            out.append(
                Section(
                    "Missed response targets",
                    ["#", "title", "answered after, h"],
                    [
                        [_ref(m), m["title"], _n(m["hours"]) if m["hours"] else "not yet"]
                        for m in missed[:20]
                    ],
                )
            )
        owed = [o for o in report["open_items"] if o["owes"] == "maintainers"][:15]
        if owed:
            out.append(
                Section(
                    "Waiting on the maintainers",
                    ["#", "kind", "title", "days", "nudge"],
                    [
                        [
                            _ref(o),
                            o["kind"].replace("_", " "),
                            o["title"],
                            _n(o["waiting_days"]),
                            "yes" if o["nudge"] else "",
                        ]
                        for o in owed
                    ],
                )
            )
    return out


def _ref(item: dict) -> str:
    return f"{item.get('repo', '')}#{item['number']}"


def heading(report: dict) -> str:
    """The title: the repository's name, never a path on the machine that made it."""
    w = report["window"]
    span = f"{w['since'][:10]} to {w['until'][:10]} (until exclusive)"
    source = report["source"]
    if source.startswith(PREFIX):
        members = source.removeprefix(PREFIX).split(",")
        source = f"{len(members)} repositories together ({', '.join(map(short_name, members))})"
    elif report.get("project"):  # the name the project gives itself
        source = report["project"]
    elif source.startswith("git:"):
        source = source.rstrip("/").rsplit("/", 1)[-1] or "repository"
    return f"Community report — {source} — {span}"
