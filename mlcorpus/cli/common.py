"""Options and helpers shared by several commands, so they look alike."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import click

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

LANG_CHOICE = click.Choice(["en", "ru"], case_sensitive=False)


def output_option(
    help_text: str = "Output file (default: stdout). Written atomically.",
) -> Callable[[F], F]:
    return click.option(
        "-o", "--output", "output", type=click.Path(dir_okay=False), default=None, help=help_text
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
