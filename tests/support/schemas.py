"""Validation against the official schemas in ``../shared/schemas`` with the
real validators: xmllint (Debian libxml2-utils) for DTD, XSD and RelaxNG, and
the TBX-Basic Schematron rules evaluated with lxml.

The TBX-Basic Schematron declares ``queryBinding="xslt2"``, which neither
xmllint nor lxml's ISO Schematron (XSLT 1) compiles.  Its rules only use XPath
1.0 plus ``matches()`` and the XPath 2 step ``./local-name()``, so
:func:`schematron_errors` runs them directly: ``matches`` is registered as a
regular-expression extension function and ``./local-name()`` is read as
``local-name()``; each node fires only the first rule of a pattern whose
context matches it, as Schematron specifies; a rule on an attribute
(``tbx:admin/@type``) is tested on its element with ``.`` read as the attribute.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SCHEMAS = Path(__file__).resolve().parents[2].parent / "shared" / "schemas"
SCH = "{http://purl.oclc.org/dsdl/schematron}"


def schema(name: str) -> Path:
    """The path of a schema file; skips the test when it or xmllint is missing."""
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"schema {name} is not available in ../shared/schemas")
    if shutil.which("xmllint") is None:
        pytest.skip("xmllint is not installed (Debian package libxml2-utils)")
    return path


def xmllint(path: Path | str, how: str, name: str) -> str:
    """Validate *path* with ``xmllint --noout --<how> SCHEMA``; returns the
    output on failure (an empty string when the file validates)."""
    result = subprocess.run(
        ["xmllint", "--noout", f"--{how}", str(schema(name)), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode == 0:
        return ""
    return (result.stderr or result.stdout)[-3000:]


def schematron_errors(path: Path | str, name: str = "TBX-Basic_DCA.sch") -> list[str]:
    """The failed assertions of the Schematron *name* on *path*."""
    etree = pytest.importorskip("lxml.etree")
    sch_path = SCHEMAS / name
    if not sch_path.is_file():
        pytest.skip(f"schema {name} is not available in ../shared/schemas")
    ns = etree.FunctionNamespace(None)
    ns["matches"] = lambda _ctx, value, pattern: re.search(pattern, _text(value)) is not None
    sch = etree.parse(str(sch_path))
    prefixes = {n.get("prefix"): n.get("uri") for n in sch.iter(f"{SCH}ns")}
    doc = etree.parse(str(path))
    errors = []
    for pattern in sch.iter(f"{SCH}pattern"):
        fired: set = set()
        for rule in pattern.iter(f"{SCH}rule"):
            context = rule.get("context").replace("./local-name()", "local-name()")
            attribute = None
            if "/@" in context:  # lxml gives attribute values, not nodes: test on the owner
                context, attribute = context.split("/@")
                context += f"[@{attribute}]"
            for node in doc.xpath(f"//{context}", namespaces=prefixes):
                if (node, attribute) in fired:
                    continue
                fired.add((node, attribute))
                for check in rule.iter(f"{SCH}assert"):
                    test = check.get("test").replace("./local-name()", "local-name()")
                    if attribute:
                        test = re.sub(r"(?<![\w@/])\.(?=\s*[=!])", f"@{attribute}", test)
                    if not node.xpath(f"boolean({test})", namespaces=prefixes):
                        line = getattr(node, "sourceline", "?")
                        errors.append(f"line {line}: {' '.join(check.text.split())}")
    return errors


def _text(value: object) -> str:
    if isinstance(value, list):
        return "".join(str(v) for v in value[:1])
    return str(value)
