"""The τ-ARGUS adapter: optimal secondary suppression for a single flat 2-D table of counts.

τ-ARGUS (pytauargus, with its bundled HiGHS) is the engine national statistics offices use; it
finds the cheapest suppression pattern for one table. It cannot express relations between
tables, hierarchies given as a plain mapping, or unsafe zeros, so `analysis.disclosure.counts`
uses it only for a plain table and audits its pattern either way. Internal to
`analysis.disclosure`; imports pytauargus and `disclosure.rules`.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile

import numpy as np
from pytauargus import protect

from analysis.disclosure.rules import DisclosureRules


def tau_argus_pattern(interior: np.ndarray, rules: DisclosureRules) -> set[tuple[int, int]] | None:
    """Hidden cells (row, col; totals at index R / C) from τ-ARGUS OPT, or None if it failed.

    Labels are replaced by safe codes (τ-ARGUS files are ';'-separated fixed-width text).
    """
    n_rows, n_cols = interior.shape
    rcode = [f"r{i:03d}" for i in range(n_rows)]
    ccode = [f"c{j:03d}" for j in range(n_cols)]
    micro = {"R": [], "C": [], "one": []}
    for (i, j), v in np.ndenumerate(interior):
        micro["R"] += [rcode[i]] * int(v)
        micro["C"] += [ccode[j]] * int(v)
        micro["one"] += [1] * int(v)
    if not micro["one"]:
        return set()
    rule = f"FREQ({int(rules.min_count)},{int(math.ceil(float(rules.protection_percent)))})"
    workdir = tempfile.mkdtemp(prefix="cip-tau-")
    here = os.getcwd()
    try:
        # The native solver writes its logs (CSPlogfile.txt, FullJJ.log, cspSCIP.*) into the
        # current directory; run it inside the scratch folder so they never reach the repo.
        # (chdir is process-wide: the pipeline protects tables from one thread only.)
        os.chdir(workdir)
        result = protect(
            micro, [["R", "C"]], response="one", safety_rules=rule, suppress="OPT(1)", workdir=workdir
        )
        rows = result.tables[0].rows
    except Exception:  # τ-ARGUS failed: the caller falls back to its own method
        return None
    finally:
        os.chdir(here)
        shutil.rmtree(workdir, ignore_errors=True)
    r_at = {c: i for i, c in enumerate(rcode)} | {"Total": n_rows}
    c_at = {c: j for j, c in enumerate(ccode)} | {"Total": n_cols}
    return {(r_at[r["R"]], c_at[r["C"]]) for r in rows if r["status"] in ("U", "M")}
