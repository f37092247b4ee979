"""How a year's pages read on a 390 px phone, in Debian's chromium (issue 16: a clipped caption).

`phone_problems(paths)`: for each HTML page at 390 px, the page must not scroll sideways (wide
tables scroll inside their block, with a shadow at the edge saying there is more), and every table
caption must be wholly visible on the screen, not carried off with the table it names.
`screen_problems(paths)`: at 1280 px no chart is squeezed beside a table (it shows at its own
width, or the column's). Each returns a list of problems; empty means it passed.
"""

from __future__ import annotations

from pathlib import Path

from publish_checks import CHROMIUM, CHROMIUM_ARGS

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

_MEASURE = """() => {
  const width = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > width + 1) out.push(`page scrolls sideways (${document.documentElement.scrollWidth} px)`);
  for (const caption of document.querySelectorAll('caption')) {
    const box = caption.getBoundingClientRect();
    if (box.left < -1 || box.right > width + 1) out.push(`caption off screen: ${caption.textContent.slice(0, 60)}`);
  }
  for (const block of document.querySelectorAll('.table-block')) {
    if (block.scrollWidth > block.clientWidth + 1 && !getComputedStyle(block).backgroundImage.includes('radial-gradient'))
      out.push(`a table wider than the screen has no scroll cue: ${block.querySelector('caption')?.textContent.slice(0, 60)}`);
  }
  return out;
}"""

_SQUEEZED = """() => [...document.querySelectorAll('figure.chart img')]
  .filter(img => img.getBoundingClientRect().width < Math.min(img.naturalWidth, img.parentElement.clientWidth) - 1)
  .map(img => `chart shown at ${Math.round(img.getBoundingClientRect().width)} px of its ${img.naturalWidth}: ${img.alt.slice(0, 60)}`)"""


def phone_problems(paths: list[Path]) -> list[str]:
    return _problems(paths, PHONE, _MEASURE)


def screen_problems(paths: list[Path]) -> list[str]:
    return _problems(paths, DESKTOP, _SQUEEZED)


def _problems(paths: list[Path], viewport: dict, measure: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport=viewport)
            context.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort()
            )
            page = context.new_page()
            for path in paths:
                page.goto(Path(path).resolve().as_uri(), wait_until="load")
                problems += [f"{Path(path).name}: {p}" for p in page.evaluate(measure)]
        finally:
            browser.close()
    return problems
