"""Keyed-hash pseudonyms: the same organisation gets the same id in every table and year,
and nobody without the key can go from an id back to a name by hashing guesses.

Imports paths (for the secrets file) and the intake modules below it (names, quality).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tomllib

import pandas as pd

from analysis import paths
from analysis.intake.names import DEFAULT_SUFFIXES, normalise_name
from analysis.intake.quality import IntakeError


def resolve_key(config, *, synthetic: bool) -> bytes:
    """The published sample key for the synthetic data; otherwise a secret that must exist."""
    settings = config.section("pseudonym")
    if synthetic:
        return settings["sample_key"].encode("utf-8")
    env_var = settings.get("env_var", "CIP_PSEUDONYM_KEY")
    key = os.environ.get(env_var, "")
    source = f"the {env_var} environment variable"
    secrets = paths.ROOT / settings.get("secrets_file", "config/secrets.toml")
    if not key and secrets.exists():
        with secrets.open("rb") as fh:
            key = str(tomllib.load(fh).get("pseudonym_key", ""))
        source = str(secrets.relative_to(paths.ROOT))
    if not key:
        raise IntakeError(
            f"no pseudonym key for real data: set the {env_var} environment variable or put "
            f'pseudonym_key = "..." in {secrets.relative_to(paths.ROOT)} (git-ignored). '
            "Keep the same key every year so organisations keep the same pseudonym."
        )
    check_real_key(key, settings.get("sample_key", ""), source)
    return key.encode("utf-8")


MIN_KEY_LENGTH = 16


def check_real_key(key: str, sample_key: str, source: str) -> None:
    """Refuse keys anyone could guess: blank, short, or the published sample key give or take spaces."""
    if not key.strip():
        raise IntakeError(f"the pseudonym key in {source} is only spaces: choose a secret key")
    if key.strip() == str(sample_key).strip():
        raise IntakeError("the published sample key must not be used for real data: choose a secret key")
    if len(key.strip()) < MIN_KEY_LENGTH:
        raise IntakeError(
            f"the pseudonym key in {source} is too short: use at least {MIN_KEY_LENGTH} characters"
        )


def pseudonymise(names: pd.Series, key: bytes, prefix: str = "O", suffixes=DEFAULT_SUFFIXES) -> pd.Series:
    """`O` + 10 hex characters of HMAC-SHA256 of the normalised name; null stays null."""

    def one(value):
        if value is None or pd.isna(value) or not str(value).strip():
            return None
        return normalise_name(value, suffixes)

    return pseudonymise_keys(names.map(one), key, prefix)


def pseudonymise_keys(keys: pd.Series, key: bytes, prefix: str = "O") -> pd.Series:
    """The pseudonyms of already-resolved identity keys (`names`, `orgkeys`); null stays null."""

    def one(value):
        if value is None or pd.isna(value) or not str(value):
            return None
        return prefix + hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest()[:10]

    return keys.map(one).astype("string")
