"""Per-year settings: config/defaults.toml with the year's file merged on top.

A new year is a new small TOML file and a folder of raw data, never a code change.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.settings_schema import problems


class ConfigError(ValueError):
    """A settings file is missing, unreadable or inconsistent."""


def _deep_merge(base: dict, override: dict) -> dict:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"settings file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"settings file {path} is not valid TOML: {exc}") from None


# Settings whose values are organisation names typed by staff (kept out of logs and reports).
_NAMED_DECISIONS = {
    "identity": ("merge", "split"),
    "roster": ("confirmed_outside_draw", "confirmed_not_on_roster"),
}


@dataclass(frozen=True)
class Config:
    """The resolved settings for one year's run."""

    year: int
    data: dict[str, Any]
    sources: tuple[Path, ...] = field(default_factory=tuple)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.data.get(name, {}))

    def to_json(self) -> str:
        """Canonical JSON: the form that is hashed and logged."""
        return json.dumps(self.data, sort_keys=True, ensure_ascii=False, indent=2, default=str)

    def loggable_json(self) -> str:
        """`to_json` for run.log and the reports, without what staff typed from the exports.

        Answer labels the year's file adds under [options] (pasted from typed answers, as `check`
        suggests; one may hold a name or an email) become placeholders that keep their codes, and
        staff decisions naming organisations ([identity] merge/split, [roster] confirmations) become
        counts. The file itself is named, with its hash, in the run manifest.
        """
        data = copy.deepcopy(self.data)
        for section, answers in data.get("options", {}).items():
            if not isinstance(answers, dict):
                continue
            for n, answer in enumerate(self.added_answers(section), start=1):
                answers[f"<answer {n} added in the year's settings file>"] = answers.pop(answer)
        for section, keys in _NAMED_DECISIONS.items():
            for key in keys:
                if data.get(section, {}).get(key):
                    data[section][key] = f"<{len(data[section][key])} entries, in the settings file>"
        return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, default=str)

    def added_answers(self, section: str) -> list[str]:
        """Answer labels under [options.<section>] that the year's file adds to the defaults' ones."""
        known = _read_toml(self.sources[0]).get("options", {}).get(section, {}) if self.sources else {}
        return [a for a in self.data.get("options", {}).get(section, {}) if a not in known]

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    def input_paths(self, raw_root: Path) -> dict[str, Path]:
        """Every input file this year needs, keyed e.g. 'callout', 'member_surveys/2025'.

        Each must stay inside the raw folder: no absolute path, no `..`, no symlink leading out.
        """
        inputs = self.data.get("inputs", {})
        out: dict[str, Path] = {}
        if "callout" in inputs:
            out["callout"] = _inside(raw_root, inputs["callout"], "inputs.callout")
        if inputs.get("comparison_survey"):
            out["comparison_survey"] = _inside(
                raw_root, inputs["comparison_survey"], "inputs.comparison_survey"
            )
        for kind in ("member_surveys", "workshops", "rosters"):
            for yr, rel in sorted(inputs.get(kind, {}).items()):
                out[f"{kind}/{yr}"] = _inside(raw_root, rel, f"inputs.{kind}.{yr}")
        return out


def _inside(raw_root: Path, rel: str, setting: str) -> Path:
    """`raw_root / rel`, refused (naming the setting) unless it stays inside the raw folder."""
    given = Path(str(rel))
    if given.is_absolute() or ".." in given.parts:
        raise ConfigError(
            f"{setting} = {str(rel)!r} must be a path inside the raw folder, relative to it, "
            "without '..' (e.g. \"2025/member-survey.csv\")"
        )
    path = Path(raw_root) / given
    root = Path(raw_root).resolve()
    if not path.resolve().is_relative_to(root):
        raise ConfigError(
            f"{setting} = {str(rel)!r} leads outside the raw folder {root} through a symbolic link "
            f"(to {path.resolve()}); copy the file into the raw folder instead"
        )
    return path


def config_path_for_year(year: int) -> Path:
    return paths.CONFIG_DIR / f"{year}.toml"


def load_config(year: int | None = None, path: str | Path | None = None) -> Config:
    """Load defaults.toml and merge the year's file (or `path`) over it."""
    if path is None:
        if year is None:
            raise ConfigError("give a year or a settings file")
        path = config_path_for_year(year)
        if not Path(path).exists():
            raise ConfigError(
                f"there is no settings file for {year}: create {path} "
                f"(copy config/{_latest_year_file()} and change the year and inputs)"
            )
    path = Path(path)
    year_data = _read_toml(path)
    defaults_path = Path(year_data.pop("defaults", paths.CONFIG_DIR / "defaults.toml"))
    if not defaults_path.is_absolute():
        defaults_path = (path.parent / defaults_path).resolve()
    merged = _deep_merge(_read_toml(defaults_path), year_data)
    file_year = merged.get("year")
    if file_year is None:
        raise ConfigError(f"{path} does not say which year it is for (year = 2025)")
    if year is not None and isinstance(file_year, int) and file_year != int(year):
        raise ConfigError(f"{path} is for {file_year!r}, but the run asked for {year}")
    found = problems(merged, year_data, path, defaults_path)
    if found:
        raise ConfigError(
            f"the settings have {len(found)} problem(s); nothing was run:\n  " + "\n  ".join(found)
        )
    return Config(year=int(file_year), data=merged, sources=(defaults_path, path))


def _latest_year_file() -> str:
    years = sorted(p.name for p in paths.CONFIG_DIR.glob("[0-9][0-9][0-9][0-9].toml"))
    return years[-1] if years else "2024.toml"


def defaults() -> dict[str, Any]:
    """config/defaults.toml on its own: what a function given no year's settings falls back on.

    So a default (an answer label, a threshold) is written once, in the settings file, and
    tests or notebooks that pass a partial dict or nothing still get the project's values.
    """
    return copy.deepcopy(_defaults_cached())


@functools.cache
def _defaults_cached() -> dict[str, Any]:
    return _read_toml(paths.CONFIG_DIR / "defaults.toml")
