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

    def __init__(self, repos: list[str], people: int = 30, seed: int = 0):
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

    def _one(self, t: datetime) -> dict:
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
