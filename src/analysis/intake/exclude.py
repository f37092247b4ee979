"""Responses staff exclude on purpose (`[inputs] exclude_responses`): test rows, known junk.

A rule names an input and a spreadsheet row (optionally with that row's submission timestamp, so
a re-export that shifted the rows is caught), a timestamp alone, or a pattern in the organisation
name such as "TEST - please ignore". Each excluded row is rejected with the rule's number and
reason, never with the row's typed text. Imports only intake's fields module.
"""

from __future__ import annotations

import pandas as pd

from analysis.intake.fields import fold


def exclusions(
    rules: list[dict], table: str, names: pd.Series | None, stamps: pd.Series | None
) -> tuple[dict[int, str], list[tuple[str, bool]]]:
    """({row: reason} to reject, [(problem, stops)]): rows are spreadsheet rows (the index).

    A rule that matches nothing is worth a warning; one that cannot be applied as written stops.
    """
    index = names.index if names is not None else (stamps.index if stamps is not None else pd.Index([]))
    out: dict[int, str] = {}
    problems: list[tuple[str, bool]] = []
    for n, rule in enumerate(rules, start=1):
        if rule.get("input") != table:
            continue
        where = f"inputs.exclude_responses rule {n}"
        reason = f"excluded by {where}: {rule.get('reason', 'excluded in the settings')}"
        hits = pd.Series(True, index=index)
        if "row" in rule:
            hits &= index == int(rule["row"])
        if "timestamp" in rule:
            if stamps is None:
                problems.append((f"{where} gives a timestamp, but this input has none", True))
                continue
            same = stamps.astype("string").str.strip().eq(str(rule["timestamp"]).strip()).fillna(False)
            if "row" in rule and hits.any() and not (hits & same).any():
                problems.append(
                    (
                        f"{where}: row {rule['row']} does not have the rule's timestamp, so the "
                        "export's rows have moved; correct the rule's row or timestamp",
                        True,
                    )
                )
                continue
            hits &= same
        if "name_contains" in rule:
            if names is None:
                problems.append(
                    (f"{where} gives a name pattern, but this input has no organisation name", True)
                )
                continue
            pattern = fold(rule["name_contains"])
            hits &= pd.Series([pattern in fold(v) for v in names.fillna("")], index=index, dtype=bool)
        if not hits.any():
            problems.append((f"{where} matches no row of this input", False))
        for row in hits[hits].index:
            out.setdefault(int(row), reason)
    return out, problems
