"""The benchmark's report: issue 17's targets, the checks against them, and the Markdown table.

The whole runs' targets are ratios to their floor (benchmarks/floor.py): the issue's first
"5x and 6x one cell" are below the floor itself on this machine class (the four analyses alone
in one process took 5.3-6.1x one cell, and typesetting the documents about doubles that), so
they were restated against a floor that includes the documents, as the issue allows. The
rerun's target is a ratio to the one-cell papermill run.
"""

from __future__ import annotations

# Issue 17's targets (median of 3 on 2 cores). A run has two cores where the floor has one, so the
# notebooks, kernels and hand-offs may add at most a quarter to the floor's work (first measured
# at 0.84-1.00x, 30 November 2026).
SAMPLE_FLOOR_TARGET = 1.25
CALLOUT_FLOOR_TARGET = 1.25
RERUN_RATIO_TARGET = 1.5
LARGE_TARGET_S = 60.0
LARGE_MEMORY_TARGET_MIB = 1536
BRIEF_TARGET_S = 2.0


def check(name: str, seconds: float | None, value: str, target: str, met: bool) -> dict:
    return {"name": name, "seconds": seconds, "value": value, "target": target, "met": met}


def checks(scenarios: list[dict], stages: list[dict], one_cell: float, brief: dict) -> list[dict]:
    """Issue 17's table, then each stage benchmark's own target."""
    found = []
    floor_targets = {
        "sample": ("whole 2024 sample run", SAMPLE_FLOOR_TARGET),
        "500-applicant callout": ("500-applicant callout", CALLOUT_FLOOR_TARGET),
    }
    for s in scenarios:
        if s["scenario"] in floor_targets:
            name, target = floor_targets[s["scenario"]]
            floor = s["floor"]
            found.append(
                check(
                    name,
                    s["whole_run_s"],
                    f"{s['whole_run_s']:.1f} s = {s['floor_ratio']:.2f}× its floor "
                    f"({floor['work_s']:.1f} s; {s['whole_run_s'] / one_cell:.1f}× one cell)",
                    f"≤ {target:g}× the floor",
                    s["floor_ratio"] <= target,
                )
            )
            found.append(
                check(
                    f"{name}: the floor published the same files",
                    None,
                    "byte-identical"
                    if floor["same_outputs"]
                    else f"differ: {', '.join(floor['outputs_differ'][:4])}",
                    "byte-identical",
                    floor["same_outputs"],
                )
            )
        if s["scenario"] == "sample, rerun with nothing changed":
            times = s["whole_run_s"] / one_cell
            found.append(
                check(
                    "rerun with nothing changed",
                    s["whole_run_s"],
                    f"{s['whole_run_s']:.1f} s = {times:.2f}× one cell",
                    f"≤ {RERUN_RATIO_TARGET:g}× one cell",
                    times <= RERUN_RATIO_TARGET,
                )
            )
        if "outputs_changed" in s:
            changed = s["outputs_changed"]
            found.append(
                check(
                    "rerun outputs byte-identical",
                    None,
                    f"{s['outputs_compared'] - len(changed)} of {s['outputs_compared']} identical"
                    + (
                        f" (differ: {', '.join(changed[:4])}{' …' if len(changed) > 4 else ''})"
                        if changed
                        else ""
                    ),
                    "all identical",
                    not changed,
                )
            )
        if s["applicants"] == 10000:
            found.append(
                check(
                    "whole run, 10,000 applicants",
                    s["whole_run_s"],
                    f"{s['whole_run_s']:.1f} s",
                    f"≤ {LARGE_TARGET_S:.0f} s",
                    s["whole_run_s"] <= LARGE_TARGET_S,
                )
            )
            found.append(
                check(
                    "peak memory, 10,000 applicants",
                    None,
                    f"{s['peak_memory_mib']:.0f} MiB",
                    f"≤ {LARGE_MEMORY_TARGET_MIB} MiB",
                    s["peak_memory_mib"] <= LARGE_MEMORY_TARGET_MIB,
                )
            )
    found.append(
        check(
            "publish one brief, HTML + PDF (warm process, median)",
            brief["seconds"],
            f"{brief['seconds']:.2f} s ({', '.join(f'{x:.2f}' for x in brief['runs'])})",
            f"≤ {BRIEF_TARGET_S:.0f} s",
            brief["seconds"] <= BRIEF_TARGET_S,
        )
    )
    for b in stages:
        found.append(
            check(b["name"], b["seconds"], f"{b['seconds']:.2f} s", f"≤ {b['target_seconds']:g} s", b["met"])
        )
    return found


