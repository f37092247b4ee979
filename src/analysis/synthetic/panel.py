"""The network's 2024 members are the real lottery's draw on the generated callout.

So the sample tells one story: the roster, the outcomes, the selection audit pack and the
geography all describe the same organisations. The written callout is read by intake (with the
sample's published pseudonym key) and drawn by `analysis.selection.select` with the 2024
settings, exactly as a 2024 run does (deterministic for the seed). One drawn organisation then
declines its place, and the place goes to the first reserve, in the published reserve order, whose
panel still meets every quota and the one-per-parent-body rule (SELECTION.md, item 9). Nothing is
written to disk: names stay in memory. Imports intake and the selection engine (the generator is
in the run layer) and the generator's own modules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from analysis.config import load_config
from analysis.intake import ingest_callout, resolve_key
from analysis.selection import SelectionError, select
from analysis.selection.lottery import check_lottery
from analysis.synthetic.draws import name_key
from analysis.synthetic.organisations import Org
from analysis.synthetic.places import NATION_OF

DRAW_YEAR = 2024


@dataclass
class Draw:
    """The drawn panel as organisations, who declined, and who took the place from the reserves."""

    drawn_panel: int
    drawn: list[Org]  # the drawn panel, in the audit pack's (pseudonym) order
    decliner: Org
    replacement: Org
    reserve_rank: int  # the replacement's place in the reserve order
    skipped: int  # reserves passed over because their panel would break a rule

    @property
    def members(self) -> list[Org]:
        """The network's 2024 members: the drawn panel without the decliner, plus the replacement."""
        return [o for o in self.drawn if o is not self.decliner] + [self.replacement]


def draw_members(rng: random.Random, callout_path: Path, orgs: list[Org]) -> Draw:
    """Run intake and the 2024 selection on the written callout; one English member declines."""
    config = load_config(DRAW_YEAR)
    applicants, names, _ = ingest_callout(callout_path, config, key=resolve_key(config, synthetic=True))
    result = select(applicants, config, year=DRAW_YEAR)
    by_key = {name_key(o.name): o for o in orgs}
    org_of = {pid: by_key[name_key(name)] for pid, name in zip(names["org_id"], names["org_name"])}
    drawn = [org_of[pid] for pid in result.selected]
    # An English member declines, so every nation keeps the member the quota gave it.
    english = sorted((o for o in drawn if o.region not in NATION_OF), key=lambda o: name_key(o.name))
    decliner = rng.choice(english)
    kept = [pid for pid in result.selected if org_of[pid] is not decliner]
    for rank, pid in enumerate(result.reserves, start=1):
        try:
            check_lottery([(*kept, pid)], result.pool, result.quotas, result.rules.panel_size)
        except SelectionError:
            continue
        return Draw(result.drawn_panel, drawn, decliner, org_of[pid], rank, rank - 1)
    raise SelectionError("no reserve can fill the declined place without breaking a selection rule")
