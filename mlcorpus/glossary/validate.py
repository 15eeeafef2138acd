"""Checks on glossary content, reported with line numbers.

Errors make a glossary unusable (a term without a translation, two rows for
the same term that disagree); warnings point at likely mistakes that do not
stop translation (a deprecated rendering equal to an accepted one).
"""

from __future__ import annotations

from dataclasses import dataclass

from mlcorpus.errors import InputError
from mlcorpus.glossary.model import Entry

TRUE_WORDS = {"true", "yes", "1", "y", "t"}
FALSE_WORDS = {"false", "no", "0", "n", "f", ""}


@dataclass(frozen=True)
class Issue:
    """One finding: ``level`` is ``error`` or ``warning``."""

    line: int | None
    level: str
    message: str

    def format(self, name: str) -> str:
        where = f"{name}: line {self.line}" if self.line else name
        return f"{where}: {self.level}: {self.message}"


def parse_bool(value: str) -> bool | None:
    """``true/false`` (also yes/no, 1/0, empty = false); None if unreadable."""
    word = value.strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def check_entries(entries: list[Entry]) -> list[Issue]:
    """Empty terms, duplicate and conflicting rows, self-contradicting cells."""
    issues: list[Issue] = []
    seen: dict[str, Entry] = {}
    for entry in entries:
        if not entry.en.strip():
            issues.append(Issue(entry.line, "error", "empty English term (column 'en')"))
        if not entry.ru.strip():
            issues.append(
                Issue(entry.line, "error", f"empty Russian term for {entry.en!r} (column 'ru')")
            )
        if not entry.en.strip() or not entry.ru.strip():
            continue
        previous = seen.get(entry.key())
        if previous is not None:
            where = f" (first on line {previous.line})" if previous.line else ""
            if previous.ru.casefold() == entry.ru.casefold():
                issues.append(
                    Issue(entry.line, "error", f"duplicate entry for {entry.en!r}{where}")
                )
            else:
                issues.append(
                    Issue(
                        entry.line,
                        "error",
                        f"conflicting entry for {entry.en!r}: {entry.ru!r} here, "
                        f"{previous.ru!r}{where}",
                    )
                )
        else:
            seen[entry.key()] = entry
        accepted = {t.casefold() for t in entry.terms("ru")}
        for bad in entry.ru_deprecated:
            if bad.casefold() in accepted:
                issues.append(
                    Issue(
                        entry.line,
                        "warning",
                        f"{bad!r} is both accepted and deprecated for {entry.en!r}",
                    )
                )
        for term in entry.terms("ru"):
            if _latin_only(term):
                issues.append(
                    Issue(
                        entry.line,
                        "warning",
                        f"Russian term {term!r} for {entry.en!r} has no Cyrillic letters",
                    )
                )
        for cell in (
            *entry.terms("en"),
            *entry.terms("ru"),
            *entry.ru_deprecated,
            *entry.en_deprecated,
        ):
            if not cell.strip():
                issues.append(
                    Issue(
                        entry.line,
                        "warning",
                        f"empty value between '|' separators for {entry.en!r}",
                    )
                )
                break
    return issues


def _latin_only(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return bool(letters) and not any("\u0400" <= c <= "\u04ff" for c in letters)


def check_columns(columns: list[str], line: int | None = None) -> list[Issue]:
    """A warning for each column mlcorpus does not use (kept, but maybe a typo
    or an imported column nobody asked for)."""
    from mlcorpus.glossary.model import KNOWN_COLUMNS

    return [
        Issue(line, "warning", f"column {name!r} is not one mlcorpus uses; it is kept as is")
        for name in columns
        if name not in KNOWN_COLUMNS
    ]


def raise_for_errors(issues: list[Issue], name: str) -> None:
    """Raise :class:`InputError` naming the first error (and how many more)."""
    errors = [issue for issue in issues if issue.level == "error"]
    if errors:
        more = (
            f" (and {len(errors) - 1} more {'error' if len(errors) == 2 else 'errors'}; "
            "run 'mlcorpus glossary validate')"
            if len(errors) > 1
            else ""
        )
        first = errors[0]
        raise InputError(first.format(name).replace(": error: ", ": ", 1) + more)
