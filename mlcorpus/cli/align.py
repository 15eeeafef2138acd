"""``mlcorpus align``: pair the sentences of a release with its translation."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from mlcorpus.cli.common import (
    encoding_option,
    format_option,
    glossary_option,
    lang_pair_options,
    model_option,
    output_option,
    progress_counter,
    progress_option,
    want_progress,
)
from mlcorpus.cli.vocabulary import Alias, Command, vocab_option

if TYPE_CHECKING:
    from mlcorpus.mt import CachedTranslator

FORMATS = ("jsonl", "tsv", "tmx", "moses")
LANG_ALIASES = (Alias("--src-lang", "--from"), Alias("--tgt-lang", "--to"))


@click.command("align", cls=Command, aliases=LANG_ALIASES)
@click.argument("src", type=str)
@click.argument("tgt", type=str)
@lang_pair_options(
    from_help="Language of SRC (default: detected from the script).",
    to_help="Language of TGT (default: detected from the script).",
)
@vocab_option(
    "one sentence per line",
    "segmented",
    is_flag=True,
    help="Inputs already hold one sentence per line; blank lines separate paragraphs.",
)
@format_option(
    FORMATS,
    "jsonl",
    "jsonl: every bead, with line numbers and score; tsv/tmx/moses: the "
    "sentence pairs (beads with both sides) for a parallel corpus.",
)
@vocab_option(
    "alignment score floor",
    "min_score",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Drop beads whose confidence is below this value (0-1). Without it "
    "jsonl lists every bead, so every line appears exactly once.",
)
@glossary_option("Glossary TSV: its terms and acronyms count as evidence.")
@click.option(
    "--mt",
    is_flag=True,
    help="Also compare the machine translation of each source sentence with "
    "the target (needs an installed model for the language pair).",
)
@model_option("With --mt: installed package name, package folder or .argosmodel file.")
@output_option()
@progress_option()
@encoding_option()
def align_cmd(
    src: str,
    tgt: str,
    src_lang: str | None,
    tgt_lang: str | None,
    segmented: bool,
    fmt: str,
    min_score: float | None,
    glossary: str | None,
    mt: bool,
    model: str | None,
    output: str | None,
    progress: bool | None,
) -> None:
    """Align the sentences of SRC with those of its translation TGT.

    Releases are read and split into sentences (title first), or taken one
    sentence per line with --segmented.  Beads are 1-1, 1-2, 2-1, 2-2, 1-3,
    3-1, and 1-0/0-1 for sentences without a counterpart; each carries a
    confidence between 0 and 1 that is comparable across documents.

    In jsonl, "src" and "tgt" are 0-based numbers of the sentences: of the
    non-blank lines with --segmented, else of the sentences of the release's
    title and body paragraphs in order (trailer lines such as "Source: ..."
    are metadata and not aligned); "src_text" and "tgt_text" give the text.
    With --mt, each bead with both sides also has "mt_similarity" (0-1):
    how close the machine translation of its source is to its target.
    Without --min-score every sentence is in exactly one bead.

    \b
    Examples:
      mlcorpus align corpus/en/2015-03-02-iom-csto-meeting.txt \\
          corpus/ru/2015-03-02-iom-csto-meeting.txt --from en --to ru
      mlcorpus align examples/src.en examples/ref.ru --segmented --format tmx -o pairs.tmx
      mlcorpus align examples/src.en examples/ref.ru --segmented --min-score 0.5 \
          --format tsv -o pairs.tsv
      mlcorpus align examples/src.en examples/ref.ru --segmented --mt
    """
    from mlcorpus.align.sides import (
        Side,
        StreamedSide,
        bead_records,
        bead_units,
        count_sentences,
        read_side,
        stream_side,
    )
    from mlcorpus.align.stream import align_stream
    from mlcorpus.errors import MlcorpusError

    # one sentence per line: streamed; either way aligned window by window
    src_side: Side | StreamedSide
    tgt_side: Side | StreamedSide
    if segmented:
        src_side, tgt_side = stream_side(src, src_lang), stream_side(tgt, tgt_lang)
    else:
        src_side, tgt_side = read_side(src, src_lang, False), read_side(tgt, tgt_lang, False)
    if src_side.lang == tgt_side.lang:
        raise MlcorpusError(
            f"{src} and {tgt} are both in {src_side.lang!r}; give "
            "--from and --to for a translation pair"
        )
    gloss = None
    if glossary:
        from mlcorpus.glossary import load_glossary

        gloss = load_glossary(glossary)
    translator = _mt(src_side.lang, tgt_side.lang, model) if mt else None
    show = want_progress(progress)
    total = count_sentences(src_side) if show else None
    with progress_counter(total, label="Aligning", enabled=show and total is not None) as advance:
        aligned = align_stream(
            src_side.items,
            tgt_side.items,
            src_side.lang,
            tgt_side.lang,
            glossary=gloss,
            mt=translator,
            progress=advance,
        )
        if fmt == "jsonl":
            from mlcorpus.textio import open_output

            with open_output(output) as out:
                for record in bead_records(aligned, min_score=min_score):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            from mlcorpus.formats import write_units

            units = bead_units(aligned, src_side, tgt_side, min_score=min_score)
            write_units(units, output, fmt, src_lang=src_side.lang, tgt_lang=tgt_side.lang)


def _mt(src_lang: str, tgt_lang: str, model: str | None) -> CachedTranslator:
    """The model for --mt, seen through the translation cache."""
    from mlcorpus.errors import MlcorpusError
    from mlcorpus.mt import CachedTranslator, find_translator

    try:
        found = find_translator(src_lang, tgt_lang, model)
    except MlcorpusError as exc:
        raise MlcorpusError(f"--mt: {exc}") from None
    if found is None:
        raise MlcorpusError(
            f"--mt needs an installed {src_lang}->{tgt_lang} model; install one with "
            f"'mlcorpus models install {src_lang} {tgt_lang}' or align without --mt"
        )
    return CachedTranslator(found)
