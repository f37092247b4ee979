"""Applicant geography: where the organisations that applied are based, against where people live.

Counts by UK region and nation, rates per million people, the representation index, the
deprivation and urban/rural profile of applicants' local authorities, the checks behind every
location, and members against the pool, for technical appendix 1 and the brief.

- `measures`: who is counted and the counts, rates and shares (compute);
- `tables`: the published tables through `analysis.disclosure` (protect);
- `text`: heading, key messages, paragraphs, method note, policy ask (present);
- `report`: `analyse(ctx) -> Findings` and `results(ctx)` with the named frames (assemble).

The postcode lookup and the place vocabulary live in `analysis.reference`.
"""

from analysis.geography.measures import (
    nation_counts,
    profile_against_population,
    quality_counts,
    region_counts,
    region_rates,
    representation_index,
    split_pool,
    straddling_count,
)
from analysis.geography.report import Results, analyse, results
from analysis.geography.text import coverage_gap_sentences, headline

__all__ = [
    "Results",
    "analyse",
    "coverage_gap_sentences",
    "headline",
    "nation_counts",
    "profile_against_population",
    "quality_counts",
    "region_counts",
    "region_rates",
    "representation_index",
    "results",
    "split_pool",
    "straddling_count",
]
