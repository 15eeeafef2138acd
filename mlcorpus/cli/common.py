"""Options and helpers shared by several commands, so they look alike."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

import click

T = TypeVar("T")

LANG_CHOICE = click.Choice(["en", "ru"], case_sensitive=False)


def output_option(help_text: str = "Output file (default: stdout). Written atomically."):
    return click.option(
        "-o", "--output", "output", type=click.Path(dir_okay=False), default=None, help=help_text
    )


def progress_option():
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


@contextlib.contextmanager
def progress_counter(
    length: int | None, *, label: str, enabled: bool
) -> Iterator[Callable[[int], None]]:
    """A progress bar for streamed work: yields ``advance(n)``, called as each
    block of *n* items is done (a no-op when the bar is disabled)."""
    if not enabled:
        yield lambda _n: None
        return
    with click.progressbar(
        length=length, label=label, file=sys.stderr, show_pos=True, show_eta=length is not None
    ) as bar:
        yield bar.update


def ray_option():
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
