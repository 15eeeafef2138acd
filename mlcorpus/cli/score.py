"""``mlcorpus score``: sacrebleu metrics, term accuracy, significance, reports."""

from __future__ import annotations

import json
from typing import Any

import click

from mlcorpus.cli.common import (
    encoding_option,
    format_option,
    glossary_option,
    lang_pair_options,
    output_option,
    progress_option,
    want_progress,
)
from mlcorpus.cli.common import progress as progress_bar
from mlcorpus.cli.vocabulary import Alias, Command, vocab_option
from mlcorpus.metrics import METRICS

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


FORMATS = ["text", "json", "csv", "markdown", "html"]


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
@format_option(FORMATS, "text", "Output format of the scores.")
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
      mlcorpus score --hyp mt.ru --ref ref.ru
      mlcorpus score -i mt.ru -r ref.ru -s src.en -g glossary/migration.en-ru.tsv --format json
      mlcorpus score -i a.ru -i b.ru -r ref.ru --paired-bs --format markdown
      mlcorpus score -i a.ru -i b.ru -r ref.ru --src src.en --format html -o report.html
      mlcorpus score -i mt.ru -r ref.ru --metrics bleu,chrf --segments segments.csv
    """
    metrics = _parse_metrics(metric_list)
    if glossary and not src:
        raise click.UsageError("--glossary needs --src (the source segments to find terms in)")
    if paired and len(hyps) < 2:
        raise click.UsageError(
            "a paired test needs two or more --hyp files (the first is the baseline)"
        )
    _score(
        hyps,
        refs,
        src,
        glossary,
        src_lang,
        tgt_lang,
        metrics,
        tokenize,
        lowercase,
        fmt,
        segments_path,
        docs_path,
        paired,
        paired_n,
        worst,
        width,
        output,
        want_progress(progress),
    )


def _score(
    hyps: tuple[str, ...],
    refs: tuple[str, ...],
    src: str | None,
    glossary: str | None,
    src_lang: str | None,
    tgt_lang: str | None,
    metrics: list[str],
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
    show_progress: bool,
) -> None:
    from mlcorpus.metrics.inputs import read_segments, system_names
    from mlcorpus.metrics.scoring import Scorer
    from mlcorpus.textio import atomic_write, check_line_aligned, open_output

    references = [read_segments(r) for r in refs]
    sources = read_segments(src) if src else None
    systems = [read_segments(h) for h in hyps]
    streams = [(r, lines) for r, lines in zip(refs, references, strict=True)]
    streams += [(h, lines) for h, lines in zip(hyps, systems, strict=True)]
    if sources is not None and src is not None:
        streams.append((src, sources))
    doc_ids = None
    if docs_path:
        from mlcorpus.textio import read_lines

        doc_ids = [(line.split() or [""])[0] for line in read_lines(docs_path)]
        streams.append((docs_path, doc_ids))
    check_line_aligned(streams)

    terms = None
    if glossary and sources is not None:
        from mlcorpus.alphabet import detect_lang
        from mlcorpus.metrics.terms import TermChecker

        s_lang = src_lang or detect_lang("\n".join(sources[:200]))
        t_lang = tgt_lang or detect_lang("\n".join(references[0][:200]))
        terms = TermChecker(glossary, s_lang, t_lang)

    need_segments = bool(segments_path) or fmt == "html"
    scorer = Scorer(
        references, metrics, tokenize=tokenize, lowercase=lowercase, sources=sources, terms=terms
    )
    names = system_names(list(hyps))
    scored = []
    for name, path, lines in progress_bar(
        zip(names, hyps, systems, strict=True),
        length=len(hyps),
        label="Scoring",
        enabled=show_progress,
    ):
        system = scorer.score(name, lines, segments=need_segments, path=path)
        if doc_ids is not None:
            scorer.document_scores(system, doc_ids)
        scored.append(system)
    comparison = None
    if paired:
        from mlcorpus.metrics.compare import paired_test

        comparison = paired_test(scored, scorer.metrics, test=paired, n_samples=paired_n)
    report = scorer.report(scored, comparison, doc_ids)

    if segments_path:
        from mlcorpus.report.segments import segments_format, write_segments

        with atomic_write(segments_path) as fh:
            write_segments(report, fh, segments_format(segments_path))

    if fmt == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        from mlcorpus.report.table import render_csv

        text = render_csv(report)
    elif fmt == "markdown":
        from mlcorpus.report.markdown import render_markdown

        text = render_markdown(report, width)
    elif fmt == "html":
        from mlcorpus.report.html import render_html

        text = render_html(report, width=width, worst=worst, locator=terms)
    else:
        from mlcorpus.report.table import render_text

        text = render_text(report, width)
    with open_output(output) as out:
        out.write(text)
