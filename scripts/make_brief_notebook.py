"""Write notebooks/05_policy_brief.ipynb (clean: no outputs, no kernelspec).

Kept as a script so the notebook's structure is reviewable as code; rerun after editing.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]

cells = [
    new_markdown_cell(
        "# Policy brief\n\n"
        "The annual brief for officials and funders. It is assembled from the findings the four analysis "
        "notebooks saved (run them first, or run the whole year with `cip-analysis run --year YEAR`). "
        "Every number arrives through code from the protected tables; nothing is typed here. "
        "Code cells are left out of the published brief.",
        metadata={"tags": ["remove-cell"]},
    ),
    new_code_cell(
        'year = 2024\nconfig_path = ""\nprocessed_dir = ""\noutput_dir = ""\nsynthetic = True',
        metadata={"tags": ["parameters"]},
    ),
    new_code_cell(
        "from analysis import brief as policy_brief\n"
        "from analysis.context import open_run\n\n"
        "ctx = open_run(year, config_path, processed_dir, output_dir, synthetic)\n"
        "brief = policy_brief.load_brief(ctx)",
        metadata={"tags": ["remove-cell"]},
    ),
    new_code_cell("policy_brief.show_opening(brief)"),
    new_code_cell("policy_brief.show_sections(brief)"),
    new_code_cell("policy_brief.show_about_statistics(brief)"),
]

nb = new_notebook(
    cells=cells,
    metadata={
        "title": "Citizen-led decision-making in the UK cultural sector: policy brief",
        "language_info": {"name": "python"},
    },
)
nbformat.write(nb, ROOT / "notebooks" / "05_policy_brief.ipynb")
print("wrote notebooks/05_policy_brief.ipynb")
