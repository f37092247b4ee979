"""Seeded generator of realistic, deliberately messy sample exports.

Why it exists: the organisation's real exports are personal data and never enter the
repository, yet the pipeline, the notebooks and the tests need inputs that look and misbehave
like the real thing. This module writes them: a callout export as an online form produces it
(question texts as headers, UK day-first timestamps, multi-select answers joined by ", ",
free text with line breaks, names, emails and phone numbers), and for the network of ten
members the yearly member surveys, rosters and workshop logs of 2024-2026.

Everything is driven by one `random.Random(seed)` instance per call (never the global
`random` or numpy state), so the same seed gives the same bytes on every machine. Headers and
answer texts are read from `config/defaults.toml` ([mapping.*], [options.*]) so the sample
always matches the mapping intake uses; real postcodes come from `data/reference/postcodes/`.

Public API:
- `generate_callout(n_organisations, seed, *, messy=True) -> DataFrame` (all strings, as exported);
- `write_sample(out_dir, seed=SAMPLE_SEED) -> list[Path]` (the committed sample and its README);
- `write_csv(frame, path, ...)` (how every export here is written; also used by the fixtures);
- `python -m analysis.synthetic [--out DIR] [--n N --seed S]`.
"""

from __future__ import annotations

import argparse
import csv
import functools
import math
import random
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.reference import ENGLAND, region_nations

SAMPLE_SEED = 20231211
SAMPLE_ORGANISATIONS = 150
SAMPLE_YEARS = (2024, 2025, 2026)
N_MEMBERS = 10

CALLOUT_OPEN = datetime(2023, 10, 2, 9, 0, 0)
CALLOUT_CLOSE = datetime(2023, 12, 11, 23, 59, 59)
TIMESTAMP_FORMAT = "%d/%m/%Y %H:%M:%S"
DATE_FORMAT = "%d/%m/%Y"

# Regional shares of applicants: London and the South East over-represented relative to
# population, the North East and Northern Ireland thin, as in most UK cultural-sector callouts.
REGION_WEIGHTS = {
    "E12000007": 0.200,  # London
    "E12000008": 0.150,  # South East
    "E12000009": 0.090,  # South West
    "E12000002": 0.090,  # North West
    "S92000003": 0.085,  # Scotland
    "E12000006": 0.070,  # East of England
    "E12000005": 0.065,  # West Midlands
    "E12000003": 0.065,  # Yorkshire and the Humber
    "W92000004": 0.060,  # Wales
    "E12000004": 0.055,  # East Midlands
    "E12000001": 0.035,  # North East
    "N92000002": 0.035,  # Northern Ireland
}
NI = "N92000002"
NATION_OF = {code: nation for code, nation in region_nations().items() if nation != ENGLAND}

# A respondent who picks the "wrong" region usually picks a neighbour.
NEIGHBOUR = {
    "E12000007": "E12000008",
    "E12000008": "E12000007",
    "E12000009": "E12000008",
    "E12000002": "E12000003",
    "E12000003": "E12000001",
    "E12000001": "E12000003",
    "E12000004": "E12000005",
    "E12000005": "E12000004",
    "E12000006": "E12000007",
    "W92000004": "E12000005",
    "S92000003": "E12000001",
    NI: "S92000003",
}

ORG_TYPE_WEIGHTS = {
    "arts_venue": 0.22,
    "museum_gallery": 0.17,
    "arts_org": 0.15,
    "library": 0.13,
    "community_org": 0.11,
    "festival": 0.08,
    "public_body": 0.06,
    "other": 0.05,
    "funder": 0.03,
}

ORG_NOUNS = {
    "arts_venue": [
        "Arts Centre",
        "Theatre",
        "Playhouse",
        "Arts Hub",
        "Music Hall",
        "Corn Exchange",
        "Arts Venue",
        "Studio Theatre",
    ],
    "museum_gallery": [
        "Museum",
        "Gallery",
        "Heritage Centre",
        "Art Gallery",
        "Museum and Archive",
        "Contemporary Art Space",
        "Folk Museum",
    ],
    "library": ["Library", "Central Library", "Community Library", "Library and Archives", "Reading Rooms"],
    "festival": [
        "Festival",
        "Arts Festival",
        "Book Festival",
        "Folk Festival",
        "Film Festival",
        "Literature Festival",
    ],
    "arts_org": [
        "Dance Company",
        "Theatre Company",
        "Arts Collective",
        "Youth Orchestra",
        "Community Arts",
        "Writers' Collective",
        "Puppet Theatre Company",
    ],
    "funder": ["Foundation", "Arts Trust", "Community Foundation", "Charitable Trust"],
    "public_body": [
        "Council Arts Service",
        "Cultural Services",
        "Heritage Service",
        "Culture and Leisure Trust",
    ],
    "community_org": [
        "Community Association",
        "Neighbourhood Trust",
        "Development Trust",
        "Community Hub",
        "Residents' Network",
    ],
    "other": ["Creative Network", "Makerspace", "Heritage Railway Trust", "Radio Collective", "Print Studio"],
}

PLACES = [
    "Harbourside",
    "Millbrook",
    "Eastgate",
    "Northfield",
    "Kingsmead",
    "Ashcombe",
    "Brackenridge",
    "Copperfield",
    "Fernhill",
    "Glenmoor",
    "Hollowell",
    "Amberley",
    "Blackwater",
    "Brightwell",
    "Castlegate",
    "Cherrywood",
    "Cloverdale",
    "Coldharbour",
    "Dunmore",
    "Elmstead",
    "Fairhaven",
    "Foxley",
    "Greystone",
    "Hartwell",
    "Hawthorn",
    "Heatherside",
    "Highcross",
    "Kestrel",
    "Lindenfield",
    "Longmeadow",
    "Marshfield",
    "Meadowbank",
    "Merriton",
    "Moorside",
    "Oakenshaw",
    "Old Quay",
    "Pennywell",
    "Queensgate",
    "Ravensworth",
    "Redbrook",
    "Riverside",
    "Rookwood",
    "Saltmarsh",
    "Seacombe",
    "Silverdale",
    "Southbank",
    "Springhill",
    "Stonebridge",
    "Tanners Yard",
    "Thornbury",
    "Underhill",
    "Valebridge",
    "Westwood",
    "Whitcliffe",
    "Willowbrook",
    "Windmill Hill",
    "Wrenfield",
    "Yarrow",
    "Bramblegate",
    "Cobblestone",
    "Daisyfield",
    "Elderbrook",
    "Fallowfield",
    "Goldcrest",
    "Hazelwood",
    "Juniper",
    "Lantern Row",
    "Marlowe",
    "Netherby",
    "Orchard",
    "Parkside",
    "Quarry Bank",
    "Rosewood",
    "Sandhill",
    "Tidewater",
    "Upperton",
    "Wharfside",
    "Cinder Lane",
    "Ropewalk",
    "Canal Side",
    "Chapel Street",
    "Market Hall",
    "Beacon",
    "Lighthouse",
    "Foundry",
    "Weavers",
    "Granary",
    "Tollgate",
]
QUALIFIERS = [
    "New",
    "Old",
    "North",
    "South",
    "East",
    "West",
    "Upper",
    "Lower",
    "Little",
    "Great",
    "Royal",
    "Central",
]
PARENT_FORMS = [
    "{} City Council",
    "{} Borough Council",
    "{} County Council",
    "University of {}",
    "{} Museums Trust",
    "{} Culture Trust",
]

