"""Human-readable views of scores: plain and Markdown tables, CSV, segment files,
and a self-contained HTML report.  Renderers take a
:class:`~mlcorpus.metrics.ScoreReport` and return text; they never compute
scores themselves."""
