"""The one loader of ``governance/policy.yml`` and ``governance/events.yml``.

Every tool calls :func:`load_policy` / :func:`load_events`; a bad file gets one
:class:`~tools.errors.UserError` line naming the file, the field path, the bad value and
what is allowed.
"""

from ..policy.events import Event, Events, load_events
from ..policy.model import Area, Person, Policy, load_policy

__all__ = ["Area", "Event", "Events", "Person", "Policy", "load_events", "load_policy"]
