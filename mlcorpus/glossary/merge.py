"""Merging imported terms into a glossary, with a report of what happened.

An incoming entry for a new concept is added; one that agrees with an
existing entry (same English and Russian term) only contributes its new
variants and deprecated renderings; one that disagrees is a *conflict* and
is left out unless ``overwrite`` is set, so an import never silently changes
a term the team has settled on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mlcorpus.glossary.model import LIST_COLUMNS, Entry, Glossary
from mlcorpus.wording import plural


@dataclass
class MergeReport:
    added: list[Entry] = field(default_factory=list)
    merged: list[Entry] = field(default_factory=list)
    unchanged: list[Entry] = field(default_factory=list)
    #: (incoming, existing) pairs with different translations
    conflicts: list[tuple[Entry, Entry]] = field(default_factory=list)
    overwritten: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.merged)} merged, "
            f"{len(self.unchanged)} unchanged, {plural(len(self.conflicts), 'conflict')}"
            + (f" ({len(self.overwritten)} overwritten)" if self.overwritten else "")
            + (f", {len(self.skipped)} skipped (empty term)" if self.skipped else "")
        )


def _union(old: list[str], new: list[str], exclude: set[str]) -> list[str]:
    seen = {v.casefold() for v in old} | exclude
    out = list(old)
    for value in new:
        if value.casefold() not in seen:
            out.append(value)
            seen.add(value.casefold())
    return out


def merge_entries(
    glossary: Glossary, incoming: list[Entry], *, overwrite: bool = False
) -> MergeReport:
    """Merge *incoming* into *glossary* in place (row order kept, new rows
    appended in import order)."""
    report = MergeReport()
    for new in incoming:
        if not new.en.strip() or not new.ru.strip():
            report.skipped.append(new)
            continue
        old = glossary.find(new.en)
        if old is None:
            glossary.add(new)
            report.added.append(new)
            continue
        if old.ru.casefold() != new.ru.casefold():
            report.conflicts.append((new, old))
            if not overwrite:
                continue
            old.ru_variants = [v for v in old.ru_variants if v.casefold() != new.ru.casefold()]
            old.ru = new.ru
            report.overwritten.append(old)
        before = old.snapshot()
        for column in LIST_COLUMNS:
            exclude = {old.en.casefold(), old.ru.casefold()}
            setattr(old, column, _union(getattr(old, column), getattr(new, column), exclude))
        if new.note and new.note not in old.note:
            old.note = f"{old.note} {new.note}".strip()
        for column, value in new.extra.items():
            if value and not old.extra.get(column):
                old.extra[column] = value
                if column not in glossary.columns:
                    glossary.columns.append(column)
        old.case_sensitive = old.case_sensitive or new.case_sensitive
        if any(o is old for o in report.overwritten):
            continue
        (report.merged if old.snapshot() != before else report.unchanged).append(old)
    return report
