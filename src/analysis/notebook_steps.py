"""The run's notebooks, the document each publishes, and which notebooks each one reads.

Kept apart from running them (analysis.notebook_runs) so that a kernel publishing a document
learns the year's documents without loading papermill.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotebookStep:
    name: str  # notebooks/<name>.ipynb
    output: str  # file stem under reports/<year>/, may hold {year}
    after: tuple[str, ...] = ()  # notebooks whose findings this one reads


NOTEBOOKS = (
    NotebookStep("03_selection", "appendix-3-selection"),
    NotebookStep("02_organisational_readiness", "appendix-2-organisational-readiness"),
    NotebookStep("04_member_outcomes", "appendix-4-member-outcomes"),
    NotebookStep("01_applicant_geography", "appendix-1-applicant-geography"),  # reads the roster, not 03
    NotebookStep(
        "05_policy_brief",
        "policy-brief-{year}",
        after=("01_applicant_geography", "02_organisational_readiness", "03_selection", "04_member_outcomes"),
    ),
)
