"""Small hand-made exports for intake tests, written with the form's own headers."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

from analysis.config import Config, load_config

ROW = {
    "Timestamp": "01/11/2023 10:15:00",
    "Email address": "jo.bloggs@example.org",
    "Your name": "Jo Bloggs",
    "Your role": "Director",
    "Phone number (optional)": "01632 960 123",
    "Organisation name": "Harbourside Arts Centre",
    "Organisation website": "https://harbourside.example",
    "Is your organisation part of a larger body, such as a council, university or national organisation? If so, which one?": "",
    "Organisation postcode": "M1 1AE",
    "Which UK nation or English region is your organisation based in?": "North West",
    "Which one best describes your organisation?": "Arts venue or theatre",
    "Roughly how many staff (full-time equivalent) does your organisation have?": "10-49",
    "What is your organisation's annual turnover?": "£100,000 to £1 million",
    "Which of these ways of involving citizens in decisions has your organisation already used? (tick all that apply)": "Citizens' jury, Community panel",
    "Where is your organisation now on the participation spectrum?": "Consult - we ask for views before we decide",
    "Where would you like your organisation to be by the end of 2026?": "Collaborate - we decide together with citizens",
    "How far do you agree? Our leadership actively supports citizen-led decision-making": "4",
    "How far do you agree? We have budget we could put towards citizen-led work": "2",
    "How far do you agree? Our staff have the skills to run citizen-led processes": "3",
    "How far do you agree? We have strong relationships with the communities we serve": "4",
    "How far do you agree? Our governance could hand real decisions to citizens": "3",
    "Tell us about the programme of change you would like to develop": "Jo Bloggs will lead it.\nCall 07700 900123.",
    "What would you most like from the network? (tick all that apply)": "Peer learning, Help with funding",
    "Can your organisation commit to taking part from 2024 to 2026?": "Yes",
    "May we use your answers, without naming your organisation, in our research and reports?": "Yes",
}


def callout_rows(*changes: dict) -> list[dict]:
    """One row per `changes` dict, each the base row with those answers replaced."""
    return [{**ROW, **change} for change in changes]


def write_csv(path: Path, rows: list[dict], *, encoding: str = "utf-8", sep: str = ",") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=sep)
        writer.writeheader()
        writer.writerows(rows)
    return path


def callout_only_config(callout_rel: str, year: int = 2024) -> Config:
    """The year's settings with only a callout input, pointing at `callout_rel`."""
    base = load_config(year)
    data = copy.deepcopy(base.data)
    data["inputs"]["callout"] = callout_rel
    for kind in ("member_surveys", "workshops", "rosters"):
        data["inputs"][kind] = {}
    return Config(year=year, data=data, sources=base.sources)
