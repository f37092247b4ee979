"""cip-analysis: the analysis behind Citizens In Power's research and policy briefs."""

__version__ = "0.1.0"
