"""Statistical disclosure control for every published number.

With 6–12 members and a few hundred applicants almost every cut is small, and the readers
include insiders who know each other, so every table that leaves the repository goes through
this package and comes out as a `ProtectedTable`, the only kind charts and briefs accept.

Modules, one job each:

* `rules`: the year's thresholds, the primary rule for counts and its wording;
* `cells`: cell statuses, published values and their display text;
* `table`: `ProtectedTable` and the only ways to make new tables from published cells;
* `counts`: suppression of count tables, alone or linked (region → nation → UK, year on year);
* `money`: minimum contributors and dominance for £ and other magnitudes;
* `derived`: shares, means and chances from protected counts, and rounding;
* `audit`: the intruder's LP over the linked equations, and the secondary suppression solver;
* `_tau`: the τ-ARGUS adapter for a single flat table.
* `policy`: the meaning of every symbol and the membership policy, worded once.

A hidden cell with value v is protected when an intruder's feasibility interval reaches down to
v − lpl and up to v + upl, where lpl = upl = ⌈v × protection_percent / 100⌉ (τ-ARGUS's FREQ(n, p)
protection levels; with the default 100 % a hidden 2 can be anything from 0 to 4, so an
intruder cannot even tell whether the cell is empty).

Layer: protect. Imports `analysis.text` only, besides its own modules.
"""

from analysis.disclosure.cells import HIDDEN_STATUSES, STATUSES
from analysis.disclosure.counts import protect_counts, protect_frequencies, protect_linked
from analysis.disclosure.derived import protect_means, protect_probabilities, protect_shares, round_table
from analysis.disclosure.money import protect_money
from analysis.disclosure.rules import DisclosureRules, rule_sentence
from analysis.disclosure.table import DisclosureError, ProtectedTable, require_protected
from analysis.text import NOT_APPLICABLE, NOT_AVAILABLE, SUPPRESSED, format_value

__all__ = [
    "SUPPRESSED",
    "NOT_AVAILABLE",
    "NOT_APPLICABLE",
    "STATUSES",
    "HIDDEN_STATUSES",
    "DisclosureError",
    "DisclosureRules",
    "ProtectedTable",
    "rule_sentence",
    "require_protected",
    "format_value",
    "protect_counts",
    "protect_linked",
    "protect_frequencies",
    "protect_money",
    "protect_shares",
    "protect_means",
    "protect_probabilities",
    "round_table",
]
