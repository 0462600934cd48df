"""Text from outside (names from git and GitHub, file names, messages) made safe to print:
an ESC or OSC sequence would change the reader's terminal (its title, its colours) or hide
text, a bidirectional override would reorder what they see."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the
# bidirectional overrides that reorder what a reader sees
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(out: str, fmt: str = "text") -> str:
    """``out`` with every control character shown as a visible escape (``\\x1b``, or
    ``\\u001b`` in JSON, where it stays the same string once parsed)."""
    if fmt == "json":
        return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], out)
