"""GH Archive hourly files for tests and benchmarks, in the public event format: one JSON event
a line, gzipped, with the fields GitHub's Events API gives (actor, repo, payload, created_at,
org). Deterministic from a seed."""

from __future__ import annotations

import gzip
import json
import random
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

OTHER_TYPES = ("WatchEvent", "ForkEvent", "CreateEvent", "ReleaseEvent")

# ``real=True``: an hour as GH Archive has them now. The share of each event type — an
# estimate from published counts of the archive's event types, not measured from a file here
# (no network); a real hour's own mix is printed by ``python -m benchmarks.gharchive_mix
# FILE.json.gz`` — and objects with every field the Events API gives: a pull-request event
# carries the whole pull request, with its head and base repositories; an issue event, the
# whole issue with its labels and reactions.
REAL_MIX = {
    "PushEvent": 0.46, "CreateEvent": 0.13, "WatchEvent": 0.08, "PullRequestEvent": 0.085,
    "IssueCommentEvent": 0.06, "DeleteEvent": 0.04, "PullRequestReviewEvent": 0.035,
    "IssuesEvent": 0.025, "PullRequestReviewCommentEvent": 0.025, "ForkEvent": 0.02,
    "ReleaseEvent": 0.006, "CommitCommentEvent": 0.003, "GollumEvent": 0.002,
    "MemberEvent": 0.002, "PublicEvent": 0.002,
}  # fmt: skip
# GitHub's push events list their commits until this hour, and none from it on (October
# 2025: only push_id, ref, head, before and repository_id remain). The generator switches
# here; the reader finds the change from the data, whatever its date.
PUSH_FORMAT_CHANGE = datetime(2025, 10, 7, tzinfo=UTC)
WORDS = (
    "the",
    "fix",
    "when",
    "cache",
    "is",
    "empty",
    "add",
    "test",
    "for",
    "parser",
    "docs",
    "update",
    "remove",
    "old",
    "path",
    "config",
    "error",
    "message",
    "on",
    "windows",
)


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _full_user(login: str, uid: int) -> dict:
    api = f"https://api.github.com/users/{login}"
    return {
        "login": login, "id": uid, "node_id": f"MDQ6VXNlcj{uid}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4", "gravatar_id": "",
        "url": api, "html_url": f"https://github.com/{login}",
        "followers_url": f"{api}/followers", "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}", "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions", "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos", "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": "Bot" if login.endswith("[bot]") else "User", "user_view_type": "public",
        "site_admin": False,
    }  # fmt: skip


def _full_repo(name: str, owner: dict) -> dict:
    api = f"https://api.github.com/repos/{name}"
    out = {"id": _num(name), "node_id": f"R_kgDO{_num(name)}", "name": name.split("/")[1],
           "full_name": name, "private": False, "owner": owner,
           "html_url": f"https://github.com/{name}", "description": "a project", "fork": False,
           "url": api}  # fmt: skip
    for key in ("forks", "keys", "collaborators", "teams", "hooks", "issue_events", "events",
                "assignees", "branches", "tags", "blobs", "git_tags", "git_refs", "trees",
                "statuses", "languages", "stargazers", "contributors", "subscribers",
                "subscription", "commits", "git_commits", "comments", "issue_comment",
                "contents", "compare", "merges", "archive", "downloads", "issues", "pulls",
                "milestones", "notifications", "labels", "releases", "deployments"):  # fmt: skip
        out[f"{key}_url"] = f"{api}/{key}{{/number}}"
    out.update({
        "created_at": "2019-04-02T10:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        "pushed_at": "2026-01-01T00:00:00Z", "git_url": f"git://github.com/{name}.git",
        "ssh_url": f"git@github.com:{name}.git", "clone_url": f"https://github.com/{name}.git",
        "svn_url": f"https://github.com/{name}", "homepage": None, "size": 48213,
        "stargazers_count": 812, "watchers_count": 812, "language": "Python",
        "has_issues": True, "has_projects": True, "has_downloads": True, "has_wiki": False,
        "has_pages": False, "has_discussions": True, "forks_count": 97, "mirror_url": None,
        "archived": False, "disabled": False, "open_issues_count": 41,
        "license": {"key": "mit", "name": "MIT License", "spdx_id": "MIT",
                    "url": "https://api.github.com/licenses/mit", "node_id": "MDc6TGljZW5zZTEz"},
        "allow_forking": True, "is_template": False, "web_commit_signoff_required": False,
        "topics": ["python", "cli"], "visibility": "public", "forks": 97, "open_issues": 41,
        "watchers": 812, "default_branch": "main",
    })  # fmt: skip
    return out


