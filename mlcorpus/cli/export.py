"""``mlcorpus export``: a workspace's aligned corpus in any exchange format."""

from __future__ import annotations

import click

from mlcorpus.cli.common import format_option
from mlcorpus.cli.convert import (
    FORMAT_CHOICE,
    filter_config,
    filter_options,
    format_for,
    write_summary,
)
from mlcorpus.cli.vocabulary import Command, vocab_option


@click.command("export", cls=Command)
@click.argument("workspace", type=str)
@format_option(
    FORMAT_CHOICE,
    None,
    "tmx, xliff, xliff-omegat, moses, tsv, csv or jsonl (default: from the -o extension).",
)
@vocab_option(
    "output file",
    "output",
    type=str,
    default="-",
    show_default=True,
    help="Output file (- for stdout; Moses writes OUT.en and OUT.ru). Written atomically.",
)
@click.option(
    "--mt",
    "mt",
    type=click.Choice(["none", "beside", "instead"]),
    default="none",
    show_default=True,
    help="The workspace's English->Russian machine translation: beside the human target "
    "(XLIFF alt-trans, TMX prop, TSV/CSV column, JSONL meta) or instead of it, for "
    "post-editing (XLIFF needs-review-translation, glossary terms as notes).",
)
@filter_options
def export_cmd(
    workspace: str,
    fmt: str | None,
    output: str,
    mt: str,
    min_score: float | None,
    dedup: bool,
    drop_empty: bool,
    drop_identical: bool,
    max_length_ratio: float | None,
    check_script: bool,
) -> None:
    """Export the aligned sentence pairs of WORKSPACE (a workspace.sqlite written
    by 'mlcorpus run', or its build folder) as a parallel corpus.

    Every pair carries its release id, date and alignment score (TMX props,
    XLIFF props, JSONL meta, TSV/CSV columns); 1-0 and 0-1 beads are left out.

    \b
    Examples:
      mlcorpus export build/workspace.sqlite --format tmx -o corpus.tmx
      mlcorpus export build/ -o corpus.jsonl --min-score 0.5 --dedup
      mlcorpus export build/ --format moses -o train      # train.en + train.ru
      mlcorpus export build/ --mt instead -o post-edit.xlf     # MT for review
    """
    from mlcorpus.workspace.export import export_workspace
    from mlcorpus.workspace.store import Workspace

    config = filter_config(
        min_score, dedup, drop_empty, drop_identical, max_length_ratio, check_script
    )
    with Workspace.existing(workspace) as ws:
        out_fmt = format_for(output, fmt, "--format")
        report, filters = export_workspace(ws, output, out_fmt, filters=config, mt=mt)
    for line in write_summary(report, filters, config):
        click.echo(line, err=True)
