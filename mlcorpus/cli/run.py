"""``mlcorpus run`` (the whole pipeline) and ``mlcorpus report`` (re-render)."""

from __future__ import annotations

from pathlib import Path

import click

from mlcorpus.cli.common import (
    beam_option,
    encoding_option,
    glossary_option,
    model_option,
    progress_option,
    ray_option,
    want_progress,
)
from mlcorpus.cli.vocabulary import Command, vocab_option


def _stage_progress(enabled: bool):  # noqa: ANN202
    from mlcorpus.cli.common import progress

    def wrap(items, length, label):  # noqa: ANN001, ANN202
        return progress(items, length=length, label=f"{label:<16}", enabled=enabled)

    return wrap


def _print_summary(summary) -> None:  # noqa: ANN001
    from mlcorpus.metrics import DEFAULT_METRICS, TERM_ACCURACY, metric_title
    from mlcorpus.wording import plural, text_table

    table = [["stage", "done", "skipped", "seconds", "note"]]
    table += [
        [name, str(st.processed), str(st.skipped), f"{st.seconds:.2f}", st.note]
        for name, st in summary.stages.items()
    ]
    click.echo("", err=True)
    for line in text_table(table, right=[1, 2, 3]):
        click.echo(line, err=True)
    click.echo(
        f"\n{plural(summary.releases, 'release')}, "
        f"{plural(summary.pairs, 'translation pair')}, {plural(summary.beads, 'bead')}",
        err=True,
    )
    corpus = [s for s in summary.scores if s["scope"] == "corpus"]
    for direction in sorted({s["direction"] for s in corpus}):
        vals = {s["metric"]: s["value"] for s in corpus if s["direction"] == direction}
        parts = [
            f"{metric_title(k)} {vals[k]:.2f}" for k in DEFAULT_METRICS if vals.get(k) is not None
        ]
        if vals.get(TERM_ACCURACY) is not None:
            parts.append(f"{metric_title(TERM_ACCURACY)} {100 * vals[TERM_ACCURACY]:.1f}%")
        click.echo(f"MT {direction}: " + ", ".join(parts), err=True)
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    for path in summary.outputs:
        click.echo(f"wrote {path}", err=True)


@click.command("run", cls=Command)
@click.argument("corpus_dir", type=str)
@vocab_option(
    "output file",
    "build_dir",
    type=click.Path(file_okay=False),
    default="build",
    show_default=True,
    help="Build folder: workspace.sqlite, exports and reports go here.",
)
@glossary_option("Terminology glossary (TSV) for alignment, MT and term accuracy.")
@model_option()
@click.option(
    "--direction",
    type=click.Choice(["en-ru", "ru-en", "both"]),
    default="en-ru",
    show_default=True,
    help="Which way to translate.",
)
@click.option("--no-translate", is_flag=True, help="Segment, align, export and report only; no MT.")
@click.option(
    "--rebuild",
    is_flag=True,
    help="Start from a new workspace (for one reported inconsistent or corrupt).",
)
@beam_option()
@ray_option()
@progress_option()
@encoding_option()
def run_cmd(
    corpus_dir: str,
    build_dir: str,
    glossary: str | None,
    model: str | None,
    direction: str,
    no_translate: bool,
    rebuild: bool,
    beam: int,
    ray_address: str | None,
    progress: bool | None,
) -> None:
    """Run the whole pipeline over CORPUS_DIR.

    Discovers the English and Russian releases (en/ and ru/ folders, or
    NAME.en.txt / NAME.ru.txt), pairs each with its translation, segments,
    aligns, translates with the installed model and the glossary, scores the
    MT against the aligned human translation, exports the parallel corpus
    (TMX, TSV, JSONL) and writes report.md (and an HTML report per scored
    direction).

    Runs are resumable: state lives in BUILD_DIR/workspace.sqlite and a second
    run only processes what changed.  Two runs on one build folder at the same
    time are refused.  Without a model, everything but MT still runs.

    \b
    Examples:
      mlcorpus run corpus/ -o build/
      mlcorpus run corpus/ -o build/ --glossary glossary/migration.en-ru.tsv
      mlcorpus run corpus/ -o build/ --direction both
      mlcorpus run corpus/ -o build/ --rebuild     # after "workspace is inconsistent"
      mlcorpus run corpus/ -o build/ --ray 10.0.0.5:6379     # align + translate on Ray
    """
    from mlcorpus.workspace.pipeline import Pipeline, RunOptions

    if glossary is not None and not Path(glossary).is_file():
        from mlcorpus.errors import InputError

        raise InputError(f"{glossary}: no such glossary file")
    directions = ("en-ru", "ru-en") if direction == "both" else (direction,)
    opts = RunOptions(
        Path(corpus_dir),
        Path(build_dir),
        glossary=glossary,
        model=model,
        directions=directions,
        translate=not no_translate,
        beam_size=beam,
        rebuild=rebuild,
    )
    if ray_address is not None:
        from mlcorpus.distributed import RayExecutor

        opts.executor = RayExecutor(ray_address)
    summary = Pipeline(opts, _stage_progress(want_progress(progress))).run()
    _print_summary(summary)
    if ray_address is not None and isinstance(opts.executor, RayExecutor):
        click.echo(opts.executor.report.summary(), err=True)


@click.command("report", cls=Command)
@click.argument("build_dir", type=click.Path(file_okay=False))
@glossary_option(
    "Glossary to mark term hits and misses in the HTML report "
    "(default: the one the build was run with)."
)
def report_cmd(build_dir: str, glossary: str | None) -> None:
    """Re-render report.md and the HTML reports of BUILD_DIR from its workspace.

    Term hits and misses are marked with the glossary 'mlcorpus run' was
    given (recorded in the workspace), or with -g FILE.

    \b
    Examples:
      mlcorpus report build/
      mlcorpus report build/ -g glossary/migration.en-ru.tsv
    """
    from mlcorpus.workspace.report import write_workspace_report
    from mlcorpus.workspace.store import Workspace

    with Workspace.existing(build_dir) as ws:
        for path in write_workspace_report(ws, Path(build_dir), glossary):
            click.echo(f"wrote {path}", err=True)
