"""The attacker's other sources of counts: totals of different populations stated in sentences,
the public selection pack, and the landing pages.

- **Populations in sentences.** "N organisations applied", "the M UK-based organisations that
  agreed to research use", "the callout export held R responses; S … leaving N": the applied
  minus the analysed are exactly the location checks' "Left out" rows, and "P postcodes could not
  be matched to a place, so the region the organisation chose on the form was used" is the sum
  of the checks' "Region taken from the form" rows.
- **The selection pack** (`reports/<year>/selection/`): the banded chances add up to the eligible
  applicants; the drawn panel's rows are the panel; each quota met by the drawn panel bounds the
  selected members (at least `min` per nation with eligible applicants, at most `max` per
  region); and no nation has more selected members than eligible applicants.
- **Landing pages**: `reports/index.html` is read with the year's own pages (sentences).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from analysis import reference
from attacker_model import Model, norm
from attacker_read import page_text

APPLIED = "applied"
_STAGES = {
    "received": r"callout export held (\d[\d,]*) responses",
    "removed": r"(\d[\d,]*) responses were earlier versions",
    APPLIED: r"(\d[\d,]*) organisations applied|leaving (\d[\d,]*) organisations",
}
_ANALYSED = r"\bthe (\d[\d,]*) UK-based organisations that agreed to research use"
_FROM_FORM = r"(\d[\d,]*) postcodes could not be matched to a place, so the region the organisation chose"


def _key(year: int, pop: str, **dims) -> tuple:
    return (year, pop, frozenset(dims.items()))


def population_facts(model: Model, text: str, document: str, callout: int) -> None:
    """Counts of the callout's populations that sentences state (see the module docstring)."""
    for stage, pattern in _STAGES.items():
        for m in re.finditer(pattern, text):
            value = next(g for g in m.groups() if g)
            model.see(
                _key(callout, "applications", stage=stage), value, f"{document} | sentence | {m.group(0)}"
            )
    for m in re.finditer(_ANALYSED, text):
        model.see(_key(callout, "uk applicants"), m.group(1), f"{document} | sentence | {m.group(0)}")
    for m in re.finditer(_FROM_FORM, text):
        model.see(
            _key(callout, "applications", stage="region from the form"),
            m.group(1),
            f"{document} | {m.group(0)}",
        )


def _checks(model: Model, callout: int, prefix: str) -> list[tuple]:
    keys = set(model.published) | set(model.hidden)
    return [
        k
        for k in keys
        if k[0] == callout and k[1] == "location checks" and dict(k[2]).get("check", "").startswith(prefix)
    ]


def population_relations(model: Model, callout: int) -> None:
    """applied = analysed + left out; received − removed = applied; from the form = its rows' sum."""
    left_out = _checks(model, callout, "left out")
    if left_out:
        eq = {_key(callout, "applications", stage=APPLIED): 1.0, _key(callout, "uk applicants"): -1.0}
        eq.update({k: -1.0 for k in left_out})
        model.inequalities.append((eq, 0.0, 0.0))
    model.inequalities.append(
        (
            {
                _key(callout, "applications", stage="received"): 1.0,
                _key(callout, "applications", stage="removed"): -1.0,
                _key(callout, "applications", stage=APPLIED): -1.0,
            },
            0.0,
            0.0,
        )
    )
    from_form = _checks(model, callout, "region taken from the form")
    if from_form:
        eq = {_key(callout, "applications", stage="region from the form"): -1.0}
        eq.update({k: 1.0 for k in from_form})
        model.inequalities.append((eq, 0.0, 0.0))


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def selection_pack_facts(model: Model, pack: Path, callout: int) -> None:
    """What the public selection pack says about the eligible applicants and the drawn panel."""
    where = f"selection/{{}} ({callout} draw)"
    eligible = _key(callout, "eligible")
    if (pack / "chances-banded.csv").exists():
        bands = _rows(pack / "chances-banded.csv")
        eq = {eligible: -1.0}
        for row in bands:
            key = _key(callout, "eligible", band=f"{row['chance_from']}-{row['chance_below']}")
            model.see(key, row["applicants"], where.format("chances-banded.csv"))
            eq[key] = 1.0
        model.inequalities.append((eq, 0.0, 0.0))
    if (pack / "drawn-panel.csv").exists():
        panel = {r["org_id"] for r in _rows(pack / "drawn-panel.csv") if r.get("org_id")}
        model.see(_key(callout, "new members"), str(len(panel)), where.format("drawn-panel.csv"))
    keys = set(model.published) | set(model.hidden)
    areas = {
        dict(k[2])["area"]
        for k in keys
        if k[0] == callout and k[1] in ("eligible", "new members") and "area" in dict(k[2])
    }
    for area in areas:  # the lottery draws only from eligible applicants
        model.inequalities.append(
            (
                {_key(callout, "new members", area=area): 1.0, _key(callout, "eligible", area=area): -1.0},
                None,
                0.0,
            )
        )
    if (pack / "quotas.csv").exists():
        _quota_facts(model, _rows(pack / "quotas.csv"), callout, areas)


def _quota_facts(model: Model, quotas: list[dict], callout: int, areas: set[str]) -> None:
    """Quotas the drawn panel met: per nation with (printed, non-zero) eligible applicants, a
    minimum; per region (the English regions and the three other nations), a maximum."""
    nations = {norm(n) for n in reference.NATION_ORDER}
    for q in quotas:
        if q.get("met_by_drawn_panel", "").strip().lower() != "true":
            continue
        if q["rule"] == "min_per_nation" and q.get("min"):
            for area in areas & nations:
                got = model.published.get(_key(callout, "eligible", area=area))
                if got and got[0] > 0:
                    model.inequalities.append(
                        ({_key(callout, "new members", area=area): 1.0}, float(q["min"]), None)
                    )
        if q["rule"] == "max_per_region" and q.get("max"):
            for area in areas - {norm(reference.ENGLAND)}:
                model.inequalities.append(
                    ({_key(callout, "new members", area=area): 1.0}, None, float(q["max"]))
                )


def landing_texts(reports_root: Path) -> dict[str, str]:
    """The site's landing page as plain text (it is read with every year's documents)."""
    page = reports_root / "index.html"
    return {"reports/index.html": page_text(page)} if page.exists() else {}
