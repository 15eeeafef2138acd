"""Options and helpers shared by several commands, so they look alike."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import click

from mlcorpus.textio import ENCODINGS, set_input_encoding

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

LANG_CHOICE = click.Choice(["en", "ru"], case_sensitive=False)


def output_option(
    help_text: str = "Output file (default: stdout). Written atomically.",
) -> Callable[[F], F]:
    return click.option(
        "-o", "--output", "output", type=click.Path(dir_okay=False), default=None, help=help_text
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
        default=None,
        help="Show a progress bar on stderr (default: only when stderr is a terminal).",
    )


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
