"""``mlcorpus score``: sacrebleu metrics, term accuracy, significance, reports."""

from __future__ import annotations

from typing import Any

import click

from mlcorpus.cli.common import (
    encoding_option,
    format_option,
    glossary_option,
    lang_pair_options,
    output_option,
    progress_counter,
    progress_option,
    step_progress,
    want_progress,
)
from mlcorpus.cli.vocabulary import Alias, Command, vocab_option
from mlcorpus.metrics import METRICS
from mlcorpus.report import FORMATS as REPORT_FORMATS

METRIC_KEYS = list(METRICS)


class _Tokenizer(click.ParamType):
    """A sacrebleu BLEU tokenizer, checked against sacrebleu's own list when the
    option is used (so that ``--help`` does not import sacrebleu)."""

    name = "tokenizer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from mlcorpus.metrics import bleu_tokenizers

        names = bleu_tokenizers()
        if value not in names:
            self.fail(f"{value!r} is not one of sacrebleu's: {', '.join(names)}", param, ctx)
        return str(value)


def _parse_metrics(value: str) -> list[str]:
    keys = [k.strip().lower() for k in value.replace(" ", ",").split(",") if k.strip()]
    unknown = [k for k in keys if k not in METRIC_KEYS]
    if unknown or not keys:
        raise click.BadParameter(
            f"unknown metric {', '.join(unknown) or '(none)'}; choose from "
            f"{', '.join(METRIC_KEYS)}",
            param_hint="--metrics",
        )
    return list(dict.fromkeys(keys))