def _label(name: str) -> dict:
    return {"id": _num(name), "node_id": f"LA_{_num(name)}", "name": name, "color": "d73a4a",
            "default": name == "bug", "description": f"{name} reports",
            "url": f"https://api.github.com/labels/{name}"}  # fmt: skip


REACTIONS = {"total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0,
             "heart": 0, "rocket": 0, "eyes": 0}  # fmt: skip


def _user(login: str, uid: int) -> dict:
    return {
        "login": login,
        "id": uid,
        "node_id": f"U_{uid}",
        "type": "Bot" if login.endswith("[bot]") else "User",
        "url": f"https://api.github.com/users/{login}",
        "site_admin": False,
    }


def _actor(login: str, uid: int) -> dict:
    return {
        "id": uid,
        "login": login,
        "display_login": login,
        "gravatar_id": "",
        "url": f"https://api.github.com/users/{login}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?",
    }


def _num(text: str) -> int:
    return zlib.crc32(text.encode()) % 10**7


def _stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Generator:
    """Events for ``repos`` by ``people``: issues and pull requests opened, commented,
    reviewed, closed and merged, pushes, and events of other types."""

    def __init__(self, repos: list[str], people: int = 30, seed: int = 0, real: bool = False):
        self.real = real
        self.mix = (list(REAL_MIX), list(REAL_MIX.values())) if real else None
        self.rng = random.Random(seed)
        self.repos = repos
        self.people = [f"dev{i}" for i in range(people)] + ["dependabot[bot]"]
        self.next_number = dict.fromkeys(repos, 1)
        self.open: dict[str, list[dict]] = {r: [] for r in repos}
        self.next_id = 1000

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _event(self, kind: str, repo: str, login: str, t: datetime, payload: dict) -> dict:
        owner = repo.split("/")[0]
        return {
            "id": str(self._id()),
            "type": kind,
            "actor": _actor(login, _num(login)),
            "repo": {"id": _num(repo), "name": repo, "url": f"https://api.github.com/repos/{repo}"},
            "payload": payload,
            "public": True,
            "created_at": _stamp(t),
            "org": {"id": _num(owner), "login": owner},
        }

    def events(self, start: datetime, hours: int, per_hour: int) -> list[list[dict]]:
        out = []
        for h in range(hours):
            hour = []
            base = start + timedelta(hours=h)
            for k in range(per_hour):
                t = base + timedelta(seconds=int(3600 * k / per_hour))
                hour.append(self._one(t))
            out.append(hour)
        return out

    # --- real=True: GH Archive's mix of types and its objects as the Events API gives them ---

    def _real(self, t: datetime) -> dict:
        rng = self.rng
        kind = rng.choices(self.mix[0], self.mix[1])[0]
        repo = rng.choice(self.repos)
        who = rng.choice(self.people)
        opened = self.open[repo]
        pulls = [k for k, o in enumerate(opened) if o["pr"]]
        if kind == "PushEvent":
            return self._event(kind, repo, who, t, self._push(who, t))
        if kind in ("PullRequestEvent", "IssuesEvent"):
            pr = kind == "PullRequestEvent"
            mine = pulls if pr else [k for k, o in enumerate(opened) if not o["pr"]]
            if mine and rng.random() < 0.45:
                return self._close(repo, who, t, rng.choice(mine))
            return self._open(repo, who, t, pr)
        if kind in ("IssueCommentEvent", "PullRequestReviewEvent",
                    "PullRequestReviewCommentEvent"):  # fmt: skip
            targets = range(len(opened)) if kind == "IssueCommentEvent" else pulls
            if not targets:
                return self._open(repo, who, t, kind != "IssueCommentEvent")
            at = rng.choice(list(targets))
            target = opened[at]
            obj = dict(target["obj"], updated_at=_stamp(t))
            target["obj"] = obj
            user = _full_user(who, _num(who))
            if kind == "PullRequestReviewEvent":
                review = {"id": self._id(), "node_id": "PRR_x", "user": user,
                          "body": _text(rng, rng.randint(0, 30)),
                          "commit_id": f"{self._id():040x}", "submitted_at": _stamp(t),
                          "state": rng.choice(["approved", "commented", "changes_requested"]),
                          "html_url": f"{obj['html_url']}#pullrequestreview",
                          "pull_request_url": obj["url"], "author_association": "MEMBER",
                          "_links": {"html": {"href": obj["html_url"]},
                                     "pull_request": {"href": obj["url"]}}}  # fmt: skip
                return self._event(kind, repo, who, t, {"action": "created", "review": review,
                                                        "pull_request": obj})  # fmt: skip
            comment = {"url": f"{obj['url']}/comments/{self.next_id}", "id": self._id(),
                       "node_id": "IC_x", "user": user, "created_at": _stamp(t),
                       "updated_at": _stamp(t), "author_association": "MEMBER",
                       "body": _text(rng, rng.randint(5, 120)), "reactions": REACTIONS,
                       "performed_via_github_app": None,
                       "html_url": f"{obj['html_url']}#issuecomment"}  # fmt: skip
            if kind == "PullRequestReviewCommentEvent":
                comment.update(
                    path="src/module.py",
                    position=4,
                    line=12,
                    side="RIGHT",
                    diff_hunk="@@ -10,6 +10,8 @@ def f():\n" + "+    x\n" * 6,
                    commit_id=f"{self._id():040x}",
                    pull_request_review_id=1,
                )
                return self._event(kind, repo, who, t, {"action": "created", "comment": comment,
                                                        "pull_request": obj})  # fmt: skip
            issue = self._as_issue(obj) if target["pr"] else obj
            return self._event(
                kind, repo, who, t, {"action": "created", "issue": issue, "comment": comment}
            )
        return self._event(kind, repo, who, t, self._other(kind, repo, who, t))

    def _push(self, who: str, t: datetime) -> dict:
        payload = {"repository_id": 1, "push_id": self._id(), "ref": "refs/heads/main",
                   "head": f"{self._id():040x}", "before": f"{self._id():040x}"}  # fmt: skip
        if t >= PUSH_FORMAT_CHANGE:
            return payload
        commits = [{"sha": f"{self._id():040x}",
                    "author": {"email": f"{who}@users.noreply.github.com", "name": who},
                    "message": _text(self.rng, self.rng.randint(4, 60)), "distinct": True,
                    "url": "https://api.github.com/repos/x/y/commits/x"}
                   for _ in range(self.rng.choice((1, 1, 1, 2, 3, 5)))]  # fmt: skip
        payload.update(size=len(commits), distinct_size=len(commits), commits=commits,
                       head=commits[-1]["sha"])  # fmt: skip
        return payload

    def _open(self, repo: str, who: str, t: datetime, pr: bool) -> dict:
        rng = self.rng
        number = self.next_number[repo]
        self.next_number[repo] += 1
        user = _full_user(who, _num(who))
        api, html = f"https://api.github.com/repos/{repo}", f"https://github.com/{repo}"
        item = {"url": f"{api}/issues/{number}", "repository_url": api,
                "labels_url": f"{api}/issues/{number}/labels{{/name}}",
                "comments_url": f"{api}/issues/{number}/comments",
                "events_url": f"{api}/issues/{number}/events",
                "html_url": f"{html}/issues/{number}", "id": self._id(), "node_id": "I_x",
                "number": number, "title": _text(rng, rng.randint(3, 12)), "user": user,
                "labels": [_label(n) for n in rng.sample(("bug", "docs", "enhancement"),
                                                         rng.randint(0, 2))],
                "state": "open", "locked": False, "assignee": None, "assignees": [],
                "milestone": None, "comments": 0, "created_at": _stamp(t),
                "updated_at": _stamp(t), "closed_at": None, "author_association": "CONTRIBUTOR",
                "active_lock_reason": None, "body": _text(rng, rng.randint(20, 400)),
                "reactions": REACTIONS, "timeline_url": f"{api}/issues/{number}/timeline",
                "performed_via_github_app": None, "state_reason": None}  # fmt: skip
        if not pr:
            self.open[repo].append({"pr": False, "obj": item})
            return self._event("IssuesEvent", repo, who, t, {"action": "opened", "issue": item})
        owner = _full_user(repo.split("/")[0], _num(repo.split("/")[0]))
        base = _full_repo(repo, owner)
        pull = {k: v for k, v in item.items() if k not in ("repository_url", "labels_url",
                "comments_url", "events_url", "reactions", "timeline_url",
                "performed_via_github_app", "state_reason")}  # fmt: skip
        pull.update({
            "url": f"{api}/pulls/{number}", "html_url": f"{html}/pull/{number}",
            "diff_url": f"{html}/pull/{number}.diff", "patch_url": f"{html}/pull/{number}.patch",
            "issue_url": f"{api}/issues/{number}", "node_id": "PR_x", "merged_at": None,
            "merge_commit_sha": None, "requested_reviewers": [], "requested_teams": [],
            "draft": rng.random() < 0.15, "commits_url": f"{api}/pulls/{number}/commits",
            "review_comments_url": f"{api}/pulls/{number}/comments",
            "review_comment_url": f"{api}/pulls/comments{{/number}}",
            "statuses_url": f"{api}/statuses/{self._id():040x}",
            "head": {"label": f"{who}:feature-{number}", "ref": f"feature-{number}",
                     "sha": f"{self._id():040x}", "user": user,
                     "repo": _full_repo(f"{who}/{repo.split('/')[1]}", user)},
            "base": {"label": f"{repo.split('/')[0]}:main", "ref": "main",
                     "sha": f"{self._id():040x}", "user": owner, "repo": base},
            "_links": {k: {"href": f"{api}/pulls/{number}/{k}"} for k in (
                "self", "html", "issue", "comments", "review_comments", "review_comment",
                "commits", "statuses")},
            "auto_merge": None, "merged": False, "mergeable": None, "rebaseable": None,
            "mergeable_state": "unknown", "merged_by": None, "review_comments": 0,
            "maintainer_can_modify": True, "commits": rng.randint(1, 8),
            "additions": rng.randint(1, 400), "deletions": rng.randint(0, 200),
            "changed_files": rng.randint(1, 12),
        })  # fmt: skip
        self.open[repo].append({"pr": True, "obj": pull})
        return self._event(
            "PullRequestEvent",
            repo,
            who,
            t,
            {"action": "opened", "number": number, "pull_request": pull},
        )

    def _close(self, repo: str, who: str, t: datetime, at: int) -> dict:
        opened = self.open[repo]
        target = opened[at]
        opened[at] = opened[-1]
        opened.pop()
        obj = dict(target["obj"], state="closed", closed_at=_stamp(t), updated_at=_stamp(t))
        if not target["pr"]:
            obj["state_reason"] = "completed"
            return self._event("IssuesEvent", repo, who, t, {"action": "closed", "issue": obj})
        merged = self.rng.random() < 0.7
        obj.update(merged=merged, merged_at=_stamp(t) if merged else None,
                   merged_by=_full_user(who, _num(who)) if merged else None)  # fmt: skip
        return self._event(
            "PullRequestEvent",
            repo,
            who,
            t,
            {"action": "closed", "number": obj["number"], "pull_request": obj},
        )

    @staticmethod
    def _as_issue(pull: dict) -> dict:
        """A pull request as an issue comment's payload shows it: an issue with a link."""
        issue = {k: pull[k] for k in ("id", "number", "title", "user", "labels", "state",
                 "locked", "assignee", "assignees", "milestone", "comments", "created_at",
                 "updated_at", "closed_at", "author_association", "body")}  # fmt: skip
        issue.update(url=pull["issue_url"], html_url=pull["html_url"], node_id="PR_x",
                     pull_request={"url": pull["url"], "html_url": pull["html_url"],
                                   "diff_url": pull["diff_url"], "patch_url": pull["patch_url"],
                                   "merged_at": pull["merged_at"]},
                     reactions=REACTIONS)  # fmt: skip
        return issue

    def _other(self, kind: str, repo: str, who: str, t: datetime) -> dict:
        rng = self.rng
        if kind in ("CreateEvent", "DeleteEvent"):
            ref_type = rng.choice(("branch", "branch", "tag"))
            out = {"ref": f"feature-{self.next_id}", "ref_type": ref_type, "pusher_type": "user"}
            if kind == "CreateEvent":
                out.update(master_branch="main", description="a project")
            return out
        if kind == "ForkEvent":
            user = _full_user(who, _num(who))
            return {"forkee": _full_repo(f"{who}/{repo.split('/')[1]}", user)}
        if kind == "ReleaseEvent":
            return {"action": "published", "release": {
                "url": f"https://api.github.com/repos/{repo}/releases/{self.next_id}",
                "id": self._id(), "tag_name": f"v1.{self.next_id % 90}", "name": "release",
                "draft": False, "prerelease": False, "created_at": _stamp(t),
                "published_at": _stamp(t), "author": _full_user(who, _num(who)),
                "assets": [], "body": _text(rng, rng.randint(50, 600))}}  # fmt: skip
        if kind == "GollumEvent":
            return {"pages": [{"page_name": "Home", "title": "Home", "summary": None,
                               "action": "edited", "sha": f"{self._id():040x}",
                               "html_url": f"https://github.com/{repo}/wiki/Home"}]}  # fmt: skip
        if kind == "MemberEvent":
            return {"member": _full_user(who, _num(who)), "action": "added"}
        if kind == "CommitCommentEvent":
            return {"comment": {"id": self._id(), "user": _full_user(who, _num(who)),
                                "body": _text(rng, 20), "created_at": _stamp(t)}}  # fmt: skip
        return {"action": "started"} if kind == "WatchEvent" else {}

    def _one(self, t: datetime) -> dict:
        if self.real:
            return self._real(t)
        rng = self.rng
        repo = rng.choice(self.repos)
        who = rng.choice(self.people)
        roll = rng.random()
        opened = self.open[repo]
        if roll < 0.15 or not opened:
            pr = rng.random() < 0.5
            number = self.next_number[repo]
            self.next_number[repo] += 1
            item = {
                "url": f"https://api.github.com/repos/{repo}/issues/{number}",
                "id": self._id(),
                "number": number,
                "title": f"item {number}",
                "user": _user(who, 1),
                "labels": [{"name": "bug"}] if rng.random() < 0.3 else [],
                "state": "open",
                "created_at": _stamp(t),
                "updated_at": _stamp(t),
                "closed_at": None,
                "author_association": "CONTRIBUTOR",
                "body": "text",
            }
            if pr:
                item.update(draft=False, merged_at=None, merged=False)
                opened.append({"pr": True, "obj": item})
                return self._event(
                    "PullRequestEvent",
                    repo,
                    who,
                    t,
                    {"action": "opened", "number": number, "pull_request": item},
                )
            opened.append({"pr": False, "obj": item})
            return self._event("IssuesEvent", repo, who, t, {"action": "opened", "issue": item})
        at = rng.randrange(len(opened))
        target = opened[at]
        obj = dict(target["obj"], updated_at=_stamp(t))
        target["obj"] = obj
        if roll < 0.45:
            comment = {
                "id": self._id(),
                "user": _user(who, 2),
                "created_at": _stamp(t),
                "updated_at": _stamp(t),
                "body": "looks good",
                "author_association": "MEMBER",
            }
            if target["pr"] and rng.random() < 0.3:
                return self._event(
                    "PullRequestReviewCommentEvent",
                    repo,
                    who,
                    t,
                    {"action": "created", "comment": comment, "pull_request": obj},
                )
            issue = dict(obj, pull_request={"url": "x"}) if target["pr"] else obj
            return self._event(
                "IssueCommentEvent",
                repo,
                who,
                t,
                {"action": "created", "issue": issue, "comment": comment},
            )
        if roll < 0.6 and target["pr"]:
            review = {
                "id": self._id(),
                "user": _user(who, 3),
                "body": "",
                "state": rng.choice(["approved", "commented", "changes_requested"]),
                "submitted_at": _stamp(t),
                "author_association": "MEMBER",
            }
            return self._event(
                "PullRequestReviewEvent",
                repo,
                who,
                t,
                {"action": "created", "review": review, "pull_request": obj},
            )
        if roll < 0.7:
            opened[at] = opened[-1]
            opened.pop()
            obj.update(state="closed", closed_at=_stamp(t))
            if target["pr"]:
                merged = rng.random() < 0.7
                obj.update(merged=merged, merged_at=_stamp(t) if merged else None)
                return self._event(
                    "PullRequestEvent",
                    repo,
                    who,
                    t,
                    {"action": "closed", "number": obj["number"], "pull_request": obj},
                )
            return self._event("IssuesEvent", repo, who, t, {"action": "closed", "issue": obj})
        if roll < 0.85:
            commits = [
                {
                    "sha": f"{self._id():040x}",
                    "author": {"email": f"{who}@example.org", "name": who},
                    "message": "change",
                    "distinct": True,
                    "url": "x",
                }
                for _ in range(rng.randint(1, 3))
            ]
            return self._event(
                "PushEvent",
                repo,
                who,
                t,
                {
                    "repository_id": 1,
                    "push_id": self._id(),
                    "size": len(commits),
                    "ref": "refs/heads/main",
                    "head": commits[-1]["sha"],
                    "before": "0" * 40,
                    "commits": commits,
                },
            )
        return self._event(rng.choice(OTHER_TYPES), repo, who, t, {"action": "started"})


def write_hours(folder: Path, hours: list[list[dict]], start: datetime) -> list[Path]:
    """One gzipped file per hour, named as GH Archive names them (2026-11-01-15.json.gz)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for h, events in enumerate(hours):
        t = start + timedelta(hours=h)
        path = folder / f"{t:%Y-%m-%d}-{t.hour}.json.gz"
        with gzip.open(path, "wt", encoding="utf-8") as f:
            for e in events:
                f.write(json.dumps(e, separators=(",", ":")) + "\n")
        paths.append(path)
    return paths


START = datetime(2026, 1, 1, tzinfo=UTC)
