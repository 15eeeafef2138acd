"""One name per concept across every command, and the old spellings kept working.

A translator who learns ``translate --from en --to ru -g G -o OUT`` should be
able to type the same words in ``align``, ``score`` or ``glossary check``.
:data:`VOCABULARY` is the table of those words (README's command overview
shows it, and ``tests/test_cli_vocabulary.py`` walks every command's click
parameters against it); the option factories below are the only way the
commands spell them.

Old spellings stay as hidden :class:`Alias` es of a :class:`Command`: before
click parses the arguments, an alias is rewritten to the current spelling and
a one-line deprecation notice goes to stderr.  An alias is a long name only:
a short flag that now means something else (``score -f`` was ``--format``,
``score -m`` was ``--metrics``) is not kept, because a short flag never means
two things.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import click


@dataclass(frozen=True)
class Term:
    """One concept of the command line: its long name, its short flag (if
    any) and the commands that take it."""

    concept: str
    long: str
    short: str | None
    commands: str
    meaning: str


#: The vocabulary, in the order README shows it.
VOCABULARY: tuple[Term, ...] = (
    Term(
        "source language",
        "--from",
        "-f",
        "translate, align, score, convert, glossary check/fix",
        "language of the input (en, ru)",
    ),
    Term(
        "target language",
        "--to",
        "-t",
        "translate, align, score, convert, glossary check/fix",
        "language of the translation",
    ),
    Term("single language", "--lang", "-l", "segment", "language of a monolingual text"),
    Term("output format", "--format", None, "every command that writes", "text, json, tmx, ..."),
    Term("input format", "--input-format", None, "convert, glossary import", "default: guessed"),
    Term("output file", "--output", "-o", "every command that writes", "default: stdout"),
    Term("glossary", "--glossary", "-g", "translate, align, score, run, report, glossary *", "TSV"),
    Term("model", "--model", "-m", "translate, align, run", "installed name, folder or file"),
    Term("beam size", "--beam", None, "translate, run", "1-64, default 4"),
    Term("progress bar", "--progress", None, "align, translate, score, convert, run", "on stderr"),
    Term("metrics", "--metrics", None, "score", "bleu,chrf,chrfpp,ter"),
    Term("system output", "--hyp", "-i", "score, glossary check/fix", "one segment per line"),
    Term("reference", "--ref", "-r", "score", "line-aligned with --hyp"),
    Term("source text", "--src", "-s", "score, glossary check/fix", "line-aligned with --hyp"),
    Term("one sentence per line", "--segmented", None, "align, translate", "input is split"),
    Term("alignment score floor", "--min-score", None, "align, convert, export", "0-1"),
)

#: old spelling -> current one, shown in README next to the table
DEPRECATED: tuple[tuple[str, str], ...] = (
    ("--src-lang / --tgt-lang", "--from / --to"),
    ("convert --from/--to FORMAT", "--input-format / --format"),
    ("glossary import --format tsv/simple/tbx", "--input-format"),
    ("glossary import --report text/json", "--format"),
    ("glossary fix --report FILE", "--term-report FILE"),
    ("glossary list --format table", "--format text"),
)


def term(concept: str) -> Term:
    """The :class:`Term` of *concept*."""
    for entry in VOCABULARY:
        if entry.concept == concept:
            return entry
    raise KeyError(concept)


def flags(concept: str) -> list[str]:
    """The option names of *concept*, long name first."""
    entry = term(concept)
    return [entry.long] + ([entry.short] if entry.short else [])


class VocabOption(click.Option):
    """A click option that knows which concept of :data:`VOCABULARY` it is,
    so the consistency test can tell two concepts sharing a name apart."""

    def __init__(self, *args, concept: str | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.concept = concept


def vocab_option(concept: str, *extra: str, **kwargs):  # noqa: ANN003, ANN201
    """``click.option`` with the names the vocabulary gives *concept* (plus
    *extra*, e.g. the destination name)."""
    return click.option(*flags(concept), *extra, cls=VocabOption, concept=concept, **kwargs)


@dataclass(frozen=True)
class Alias:
    """A deprecated spelling *old* of the option now spelled *new*.

    With *values*, only ``old VALUE`` with VALUE among them is an alias (a
    mapping also renames the value): convert's ``--from tmx`` is the input
    format, ``--from en`` the language.
    """

    old: str
    new: str
    values: Collection[str] | None = None

    def __post_init__(self) -> None:
        if not self.old.startswith("--"):
            raise ValueError(f"an alias is a long name, not {self.old!r}")

    def new_value(self, value: str) -> str | None:
        """The value to pass on, or None when *value* is not this alias's."""
        if self.values is None:
            return value
        key = value.lower()
        if key not in {v.lower() for v in self.values}:
            return None
        if isinstance(self.values, Mapping):
            return {k.lower(): v for k, v in self.values.items()}[key]
        return value


