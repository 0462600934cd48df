"""What a published report shows of people: their name or GitHub login, never their email
address (the HTML report is published on the docs site by the scheduled workflow). JSON keeps
every address: an analyst joins on it. ``--show-emails`` keeps them everywhere."""

from __future__ import annotations

import copy

INDIVIDUAL = "(individual) "
PEOPLE_LISTS = (
    "top",
    "every",
    "new_contributors",
    "returning_contributors",
    "core",
    "credited_only",
)


def without_emails(report: dict) -> dict:
    """A copy of a window report (or of a set's, part by part) whose people are named by
    name or login alone. Pure."""
    if report.get("kind") == "set":
        out = dict(report)
        out["all"] = without_emails(report["all"])
        out["repositories"] = {k: without_emails(v) for k, v in report["repositories"].items()}
        return out
    if "contributors" not in report:
        return report
    out = copy.deepcopy(report)
    c = out["contributors"]
    names = {}
    for key in PEOPLE_LISTS:
        for p in c.get(key, []):
            names[p["who"]] = p["name"]
            if "@" in p["who"]:
                p["who"] = ""
    for org in c.get("organisations", []):
        if org["name"].startswith(INDIVIDUAL) and "@" in org["name"]:
            who = org["name"][len(INDIVIDUAL) :]
            org["name"] = INDIVIDUAL + (org.get("person") or names.get(who) or "someone")
    return out