@click.command(
    "score", cls=Command, aliases=(Alias("--src-lang", "--from"), Alias("--tgt-lang", "--to"))
)
@vocab_option(
    "system output",
    "hyps",
    multiple=True,
    required=True,
    metavar="FILE",
    help="System output, one segment per line. Repeat to score several systems "
    "(named after their files); the first is the baseline of paired tests.",
)
@vocab_option(
    "reference",
    "refs",
    multiple=True,
    required=True,
    metavar="FILE",
    help="Reference translation, line-aligned with the hypotheses. Repeat for multiple references.",
)
@vocab_option(
    "source text",
    "src",
    default=None,
    metavar="FILE",
    help="Source segments (needed for term accuracy and shown in the HTML report).",
)
@glossary_option("Glossary TSV: also measure term accuracy (needs --src).")
@lang_pair_options(
    from_help="Source language for term matching (default: detected from --src).",
    to_help="Target language for term matching (default: detected from --ref).",
)
@vocab_option(
    "metrics",
    "metric_list",
    default=",".join(METRIC_KEYS),
    show_default=True,
    help="Comma-separated metrics to compute.",
)
@click.option(
    "--tokenize",
    "-tok",
    type=_Tokenizer(),
    default=None,
    help="BLEU tokenizer: any of sacrebleu's (13a, intl, char, none, zh, ...; default: 13a).",
)
@click.option("--lowercase", "-lc", is_flag=True, help="Case-insensitive BLEU and chrF.")
@format_option(REPORT_FORMATS, "text", "Output format of the scores.")
@click.option(
    "--segments",
    "segments_path",
    default=None,
    metavar="FILE",
    help="Also write segment-level scores (index, chrF, BLEU, TER, terms hit/missed) "
    "to FILE: JSON Lines for .jsonl, else CSV.",
)
@click.option(
    "--docs",
    "docs_path",
    default=None,
    metavar="FILE",
    help="Document id of each segment, one per line (first field, so UNPC .ids "
    "files work): adds per-document scores to JSON output and segment files.",
)
@click.option(
    "--paired-bs",
    "paired",
    flag_value="bs",
    default=None,
    help="Compare systems with the first by paired bootstrap resampling.",
)
@click.option(
    "--paired-ar",
    "paired",
    flag_value="ar",
    help="Compare systems with the first by approximate randomization.",
)
@click.option(
    "--paired-n",
    type=click.IntRange(min=0),
    default=0,
    help="Resamples (bootstrap) or trials (randomization); 0: sacrebleu's defaults (1000 / 10000).",
)
@click.option(
    "--worst",
    type=click.IntRange(min=0),
    default=10,
    show_default=True,
    help="HTML report: number of lowest-chrF segments listed per system.",
)
@click.option(
    "--width",
    "-w",
    type=click.IntRange(0, 10),
    default=2,
    show_default=True,
    help="Decimals in text, Markdown and HTML tables.",
)
@output_option()
@progress_option()
@encoding_option()
def score_cmd(
    hyps: tuple[str, ...],
    refs: tuple[str, ...],
    src: str | None,
    glossary: str | None,
    src_lang: str | None,
    tgt_lang: str | None,
    metric_list: str,
    tokenize: str | None,
    lowercase: bool,
    fmt: str,
    segments_path: str | None,
    docs_path: str | None,
    paired: str | None,
    paired_n: int,
    worst: int,
    width: int,
    output: str | None,
    progress: bool | None,
) -> None:
    """Score machine translation against references with sacrebleu.

    Scores are exactly those of the sacrebleu command line (BLEU, chrF,
    chrF++, TER, with its signatures).  With a glossary, term accuracy is the
    share of source terms rendered with an accepted target term.

    \b
    Examples:
      mlcorpus score --hyp examples/mt.ru --ref examples/ref.ru
      mlcorpus score -i examples/mt.ru -r examples/ref.ru -s examples/src.en \
          -g glossary/migration.en-ru.tsv --format json
      mlcorpus score -i examples/mt.ru -i examples/mt-b.ru -r examples/ref.ru --paired-bs
      mlcorpus score -i examples/mt.ru -i examples/mt-b.ru -r examples/ref.ru \
          -s examples/src.en --format html -o report.html
      mlcorpus score -i examples/mt.ru -r examples/ref.ru --metrics bleu,chrf \
          --segments segments.csv
    """
    from mlcorpus.metrics.inputs import read_score_inputs
    from mlcorpus.metrics.scoring import score_files, score_systems
    from mlcorpus.report import render_report
    from mlcorpus.textio import atomic_write, count_lines, open_output

    metrics = _parse_metrics(metric_list)
    if glossary and not src:
        raise click.UsageError("--glossary needs --src (the source segments to find terms in)")
    if paired and len(hyps) < 2:
        raise click.UsageError(
            "a paired test needs two or more --hyp files (the first is the baseline)"
        )
    if not (segments_path or docs_path or paired or fmt == "html") and "-" not in (
        *hyps,
        *refs,
        src,
    ):  # corpus scores only: the files are streamed, the statistics summed as they come
        show = want_progress(progress)
        with progress_counter(
            count_lines(refs[0]) if show else None, label="Scoring", enabled=show
        ) as advance:
            report = score_files(
                hyps, refs, metrics, sources=src, glossary=glossary, src_lang=src_lang,
                tgt_lang=tgt_lang, tokenize=tokenize, lowercase=lowercase, progress=advance,
            )  # fmt: skip
        with open_output(output) as out:
            out.write(render_report(report, fmt, width=width, worst=worst))
        return
    inputs = read_score_inputs(hyps, refs, sources=src, documents=docs_path)
    terms = None
    if glossary and inputs.sources is not None:
        from mlcorpus.metrics.terms import TermChecker

        terms = TermChecker.for_texts(
            glossary, inputs.sources, inputs.references[0], src_lang=src_lang, tgt_lang=tgt_lang
        )
    report = score_systems(
        inputs.systems,
        inputs.references,
        metrics,
        tokenize=tokenize,
        lowercase=lowercase,
        sources=inputs.sources,
        terms=terms,
        segments=bool(segments_path) or fmt == "html",
        paired=paired,
        n_samples=paired_n,
        doc_ids=inputs.doc_ids,
        paths=inputs.paths,
        progress=step_progress("Scoring", want_progress(progress)),
    )
    if segments_path:
        from mlcorpus.report.segments import segments_format, write_segments

        with atomic_write(segments_path) as fh:
            write_segments(report, fh, segments_format(segments_path))
    text = render_report(report, fmt, width=width, worst=worst, locator=terms)
    with open_output(output) as out:
        out.write(text)
