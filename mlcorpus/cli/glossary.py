"""``mlcorpus glossary``: edit, convert, validate and apply a terminology glossary."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mlcorpus.cli import common
from mlcorpus.cli.common import F, encoding_option, format_option, lang_pair_options, output_option
from mlcorpus.cli.vocabulary import Alias, Group, vocab_option
from mlcorpus.wording import plural

if TYPE_CHECKING:
    from mlcorpus.glossary.model import Glossary

DEFAULT_GLOSSARY = "glossary/migration.en-ru.tsv"


def glossary_option(required: bool = False) -> Callable[[F], F]:
    return common.glossary_option(
        "Glossary TSV file"
        + ("." if required else " (default: $MLCORPUS_GLOSSARY or the project glossary)."),
        default=None if required else os.environ.get("MLCORPUS_GLOSSARY", DEFAULT_GLOSSARY),
        dest="glossary_path",
        required=required,
        show_default=not required,
    )


def _src_hyp_options(fn: F) -> F:
    fn = vocab_option(
        "system output",
        "hyp",
        required=True,
        type=str,
        help="Translation, line-aligned with --src.",
    )(fn)
    return vocab_option(
        "source text", "src", required=True, type=str, help="Source text, one segment per line."
    )(fn)


def _load(path: str) -> Glossary:
    from mlcorpus.errors import InputError
    from mlcorpus.glossary import load_glossary

    if not os.path.exists(path):
        raise InputError(
            f"{path}: no such glossary file; name one with -g FILE or set $MLCORPUS_GLOSSARY"
        )
    return load_glossary(path)


def _load_or_new(path: str) -> Glossary:
    from mlcorpus.glossary.model import Glossary

    if not os.path.exists(path):
        return Glossary(path=path)
    return _load(path)


def _save(glossary: Glossary, path: str) -> None:
    from mlcorpus.glossary import save_glossary

    save_glossary(glossary, path)


@click.group("glossary", cls=Group)
def glossary_group() -> None:
    """Terminology glossary: list/add/remove/import/export/validate, and
    check or fix translations against it.

    \b
    Examples:
      mlcorpus glossary list --search migration
      mlcorpus glossary add "border guards" "пограничники" --deprecated "охранники границы"
      mlcorpus glossary import examples/terms.tbx
      mlcorpus glossary export -o migration.tbx
      mlcorpus glossary check -s examples/src.en -i examples/mt.ru --format json
      mlcorpus glossary fix -s examples/src.en -i examples/mt.ru -o fixed.ru

    The glossary is glossary/migration.en-ru.tsv unless -g FILE or
    $MLCORPUS_GLOSSARY names another.
    """


@glossary_group.command("list", aliases=(Alias("--format", "--format", {"table": "text"}),))
@glossary_option()
@click.option(
    "--search",
    default=None,
    help="Show entries containing this text (any column, case-insensitive).",
)
@format_option(["text", "tsv", "json"], "text", "text: a table for people; tsv/json for scripts.")
@encoding_option()
def list_cmd(glossary_path: str, search: str | None, fmt: str) -> None:
    """List glossary entries.

    \b
    Examples:
      mlcorpus glossary list
      mlcorpus glossary list --search trafficking --format json
    """
    from mlcorpus.glossary.io_tsv import entry_cells

    glossary = _load(glossary_path)
    entries = glossary.entries
    if search:
        needle = search.casefold()
        entries = [
            e
            for e in entries
            if any(needle in cell.casefold() for cell in entry_cells(e, glossary.columns))
        ]
    if fmt == "json":
        rows = [e.to_dict() for e in entries]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "tsv":
        click.echo("\t".join(glossary.columns))
        for entry in entries:
            click.echo("\t".join(entry_cells(entry, glossary.columns)))
    else:
        import shutil

        from mlcorpus.wording import fit_table

        table = [["en", "ru", "notes"]]
        for entry in entries:
            extra = []
            if entry.terms("en")[1:]:
                extra.append("also: " + ", ".join(entry.terms("en")[1:]))
            if entry.ru_deprecated:
                extra.append("not: " + ", ".join(entry.ru_deprecated))
            table.append([entry.en, entry.ru, "; ".join(extra)])
        for line in fit_table(table, shutil.get_terminal_size().columns):
            click.echo(line)
        click.echo(f"{len(entries)} of {plural(len(glossary), 'entry', 'entries')}", err=True)


@glossary_group.command("add")
@glossary_option()
@click.argument("en")
@click.argument("ru")
@click.option("--en-variant", multiple=True, help="Accepted English variant (repeatable).")
@click.option("--ru-variant", multiple=True, help="Accepted Russian variant (repeatable).")
@click.option(
    "--deprecated",
    multiple=True,
    help="Russian rendering to replace, dictionary form (repeatable).",
)
@click.option("--case-sensitive", is_flag=True, help="Match the English term's case exactly.")
@click.option("--note", default="", help="Usage note.")
@click.option("--force", is_flag=True, help="Replace an existing entry for EN.")
@encoding_option()
def add_cmd(
    glossary_path: str,
    en: str,
    ru: str,
    en_variant: tuple[str, ...],
    ru_variant: tuple[str, ...],
    deprecated: tuple[str, ...],
    case_sensitive: bool,
    note: str,
    force: bool,
) -> None:
    """Add the entry EN -> RU (refuses duplicates unless --force).

    \b
    Example:
      mlcorpus glossary add "voluntary return" "добровольное возвращение" \
          --en-variant "voluntary returns"
    """
    from mlcorpus.errors import InputError
    from mlcorpus.glossary.edit import validate_entry
    from mlcorpus.glossary.model import Entry

    glossary = _load_or_new(glossary_path)
    entry = Entry(
        en=en.strip(),
        ru=ru.strip(),
        en_variants=list(en_variant),
        ru_variants=list(ru_variant),
        ru_deprecated=list(deprecated),
        case_sensitive=case_sensitive,
        note=note,
    )
    validate_entry(entry, glossary.columns)
    existing = glossary.find(entry.en)
    if existing is not None and not force:
        raise InputError(
            f"{glossary_path}: {entry.en!r} is already in the glossary "
            f"(-> {existing.ru!r}); use --force to replace it"
        )
    if existing is not None:
        glossary.replace(existing, entry)
    else:
        glossary.add(entry)
    _save(glossary, glossary_path)
    click.echo(f"{'Replaced' if existing else 'Added'}: {entry.en} -> {entry.ru}", err=True)


@glossary_group.command("remove")
@glossary_option()
@click.argument("en")
@encoding_option()
def remove_cmd(glossary_path: str, en: str) -> None:
    """Remove the entry whose English term is EN.

    \b
    Example:
      mlcorpus glossary remove "voluntary return"
    """
    from mlcorpus.errors import InputError

    glossary = _load(glossary_path)
    entry = glossary.find(en)
    if entry is None:
        raise InputError(f"{glossary_path}: no entry for {en!r}")
    glossary.remove(entry)
    _save(glossary, glossary_path)
    click.echo(f"Removed: {entry.en} -> {entry.ru}", err=True)


@glossary_group.command(
    "import",
    aliases=(
        Alias("--format", "--input-format", ("auto", "tsv", "simple", "tbx")),
        Alias("--report", "--format"),
    ),
)
@glossary_option()
@click.argument("file", type=click.Path(dir_okay=False))
@vocab_option(
    "input format",
    "input_fmt",
    type=click.Choice(["auto", "tsv", "simple", "tbx"]),
    default="auto",
    show_default=True,
    help="tsv: our glossary format; simple: two-column TSV/CSV "
    "(DeepL/Google style); tbx: TBX-Basic / TBX v3.",
)
@click.option("--overwrite", is_flag=True, help="On conflict, take the imported translation.")
@click.option("--dry-run", is_flag=True, help="Report only; do not write the glossary.")
@format_option(["text", "json"], "text", "Format of the merge report (stdout).")
@encoding_option()
def import_cmd(
    glossary_path: str, file: str, input_fmt: str, overwrite: bool, dry_run: bool, fmt: str
) -> None:
    """Merge the terms of FILE into the glossary and report conflicts.

    \b
    Examples:
      mlcorpus glossary import examples/terms.csv
      mlcorpus glossary import examples/terms.tbx --dry-run --format json
    """
    from mlcorpus.glossary.io_any import read_entries
    from mlcorpus.glossary.merge import merge_entries

    entries = read_entries(file, input_fmt)
    glossary = _load_or_new(glossary_path)
    report = merge_entries(glossary, entries, overwrite=overwrite)
    if not dry_run:
        _save(glossary, glossary_path)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "added": len(report.added),
                    "merged": len(report.merged),
                    "unchanged": len(report.unchanged),
                    "overwritten": len(report.overwritten),
                    "skipped": len(report.skipped),
                    "conflicts": [
                        {"en": new.en, "existing": old.ru, "incoming": new.ru, "line": new.line}
                        for new, old in report.conflicts
                    ],
                    "written": not dry_run,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for new, old in report.conflicts:
            where = f"{file}:{new.line}: " if new.line else ""
            verdict = "took incoming" if overwrite else "kept existing"
            click.echo(
                f"conflict: {where}{new.en!r}: existing {old.ru!r}, incoming {new.ru!r} ({verdict})"
            )
        click.echo(report.summary() + ("" if not dry_run else " (dry run, nothing written)"))


@glossary_group.command("export")
@glossary_option()
@format_option(
    ["tsv", "csv", "omegat", "tbx", "tbx-v3"],
    None,
    "tsv: our format; csv: two columns, no header (DeepL/Google upload, OmegaT "
    "glossary/*.csv); omegat: source<TAB>target<TAB>comment for OmegaT's glossary/ folder; "
    "tbx: TBX-Basic in the TBX 2 martif form (OmegaT, translate-toolkit, most CAT tools); "
    "tbx-v3: TBX-Basic in TBX v3 (ISO 30042:2019) "
    "(default: from the -o extension, else tsv).",
)
@output_option()
@encoding_option()
def export_cmd(glossary_path: str, fmt: str | None, output: str | None) -> None:
    """Write the glossary as TSV (our format), two-column CSV, an OmegaT
    glossary or TBX.

    
    Examples:
      mlcorpus glossary export -o migration.tbx
      mlcorpus glossary export --format csv > deepl.csv
      mlcorpus glossary export --format omegat -o omegat-project/glossary/migration.txt
    """
    from mlcorpus.glossary.io_any import dump_glossary, export_format
    from mlcorpus.textio import open_output

    text = dump_glossary(_load(glossary_path), export_format(output, fmt))
    with open_output(output) as out:
        out.write(text)


@glossary_group.command("validate")
@glossary_option()
@encoding_option()
def validate_cmd(glossary_path: str) -> None:
    """Check the glossary file; list every problem with its line number.

    Errors (an empty term, two rows that disagree) fail the check; warnings
    (a Russian term in Latin letters, a column mlcorpus does not use) do not.

    \b
    Examples:
      mlcorpus glossary validate
      mlcorpus glossary validate -g glossary/migration.en-ru.tsv
    """
    from mlcorpus.errors import InputError
    from mlcorpus.glossary.io_tsv import load_tsv

    glossary, issues = load_tsv(glossary_path)
    for issue in issues:
        click.echo(issue.format(glossary_path))
    errors = sum(issue.level == "error" for issue in issues)
    if errors:
        raise InputError(f"{glossary_path}: {plural(errors, 'error')}")
    skipped = glossary.comment_lines()
    click.echo(
        f"{glossary_path}: {len(glossary)} entries, OK "
        f"({plural(len(issues), 'warning')}; {plural(skipped, 'comment line')} skipped), "
        f"version {glossary.version}",
        err=True,
    )


def _pair(src_lang: str | None, tgt_lang: str | None, sources: list[str]) -> tuple[str, str]:
    from mlcorpus.alphabet import detect_lang

    src = (src_lang or detect_lang("\n".join(sources[:200]))).lower()
    tgt = (tgt_lang or ("ru" if src == "en" else "en")).lower()
    return src, tgt


def _stream_inputs(
    src: str, hyp: str, src_lang: str | None, tgt_lang: str | None
) -> tuple[str, str, Iterator[tuple[str, str]]]:
    """The language pair and the (source, translation) line pairs, read side
    by side one line at a time (the pair is detected from the first lines)."""
    import itertools

    from mlcorpus.textio import iter_lines, zip_line_aligned

    if src_lang is None:
        head = list(itertools.islice(_source_lines(src), 200))
        src_lang, tgt_lang = _pair(src_lang, tgt_lang, head)
    else:
        src_lang, tgt_lang = _pair(src_lang, tgt_lang, [])
    hyps = iter(()) if hyp != "-" and Path(hyp).is_file() and not Path(hyp).stat().st_size else None
    pairs = zip_line_aligned([(src, _source_lines(src)), (hyp, hyps or iter_lines(hyp))])
    return src_lang, tgt_lang, ((s, h) for s, h in pairs)


def _source_lines(path: str) -> Iterator[str]:
    """Lines of a source file; one with no text at all is an error."""
    from mlcorpus.errors import InputError
    from mlcorpus.textio import display_name, iter_lines

    seen = False
    for line in iter_lines(path):
        seen = seen or bool(line.strip())
        yield line
    if not seen:
        raise InputError(f"{display_name(path)}: file is empty")


def _inputs(src: str, hyp: str) -> tuple[list[str], list[str]]:
    from mlcorpus.textio import check_line_aligned, read_lines

    sources, hyps = read_lines(src), read_lines(hyp, allow_empty=True)
    check_line_aligned([(src, sources), (hyp, hyps)])
    return sources, hyps


@glossary_group.command("check")
@glossary_option()
@_src_hyp_options
@lang_pair_options(to_help="Translation language (default: the other one).")
@format_option(["text", "json"], "text", "text: the lines with missed terms and a summary.")
@output_option()
@encoding_option()
def check_cmd(
    glossary_path: str,
    src: str,
    hyp: str,
    src_lang: str | None,
    tgt_lang: str | None,
    fmt: str,
    output: str | None,
) -> None:
    """Term accuracy of a translation (WMT terminology-task definition: a
    term counts when its target lemma sequence is in the translation).

    \b
    Example:
      mlcorpus glossary check -g glossary/migration.en-ru.tsv -s examples/src.en -i examples/mt.ru
    """
    from mlcorpus.glossary.check import TermAccuracy, segment_terms, term_accuracy
    from mlcorpus.textio import open_output

    glossary = _load(glossary_path)
    if fmt == "json":
        sources, hyps = _inputs(src, hyp)
        src_lang, tgt_lang = _pair(src_lang, tgt_lang, sources)
        result = term_accuracy(glossary, src_lang, tgt_lang, sources, hyps)
        data = result.to_dict()
        data["glossary_version"] = glossary.version
        with open_output(output) as out:
            out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    src_lang, tgt_lang, pairs = _stream_inputs(src, hyp, src_lang, tgt_lang)
    with open_output(output) as out:
        hits = total = 0
        for number, segment in enumerate(segment_terms(glossary, src_lang, tgt_lang, pairs), 1):
            hits += len(segment.hit)
            total += len(segment.expected)
            if segment.missed:
                missed = "; ".join(f"{t.source} -> {t.target}" for t in segment.missed)
                out.write(
                    f"line {number}: {len(segment.hit)}/{len(segment.expected)} missing: {missed}\n"
                )
        result = TermAccuracy(hits, total, [], src_lang, tgt_lang)
        accuracy = (
            "n/a (no glossary terms in the source)"
            if result.accuracy is None
            else f"{result.accuracy:.4f}"
        )
        out.write(
            f"term accuracy: {accuracy} ({result.hits}/{result.total})  {result.signature()}\n"
        )


@glossary_group.command("fix", aliases=(Alias("--report", "--term-report"),))
@glossary_option()
@_src_hyp_options
@lang_pair_options(to_help="Translation language (default: the other one).")
@click.option(
    "--term-report",
    "report_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a JSONL term report (one object per line).",
)
@output_option("Post-edited translation (default: stdout), one line per input line.")
@encoding_option()
def fix_cmd(
    glossary_path: str,
    src: str,
    hyp: str,
    src_lang: str | None,
    tgt_lang: str | None,
    report_path: str | None,
    output: str | None,
) -> None:
    """Post-edit translations from any MT system to the glossary: deprecated
    renderings are replaced by the preferred term in the same case and
    number; missing terms are reported, never invented.

    \b
    Example:
      mlcorpus glossary fix -g glossary/migration.en-ru.tsv -s examples/src.en \
          -i examples/mt.ru -o fixed.ru --term-report terms.jsonl
    """
    from mlcorpus.glossary.enforce import fix_stream
    from mlcorpus.textio import atomic_write, open_output

    glossary = _load(glossary_path)
    src_lang, tgt_lang, pairs = _stream_inputs(src, hyp, src_lang, tgt_lang)
    lines = changed = misses = 0
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open_output(output))
        report = stack.enter_context(atomic_write(report_path)) if report_path else None
        for lines, result in enumerate(fix_stream(glossary, src_lang, tgt_lang, pairs), 1):
            out.write(result.text + "\n")
            if report is not None:
                record = {"line": lines, **result.term_report}
                report.write(json.dumps(record, ensure_ascii=False) + "\n")
            changed += result.changed
            misses += len(result.term_report["misses"])
    click.echo(
        f"{changed} of {plural(lines, 'line')} changed; {plural(misses, 'term')} still missing",
        err=True,
    )
