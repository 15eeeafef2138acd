"""Options and helpers shared by several commands, so they look alike."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

from mlcorpus.cli.vocabulary import Language, VocabOption, vocab_option
from mlcorpus.textio import ENCODINGS, set_input_encoding

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

LANG_CHOICE = Language()


def output_option(
    help_text: str = "Output file (default: stdout). Written atomically.",
) -> Callable[[F], F]:
    return vocab_option(
        "output file", "output", type=click.Path(dir_okay=False), default=None, help=help_text
    )


def _set_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    set_input_encoding(value)


def encoding_option() -> Callable[[F], F]:
    """``--encoding``: how every input of the command is decoded (default: UTF-8,
    with cp1251/koi8-r/UTF-16 detected only when a file is not UTF-8 at all)."""
    return click.option(
        "--encoding",
        type=click.Choice(ENCODINGS, case_sensitive=False),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_encoding,
        help="Encoding of the input files (default: UTF-8; a file that is not UTF-8 "
        "at all is read as UTF-16, cp1251 or koi8-r when it looks like one). "
        "utf-8:replace turns bad bytes into U+FFFD instead of an error.",
    )


def progress_option() -> Callable[[F], F]:
    return click.option(
        "--progress/--no-progress",
        cls=VocabOption,
        concept="progress bar",
        default=None,
        help="Show a progress bar on stderr (default: only when stderr is a terminal).",
    )


def lang_pair_options(
    required: bool = False,
    from_help: str = "Source language (default: detected from the script).",
    to_help: str = "Target language (default: the other one).",
) -> Callable[[F], F]:
    """``-f/--from`` and ``-t/--to``: the language pair, as in argos-translate."""

    def decorate(fn: F) -> F:
        fn = vocab_option(
            "target language",
            "tgt_lang",
            type=LANG_CHOICE,
            required=required,
            default=None,
            help=to_help,
        )(fn)
        return vocab_option(
            "source language",
            "src_lang",
            type=LANG_CHOICE,
            required=required,
            default=None,
            help=from_help,
        )(fn)

    return decorate


def glossary_option(
    help_text: str = "Glossary TSV.",
    default: str | None = None,
    dest: str = "glossary",
    **kwargs: Any,
) -> Callable[[F], F]:
    """``-g/--glossary``: the terminology glossary file."""
    return vocab_option(
        "glossary",
        dest,
        type=click.Path(dir_okay=False),
        default=default,
        help=help_text,
        **kwargs,
    )


def model_option(
    help_text: str = "Installed package name, package folder or .argosmodel file.",
) -> Callable[[F], F]:
    """``-m/--model``: the translation model (default: the installed one)."""
    return vocab_option("model", "model", default=None, metavar="NAME|PATH", help=help_text)


def beam_option() -> Callable[[F], F]:
    """``--beam``: one range for every command that translates."""
    return vocab_option(
        "beam size",
        "beam",
        type=click.IntRange(1, 64),
        default=4,
        show_default=True,
        help="Beam size for translation.",
    )


def format_option(
    choices: Sequence[str] | click.ParamType, default: str | None, help_text: str, **kw: Any
) -> Callable[[F], F]:
    """``--format``: the output format, one choice list per command."""
    if default is not None:
        kw.setdefault("show_default", True)
    kind = choices if isinstance(choices, click.ParamType) else click.Choice(list(choices))
    return vocab_option("output format", "fmt", type=kind, default=default, help=help_text, **kw)


def want_progress(flag: bool | None) -> bool:
    """Progress bars go to stderr, and only to a terminal unless asked for."""
    if flag is not None:
        return flag
    return sys.stderr.isatty()


def progress(items: Iterable[T], *, length: int | None, label: str, enabled: bool) -> Iterator[T]:
    """Iterate *items*, drawing a click progress bar on stderr when enabled."""
    if not enabled:
        yield from items
        return
    with click.progressbar(
        items, length=length, label=label, file=sys.stderr, show_pos=True, show_eta=True
    ) as bar:
        yield from bar


def ray_option() -> Callable[[F], F]:
    """``--ray [ADDRESS]``: run on a Ray cluster (``auto``: the one this machine
    belongs to); ``MLCORPUS_RAY_ADDRESS`` sets it too.  Ray is imported only then."""
    return click.option(
        "--ray",
        "ray_address",
        is_flag=False,
        flag_value="auto",
        default=None,
        envvar="MLCORPUS_RAY_ADDRESS",
        metavar="[ADDRESS]",
        help="Translate on a Ray cluster: ADDRESS of its head (host:port or ray://...), "
        "or none for the cluster this machine belongs to [env: MLCORPUS_RAY_ADDRESS]. "
        'Needs pip install "mlcorpus[ray]".',
    )


@contextmanager
def byte_progress(label: str, enabled: bool) -> Iterator[Callable[[int, int | None], None] | None]:
    """A ``(done, total)`` callback drawing a bytes progress bar on stderr, or
    None when disabled; the bar's length is set from the first total seen."""
    if not enabled:
        yield None
        return
    bar: Any = None  # click's ProgressBar, created when the total is known
    seen = 0

    def report(done: int, total: int | None) -> None:
        nonlocal bar, seen
        if bar is None:
            bar = click.progressbar(
                length=total,
                label=label,
                file=sys.stderr,
                show_eta=True,
                item_show_func=lambda text: text,
            )
            bar.__enter__()
        of_total = f"/{total / 1e6:.1f}" if total else ""
        bar.update(done - seen, f"{done / 1e6:.1f}{of_total} MB")
        seen = done

    try:
        yield report
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
            # click draws no bar off a terminal: say what was fetched in one line
            click.echo(f"{label}: {seen / 1e6:.1f} MB", err=True)


