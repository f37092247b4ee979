"""A fingerprint of the pseudonym key, so a different key never silently redraws the lottery.

Pseudonyms, and with them the lottery draw, follow from the key. The first real-data run
stores a keyed hash of a fixed text (never the key itself, and nothing a key could be
recovered from) beside the year's processed tables; a later run with another key stops and
says what to do instead of publishing a different panel.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

FILE_NAME = "key-fingerprint.json"
_CONSTANT = b"cip-analysis pseudonym key fingerprint v1"


class KeyChangedError(RuntimeError):
    """The pseudonym key differs from the one earlier processed data were made with."""


def fingerprint(key: bytes) -> str:
    """HMAC-SHA256 of a constant under the key: the same key always gives the same 16 hex digits."""
    return hmac.new(key, _CONSTANT, hashlib.sha256).hexdigest()[:16]


def recorded(processed_root: Path) -> dict[str, str]:
    """{year folder: fingerprint} for every processed year that recorded one."""
    found = {}
    for path in sorted(Path(processed_root).glob(f"[0-9][0-9][0-9][0-9]/{FILE_NAME}")):
        try:
            found[path.parent.name] = str(json.loads(path.read_text(encoding="utf-8"))["fingerprint"])
        except (OSError, ValueError, KeyError, TypeError):
            found[path.parent.name] = "unreadable"
    return found


def check(processed_root: Path, key: bytes, *, year: int, rekey: bool) -> str:
    """The key's fingerprint, after making sure earlier real-data runs used the same key.

    `rekey=True` is the deliberate re-key: the run goes ahead and records the new fingerprint.
    """
    current = fingerprint(key)
    others = {y: fp for y, fp in recorded(processed_root).items() if fp != current}
    if others and not rekey:
        years = ", ".join(sorted(others))
        raise KeyChangedError(
            f"the pseudonym key is not the one the processed data for {years} were made with "
            f"(fingerprint {current}, recorded {', '.join(sorted(set(others.values())))}). With another key "
            "every organisation gets a new pseudonym and the lottery draw would change. Use the old key; "
            f"or, to re-key on purpose, run every year again with --rekey (starting with {year})."
        )
    return current


def write(folder: Path, value: str) -> None:
    """Record the fingerprint beside the processed tables (called on the staged folder)."""
    (Path(folder) / FILE_NAME).write_text(
        json.dumps({"fingerprint": value, "what": "HMAC-SHA256 of a fixed text under the pseudonym key"})
        + "\n",
        encoding="utf-8",
    )
