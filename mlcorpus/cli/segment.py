"""``mlcorpus segment``: one sentence per line, blank line between paragraphs."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mlcorpus.cli.common import LANG_CHOICE, encoding_option, format_option, output_option
from mlcorpus.cli.vocabulary import Command, vocab_option


@click.command("segment", cls=Command)
@click.argument("file", type=str)
@vocab_option(
    "single language",
    "lang",
    type=LANG_CHOICE,
    default=None,
    help="Language of the text (en or ru). Default: detected from the script.",
)
@format_option(
    ["text", "jsonl"],
    "text",
    "text: one sentence per line, blank line between paragraphs; "
    "jsonl: one object per sentence with paragraph and index.",
)
@output_option()
@encoding_option()
def segment_cmd(file: str, lang: str | None, fmt: str, output: str | None) -> None:
    """Split FILE (or - for stdin) into sentences.

    Paragraphs are separated by blank lines in the input.  Markdown and HTML
    files are read as releases (text of headings, paragraphs, list items).

    \b
    Examples:
      mlcorpus segment corpus/en/2015-03-02-csto-iom-meeting.txt --lang en
      echo "Mr. Z. Zigic met N. Bordyuzha. They spoke." | mlcorpus segment - --lang en
      mlcorpus segment release.txt --lang ru --format jsonl -o sentences.jsonl
    """
    from mlcorpus.alphabet import detect_lang
    from mlcorpus.release import read_release
    from mlcorpus.segment import segment_paragraph, split_paragraphs
    from mlcorpus.textio import open_output, read_text

    if file != "-" and Path(file).suffix.lower() in (".md", ".markdown", ".html", ".htm"):
        release = read_release(file, lang=lang)
        paragraphs = ([release.title] if release.title else []) + release.paragraphs
        lang = release.lang
    else:
        text = read_text(file)
        paragraphs = split_paragraphs(text)
        lang = lang or detect_lang(text)
    with open_output(output) as out:
        for p_idx, para in enumerate(paragraphs):
            sentences = segment_paragraph(para, lang)
            if fmt == "jsonl":
                for s_idx, sent in enumerate(sentences):
                    out.write(
                        json.dumps(
                            {"paragraph": p_idx, "index": s_idx, "text": sent}, ensure_ascii=False
                        )
                        + "\n"
                    )
            else:
                if p_idx:
                    out.write("\n")
                for sent in sentences:
                    out.write(sent.replace("\n", " ") + "\n")