FIRST_NAMES = [
    "Aisha",
    "Alex",
    "Amara",
    "Andrew",
    "Angharad",
    "Ben",
    "Bethan",
    "Callum",
    "Catherine",
    "Chloe",
    "Ciaran",
    "Daniel",
    "Deepa",
    "Eilidh",
    "Emma",
    "Fatima",
    "Fiona",
    "Gareth",
    "Grace",
    "Hamza",
    "Hannah",
    "Imran",
    "Isla",
    "James",
    "Jasmine",
    "Kwame",
    "Laura",
    "Liam",
    "Lowri",
    "Mairead",
    "Marcus",
    "Mei",
    "Mohammed",
    "Niamh",
    "Olu",
    "Owen",
    "Priya",
    "Rachel",
    "Rhys",
    "Rory",
    "Sam",
    "Sarah",
    "Seren",
    "Siobhan",
    "Sophie",
    "Tariq",
    "Tom",
    "Yusuf",
    "Zara",
    "Zoe",
]
SURNAMES = [
    "Adeyemi",
    "Ahmed",
    "Bailey",
    "Begum",
    "Bell",
    "Campbell",
    "Chen",
    "Clarke",
    "Davies",
    "Doherty",
    "Edwards",
    "Evans",
    "Fraser",
    "Gallagher",
    "Ghosh",
    "Hughes",
    "Hussain",
    "Jones",
    "Kaur",
    "Kelly",
    "Khan",
    "Lewis",
    "MacLeod",
    "Martin",
    "McAllister",
    "Morgan",
    "Murphy",
    "Nowak",
    "Okafor",
    "O'Neill",
    "Owusu",
    "Patel",
    "Price",
    "Quinn",
    "Rahman",
    "Reid",
    "Roberts",
    "Robertson",
    "Shah",
    "Singh",
    "Smith",
    "Stewart",
    "Taylor",
    "Thomas",
    "Walker",
    "Watson",
    "Williams",
    "Wilson",
    "Wright",
    "Young",
]
ROLES = [
    "Director",
    "Chief Executive",
    "Engagement Manager",
    "Programme Manager",
    "Learning and Participation Officer",
    "Head of Communities",
    "Library Manager",
    "Curator",
    "Trustee",
    "Festival Director",
    "Development Manager",
    "Producer",
    "Artistic Director",
    "Community Engagement Lead",
]

# Ofcom numbers reserved for drama: they can never reach a real person.
PHONE_FORMS = [
    "020 7946 0{:03d}",
    "0161 496 0{:03d}",
    "0113 496 0{:03d}",
    "0117 496 0{:03d}",
    "0121 496 0{:03d}",
    "0131 496 0{:03d}",
    "0141 496 0{:03d}",
    "029 2018 0{:03d}",
    "028 9649 6{:03d}",
    "07700 900{:03d}",
    "+44 7700 900{:03d}",
    "(0191) 498 0{:03d}",
]

# Typed postcodes that cannot be resolved: wrong format, or a district that does not exist.
INVALID_POSTCODES = ["M1 1A", "N/A", "TBC", "0161 496 0018", "SW1A 1AAA", "Leeds", "XX9 9ZZ"]
NOT_FOUND_POSTCODES = ["N23 4AB", "SE29 1AB", "EC5A 1BB", "E21 3XY", "LS31 2AD", "NW12 7QT"]
OUTSIDE_UK_POSTCODES = [("JE2 4WE", "E12000009"), ("GY1 2HT", "E12000009"), ("IM1 3LJ", "E12000002")]
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Large-user and PO-box districts: real, but no arts centre has its front door there.
PO_BOX_DISTRICTS = {"N1P", "SE1P", "EC1P", "EC2P", "EC3P", "EC4P", "NW1W", "W1A"}

PROGRAMME_OPENERS = [
    "We want to set up a standing citizens' panel that decides part of our artistic programme.",
    "Our plan is to hand a share of our community budget to local residents through participatory budgeting.",
    "We would like to run a citizens' jury on the future of our building.",
    "We hope to put two local residents on our board with full voting rights.",
    "We want to move from consulting audiences to letting them co-design a season.",
    "We are planning a small citizens' assembly on how our collections are displayed.",
    "We want to involve young people in deciding how our grants are made.",
]
PROGRAMME_MIDDLES = [
    "We have tried a community panel once and learnt a lot about recruitment.",
    "Our board is supportive but cautious about giving away real decisions.",
    "Staff capacity is our biggest worry, especially since our funding was cut last year.",
    "We already work closely with three tenants' associations and a refugee support group.",
    "We would need help with facilitation and with paying participants fairly.",
    "Nothing like this has been done in our area before.",
]
PROGRAMME_CLOSERS = [
    "{name}, our {role}, will lead the work; you can reach them on {phone}.",
    "Please contact {name} ({email}) with any questions.",
    "{name} and I would be happy to talk this through.",
    "Thank you for considering us!",
    "More detail is in our business plan, which {name} can send on request.",
]
COMMENT_TEXTS = [
    "The peer learning sessions have been the most useful part.",
    "We lost our engagement officer this year, so progress has been slower than we hoped.",
    "Our citizens' panel is now meeting monthly.\nThe board has agreed to keep it going after 2026.",
    "Could the online workshops be recorded? {name} could not attend two of them.",
    "Thanks to {name} at the network for the help with our funding bid.",
    "Honestly a difficult year: the council budget cuts hit us hard.",
    "We would like more time with members from other nations.",
]
WORKSHOP_TOPICS = [
    "Designing a citizens' assembly",
    "Participatory budgeting in practice",
    "Sharing power with your board",
    "Evaluating citizen-led work",
    "Funding citizen-led programmes",
    "Making the case to leadership",
    "Working with local government",
    "Recruiting by sortition",
    "Facilitation skills",
    "Advocacy and policy influence",
    "Paying participants fairly",
    "Digital participation tools",
]
ROSTER_NOTES = [
    "",
    "",
    "",
    "Contact changed to {name} in May",
    "Hosted the spring workshop",
    "Joint bid with another member",
    "",
]


# --------------------------------------------------------------------------------------------
# Form texts and reference data (read once; both are part of the repository).


@functools.cache
def _defaults() -> dict:
    """The shared settings file: the single source of the form's question and answer texts."""
    with (paths.CONFIG_DIR / "defaults.toml").open("rb") as fh:
        return tomllib.load(fh)


def _headers(table: str) -> list[str]:
    return list(_defaults()["mapping"][table])


def _text_for(name: str) -> dict:
    """Answer code -> the form's answer text, e.g. 'arts_venue' -> 'Arts venue or theatre'."""
    return {code: text for text, code in _defaults()["options"][name].items()}


def _header_of(table: str) -> dict[str, str]:
    """Canonical field -> question text, so rows are built by field name."""
    return {fieldname: question for question, fieldname in _defaults()["mapping"][table].items()}


