"""The attacker's verdict on a model: conflicts, flags, and every hidden cell (a count or a £ figure)
whose feasible interval over everything published gives it away."""

from __future__ import annotations

from attacker_lp import intervals, weakness
from attacker_model import Model, equations
from attacker_money import MONEY, money_weakness


def judge(model: Model, min_count: int, percent: float) -> list[str]:
    """The model's conflicts and flags, and every hidden cell its LP intervals give away."""
    problems = [f"same cell printed with two values: {c}" for c in model.conflicts]
    problems += sorted(set(model.flags))
    published = {k: v for k, (v, _) in model.published.items()}
    unknown = {k for k in model.hidden if k not in published}
    bounds = intervals(published, unknown, equations(model), model.inequalities)
    for key, places in sorted(model.hidden.items(), key=repr):
        if key in published:
            why = f"printed as {published[key]:g} in {model.published[key][1]}"
        elif key[1] == MONEY:
            why = money_weakness(*bounds[key], percent)
        else:
            why = weakness(*bounds[key], min_count, percent)
        if why:
            problems.extend(f"{where}: {why}" for where in places)
    return problems
