"""``mlcorpus segment``: one sentence per line, blank line between paragraphs."""

from __future__ import annotations

import json

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
@click.option(
    "--paragraphs",
    "paragraph_mode",
    type=click.Choice(["blank", "line"]),
    default="blank",
    show_default=True,
    help="How paragraphs are separated in the input: blank lines, or one paragraph per line.",
)
@output_option()
@encoding_option()
def segment_cmd(
    file: str, lang: str | None, fmt: str, paragraph_mode: str, output: str | None
) -> None:
    """Split FILE (or - for stdin) into sentences.

    Paragraphs are separated by blank lines in the input.  Markdown and HTML
    files are read as releases (text of headings, paragraphs, list items).

    \b
    Examples:
      mlcorpus segment corpus/en/2015-03-02-iom-csto-meeting.txt --lang en
      echo "Mr. Z. Zigic met N. Bordyuzha. They spoke." | mlcorpus segment - --lang en
      mlcorpus segment corpus/ru/2015-03-02-iom-csto-meeting.txt --format jsonl -o ru.jsonl
      mlcorpus segment examples/udhr.txt --lang en --paragraphs line
    """
    from mlcorpus.release import read_document
    from mlcorpus.textio import open_output

    sentences = read_document(file, lang, paragraphs=paragraph_mode).sentences()
    with open_output(output) as out:
        for sent in sentences:
            if fmt == "jsonl":
                out.write(json.dumps(sent.to_dict(), ensure_ascii=False) + "\n")
            else:
                out.write(("\n" if sent.paragraph and not sent.index else "") + sent.text + "\n")
