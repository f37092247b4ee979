"""cip-analysis: the analysis behind Citizens In Power's research and policy briefs."""

import sys

__version__ = "0.1.0"

# jsonschema (through nbformat, papermill and nbconvert) imports `rfc3987_syntax` when it is
# installed (jupyter-events' extra pulls it in) to check "iri" strings, and that import builds a
# grammar parser: 2.9 s of CPU in every process and kernel of a run, more than most notebooks
# compute. No schema the project validates uses the "iri" format, and jsonschema does without
# the checker when the import fails, so the package declines it (tests/test_environment.py).
sys.modules.setdefault("rfc3987_syntax", None)
