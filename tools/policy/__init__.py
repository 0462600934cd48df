"""The one loader of ``governance/policy.yml`` and ``governance/events.yml``.

Every tool calls :func:`load_policy` / :func:`load_events`; a bad file gets one
:class:`~tools.errors.UserError` line naming the file, the field path, the bad value and
what is allowed.

The names below load on first use: a tool that needs only ``tools.policy.globs`` (the
community report on a repository without a policy) does not pay for building the models.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..policy.events import Event, Events, load_events
    from ..policy.model import Area, Person, Policy, load_policy

POLICY_FILE = Path("governance") / "policy.yml"  # where a repository keeps its policy

_WHERE = {
    **dict.fromkeys(("Event", "Events", "load_events"), "events"),
    **dict.fromkeys(("Area", "Person", "Policy", "load_policy"), "model"),
}

__all__ = [
    "POLICY_FILE", "Area", "Event", "Events", "Person", "Policy", "load_events", "load_policy",
]  # fmt: skip


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value
