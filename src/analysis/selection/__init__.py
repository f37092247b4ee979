"""The selection of 6-12 network members: a transparent, fair and reproducible modified lottery.

Design: ../shared/design/SELECTION.md; issue 7. Public API:
- `SelectionError` (ValueError): the selection cannot go ahead; plain-English message with the fix.
- `select(applicants, config) -> SelectionResult`: pure computation, no files.
- `run_selection(ctx, *, names_path=None) -> SelectionResult`: select, then write the audit pack
  (`ctx.audit_dir`) and the restricted outputs (`ctx.restricted_dir / "selection"`).
- `verify_selection(config, processed_dir, audit_dir) -> (identical, differences)`; `verify(...)`
  also returns the second-seed and cross-method checks (`crosscheck`), which a run leaves out.
- `draw_for_year(applicants, config, year, output_dir)`: compute in the draw year, later years load
  the draw from its audit pack after checking its fingerprints (`stored`).
- `analyse(ctx, result=None) -> Findings` (area "selection"); `results(ctx, result=None)` adds
  the draw and the named frames behind the findings (`report`), built from the protected tables
  (`tables`) and the sentences (`text`).
"""

from analysis.selection.audit import (  # noqa: F401
    Verification,
    audit_files,
    verification_note,
    verify,
    verify_selection,
    write_audit_pack,
)
from analysis.selection.eligibility import REASONS, assess_eligibility  # noqa: F401
from analysis.selection.explain import write_restricted  # noqa: F401
from analysis.selection.lottery import SelectionResult, select  # noqa: F401
from analysis.selection.report import Results, analyse, results, run_selection  # noqa: F401
from analysis.selection.rules import SelectionError, SelectionRules, config_fingerprint  # noqa: F401
from analysis.selection.stored import draw_for_year, load_draw  # noqa: F401
