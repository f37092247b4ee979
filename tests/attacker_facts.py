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
_V = r"(\d[\d,]*|\[c\]|[Ff]ewer than \d+)"  # a count as a sentence gives it
# stage of the callout's flow -> how a sentence states it
_STAGES = {
    "received": rf"callout export held {_V} responses",
    "removed": rf"{_V} responses were earlier versions replaced by a later amendment from the same organisation "
    r"or could not be used",
    "superseded": rf"{_V} responses were earlier versions replaced by a later amendment from the same "
    r"organisation(?! or could not be used)",
    "unusable": rf"{_V} responses could not be used",
    APPLIED: rf"{_V} organisations applied|leaving {_V} organisations",
    "consenting": rf"of the {_V} applicants who agreed to their answers being used for research",
    "region from the form": rf"{_V} postcodes could not be matched to a place, so the region the organisation chose",
    "no consent": rf"{_V} organisations did not agree to their answers being used for research",
    "outside the uk": rf"{_V} organisations were outside the UK \(Channel Islands or Isle of Man\)",
}
_ANALYSED = (
    rf"\bthe {_V} UK-based organisations that agreed to research use"
    rf"|{_V} applicant organisations in the UK agreed to their answers being used for research"
)
# a stage a sentence states that is also a row of the location checks (row label starts so)
_CHECK_ROWS = {
    "no consent": "left out: did not agree",
    "outside the uk": "left out of uk figures: channel islands",
}


def _key(year: int, pop: str, **dims) -> tuple:
    return (year, pop, frozenset(dims.items()))


def see_stated(model: Model, key, value: str, where: str) -> None:
    """A count as a sentence states it: a number, `[c]`, or "fewer than N" (hidden, at most N − 1)."""
    few = re.fullmatch(r"[Ff]ewer than (\d+)", value)
    if few:
        model.hidden[key].append(where)
        model.inequalities.append(({key: 1.0}, None, float(int(few.group(1)) - 1)))
    else:
        model.see(key, value, where)


def population_facts(model: Model, text: str, document: str, callout: int) -> None:
    """Counts of the callout's populations that sentences state (see the module docstring)."""
    for stage, pattern in _STAGES.items():
        for m in re.finditer(pattern, text):
            value = next(g for g in m.groups() if g)
            key = _key(callout, "applications", stage=stage)
            see_stated(model, key, value, f"{document} | sentence | {m.group(0)}")
    for m in re.finditer(_ANALYSED, text):
        value = next(g for g in m.groups() if g)
        see_stated(model, _key(callout, "uk applicants"), value, f"{document} | sentence | {m.group(0)}")


def _checks(model: Model, callout: int, prefix: str) -> list[tuple]:
    keys = set(model.published) | set(model.hidden)
    return [
        k
        for k in keys
        if k[0] == callout and k[1] == "location checks" and dict(k[2]).get("check", "").startswith(prefix)
    ]


def _equal(model: Model, plus: list, minus: list) -> None:
    eq: dict = {}
    for k in plus:
        eq[k] = eq.get(k, 0.0) + 1.0
    for k in minus:
        eq[k] = eq.get(k, 0.0) - 1.0
    model.inequalities.append((eq, 0.0, 0.0))


def population_relations(model: Model, callout: int) -> None:
    """How the stated populations add up: received = removed + applied, removed = superseded +
    unusable; applied = analysed + the checks' "Left out" rows = consenting + did not agree; a
    stage a sentence states is its check row; the postcodes sentence is its rows' sum."""
    stage = {s: _key(callout, "applications", stage=s) for s in (*_STAGES, "analysed")}
    stage["analysed"] = _key(callout, "uk applicants")
    _equal(model, [stage["received"]], [stage["removed"], stage[APPLIED]])
    _equal(model, [stage["removed"]], [stage["superseded"], stage["unusable"]])
    _equal(model, [stage["received"]], [stage["superseded"], stage["unusable"], stage[APPLIED]])
    left_out = _checks(model, callout, "left out")
    if left_out:
        _equal(model, [stage[APPLIED]], [stage["analysed"], *left_out])
    for name, prefix in _CHECK_ROWS.items():
        for row in _checks(model, callout, prefix):
            _equal(model, [stage[name]], [row])
    no_consent = _checks(model, callout, _CHECK_ROWS["no consent"])
    if no_consent:
        _equal(model, [stage[APPLIED]], [stage["consenting"], *no_consent])
    from_form = _checks(model, callout, "region taken from the form")
    if from_form:
        _equal(model, from_form, [stage["region from the form"]])


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
