"""The report's time window: [since, until), read as UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Window:
    since: datetime  # inclusive
    until: datetime  # exclusive

    def __contains__(self, moment: datetime) -> bool:
        return self.since <= moment < self.until

    @property
    def length(self) -> timedelta:
        return self.until - self.since

    def previous(self) -> Window:
        """The window of the same length that ends where this one starts."""
        return Window(self.since - self.length, self.since)

    def as_dict(self) -> dict:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "days": round(self.length.total_seconds() / 86400, 3),
        }
