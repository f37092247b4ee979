"""The one way an organisation's or parent body's typed name becomes a matching key.

Everything that decides "is this the same organisation" (pseudonyms, amendments, parent-body
groups, the synthetic sample's own checks) folds names here, so two spellings that match in one
place match everywhere. The key keeps letters and digits of every script (a Greek, Arabic or
Chinese name is never folded to nothing) and a name with no letters at all (emoji) gets a key
from its code points, so a non-empty name never has an empty key. Imports only `quality`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from analysis.intake.quality import IntakeError

# Legal-form words that do not tell two organisations apart (settings: [identity] suffixes).
DEFAULT_SUFFIXES = ("ltd", "limited", "cic", "plc", "llp", "cio", "inc")
_NOT_WORD = re.compile(r"[^\w]|_")
_SPACE = re.compile(r"\s+")


def _strip_latin_accents(text: str) -> str:
    """Drop accents on Latin letters (Café = Cafe) but keep the marks other scripts need."""
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFKC", "".join(out))


def name_words(name: str) -> str:
    """Case, accents, "&"/"and", punctuation and spacing folded; may be empty (no letters or digits)."""
    text = _strip_latin_accents(unicodedata.normalize("NFKC", str(name))).casefold()
    text = text.replace("&", " and ")
    return _SPACE.sub(" ", _NOT_WORD.sub(" ", text)).strip()


def normalise_name(name: str, suffixes=DEFAULT_SUFFIXES) -> str:
    """The matching key of a name: its words without a leading "The" or trailing legal-form words.

    Never empty for a non-empty name: a name of symbols only is keyed by its code points.
    """
    words = name_words(name).split(" ")
    if words == [""]:
        marks = [f"u{ord(c):x}" for c in str(name) if not c.isspace()]
        return " ".join(marks)
    drop = {s.casefold() for s in suffixes}
    while len(words) > 1 and words[-1] in drop:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


# Parent-body answers that mean "none", matched against `name_words` (settings: [identity]).
DEFAULT_NO_PARENT_PATTERNS = (
    r"^(no|none|nope|nil|n a|na|not applicable|not part of|not affiliated|no parent)\b",
    r"^((we are|we re|it is|it s|an?|fully|entirely|completely)\s+)*independent"
    r"(\s+(arts\s+)?(charity|organisation|organization|body|company|trust|venue|group|business))?$",
)


@lru_cache(maxsize=32)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    out = []
    for i, pattern in enumerate(patterns):
        try:
            out.append(re.compile(pattern))
        except re.error as exc:
            raise IntakeError(
                f"[identity] no_parent_patterns entry {i + 1} is not a valid regular expression ({exc})"
            ) from None
    return tuple(out)


def means_no_parent(answer: str, patterns=DEFAULT_NO_PARENT_PATTERNS, answers=()) -> bool:
    """True when a parent-body answer says there is none ("No, we are an independent charity")."""
    words = name_words(answer)
    if not words or words in {name_words(a) for a in answers}:
        return True
    return any(p.search(words) for p in _compiled(tuple(patterns)))


def identity_settings(config) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(suffixes, no-parent patterns, no-parent answers) from the settings, with the defaults."""
    ident = config.section("identity")
    return (
        tuple(ident.get("suffixes", DEFAULT_SUFFIXES)),
        tuple(ident.get("no_parent_patterns", DEFAULT_NO_PARENT_PATTERNS)),
        tuple(config.section("inputs").get("no_parent_answers", [])),
    )
