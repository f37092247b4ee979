"""Where an applicant is: region and nation from the postcode, or from the answer given.

The postcode decides when it resolves; when it is missing, invalid or unknown the region the
respondent picked is used instead, and every such case is counted. Imports reference (the
postcode lookup and the region names) and the intake modules below it (fields, quality).
"""

from __future__ import annotations

import pandas as pd

from analysis.intake.fields import blank_to_na, parse_single
from analysis.intake.quality import TableLog
from analysis.reference import assign_geography, region_lookup


def region_fields(frame: pd.DataFrame, config, tlog: TableLog) -> pd.DataFrame:
    """Region from the postcode; when the postcode is unusable, from the answer given (counted)."""
    geo = assign_geography(frame["postcode"].astype("object"))
    geo.index = frame.index
    stated = parse_single(frame["region_stated"], config["options"]["region_stated"], tlog, "region_stated")
    out = pd.DataFrame(index=frame.index)
    out["postcode_district"] = geo["postcode_district"].where(
        geo["status"].isin(["ok", "not_found", "outside_uk"])
    )
    out["postcode_status"] = geo["status"]
    ok = geo["status"].eq("ok")
    for col in ("lad_code", "region_code", "region_name", "itl1_code", "nation"):
        out[col] = geo[col].where(ok)
    raw = blank_to_na(frame["postcode"])
    tlog.correct("postcode_normalised", int((ok & raw.notna() & (raw.str.strip() != geo["postcode"])).sum()))
    for status in ("invalid", "not_found", "missing"):
        n = int(geo["status"].eq(status).sum())
        tlog.correct(
            f"postcode_{status}",
            n,
            f"{n} postcode(s) were {status.replace('_', ' ')}; the region stated on the form was used"
            if n
            else None,
        )
    n_out = int(geo["status"].eq("outside_uk").sum())
    tlog.correct(
        "outside_uk",
        n_out,
        f"{n_out} organisation(s) have Channel Islands or Isle of Man postcodes: outside the UK, "
        "kept but excluded from UK figures"
        if n_out
        else None,
    )
    partial = ok & geo.get("partial", pd.Series(False, index=geo.index)).fillna(False).astype(bool)
    tlog.correct(
        "postcode_partial",
        int(partial.sum()),
        f"{int(partial.sum())} postcode(s) give only the district (e.g. 'HR7'); the district was used"
        if partial.any()
        else None,
    )
    if "straddles_region" in geo:
        tlog.correct("district_straddles_region", int((ok & geo["straddles_region"].fillna(False)).sum()))
    fallback = geo["status"].isin(["invalid", "not_found", "missing"]) & stated.notna()
    region_ref = region_lookup()[["region_name", "itl1_code", "nation"]].astype("string")
    out.loc[fallback, "region_code"] = stated[fallback]
    out.loc[fallback, "region_name"] = stated[fallback].map(region_ref["region_name"])
    out.loc[fallback, "itl1_code"] = stated[fallback].map(region_ref["itl1_code"])
    out.loc[fallback, "nation"] = stated[fallback].map(region_ref["nation"])
    tlog.correct("region_from_stated", int(fallback.sum()))
    out["region_source"] = "none"
    out.loc[ok, "region_source"] = "postcode"
    out.loc[fallback, "region_source"] = "stated"
    out["region_stated"] = stated.astype("string")
    disagree = ok & stated.notna() & (stated.astype("string") != out["region_code"].astype("string"))
    out["region_disagrees"] = disagree.fillna(False).astype(bool)
    tlog.correct(
        "region_disagrees",
        int(out["region_disagrees"].sum()),
        f"{int(out['region_disagrees'].sum())} stated region(s) differ from the postcode's region; "
        "the postcode's region is used"
        if out["region_disagrees"].any()
        else None,
    )
    return out
