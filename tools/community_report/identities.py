"""Who is who: one contributor behind several (name, email) pairs, and which email domains
say nothing about an employer. Pure functions of what the sources read.

The rule (documented on the docs page, *Contributor identities*): after ``.mailmap``, two
author pairs are the same person when they

1. share an email address (case-insensitive), or
2. share a distinctive full name — at least two words, not a placeholder such as
   "Your Name" — the same spelling up to case and spacing, or
3. are tied to one GitHub login: a ``users.noreply.github.com`` address gives the login, a
   one-word name equal to that login joins it, and the policy's ``people[].emails`` join
   their owner's login.

Bots are never joined to anyone. A person is named by their GitHub login when one is known,
else by their most used email. An empty email is no address: nobody is joined through it,
and a person who only ever committed without one is named by their name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$", re.IGNORECASE)

# Mail providers anyone can sign up with: an address there says nothing about an employer.
# The policy's ``public_email_domains`` adds to this list.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk",
        "hotmail.fr", "hotmail.de", "live.com", "live.fr", "msn.com", "yahoo.com",
        "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.co.jp", "ymail.com", "icloud.com",
        "me.com", "mac.com", "aol.com", "protonmail.com", "proton.me", "pm.me", "gmx.de",
        "gmx.net", "gmx.com", "web.de", "mail.ru", "yandex.ru", "yandex.com", "qq.com",
        "163.com", "126.com", "foxmail.com", "sina.com", "naver.com", "fastmail.com",
        "fastmail.fm", "zoho.com", "tutanota.com", "posteo.de", "mailbox.org", "free.fr",
        "orange.fr", "laposte.net", "libero.it", "seznam.cz", "wp.pl", "o2.pl", "rambler.ru",
        "hey.com", "riseup.net", "disroot.org", "users.noreply.github.com",
        "users.sourceforge.net", "localhost", "localhost.localdomain", "example.com",
    }
)  # fmt: skip

PLACEHOLDER_NAMES = frozenset(
    {"your name", "unknown", "root", "github", "github action", "github actions", "john doe",
     "jane doe", "no name", "none", "user", "admin", "administrator", "ubuntu", "test user"}
)  # fmt: skip


def login_of(email: str) -> str | None:
    match = NOREPLY.match(email)
    return match.group("login").lower() if match else None


def identity_of(email: str) -> str:
    """A GitHub login where the email gives one away, else the lower-cased email."""
    return login_of(email) or email.lower()


def is_public_domain(domain: str, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    domain = domain.lower()
    return domain in PUBLIC_EMAIL_DOMAINS or domain in extra or domain.endswith(".local")


def _name_key(name: str) -> str | None:
    words = name.casefold().split()
    key = " ".join(words)
    if len(words) < 2 or key in PLACEHOLDER_NAMES or "[bot]" in key:
        return None
    return key


def _node(name: str, email: str) -> str:
    """The union-find node of an author pair: its address, or for an empty address the
    name alone (never one node that every address-less author would share)."""
    return "e:" + email.lower() if email.strip() else "u:" + " ".join(name.casefold().split())


class _Union:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            grand = self.parent.setdefault(parent, parent)
            self.parent[x] = grand
            x, parent = parent, grand
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def unify(
    pairs: Counter,
    is_bot: dict[tuple[str, str], bool],
    known: dict[str, str] | None = None,
) -> tuple[dict[tuple[str, str], str], list[dict]]:
    """``pairs``: (name, email) → commits. Returns (pair → identity, merged people), where
    each merged person lists the names and emails that were joined."""
    known = {e.lower(): login.lower() for e, login in (known or {}).items()}
    union = _Union()
    logins = {login_of(email) for _, email in pairs} - {None}
    for (name, email), _count in pairs.items():
        node = _node(name, email)
        union.find(node)
        login = login_of(email) or known.get(email.lower())
        if login:
            union.join(node, "l:" + login)
        if is_bot.get((name, email)):
            continue  # a bot is joined to nobody by its name
        key = _name_key(name)
        if key:
            union.join(node, "n:" + key)
        elif name.strip().lower() in logins:
            union.join(node, "l:" + name.strip().lower())
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair in pairs:
        members[union.find(_node(*pair))].append(pair)
    logins_of: dict[str, set[str]] = defaultdict(set)  # a group's root → its GitHub logins
    for node in list(union.parent):
        if node.startswith("l:"):
            logins_of[union.find(node)].add(node[2:])
    out: dict[tuple[str, str], str] = {}
    merged = []
    for root, group in members.items():
        by_email: Counter = Counter()
        by_name: Counter = Counter()
        for name, email in group:
            if email.strip():
                by_email[email.lower()] += pairs[(name, email)]
            by_name[name.strip()] += pairs[(name, email)]
        if logins_of.get(root):
            # the login with the most commits behind it, then alphabetical
            weight = Counter()
            for name, email in group:
                lg = login_of(email) or known.get(email.lower())
                if lg:
                    weight[lg] += pairs[(name, email)]
            who = min(logins_of[root], key=lambda lg: (-weight[lg], lg))
        elif by_email:
            who = sorted(by_email, key=lambda e: (-by_email[e], e))[0]
        else:  # never an address: the name they gave
            who = sorted(by_name, key=lambda n: (-by_name[n], n))[0] or "(no name, no email)"
        for pair in group:
            out[pair] = who
        if len(by_email) > 1:
            merged.append(
                {
                    "who": who,
                    "names": sorted({name for name, _ in group}),
                    "emails": sorted(by_email),
                }
            )
    merged.sort(key=lambda m: m["who"])
    return out, merged
