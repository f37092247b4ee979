"""Writing exports: the committed sample with its README, a benchmark callout, the command line.

`python -m analysis.synthetic` runs `main`. Imports paths and the generator's other modules.
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.synthetic.callout import Callout, build_callout, generate_callout
from analysis.synthetic.followup import followup_rows
from analysis.synthetic.forms import answer_texts, export_frame
from analysis.synthetic.members import (
    REPLACEMENT_JOINED,
    SAMPLE_YEARS,
    member_surveys,
    plan_members,
    roster_rows,
    workshop_rows,
)
from analysis.synthetic.panel import draw_members
from analysis.synthetic.places import REGION_WEIGHTS

DESCRIPTION = "Seeded generator of realistic, deliberately messy sample exports."
SAMPLE_SEED = 20231211
SAMPLE_ORGANISATIONS = 150


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
    callout = build_callout(SAMPLE_ORGANISATIONS, seed, messy=True)
    callout_path = out_dir / "2024" / "callout-responses.csv"
    written = [write_csv(export_frame(callout.rows, "callout"), callout_path, bom=True)]
    rng = random.Random(seed + 1)
    draw = draw_members(rng, callout_path, callout.orgs)
    members, member_facts = plan_members(rng, draw)
    surveys = member_surveys(rng, members, member_facts)
    counts: dict[int, dict[str, int]] = {}
    for year in SAMPLE_YEARS:
        roster = roster_rows(rng, members, year)
        workshops = workshop_rows(rng, members, year)
        folder = out_dir / str(year)
        written.append(
            write_csv(export_frame(surveys[year], "member_survey"), folder / "member-survey.csv", bom=True)
        )
        written.append(write_csv(export_frame(workshops, "workshops"), folder / "workshop-log.csv"))
        written.append(write_csv(export_frame(roster, "roster"), folder / "network-roster.csv"))
        counts[year] = {
            "surveys": len(surveys[year]),
            "workshops": len({r["workshop_id"] for r in workshops}),
            "attendance": len(workshops),
            "blank_satisfaction": sum(r["satisfaction"] == "" for r in workshops),
        }
    # Its own random stream, so adding the follow-up changed no other file of the sample.
    followup, member_facts["followup"] = followup_rows(random.Random(seed + 2), callout.orgs, draw)
    path = out_dir / "2026" / "not-drawn-follow-up.csv"
    written.append(write_csv(export_frame(followup, "comparison_survey"), path, bom=True))
    readme = out_dir / "README.md"
    readme.write_text(_readme(callout, member_facts, counts, seed), encoding="utf-8", newline="\n")
    written.append(readme)
    return written


def _readme(callout: Callout, member: dict, counts: dict, seed: int) -> str:
    """The sample's README, written from the generator's own record of what it put in."""
    f, pc, fu = callout.facts, callout.facts["postcodes"], member["followup"]
    regions = answer_texts("region_stated")
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
`python -m analysis.synthetic` (package `src/analysis/synthetic/`) with seed {seed}, using one
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
The members are the 2024 lottery's draw: the generator reads this callout with intake (the
published sample key) and runs `analysis.selection` with the 2024 settings, as a 2024 run does, so
`reports/2024/selection/drawn-panel.csv` lists the same organisations (panel
{member["drawn_panel"]}). One drawn organisation, `{member["decliner"]}`, declined its place
before the network began. Its place went to the first reserve in the published order
(`reserves.csv`) whose panel still meets every quota and the one-per-parent-body rule:
`{member["replacement"]}` (reserve {member["reserve_rank"]}; {member["reserves_skipped"]} passed
over), which joined on {REPLACEMENT_JOINED:%d/%m/%Y}. The roster records only "Active" and "Left",
so the organisation that declined is not on any roster; the replacement's roster note says how
it joined. Trajectories: {", ".join(f"{k} {v}" for k, v in member["trajectories"].items())} (levels rise,
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

## The 2026 follow-up of applicants not drawn (`2026/not-drawn-follow-up.csv`)
{fu["respondents"]} of the {fu["pool"]} eligible applicants that were not drawn answered a short
emailed form in October 2026 (participation level now; practices, ventures and funding band since
January 2024). They move too, but less than the members. Of its {fu["rows"]} rows, one is a
resubmission (the later one stands) and {fu["strangers"]} come from outside the pool (a member
that answered by mistake, and an organisation that never applied): intake rejects them and
`cip-analysis check` lists them.

Workshop logs, rosters and surveys name members by organisation name, as in the callout;
intake replaces names with keyed-hash pseudonyms (the sample uses the published key in
`config/defaults.toml`).
"""


def main(argv: list[str] | None = None) -> int:
    """`python -m analysis.synthetic`: rewrite the bundled sample, or one benchmark callout."""
    parser = argparse.ArgumentParser(prog="python -m analysis.synthetic", description=DESCRIPTION)
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
