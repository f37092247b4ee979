"""`python -m analysis.synthetic`: rewrite the bundled sample, or write one benchmark callout."""

from analysis.synthetic.writer import main

if __name__ == "__main__":
    raise SystemExit(main())