def ratio(seconds: float | None, one_cell: float) -> str:
    return "" if seconds is None else f"{seconds / one_cell:.2f}×"


def markdown(result: dict) -> str:
    one = result["one_cell_papermill_s"]
    lines = [
        f"# Benchmarks ({result['when']})",
        "",
        f"Machine: {result['machine']}",
        "",
        f"Reference: a one-cell papermill run took {one:.2f} s (median of "
        f"{', '.join(f'{x:.2f}' for x in result['one_cell_runs_s'])}); '× one cell' is a time divided by it.",
        "",
        "| check | value | × one cell | target | met |",
        "| --- | --- | --- | --- | --- |",
    ]
    speed = result.get("machine_speed_s", {})
    if speed:  # before the reference line: how fast the machine was while the bench ran
        lines[4:4] = [
            "Machine speed (a fixed pure-Python loop; lower is faster): "
            + "; ".join(f"{when} {', '.join(f'{x:.2f}' for x in runs)} s" for when, runs in speed.items()),
            "",
        ]
    lines += [
        f"| {c['name']} | {c['value']} | {ratio(c['seconds'], one)} | {c['target']} | "
        f"{'yes' if c['met'] else '**no**'} |"
        for c in result["checks"]
    ]
    lines += [
        "",
        "| scenario | eligible | whole run (s) | × one cell | runs (s) | peak memory (MiB) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {s['scenario']} | {s.get('eligible') or ''} | {s['whole_run_s']:.1f} | {ratio(s['whole_run_s'], one)} | "
        f"{', '.join(f'{x:.1f}' for x in s['whole_runs_s'])} | {s['peak_memory_mib']:.0f} |"
        for s in result["scenarios"]
    ]
    for s in result["scenarios"]:
        if "floor" not in s:
            continue
        f = s["floor"]
        lines += [
            "",
            f"Floor, {s['scenario']} (benchmarks/floor.py: ingest, the four `analyse()` functions, the whole "
            f"publication's check ({f['joint_rounds']} joint round(s)), the downloads and the five documents, in "
            f"one Python process without notebooks): {f['work_s']:.1f} s of work "
            f"({', '.join(f'{x:.1f}' for x in f['runs_work_s'])}; {ratio(f['work_s'], one)} one cell), "
            f"{f['floor_s']:.1f} s from launch to exit; compute {f['compute_s']:.1f} s, publication "
            f"{f['publication_s']:.1f} s. Its published files were "
            f"{'byte-identical to the run' + chr(39) + 's' if f['same_outputs'] else 'NOT the same as the run' + chr(39) + 's'}. "
            f"Each run against the floor measured after it: median {s['floor_ratio']:.2f}×.",
        ]
    lines += [
        "",
        "Whole run: the median of the runs listed. Stages, seconds (× one cell):",
        "",
        "| stage | " + " | ".join(s["scenario"] for s in result["scenarios"]) + " |",
        "| --- |" + " --- |" * len(result["scenarios"]),
    ]
    stages = list(dict.fromkeys(k for s in result["scenarios"] for k in s["stages_s"]))
    for stage in stages:
        cells = []
        for s in result["scenarios"]:
            v = s["stages_s"].get(stage)
            cells.append("" if v is None else f"{v:.2f} ({ratio(v, one)})")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