@functools.cache
def _postcode_pool() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Real GB test postcodes per region, and the BT districts for Northern Ireland.

    Only ordinary districts that lie wholly in one region are used (no PO-box or large-user
    districts such as NE99), so the region a postcode implies is unambiguous and the sample's
    promised counts (e.g. stated regions that disagree) hold.
    """
    ref = paths.REFERENCE_DIR / "postcodes"
    districts = pd.read_csv(ref / "postcode_districts_uk.csv", dtype=str, keep_default_na=False)
    number = districts["district"].str.extract(r"^[A-Z]+(\d+)", expand=False).astype(float)
    ordinary = (
        (pd.to_numeric(districts["n_postcodes"], errors="coerce") >= 150)
        & (number < 90)
        & ~districts["district"].isin(PO_BOX_DISTRICTS)
    )
    single = set(
        districts.loc[(districts["n_regions"] == "1") & (districts["RGN23CD"] != "") & ordinary, "district"]
    )
    tests = pd.read_csv(ref / "test_postcodes_gb_one_per_district.csv", dtype=str, keep_default_na=False)
    tests = tests[tests["district"].isin(single) & (tests["positional_quality"] == "10")]
    pool = {code: tuple(group["postcode"]) for code, group in tests.groupby("RGN23CD", sort=True)}
    bt = tuple(sorted((d for d in districts["district"] if d.startswith("BT")), key=_district_sort))
    return pool, bt


def _district_sort(district: str) -> tuple[str, int]:
    match = re.match(r"([A-Z]+)(\d+)", district)
    return (match.group(1), int(match.group(2))) if match else (district, 0)


# --------------------------------------------------------------------------------------------
# Small random helpers, all taking the generator explicitly.


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method: small means only, and stable across Python versions (unlike numpy's)."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _clip(value: float, lo: int = 1, hi: int = 5) -> int:
    return int(max(lo, min(hi, round(value))))


def _allocate(n: int, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder split of n over weights; every key gets one when n allows it."""
    total = sum(weights.values())
    raw = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in raw.items()}
    if n >= len(weights):
        for k in counts:
            counts[k] = max(counts[k], 1)
    order = sorted(raw, key=lambda k: (-(raw[k] - int(raw[k])), k))
    i = 0
    while sum(counts.values()) < n:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts.values()) > n:
        k = max(counts, key=lambda key: (counts[key], key))
        counts[k] -= 1
    return counts


def name_key(name: str) -> str:
    """How intake folds an organisation's spellings into one (case, spacing, punctuation, 'The')."""
    text = re.sub(r"[^\w\s&]", " ", str(name).replace("’", "'").casefold())
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _slug(name: str) -> str:
    """A web-domain-like form of a name; long names shorten to first word + initials."""
    words = re.sub(r"[^a-z0-9 ]", "", name.casefold().replace("&", "and")).split()
    slug = "".join(words)
    return slug if len(slug) <= 22 else words[0] + "".join(w[0] for w in words[1:])


def _person(rng: random.Random) -> tuple[str, str, str]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    return first, last, f"{first} {last}"


def _phone(rng: random.Random) -> str:
    return rng.choice(PHONE_FORMS).format(rng.randrange(1000))


def _daytime(moment: datetime) -> datetime:
    """Move a small-hours time into the morning: nobody is then submitted in the hour the
    clocks go back (29/10/2023 01:00-02:00 happened twice, so it would be ambiguous)."""
    moment = moment.replace(microsecond=0)
    return moment.replace(hour=moment.hour + 7) if moment.hour < 7 else moment


def _stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


def _moment_between(rng: random.Random, start: datetime, end: datetime, skew: float = 1.0) -> datetime:
    """A working-hours time between start and end; skew > 1 crowds towards the deadline.

    Hours 07-22 only: no time falls in the hour the clocks go back, which would be ambiguous.
    """
    days = (end.date() - start.date()).days
    day = start.date() + timedelta(days=min(days, int(days * rng.random() ** (1 / skew))))
    hour = rng.choices(range(7, 23), weights=[1, 2, 4, 5, 5, 4, 4, 5, 5, 4, 3, 3, 3, 3, 2, 1])[0]
    moment = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    return min(max(moment, start), end)


# --------------------------------------------------------------------------------------------
# The callout.


@dataclass
class Org:
    """One applicant organisation's final answers (codes and numbers, not yet form text)."""

    name: str
    org_type: str
    region: str  # true region (RGN23CD) of the organisation
    postcode: str  # as typed on the final submission
    postcode_kind: str  # ok, normalisable, invalid, not_found, outside_uk, missing
    stated: str  # region code picked on the form, "" when left blank
    parent: str = ""
    staff: str = ""
    turnover: str = ""
    practices: list = field(default_factory=list)
    wants: list = field(default_factory=list)
    level_now: int = 2
    level_target: int = 3
    theta: float = 0.0
    readiness: list = field(default_factory=list)  # five ints, 0 = left blank
    commit: str = "yes"
    consent: bool = True
    contact: tuple = ("", "", "")
    role: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    description: str = ""
    submitted: datetime = CALLOUT_OPEN
    parent_shared: bool = False
    anchor: bool = False  # kept clean and eligible, so every nation can have a member

    @property
    def eligible(self) -> bool:
        """The selection rules of config/defaults.toml [selection.eligibility]."""
        return (
            self.postcode_kind in ("ok", "normalisable")
            and self.consent
            and self.commit == "yes"
            and self.level_target > self.level_now
        )


@dataclass
class Callout:
    """Everything the sample writer needs to know about a generated callout."""

    orgs: list[Org]
    rows: list[dict]  # form rows in submission order: field -> text
    facts: dict


