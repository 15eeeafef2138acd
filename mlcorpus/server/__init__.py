"""``mlcorpus serve``: the translation API and the browser workbench.

Installed with the ``server`` extra (Starlette, uvicorn, Jinja2); nothing
here is imported by ``import mlcorpus`` or ``mlcorpus --help``.
"""
