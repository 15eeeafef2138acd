"""The ``mlcorpus`` command line: a click group whose commands load lazily.

Each command lives in its own module under ``mlcorpus.cli`` and is a thin shell
over the Python API.  Subcommand modules are imported only when invoked or
when ``--help`` lists them, and they import nothing heavy at module level, so
``mlcorpus --help`` never loads torch, stanza or ``argostranslate.translate``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from mlcorpus import __version__
from mlcorpus.errors import MlcorpusError
from mlcorpus.textio import set_input_encoding

# command name -> "module:attribute" (module relative to mlcorpus.cli)
COMMANDS: dict[str, str] = {
    "segment": "segment:segment_cmd",
    "align": "align:align_cmd",
    "translate": "translate:translate_cmd",
    "models": "models:models_group",
    "glossary": "glossary:glossary_group",
    "score": "score:score_cmd",
    "convert": "convert:convert_cmd",
    "export": "export:export_cmd",
    "run": "run:run_cmd",
    "report": "run:report_cmd",
    "serve": "serve:serve_cmd",
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when it is needed, and
    turns :class:`MlcorpusError` and OS errors into one-line messages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(f"mlcorpus.cli.{module_name}")
        except ModuleNotFoundError as exc:  # a command not built into this install
            if exc.name == f"mlcorpus.cli.{module_name}":
                return None
            raise
        return getattr(module, attr)

    def invoke(self, ctx: click.Context) -> Any:
        set_input_encoding(None)  # each command starts from detection; --encoding sets it
        try:
            return super().invoke(ctx)
        except MlcorpusError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # `mlcorpus ... | head`: the reader went away; not an error of ours.
            sys.stderr.close()
            ctx.exit(0)
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mlcorpus")
def main() -> None:
    """Offline English<->Russian translation and parallel-corpus toolkit.

    Segment press releases into sentences, align a release with its
    translation, translate offline with Argos Translate models while
    enforcing a terminology glossary (with Russian inflection), score MT
    against references, and export parallel corpora (TMX, XLIFF, Moses,
    TSV, CSV, JSONL).

    \b
    Examples:
      mlcorpus segment corpus/en/2015-03-02-iom-csto-meeting.txt --lang en
      cat corpus/ru/2015-03-02-iom-csto-meeting.txt | mlcorpus segment - --lang ru
      mlcorpus align examples/src.en examples/ref.ru --segmented --format tmx -o pairs.tmx
      mlcorpus translate examples/src.en --from en --to ru -g glossary/migration.en-ru.tsv
      mlcorpus score --hyp examples/mt.ru --ref examples/ref.ru --format json
      mlcorpus run corpus/ -o build/

    Run 'mlcorpus COMMAND --help' for the options of each command.
    """
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            stream.reconfigure(encoding="utf-8")
