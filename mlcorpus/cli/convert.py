"""``mlcorpus convert``: any parallel-corpus format to any other, with filters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from mlcorpus.cli.common import encoding_option, format_option, progress_option, want_progress
from mlcorpus.cli.vocabulary import Alias, Command, LanguageCode, vocab_option
from mlcorpus.formats import ALIASES, FORMATS  # the registry only: stdlib imports
from mlcorpus.wording import plural

if TYPE_CHECKING:
    from mlcorpus.formats.filters import FilterConfig

FORMAT_CHOICE = click.Choice([*FORMATS, *ALIASES], case_sensitive=False)
FORMAT_NAMES = (*FORMATS, *ALIASES)
#: convert's --from/--to used to be formats; a format name there still works
CONVERT_ALIASES = (
    Alias("--from", "--input-format", values=FORMAT_NAMES),
    Alias("--to", "--format", values=FORMAT_NAMES),
    Alias("--src-lang", "--from"),
    Alias("--tgt-lang", "--to"),
)


def format_for(path: str, fmt: str | None, flag: str) -> str:
    """*fmt*, else the format *path*'s extension names; else an error naming
    *flag*, the option that gives it (the library's error cannot know it)."""
    from mlcorpus.errors import InputError
    from mlcorpus.formats import FORMATS as KNOWN
    from mlcorpus.formats import format_info, guess_format

    if fmt:
        return format_info(fmt).name
    guessed = guess_format(path) if path != "-" else None
    if guessed is None:
        role = "input" if flag == "--input-format" else "output"
        raise InputError(
            f"{path}: cannot tell the {role} format from the file name; give it with "
            f"{flag} ({', '.join(KNOWN)})"
        )
    return guessed


def filter_options(fn):  # noqa: ANN001, ANN201 - a click decorator
    """The export filters, shared by ``convert`` and ``export``."""
    options = [
        vocab_option(
            "alignment score floor",
            "min_score",
            type=float,
            default=None,
            help="Drop pairs whose alignment score (meta score) is below this.",
        ),
        click.option("--dedup", is_flag=True, help="Drop repeated pairs (spacing ignored)."),
        click.option("--drop-empty", is_flag=True, help="Drop pairs with an empty side."),
        click.option(
            "--drop-identical",
            is_flag=True,
            help="Drop pairs whose target equals the source (untranslated).",
        ),
        click.option(
            "--max-length-ratio",
            type=click.FloatRange(min=1.0),
            default=None,
            help="Drop pairs where one side is more than N times longer (characters).",
        ),
        click.option(
            "--check-script",
            is_flag=True,
            help="Drop pairs where a side is not mostly in its language's script "
            "(Cyrillic for ru, Latin for en).",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def filter_config(
    min_score: float | None,
    dedup: bool,
    drop_empty: bool,
    drop_identical: bool,
    max_length_ratio: float | None,
    check_script: bool,
) -> FilterConfig:
    """A FilterConfig from the values of :func:`filter_options`."""
    from mlcorpus.formats.filters import FilterConfig

    return FilterConfig(
        min_score=min_score,
        dedup=dedup,
        drop_empty=drop_empty,
        drop_identical=drop_identical,
        max_length_ratio=max_length_ratio,
        check_script=check_script,
    )


def write_summary(report, filtered, config) -> list[str]:  # noqa: ANN001
    """Lines for stderr: what the filters dropped, what was cleaned, what was written."""
    lines = []
    if config.enabled() or filtered.report.unscored:
        lines.append(f"filters: {filtered.report.summary()}")
    if report.illegal_chars_removed:
        lines.append(
            f"removed {plural(report.illegal_chars_removed, 'character')} that "
            f"{report.fmt} cannot hold (control characters, lone surrogates)"
        )
    if report.line_breaks_replaced:
        lines.append(
            f"{report.line_breaks_replaced} pairs had tabs or line breaks replaced by spaces"
        )
    if report.meta_not_written:
        lines.append(
            f"{report.meta_not_written} pairs had metadata outside the "
            f"columns {', '.join(report.meta_columns) or '(none)'}"
        )
    where = ", ".join(report.paths) or "stdout"
    lines.append(f"wrote {report.written} pairs to {where} ({report.fmt})")
    return lines


@click.command("convert", cls=Command, aliases=CONVERT_ALIASES)
@click.argument("source", metavar="IN", type=str)
@click.argument("output", metavar="OUT", type=str)
@vocab_option(
    "input format",
    "from_fmt",
    type=FORMAT_CHOICE,
    default=None,
    help="Input format (default: from the extension of IN).",
)
@format_option(
    FORMAT_CHOICE,
    None,
    "Output format (default: from the extension of OUT).",
)
@vocab_option(
    "source language",
    "src_lang",
    type=LanguageCode(),
    default=None,
    help="Source language (default: from the input, else en). en also matches en-US and the like.",
)
@vocab_option(
    "target language",
    "tgt_lang",
    type=LanguageCode(),
    default=None,
    help="Target language (default: from the input, else ru).",
)
@filter_options
@progress_option()
@encoding_option()
def convert_cmd(
    source: str,
    output: str,
    from_fmt: str | None,
    fmt: str | None,
    src_lang: str | None,
    tgt_lang: str | None,
    min_score: float | None,
    dedup: bool,
    drop_empty: bool,
    drop_identical: bool,
    max_length_ratio: float | None,
    check_script: bool,
    progress: bool | None,
) -> None:
    """Convert the parallel corpus IN to OUT (either may be - for stdin/stdout).

    Formats: tmx (TMX 1.4b), xliff (XLIFF 1.2), xliff-omegat (XLIFF laid out
    for OmegaT), moses (OUT names two files, OUT.<from> and OUT.<to>), tsv,
    csv, jsonl (Hugging Face style).  Inline markup in TMX/XLIFF input is
    removed and counted (see README, Formats).
    The output is written atomically: on any error nothing is written.  What
    the filters dropped, and any characters removed, is reported on stderr.

    \b
    Examples:
      mlcorpus convert examples/pairs.tsv pairs.tmx
      mlcorpus convert examples/pairs.tsv review.xlf --dedup --drop-empty
      mlcorpus convert examples/pairs.tsv train --format moses --check-script
      mlcorpus convert train.en pairs.jsonl --input-format moses --from en --to ru
    """
    from itertools import chain

    from mlcorpus.cli.common import progress as progress_bar
    from mlcorpus.formats import read_units, write_units
    from mlcorpus.formats.base import output_lang
    from mlcorpus.formats.filters import apply_filters
    from mlcorpus.formats.inline import summary as inline_summary

    out_fmt = format_for(output, fmt, "--format")
    in_fmt = format_for(source, from_fmt, "--input-format")
    units = read_units(source, in_fmt, src_lang=src_lang, tgt_lang=tgt_lang)
    first = next(units, None)
    src = src_lang or output_lang(first.src_lang if first else "en", out_fmt)
    tgt = tgt_lang or output_lang(first.tgt_lang if first else "ru", out_fmt)
    stream = chain([first], units) if first is not None else iter(())
    config = filter_config(
        min_score, dedup, drop_empty, drop_identical, max_length_ratio, check_script
    )
    kept = apply_filters(
        progress_bar(stream, length=None, label="Converting", enabled=want_progress(progress)),
        config,
    )
    report = write_units(kept, output, out_fmt, src_lang=src, tgt_lang=tgt)

    lines = [f"read {units.stats.read} pairs from {source} ({units.fmt})"]
    if units.stats.skipped:
        lines.append(f"skipped {units.stats.skipped} units without both {src} and {tgt}")
    if units.stats.inline:
        lines.append(inline_summary(units.stats.inline))
    lines += write_summary(report, kept, config)
    for line in lines:
        click.echo(line, err=True)