@dataclass
class _Rewrite:
    args: list[str]
    notices: list[str] = field(default_factory=list)


def rewrite_aliases(
    aliases: Sequence[Alias], args: Sequence[str], takes_value: Collection[str]
) -> _Rewrite:
    """*args* with every deprecated spelling replaced, and the notices to print.

    *takes_value* holds the current option names that take a value, so that
    the value of an option is never mistaken for an option name.
    """
    out = _Rewrite([])
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            out.args.extend(args[i:])
            break
        name, eq, inline = arg.partition("=")
        value = inline if eq else (args[i + 1] if i + 1 < len(args) else None)
        for alias in aliases:
            if alias.old != name:
                continue
            if alias.values is None and alias.new not in takes_value:  # a flag
                out.args.append(alias.new)
                out.notices.append(f"{alias.old} is deprecated; use {alias.new}")
                i += 1
                break
            new = None if value is None else alias.new_value(value)
            if new is None:
                continue
            if alias.values is None:
                out.notices.append(f"{alias.old} is deprecated; use {alias.new}")
            else:
                out.notices.append(f"{alias.old} {value} is deprecated; use {alias.new} {new}")
            out.args += [alias.new, new]
            i += 1 if eq else 2
            break
        else:
            out.args.append(arg)
            if not eq and arg in takes_value and i + 1 < len(args):
                out.args.append(args[i + 1])  # an option's value is never an alias
                i += 1
            i += 1
    return out


class Command(click.Command):
    """A click command with deprecated :class:`Alias` es.

    The aliases are hidden from ``--help``; each use prints one line on
    stderr saying what to write instead.
    """

    def __init__(self, *args, aliases: Sequence[Alias] = (), **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.aliases = tuple(aliases)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if self.aliases:
            takes_value = {
                name
                for param in self.params
                if isinstance(param, click.Option) and not param.is_flag and not param.count
                for name in param.opts
            }
            rewritten = rewrite_aliases(self.aliases, args, takes_value)
            for notice in dict.fromkeys(rewritten.notices):
                click.echo(f"mlcorpus {ctx.info_name}: {notice}", err=True)
            args = rewritten.args
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        from mlcorpus.cli.common import refuse_clobbered_inputs

        refuse_clobbered_inputs(ctx)  # no output option may name an input
        return super().invoke(ctx)


class Group(click.Group):
    """A click group whose subcommands are :class:`Command` s."""

    command_class = Command


LANGUAGES = ("en", "ru")
#: format names a language option may be given by mistake (translate -f jsonl)
_FORMAT_NAMES = {"text", "json", "jsonl", "tsv", "csv", "tmx", "xliff", "xlf", "moses", "html"}
_FORMAT_NAMES |= {"markdown", "tbx", "table"}


class Language(click.Choice):
    """en or ru, also as a BCP 47 tag (``en-US``, ``ru_RU``, ``EN-us``), which
    comes back as its primary subtag: models, glossaries and segmenters are
    matched on the language, not the region.  A format name given by mistake
    gets a hint to --format."""

    name = "language"

    def __init__(self) -> None:
        super().__init__(LANGUAGES, case_sensitive=False)

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201
        if isinstance(value, str) and value.lower() in _FORMAT_NAMES:
            flag = "/".join(param.opts) if param is not None else "this option"
            self.fail(
                f"{value!r} is a format, not a language: {flag} is the language "
                f"({', '.join(LANGUAGES)}); give the format with --format {value}",
                param,
                ctx,
            )
        if isinstance(value, str):
            import re

            match = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})+", value.strip())
            if match and match.group(1).lower() in LANGUAGES:
                return match.group(1).lower()
        return super().convert(value, param, ctx).lower()


class LanguageCode(click.ParamType):
    """Any language tag (en, en-US, ru_RU) for formats that carry others;
    a format name gets the same hint as :class:`Language`."""

    name = "language"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201
        import re

        if not isinstance(value, str):
            return value
        if value.lower() in _FORMAT_NAMES:
            Language().convert(value, param, ctx)
        if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", value):
            self.fail(f"{value!r} is not a language code (en, ru, en-US...)", param, ctx)
        return value
