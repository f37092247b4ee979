"""HTML building blocks shared by the notebook outputs, the exporter and the end matter.

Escaping and the names of the metadata block and banner. Imports nothing else from
`analysis.publish` and nothing heavy: every notebook kernel loads it through `display`, so
Markdown rendering (which pulls in nbconvert, about 3 s of imports) lives in
`analysis.publish.markdown`, used only when documents are built.
"""

from __future__ import annotations

import html

META = "cip"  # key of our block in notebook and output metadata
BANNER_TEXT = "SYNTHETIC SAMPLE DATA – NOT REAL FINDINGS"


def esc(text) -> str:
    return html.escape(str(text), quote=True)
