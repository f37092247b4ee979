"""Hand-made publication plans for the plan's tests: a nations table under one population."""

from __future__ import annotations

from analysis.disclosure.plan import PublicationPlan, cell_key

UK = "UK applicants"


def nations(plan: PublicationPlan, values: dict, place: str = "t1") -> None:
    """A nations table: each nation's count (None: hidden) and a UK total that is their sum."""
    for nation, value in values.items():
        plan.add(cell_key(UK, {"area": nation} if nation != "UK" else {}), value, place)
    plan.add_sum(cell_key(UK), [cell_key(UK, {"area": n}) for n in values if n != "UK"])