def step_progress(label: str, enabled: bool) -> Callable[[Sequence[T]], Iterator[T]] | None:
    """A progress wrapper for the library's step lists (scoring systems,
    translating batches): a bar on stderr advancing as each step is taken."""
    if not enabled:
        return None

    def wrap(steps: Sequence[T]) -> Iterator[T]:
        return progress(steps, length=len(steps), label=label, enabled=True)

    return wrap


#: parameters that name files a command writes (convert's OUT argument is "output")
OUTPUT_PARAMS = ("output", "segments_path", "report_path")


def _flag(param: click.Parameter) -> str:
    if isinstance(param, click.Option):
        shorts = [o for o in param.opts if not o.startswith("--")]
        return (shorts or param.opts)[0]
    return (param.human_readable_name or param.name or "OUT").upper()


def _written_paths(path: str, params: dict[str, Any]) -> list[str]:
    """The files an output option may write: Moses (asked for, or guessed
    from a name without a format extension) turns ``OUT`` into ``OUT.en`` and
    ``OUT.ru``."""
    paths = [path]
    stem, ext = os.path.splitext(path)
    fmt = params.get("fmt", "")
    if fmt == "moses" or (fmt is None and ext in ("", ".en", ".ru")):
        base = stem if ext in (".en", ".ru") else path
        paths += [f"{base}.en", f"{base}.ru"]
    return paths


def _read_paths(value: object) -> list[str]:
    """The files an input parameter may name: a path, each of several paths,
    a build folder's workspace, a Moses corpus's two sides."""
    values = value if isinstance(value, (list, tuple)) else [value]
    found: list[str] = []
    for item in values:
        if not isinstance(item, (str, os.PathLike)) or os.fspath(item) in ("", "-"):
            continue
        name = os.fspath(item)
        if os.path.isdir(name):
            found.append(os.path.join(name, "workspace.sqlite"))
        elif os.path.exists(name):
            found.append(name)
        else:
            found += [f"{name}.en", f"{name}.ru"]
    return found


def refuse_clobbered_inputs(ctx: click.Context) -> None:
    """Stop any command whose output option names one of its inputs (the
    files, the workspace, the glossary): ``-o would overwrite the input FILE``.

    Runs for every command before it starts, so no command can forget it;
    outputs are the parameters in :data:`OUTPUT_PARAMS`, inputs every other
    parameter whose value names a file."""
    from mlcorpus.errors import InputError
    from mlcorpus.textio import refuse_clobber

    outputs: list[tuple[str, str]] = []
    inputs: list[str] = []
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if param.name in OUTPUT_PARAMS:
            if isinstance(value, str) and value != "-" and not os.path.isdir(value):
                for path in _written_paths(value, ctx.params):
                    outputs.append((_flag(param), path))
        else:
            inputs += _read_paths(value)
    refuse_clobber(outputs, inputs)
    seen: dict[str, str] = {}
    for flag, path in outputs:
        real = os.path.realpath(path)
        if real in seen and seen[real] != flag:
            raise InputError(f"{seen[real]} and {flag} name the same file {path}")
        seen.setdefault(real, flag)


@contextlib.contextmanager
def progress_counter(
    length: int | None, *, label: str, enabled: bool
) -> Iterator[Callable[[int], None]]:
    """A progress bar for work the library reports as it goes: yields
    ``advance(n)``, called as each block of *n* units is done (a no-op when
    the bar is disabled)."""
    if not enabled:
        yield lambda _n: None
        return
    bar: ProgressBar[int]
    with click.progressbar(
        length=length, label=label, file=sys.stderr, show_pos=True, show_eta=length is not None
    ) as bar:
        yield bar.update
