"""``mlcorpus translate``: offline translation of a text with an Argos package."""

from __future__ import annotations

import functools
import itertools
from typing import TYPE_CHECKING, Any

import click

from mlcorpus.cli.common import (
    beam_option,
    encoding_option,
    format_option,
    glossary_option,
    lang_pair_options,
    model_option,
    output_option,
    progress_counter,
    progress_option,
    ray_option,
    want_progress,
)
from mlcorpus.cli.vocabulary import Command, vocab_option
from mlcorpus.mt.translate_segments import STREAM_BLOCK

if TYPE_CHECKING:
    from mlcorpus.mt import TranslationCache

#: inputs with fewer segments finish too fast for a progress bar to help
PROGRESS_MIN_SEGMENTS = 64


@click.command("translate", cls=Command)
@click.argument("file", type=str)
@lang_pair_options(required=True, from_help="Source language.", to_help="Target language.")
@model_option(
    "Installed package name, package folder or .argosmodel file "
    "(default: the installed package for the direction)."
)
@glossary_option(
    "Glossary TSV whose terms the translation must use (n-best reranking "
    "and inflection-aware fixes)."
)
@beam_option()
@click.option(
    "--batch-size",
    type=click.IntRange(1),
    default=None,
    help="Maximum batch size, in examples or tokens (see --batch-type). [default: 32 examples]",
)
@click.option(
    "--batch-type",
    type=click.Choice(["examples", "tokens"]),
    default="examples",
    show_default=True,
    help="Unit of --batch-size.",
)
@click.option(
    "--compute-type",
    default=None,
    help="CTranslate2 compute type (int8, int8_float32, float32, auto...); "
    "falls back when the CPU lacks it. [default: $ARGOS_COMPUTE_TYPE or int8]",
)
@click.option(
    "--inter-threads",
    type=click.IntRange(1),
    default=None,
    help="Batches translated in parallel [default: one per core, up to 4; 1 for a single batch].",
)
@click.option(
    "--intra-threads",
    type=click.IntRange(0),
    default=None,
    help="Threads per batch [default: cores / inter-threads; 1 for a few sentences].",
)
@vocab_option(
    "one sentence per line",
    "segmented",
    is_flag=True,
    help="Input holds one sentence per line; output keeps the lines (blank lines stay blank).",
)
@format_option(
    ["text", "jsonl", "tsv", "xliff", "xliff-omegat", "tmx"],
    "text",
    "text: the translation with the paragraph (or line) structure; "
    "jsonl: one object per segment (convert reads it); tsv: source<TAB>translation "
    "per segment; xliff: XLIFF 1.2 for post-editing, the MT as target marked "
    "needs-review-translation, glossary term hits and misses as notes; "
    "xliff-omegat: the same laid out for OmegaT; tmx: TMX 1.4b.",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Translation cache file [default: $MLCORPUS_CACHE or "
    "$XDG_CACHE_HOME/mlcorpus/translations.sqlite].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the translation cache.")
@click.option(
    "--block-size",
    type=click.IntRange(1),
    default=STREAM_BLOCK,
    hidden=True,
    help="Segments read, looked up in the cache and translated together.",
)
@ray_option()
@output_option()
@progress_option()
@encoding_option()
def translate_cmd(
    file: str,
    src_lang: str,
    tgt_lang: str,
    model: str | None,
    glossary: str | None,
    beam: int,
    batch_size: int | None,
    batch_type: str,
    compute_type: str | None,
    inter_threads: int | None,
    intra_threads: int | None,
    segmented: bool,
    fmt: str,
    cache_path: str | None,
    no_cache: bool,
    block_size: int,
    ray_address: str | None,
    output: str | None,
    progress: bool | None,
) -> None:
    """Translate FILE (or - for stdin) offline with an installed Argos model.

    Paragraphs (separated by blank lines) are split into sentences, translated
    in large batches and written back as paragraphs.  The input is streamed in
    blocks: memory stays flat and output is written as blocks finish.
    Results are cached block by block, so a second (or interrupted) run
    translates only new sentences; a summary with the cache hits goes to
    stderr.  With --ray the translation runs on a Ray cluster.

    \b
    Examples:
      mlcorpus translate corpus/en/2015-03-02-iom-csto-meeting.txt --from en --to ru \
          -o release.ru.txt
      mlcorpus translate examples/src.en -f en -t ru -g glossary/migration.en-ru.tsv
      mlcorpus translate examples/ref.ru -f ru -t en --segmented --format jsonl
      mlcorpus translate examples/src.en -f en -t ru --model translate-en_ru-1_9.argosmodel
      mlcorpus translate un.en -f en -t ru --segmented --ray 10.0.0.5:6379 -o un.ru
    """
    from mlcorpus.errors import MlcorpusError
    from mlcorpus.mt import load_translator
    from mlcorpus.mt.file_translation import OutputSpec, read_units, translate_units
    from mlcorpus.mt.translate_segments import translate_blocks
    from mlcorpus.textio import count_lines

    src, tgt = src_lang, tgt_lang
    if src == tgt:
        raise MlcorpusError(f"--from and --to are both {src!r}")
    units = read_units(file, src, segmented)
    # the first block tells a short input (few sentences: one thread) from a long one
    head = list(itertools.islice(units, STREAM_BLOCK))
    units = itertools.chain(head, units)
    glossary_obj = None
    if glossary:
        from mlcorpus.glossary import load_glossary

        glossary_obj = load_glossary(glossary)
    short = len(head) < STREAM_BLOCK
    translator = load_translator(
        src,
        tgt,
        model,
        workload=len({s for unit in head for s in unit}) if short else None,
        batch_size=batch_size,
        batch_type=batch_type,
        inter_threads=inter_threads,
        intra_threads=intra_threads,
        beam_size=beam,
        compute_type=compute_type,
    )
    package = translator.package
    head_segments = sum(len(unit) for unit in head)
    show = (
        want_progress(progress)
        if progress is not None
        else (want_progress(None) and (not short or head_segments >= PROGRESS_MIN_SEGMENTS))
    )
    cache = None if no_cache else _open_cache(cache_path)
    total = (head_segments if short else count_lines(file)) if show and segmented else None
    spec = OutputSpec(
        fmt, output, src, tgt, segmented, f"{package.name} {package.version}", glossary_obj
    )
    ray_report = None
    run_blocks: Any = translate_blocks
    if ray_address is not None:
        from mlcorpus.distributed import RayReport, translate_blocks_ray

        ray_report = RayReport()
        run_blocks = functools.partial(translate_blocks_ray, address=ray_address, report=ray_report)
    try:
        with progress_counter(total, label="Translating", enabled=show) as advance:
            done = translate_units(
                translator, units, spec, cache=cache, block_size=block_size,
                run_blocks=run_blocks, on_block=advance,
            )  # fmt: skip
    finally:
        if cache is not None:
            cache.close()
    for line in done.report_lines(spec.model):
        click.echo(line, err=True)
    if ray_report is not None:
        click.echo(ray_report.summary(), err=True)


def _open_cache(path: str | None) -> TranslationCache:
    """The translation cache, or an error saying how to do without it."""
    from mlcorpus.errors import MlcorpusError
    from mlcorpus.mt import TranslationCache, default_cache_path

    try:
        return TranslationCache(path or default_cache_path())
    except MlcorpusError as exc:
        raise MlcorpusError(f"{exc}; pass --no-cache or another --cache file") from None
