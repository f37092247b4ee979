"""`python -m analysis` is the same as the `cip-analysis` command."""

from analysis.cli import main

raise SystemExit(main())