class _Names:
    """Invented, unique organisation names (unique after intake's name folding)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def take(self, org_type: str) -> str:
        rng, nouns = self.rng, ORG_NOUNS[org_type]
        for attempt in range(14):
            place = rng.choice(PLACES)
            if attempt >= 3:
                place = f"{rng.choice(QUALIFIERS)} {place}"
            name = f"{place} {rng.choice(nouns)}"
            if name_key(name) not in self.used:
                self.used.add(name_key(name))
                return name
        k = 2
        while name_key(f"{name} {k}") in self.used:
            k += 1
        self.used.add(name_key(f"{name} {k}"))
        return f"{name} {k}"


def _bt_postcode(rng: random.Random, bt_districts: tuple[str, ...]) -> str:
    """A plausible NI postcode: a real BT district and an inward code in the right format."""
    return f"{rng.choice(bt_districts)} {rng.randrange(10)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"


def _real_postcode(rng: random.Random, region: str, used: set[str]) -> str:
    pool, bt = _postcode_pool()
    if region == NI:
        return _bt_postcode(rng, bt)
    options = pool[region]
    for _ in range(20):
        code = rng.choice(options)
        if code not in used:
            break
    used.add(code)
    return code


def _levels(rng: random.Random) -> tuple[int, int]:
    """IAP2 level now (mostly inform-involve) and a 2026 target 0-3 levels higher."""
    now = rng.choices([1, 2, 3, 4, 5], weights=[28, 36, 24, 9, 3])[0]
    gap = rng.choices([0, 1, 2, 3], weights=[12, 50, 30, 8])[0]
    if now == 1:
        gap = max(gap, 1)
    return now, min(5, now + gap)


def _readiness(rng: random.Random, theta: float, messy: bool) -> list[int]:
    """Five Likert items driven by one latent trait (Cronbach's alpha about 0.8)."""
    centres = [3.3, 2.4, 2.8, 3.6, 2.6]  # budget and governance are the hardest to agree with
    items = [_clip(c + 0.8 * theta + rng.gauss(0, 0.85)) for c in centres]
    if messy:
        items = [0 if rng.random() < 0.004 else v for v in items]
    return items


def _sizes(rng: random.Random, org_type: str) -> tuple[str, str]:
    big = org_type in ("library", "public_body", "museum_gallery")
    staff_i = rng.choices(range(4), weights=[15, 40, 30, 15] if big else [48, 36, 12, 4])[0]
    turnover_i = _clip(staff_i + rng.choice([-1, 0, 0, 0, 1]), 0, 3)
    return ["0-9", "10-49", "50-249", "250+"][staff_i], ["<100k", "100k-1m", "1m-10m", ">10m"][turnover_i]


def _practices(rng: random.Random, level: int) -> list[str]:
    codes = [
        "citizens_assembly",
        "citizens_jury",
        "participatory_budgeting",
        "citizens_on_board",
        "community_panel",
    ]
    chance = [0.05, 0.05, 0.12, 0.1, 0.3]
    picked = [c for c, p in zip(codes, chance) if rng.random() < p * (0.6 + 0.5 * level)]
    return picked or ["none_yet"]


def _wants(rng: random.Random) -> list[str]:
    chance = {
        "peer_learning": 0.8,
        "workshops": 0.6,
        "funding_support": 0.55,
        "business_model": 0.2,
        "partnerships": 0.45,
        "advocacy_policy": 0.3,
    }
    picked = [c for c, p in chance.items() if rng.random() < p]
    return picked or ["peer_learning"]


def _description(rng: random.Random, email: str, phone: str, messy: bool) -> str:
    """Free text as people type it: paragraphs, and sometimes a colleague's name and details."""
    if messy and rng.random() < 0.04:
        return ""
    parts = [rng.choice(PROGRAMME_OPENERS)]
    if rng.random() < 0.7:
        parts.append(rng.choice(PROGRAMME_MIDDLES))
    if rng.random() < 0.45:
        colleague = _person(rng)[2]
        closer = rng.choice(PROGRAMME_CLOSERS)
        parts.append(
            closer.format(
                name=colleague, role=rng.choice(ROLES).lower(), phone=phone or _phone(rng), email=email
            )
        )
    sep = rng.choice(["\n", "\n\n", " "])
    return sep.join(parts)


def _website(rng: random.Random, name: str, messy: bool) -> str:
    if messy and rng.random() < 0.12:
        return ""
    domain = f"{_slug(name)}.org.uk"
    return rng.choice([f"https://www.{domain}", f"www.{domain}", domain, f"https://{domain}/"])


def _new_org(rng: random.Random, names: _Names, region: str, used: set[str], messy: bool) -> Org:
    org_type = _weighted(rng, ORG_TYPE_WEIGHTS)
    name = names.take(org_type)
    now, target = _levels(rng)
    theta = rng.gauss(0, 1) + 0.35 * (now - 2.2)
    staff, turnover = _sizes(rng, org_type)
    if messy:
        staff = "" if rng.random() < 0.04 else staff
        turnover = "" if rng.random() < 0.06 else turnover
    first, last, full = _person(rng)
    domain = f"{_slug(name)}.org.uk"
    email = rng.choice([f"{first}.{last}", f"{first[0]}{last}", "info", first]).replace("'", "")
    email = f"{email.lower()}@{domain}"
    phone = _phone(rng) if rng.random() < 0.55 else ""
    commit = _weighted(rng, {"yes": 87, "unsure": 8, "no": 5}) if messy else "yes"
    parent = ""
    if messy:
        parent = rng.choices(["", "No", "N/A", "no", "unique"], weights=[52, 22, 8, 4, 14])[0]
    org = Org(
        name=name,
        org_type=org_type,
        region=region,
        postcode=_real_postcode(rng, region, used),
        postcode_kind="ok",
        stated=region,
        parent=parent,
        staff=staff,
        turnover=turnover,
        practices=_practices(rng, now),
        wants=_wants(rng),
        level_now=now,
        level_target=target,
        theta=theta,
        readiness=_readiness(rng, theta, messy),
        commit=commit,
        contact=(first, last, full),
        role=rng.choice(ROLES) if rng.random() < 0.9 else "",
        email=email,
        phone=phone,
        website=_website(rng, name, messy),
    )
    if org.parent == "unique":
        org.parent = rng.choice(PARENT_FORMS).format(rng.choice(PLACES))
    org.description = _description(rng, email, phone, messy)
    return org


def _make_eligible(org: Org) -> None:
    """An anchor organisation: clean postcode, consent, commitment and an ambition to move."""
    org.commit, org.consent, org.anchor = "yes", True, True
    if org.level_target <= org.level_now:
        org.level_now = min(org.level_now, 4)
        org.level_target = org.level_now + 1


def _share_parents(rng: random.Random, orgs: list[Org], candidates: list[int]) -> list[list[int]]:
    """A handful of organisations answer the same parent body (e.g. two libraries of one council)."""
    groups = []
    n_groups = max(3, len(orgs) // 60)
    for g in range(n_groups):
        if len(candidates) < 3:
            break
        anchor = candidates.pop()
        region = orgs[anchor].region
        mates = [i for i in candidates if orgs[i].region == region][: 1 + (g % 2)]
        if not mates:
            continue
        for i in mates:
            candidates.remove(i)
        form = ["{} City Council", "{} Borough Council", "University of {}"][g % 3]
        body = form.format(rng.choice(PLACES))
        group = [anchor, *mates]
        for pos, i in enumerate(group):
            orgs[i].parent, orgs[i].parent_shared = body, True
            if form.startswith("University"):
                orgs[i].org_type = ["museum_gallery", "arts_venue", "library"][pos % 3]
            else:
                orgs[i].org_type = ["library", "library", "museum_gallery"][pos % 3]
        if g == 1:
            orgs[group[-1]].parent = body.lower()  # typed differently by the second library
        groups.append(group)
    return groups


def _spoil_postcodes(rng: random.Random, orgs: list[Org], pool: list[int], n: int) -> dict[str, int]:
    """Normalisable, invalid, unknown, offshore and missing postcodes, on distinct organisations."""
    plan = [
        ("normalisable", max(6, round(0.05 * n))),
        ("invalid", max(4, round(0.02 * n))),
        ("not_found", max(2, round(0.012 * n))),
        ("outside_uk", max(3, round(0.015 * n))),
        ("missing", max(1, round(0.005 * n))),
    ]
    counts = {}
    for kind, k in plan:
        if kind == "outside_uk":
            offshore = [i for i in pool if orgs[i].region in ("E12000009", "E12000002", "E12000008")]
            chosen = offshore[:k]
        else:
            chosen = [i for i in pool if orgs[i].region != NI or kind != "normalisable"][:k]
        for j, i in enumerate(chosen):
            pool.remove(i)
            _spoil_one(rng, orgs[i], kind, j)
        counts[kind] = len(chosen)
    return counts


def _spoil_one(rng: random.Random, org: Org, kind: str, j: int) -> None:
    org.postcode_kind = kind
    if kind == "normalisable":
        forms = [
            str.lower,
            lambda p: p.replace(" ", ""),
            lambda p: p.lower().replace(" ", ""),
            lambda p: p.replace(" ", "  "),
        ]
        org.postcode = forms[j % len(forms)](org.postcode)
    elif kind == "invalid":
        org.postcode = INVALID_POSTCODES[j % len(INVALID_POSTCODES)]
    elif kind == "not_found":
        org.postcode = NOT_FOUND_POSTCODES[j % len(NOT_FOUND_POSTCODES)]
    elif kind == "outside_uk":
        org.postcode, org.stated = OUTSIDE_UK_POSTCODES[j % len(OUTSIDE_UK_POSTCODES)]
        org.region = ""
    elif kind == "missing":
        org.postcode = ""


def _plan_orgs(n: int, rng: random.Random, messy: bool) -> tuple[list[Org], dict]:
    """The applicant organisations and their final answers, with the promised messiness."""
    names, used = _Names(rng), set()
    regions = [r for r, k in _allocate(n, REGION_WEIGHTS).items() for _ in range(k)]
    rng.shuffle(regions)
    orgs = [_new_org(rng, names, region, used, messy) for region in regions]
    facts: dict = {"organisations": n}
    if not messy:
        for org in orgs:
            org.parent = ""
            _make_eligible(org)
        return orgs, facts
    anchors = {}
    for i, org in enumerate(orgs):
        anchors.setdefault(org.region, i)
    for i in anchors.values():
        _make_eligible(orgs[i])
    pool = [i for i in range(n) if i not in set(anchors.values())]
    rng.shuffle(pool)
    groups = _share_parents(rng, orgs, list(pool))
    facts["shared_parent_groups"] = [len(g) for g in groups]
    pool = [i for i in pool if not orgs[i].parent_shared]
    facts["postcodes"] = _spoil_postcodes(rng, orgs, pool, n)
    facts.update(_spoil_answers(rng, orgs, pool, n))
    return orgs, facts


def _spoil_answers(rng: random.Random, orgs: list[Org], pool: list[int], n: int) -> dict:
    """Stated regions that disagree or are blank, and organisations that withhold consent."""
    clean = [i for i in pool if orgs[i].postcode_kind == "ok"]
    k_disagree, k_blank, k_consent = (
        max(5, round(0.03 * n)),
        max(2, round(0.015 * n)),
        max(1, round(0.006 * n)),
    )
    for i in clean[:k_disagree]:
        orgs[i].stated = NEIGHBOUR[orgs[i].region]
    for i in clean[k_disagree : k_disagree + k_blank]:
        orgs[i].stated = ""
    for i in clean[k_disagree + k_blank : k_disagree + k_blank + k_consent]:
        orgs[i].consent = False
    blank_readiness = sum(v == 0 for o in orgs for v in o.readiness)
    return {
        "region_disagrees": len(clean[:k_disagree]),
        "region_blank": len(clean[k_disagree : k_disagree + k_blank]),
        "no_consent": len(clean[k_disagree + k_blank : k_disagree + k_blank + k_consent]),
        "commit_no": sum(o.commit == "no" for o in orgs),
        "commit_unsure": sum(o.commit == "unsure" for o in orgs),
        "readiness_blank": blank_readiness,
    }


def _form_row(org: Org, name: str | None = None) -> dict:
    """An organisation's answers as the form exports them (texts, not codes)."""
    opts = {
        k: _text_for(k)
        for k in (
            "org_type",
            "staff_band",
            "turnover_band",
            "practices_used",
            "wants_from_network",
            "level",
            "can_commit_3_years",
            "region_stated",
        )
    }
    ready = ["" if v == 0 else str(v) for v in org.readiness]
    return {
        "submitted_at": _stamp(org.submitted),
        "email": org.email,
        "contact_name": org.contact[2],
        "contact_role": org.role,
        "phone": org.phone,
        "org_name": org.name if name is None else name,
        "org_website": org.website,
        "parent_body": org.parent,
        "postcode": org.postcode,
        "region_stated": opts["region_stated"].get(org.stated, ""),
        "org_type": opts["org_type"][org.org_type],
        "staff_band": opts["staff_band"].get(org.staff, ""),
        "turnover_band": opts["turnover_band"].get(org.turnover, ""),
        "practices_used": ", ".join(
            opts["practices_used"][c] for c in _in_form_order(org.practices, "practices_used")
        ),
        "level_now": opts["level"][org.level_now],
        "level_target_2026": opts["level"][org.level_target],
        "readiness_leadership": ready[0],
        "readiness_budget": ready[1],
        "readiness_skills": ready[2],
        "readiness_community": ready[3],
        "readiness_governance": ready[4],
        "programme_description": org.description,
        "wants_from_network": ", ".join(
            opts["wants_from_network"][c] for c in _in_form_order(org.wants, "wants_from_network")
        ),
        "can_commit_3_years": opts["can_commit_3_years"][org.commit],
        "research_consent": "Yes" if org.consent else "No",
    }


def _in_form_order(codes: list[str], option: str) -> list[str]:
    """Forms list ticked options in the order the form shows them."""
    order = list(_defaults()["options"][option].values())
    return sorted(set(codes), key=order.index)


def _earlier_draft(rng: random.Random, org: Org, fraction: float) -> Org:
    """A superseded submission: the same organisation, earlier, with some answers different."""
    draft = replace(org, readiness=list(org.readiness), practices=list(org.practices), wants=list(org.wants))
    draft.submitted = _daytime(CALLOUT_OPEN + (org.submitted - CALLOUT_OPEN) * fraction)
    changes = rng.sample(["target", "practices", "wants", "readiness", "description", "postcode", "phone"], 3)
    if "target" in changes:
        draft.level_target = max(draft.level_now, min(5, org.level_target + rng.choice([-1, 1])))
    if "practices" in changes:
        draft.practices = ["none_yet"] if len(org.practices) < 2 else org.practices[:-1]
    if "wants" in changes:
        draft.wants = org.wants[:1]
    if "readiness" in changes:
        j = rng.randrange(5)
        draft.readiness[j] = _clip((org.readiness[j] or 3) + rng.choice([-1, 1]))
    if "description" in changes:
        draft.description = org.description.split("\n")[0].split(". ")[0]
    if "postcode" in changes and org.postcode_kind == "ok":
        draft.postcode = org.postcode.lower().replace(" ", "")
    if "phone" in changes:
        draft.phone = ""
    return draft


def _name_variant(name: str, j: int) -> str:
    """The same organisation typed a little differently on an earlier submission."""
    return [name.lower(), " ".join(name.split()).replace(" ", "  ", 1) + " ", name.upper()][j % 3]


def _blank_name_row(rng: random.Random, names: _Names, used: set[str]) -> Org:
    """A stray submission with no organisation name: intake must reject it, with a reason."""
    org = _new_org(rng, names, _weighted(rng, REGION_WEIGHTS), used, True)
    org.submitted = _moment_between(rng, CALLOUT_OPEN, CALLOUT_CLOSE, skew=2.0)
    return org


def _build_callout(n: int, seed: int, messy: bool = True) -> Callout:
    """Plan the organisations, then lay out their submissions in the order the form received them."""
    rng = random.Random(seed)
    orgs, facts = _plan_orgs(n, rng, messy)
    for org in orgs:
        org.submitted = _moment_between(rng, CALLOUT_OPEN, CALLOUT_CLOSE, skew=2.0)
    rows: list[tuple[datetime, int, dict]] = []
    if messy:
        rows += _amendments(rng, orgs, facts)
        names = _Names(rng)
        names.used = {name_key(o.name) for o in orgs}
        k_blank = max(1, round(n / 150))
        for j in range(k_blank):
            stray = _blank_name_row(rng, names, set())
            rows.append((stray.submitted, 2 * n + j, _form_row(stray, name="")))
        facts["blank_org_name"] = k_blank
    rows += [(o.submitted, i, _form_row(o)) for i, o in enumerate(orgs)]
    rows.sort(key=lambda t: (t[0], t[1]))
    facts["rows"] = len(rows)
    return Callout(orgs=orgs, rows=[r for _, _, r in rows], facts=facts)


def _amendments(rng: random.Random, orgs: list[Org], facts: dict) -> list[tuple[datetime, int, dict]]:
    """At least 8 organisations submitted more than once (one of them three times).

    The earlier drafts are returned; the organisation's own (final) row is added by the caller.
    Two drafts spell the organisation's name differently, as people do.
    """
    n = len(orgs)
    k = max(8, round(0.055 * n))
    chosen = [i for i in rng.sample(range(n), min(n, k + 5)) if orgs[i].consent][:k]
    rows = []
    for j, i in enumerate(chosen):
        org = orgs[i]
        if org.submitted - CALLOUT_OPEN < timedelta(days=2):
            org.submitted += timedelta(days=3)
        fractions = [rng.uniform(0.3, 0.6), rng.uniform(0.7, 0.98)] if j == 0 else [rng.uniform(0.4, 0.98)]
        for d, fraction in enumerate(fractions):
            draft = _earlier_draft(rng, org, fraction)
            name = _name_variant(org.name, j) if j in (1, 2) else None
            rows.append((draft.submitted, 3 * n + 10 * j + d, _form_row(draft, name)))
    facts["amended_orgs"] = len(chosen)
    facts["superseded_rows"] = len(rows)
    facts["name_variants"] = min(2, max(0, len(chosen) - 1))
    return rows


def _frame(rows: list[dict], table: str) -> pd.DataFrame:
    header_of = _header_of(table)
    fields = list(_defaults()["mapping"][table].values())
    data = {header_of[f]: [r.get(f, "") for r in rows] for f in fields}
    return pd.DataFrame(data, columns=_headers(table), dtype="str")


def generate_callout(n_organisations: int, seed: int, *, messy: bool = True) -> pd.DataFrame:
    """A callout export for `n_organisations` organisations, every cell a string, as exported.

    With `messy` (the default) it holds amended resubmissions, unusable and offshore postcodes,
    disagreeing and blank stated regions, a blank organisation name, a refused consent and
    blank optional answers, in proportions that scale with n (so benchmark exports of 10,000
    organisations misbehave like the sample). `messy=False` gives clean, eligible answers: the
    base the bad-input fixtures spoil one way at a time.
    """
    if n_organisations < 1:
        raise ValueError("n_organisations must be at least 1")
    return _frame(_build_callout(int(n_organisations), int(seed), messy).rows, "callout")


# --------------------------------------------------------------------------------------------
# The network: members, their yearly surveys, rosters and workshop attendance.


@dataclass
class Member:
    """A network member and how its three years go."""

    org: Org
    trajectory: str  # steady, fast, stall, slip, late
    engagement: float  # 0-1: chance of attending a workshop
    joined: date
    left: date | None = None
    big_funding: int = 0  # 0 none, 1 very large grant, 2 large grant
    big_budget: bool = False


LEVEL_STEPS = {
    "steady": (0, 1, 1),
    "fast": (1, 2, 2),
    "stall": (0, 0, 0),
    "slip": (0, 1, 0),
    "late": (0, 0, 1),
}


def _choose_members(rng: random.Random, orgs: list[Org]) -> list[Org]:
    """Ten members from the eligible applicants: every nation, at most two per English region,
    at most one per parent body (as the selection rules demand)."""
    eligible = sorted((o for o in orgs if o.eligible), key=lambda o: name_key(o.name))
    rng.shuffle(eligible)
    chosen: list[Org] = []
    for code in (NI, "S92000003", "W92000004"):
        chosen.append(next(o for o in eligible if o.region == code))
    for org in eligible:
        if len(chosen) == N_MEMBERS:
            break
        same_region = sum(o.region == org.region for o in chosen)
        parents = {name_key(o.parent) for o in chosen if o.parent_shared}
        if org in chosen or same_region >= 2 or org.region in NATION_OF:
            continue
        if org.parent_shared and name_key(org.parent) in parents:
            continue
        chosen.append(org)
    return chosen


def _plan_members(rng: random.Random, orgs: list[Org]) -> tuple[list[Member], dict]:
    """Trajectories that are not uniformly rosy, one leaver, one missing 2025 return."""
    chosen = _choose_members(rng, orgs)
    kinds = ["steady", "steady", "steady", "fast", "fast", "stall", "stall", "slip", "late", "steady"]
    rng.shuffle(kinds)
    members = [
        Member(
            org=o,
            trajectory=k,
            engagement=rng.uniform(0.45, 0.95),
            joined=date(2024, 1, rng.choice([15, 15, 15, 22, 29])),
        )
        for o, k in zip(chosen, kinds)
    ]
    # The leaver and the missing return are English members, so every nation has a return each
    # year. Neither is the member that slips back, so the slip shows in the 2025 and 2026 returns.
    english = [m for m in members if m.org.region not in NATION_OF]
    english += [m for m in members if m not in english]  # fallback, never needed for the sample
    leaver = next(m for m in english if m.trajectory == "stall")
    leaver.left = date(2026, 1, 30)
    leaver.engagement = 0.3
    missing = next(m for m in english if m.trajectory in ("steady", "late"))
    fast = [m for m in members if m.trajectory == "fast" and m is not leaver]
    fast[0].big_funding = 1
    next(m for m in members if m.big_funding == 0 and m is not leaver).big_funding = 2
    next(m for m in members if m.trajectory == "steady" and m is not leaver).big_budget = True
    variant = next(m for m in members if m not in (leaver, missing))
    facts = {
        "members": len(members),
        "leaver": leaver.org.name,
        "missing_2025": missing.org.name,
        "name_variant_member": variant.org.name,
        "trajectories": {k: sum(m.trajectory == k for m in members) for k in LEVEL_STEPS},
    }
    return members, facts


def _money_text(rng: random.Random, value: int) -> str:
    """Amounts typed into a free box: mostly plain, sometimes with a pound sign or commas."""
    form = rng.choices(["plain", "pound", "commas"], weights=[75, 15, 10])[0]
    if value == 0 or form == "plain":
        return str(value)
    return f"£{value:,}" if form == "pound" else f"{value:,}"


def _round_to(value: float, step: int) -> int:
    return int(round(value / step) * step)


def _funding(rng: random.Random, member: Member, k: int) -> int:
    """New funding: zero for many, modest for most, very large for one or two (dominance)."""
    if member.big_funding == 1 and k >= 1:
        return [0, 450_000, 620_000][k]
    if member.big_funding == 2 and k == 2:
        return 150_000
    if rng.random() < [0.5, 0.3, 0.3][k]:
        return 0
    return _round_to(math.exp(rng.gauss(math.log(12_000), 1.0)), 100)


def _budget(rng: random.Random, member: Member, k: int, ventures: int) -> int:
    if member.big_budget and k == 2:
        return 180_000
    if ventures == 0 or rng.random() < 0.45:
        return 0
    return _round_to(math.exp(rng.gauss(math.log(6_000), 0.9)), 500)


def _survey_row(rng: random.Random, member: Member, year: int, k: int, messy_citizens: bool) -> dict:
    """One member's return for one year, as the survey form exports it."""
    org, level_text = member.org, _text_for("level")
    level = _clip(org.level_now + LEVEL_STEPS[member.trajectory][k])
    growth = {"steady": 0.35, "fast": 0.6, "stall": 0.0, "slip": 0.15, "late": 0.2}[member.trajectory] * k
    if member.trajectory == "slip" and k == 2:
        growth = -0.1
    theta = org.theta + growth + rng.gauss(0, 0.25)
    ready = _readiness(rng, theta, False)
    lam = (
        0.8
        + 0.6 * k
        + (0.8 if member.trajectory == "fast" else 0.0)
        - (0.6 if member.trajectory == "stall" else 0.0)
    )
    ventures = _poisson(rng, max(0.2, lam))
    venture_codes = list(_defaults()["options"]["venture_types"].values())
    types = sorted(
        set(rng.choices(venture_codes, weights=[1, 1, 3, 2, 4, 1], k=ventures)), key=venture_codes.index
    )
    citizens = 0 if ventures == 0 else _round_to(math.exp(rng.gauss(math.log(35 * ventures), 0.8)), 5)
    first, last, full = org.contact
    benefit = [_clip(2.6 + 1.6 * member.engagement + 0.3 * k + rng.gauss(0, 0.8)) for _ in range(6)]
    benefit = ["" if rng.random() < 0.05 else str(b) for b in benefit]
    comment = rng.choice(COMMENT_TEXTS).format(name=_person(rng)[2]) if rng.random() < 0.5 else ""
    start = datetime(year, 10, 1, 9)
    return {
        "submitted_at": _stamp(_moment_between(rng, start, datetime(year, 11, 10, 18))),
        "email": org.email,
        "contact_name": full,
        "org_name": org.name,
        "ventures_started": str(ventures),
        "venture_types": ", ".join(_text_for("venture_types")[c] for c in types),
        "citizens_involved": f"c. {citizens}" if messy_citizens else str(citizens),
        "decisions_by_citizens": str(0 if ventures == 0 else rng.randint(0, 3 * ventures)),
        "budget_devolved_gbp": _money_text(rng, _budget(rng, member, k, ventures)),
        "funding_secured_gbp": _money_text(rng, _funding(rng, member, k)),
        "partnerships_new": str(_poisson(rng, 1.0 + 0.3 * k)),
        "joint_bids": str(_poisson(rng, 0.2 + 0.4 * k)),
        "advocacy_submissions": str(_poisson(rng, 0.6 + 0.4 * k)),
        "advocacy_meetings": str(_poisson(rng, 1.2 + 0.8 * k)),
        "advocacy_talks": str(_poisson(rng, 1.0 + 0.5 * k)),
        "level_now": level_text[level],
        "readiness_leadership": str(ready[0]),
        "readiness_budget": str(ready[1]),
        "readiness_skills": str(ready[2]),
        "readiness_community": str(ready[3]),
        "readiness_governance": str(ready[4]),
        "benefit_peer_learning": benefit[0],
        "benefit_professional_development": benefit[1],
        "benefit_wellbeing": benefit[2],
        "benefit_internal_advocacy": benefit[3],
        "benefit_convening_power": benefit[4],
        "benefit_profile": benefit[5],
        "comments": comment,
    }


def _member_surveys(rng: random.Random, members: list[Member], facts: dict) -> dict[int, list[dict]]:
    """Returns per year: the leaver stops after 2025, one 2025 return never arrives, one member
    resubmits in 2025, one types its name differently, and one 'c. 300' is not a number."""
    out: dict[int, list[dict]] = {}
    for k, year in enumerate(SAMPLE_YEARS):
        rows = []
        for j, m in enumerate(members):
            if m.left and m.left.year <= year:
                continue
            if year == 2025 and m.org.name == facts["missing_2025"]:
                continue
            row = _survey_row(rng, m, year, k, messy_citizens=(year == 2024 and j == 0))
            if year == 2025 and m.org.name == facts["name_variant_member"]:
                row["org_name"] = "  " + m.org.name.upper()
            rows.append(row)
        if year == 2025:
            first = rows[1]
            resubmitted = dict(first, partnerships_new=str(int(first["partnerships_new"]) + 1))
            moment = datetime.strptime(first["submitted_at"], TIMESTAMP_FORMAT) + timedelta(days=2, hours=3)
            resubmitted["submitted_at"] = _stamp(moment)
            rows.append(resubmitted)
        rows.sort(key=lambda r: datetime.strptime(r["submitted_at"], TIMESTAMP_FORMAT))
        out[year] = rows
    return out


def _roster(rng: random.Random, members: list[Member], year: int) -> list[dict]:
    """The staff-kept roster: everyone who was a member that year, with status and dates."""
    rows = []
    for m in sorted(members, key=lambda m: (m.joined, name_key(m.org.name))):
        left = m.left if m.left and m.left.year <= year else None
        note = rng.choice(ROSTER_NOTES).format(name=_person(rng)[2])
        if left:
            note = "Withdrew: no staff capacity after a restructure"
        rows.append(
            {
                "org_name": m.org.name,
                "status": "Left" if left else "Active",
                "joined": m.joined.strftime(DATE_FORMAT),
                "left": left.strftime(DATE_FORMAT) if left else "",
                "notes": note,
            }
        )
    return rows


def _workshops(rng: random.Random, members: list[Member], year: int) -> list[dict]:
    """5-8 workshops a year, one row per attending organisation; satisfaction is optional."""
    n = {2024: 6, 2025: 8, 2026: 5}.get(year, rng.randint(5, 8))
    last_day = date(year, 11, 10) if year == 2026 else date(year, 12, 5)
    days = sorted(rng.sample(range(20, (last_day - date(year, 1, 1)).days), n))
    topics = rng.sample(WORKSHOP_TOPICS, n)
    rows = []
    for w, (offset, topic) in enumerate(zip(days, topics), start=1):
        day = date(year, 1, 1) + timedelta(days=offset)
        day -= timedelta(days=max(0, day.weekday() - 3))  # weekend dates move back to Thursday
        fmt = "In person" if w % 3 == 1 else "Online"
        speakers = str(rng.randint(1, 4))
        for m in members:
            active = day >= m.joined and (m.left is None or day < m.left)
            if not active or rng.random() > m.engagement:
                continue
            sat = "" if rng.random() < 0.2 else str(_clip(3.4 + 1.6 * m.engagement + rng.gauss(0, 0.7)))
            rows.append(
                {
                    "workshop_id": f"WS-{year}-{w:02d}",
                    "date": day.strftime(DATE_FORMAT),
                    "topic": topic,
                    "format": fmt,
                    "org_name": m.org.name,
                    "contact_name": _person(rng)[2],
                    "speakers_count": speakers,
                    "satisfaction": sat,
                }
            )
    return rows


# --------------------------------------------------------------------------------------------
# Writing.


def write_csv(
    frame: pd.DataFrame,
    path: Path,
    *,
    bom: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
    lineterminator: str = "\r\n",
) -> Path:
    """Write an export the way form tools do: minimal quoting, CRLF rows, optional BOM.

    Written with the csv module rather than `DataFrame.to_csv`, so the bytes do not depend on
    the pandas version (the committed sample is compared byte for byte).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    enc = "utf-8-sig" if bom and encoding == "utf-8" else encoding
    with path.open("w", encoding=enc, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator=lineterminator)
        writer.writerow([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            writer.writerow(["" if pd.isna(v) else str(v) for v in row])
    return path


def write_sample(out_dir: Path, seed: int = SAMPLE_SEED) -> list[Path]:
    """Write the bundled sample: the 2023 callout and three years of network files, plus README.

    Form exports (callout, member surveys) carry a UTF-8 BOM as Google and Microsoft Forms
    downloads do; the staff-kept roster and workshop logs do not. Every file has CRLF rows.
    """
    out_dir = Path(out_dir)
    callout = _build_callout(SAMPLE_ORGANISATIONS, seed, messy=True)
    rng = random.Random(seed + 1)
    members, member_facts = _plan_members(rng, callout.orgs)
    surveys = _member_surveys(rng, members, member_facts)
    written = [
        write_csv(_frame(callout.rows, "callout"), out_dir / "2024" / "callout-responses.csv", bom=True)
    ]
    counts: dict[int, dict[str, int]] = {}
    for year in SAMPLE_YEARS:
        roster = _roster(rng, members, year)
        workshops = _workshops(rng, members, year)
        folder = out_dir / str(year)
        written.append(
            write_csv(_frame(surveys[year], "member_survey"), folder / "member-survey.csv", bom=True)
        )
        written.append(write_csv(_frame(workshops, "workshops"), folder / "workshop-log.csv"))
        written.append(write_csv(_frame(roster, "roster"), folder / "network-roster.csv"))
        counts[year] = {
            "surveys": len(surveys[year]),
            "workshops": len({r["workshop_id"] for r in workshops}),
            "attendance": len(workshops),
            "blank_satisfaction": sum(r["satisfaction"] == "" for r in workshops),
        }
    readme = out_dir / "README.md"
    readme.write_text(_readme(callout, member_facts, counts, seed), encoding="utf-8", newline="\n")
    written.append(readme)
    return written


def _readme(callout: Callout, member: dict, counts: dict, seed: int) -> str:
    """The sample's README, written from the generator's own record of what it put in."""
    f, pc = callout.facts, callout.facts["postcodes"]
    regions = _text_for("region_stated")
    by_region = {}
    for org in callout.orgs:
        key = org.region or org.stated
        by_region[key] = by_region.get(key, 0) + 1
    region_lines = "\n".join(f"| {regions[c]} | {by_region.get(c, 0)} |" for c in REGION_WEIGHTS)
    year_lines = "\n".join(
        f"| {y} | {c['surveys']} | {c['workshops']} | {c['attendance']} | {c['blank_satisfaction']} |"
        for y, c in counts.items()
    )
    return f"""# Synthetic sample data (not real)

**Every file in this folder is synthetic.** No organisation, person, email address or phone
number in it is real. Organisation names are invented; phone numbers are from Ofcom's ranges
reserved for drama; postcodes are real GB postcodes from the reference pack
(`data/reference/postcodes/test_postcodes_gb_one_per_district.csv`, OS Code-Point Open, OGL v3),
or, for Northern Ireland, a real BT district with an invented inward code (e.g. `BT7 1NN`).

## How it was made
`python -m analysis.synthetic` (module `src/analysis/synthetic.py`) with seed {seed}, using one
`random.Random` instance, never global random state. The question texts (headers) and answer
texts come from `[mapping.*]` and `[options.*]` in `config/defaults.toml`. `tests/test_synthetic.py`
regenerates the sample and checks that every file here is byte-for-byte identical: after
changing the generator or the form texts, rerun the command and commit the result.

| file | what |
| --- | --- |
| `2024/callout-responses.csv` | the callout export (closed 11 December 2023): UTF-8 with BOM, CRLF |
| `YYYY/member-survey.csv` | the members' yearly survey export (2024 baseline, 2025, 2026): UTF-8 with BOM, CRLF |
| `YYYY/network-roster.csv` | membership per year (Active/Left, joined, left, notes): UTF-8, CRLF |
| `YYYY/workshop-log.csv` | one row per organisation attending a workshop: UTF-8, CRLF |

## The callout: {f["rows"]} rows, {f["organisations"]} organisations
Timestamps `dd/mm/yyyy hh:mm:ss` (Europe/London) from 2 October to 11 December 2023, crowding
towards the deadline; multi-select answers joined by ", "; free text with line breaks, and
sometimes a colleague's name, email or phone number; every row has the applicant's name,
email and often a phone number (personal data that intake must drop).

Applicants by region (from the postcode; stated region for offshore postcodes):

| region | organisations |
| --- | --- |
{region_lines}

Deliberate messiness (counts on the final submission of each organisation):

| what | count |
| --- | --- |
| organisations that submitted more than once (latest stands) | {f["amended_orgs"]} |
| superseded rows (one organisation submitted three times) | {f["superseded_rows"]} |
| earlier submissions spelling the name differently (case/spacing) | {f["name_variants"]} |
| rows with a blank organisation name (to be rejected) | {f["blank_org_name"]} |
| postcodes typed in lower case, without a space or with two spaces (valid once normalised) | {pc["normalisable"]} |
| invalid postcodes (e.g. `M1 1A`, `N/A`, `TBC`, a phone number) | {pc["invalid"]} |
| well-formed postcodes whose district does not exist (e.g. `N23 4AB`) | {pc["not_found"]} |
| Channel Islands / Isle of Man postcodes (`JE`, `GY`, `IM`: outside the UK) | {pc["outside_uk"]} |
| blank postcode | {pc["missing"]} |
| stated region disagrees with the postcode's region | {f["region_disagrees"]} |
| stated region left blank | {f["region_blank"]} |
| research consent "No" | {f["no_consent"]} |
| can commit to 2024-2026: "No" / "Not sure" | {f["commit_no"]} / {f["commit_unsure"]} |
| readiness answers left blank | {f["readiness_blank"]} |
| groups of organisations naming the same parent body (sizes) | {", ".join(map(str, f["shared_parent_groups"]))} (one typed in lower case) |

Other optional answers (phone, website, role, parent body, staff and turnover bands, programme
description) are sometimes blank; the parent-body answer is often "No", "no" or "N/A".

## The network (2024-2026): {member["members"]} members
Members were drawn by this generator (not by `analysis.selection`) from eligible applicants
(usable UK postcode, consent, commitment "Yes", a 2026 target above the current level), with
every nation represented, at most two per English region and one per parent body.
Trajectories: {", ".join(f"{k} {v}" for k, v in member["trajectories"].items())} (levels rise,
stall, or rise and slip back). Funding is skewed: one member lands very large grants in 2025
and 2026, one a large grant in 2026, many report zero, so the dominance rule matters.

- `{member["leaver"]}` leaves on 30/01/2026: "Left" on the 2026 roster, no 2026 return.
- `{member["missing_2025"]}` is active in 2025 but sent no 2025 return.
- `{member["name_variant_member"]}` typed its name in capitals with leading spaces in 2025.
- one member submitted its 2025 return twice (the later one stands).
- one 2024 return says "c. <number>" citizens (not a number: set to missing, counted).
- amounts are sometimes typed with a pound sign or thousands commas.

| year | survey rows | workshops | attendance rows | blank satisfaction |
| --- | --- | --- | --- | --- |
{year_lines}

Workshop logs, rosters and surveys name members by organisation name, as in the callout;
intake replaces names with keyed-hash pseudonyms (the sample uses the published key in
`config/defaults.toml`).
"""


def main(argv: list[str] | None = None) -> int:
    """`python -m analysis.synthetic`: rewrite the bundled sample, or one benchmark callout."""
    parser = argparse.ArgumentParser(prog="python -m analysis.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: data/raw/synthetic, or the current folder with --n)",
    )
    parser.add_argument(
        "--n", type=int, default=None, help="write only a callout export with this many organisations"
    )
    parser.add_argument("--seed", type=int, default=SAMPLE_SEED)
    args = parser.parse_args(argv)
    if args.n is not None:
        out = (args.out or Path.cwd()) / "callout-responses.csv"
        write_csv(generate_callout(args.n, args.seed), out, bom=True)
        print(f"wrote {out} ({args.n} organisations, seed {args.seed}; synthetic)")
        return 0
    for path in write_sample(args.out or paths.SAMPLE_RAW_DIR, args.seed):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
