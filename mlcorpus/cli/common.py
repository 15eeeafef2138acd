"""Options and helpers shared by several commands, so they look alike."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

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


@contextmanager
def byte_progress(label: str, enabled: bool) -> Iterator[Callable[[int, int | None], None] | None]:
    """A ``(done, total)`` callback drawing a bytes progress bar on stderr, or
    None when disabled; the bar's length is set from the first total seen."""
    if not enabled:
        yield None
        return
    state: dict[str, Any] = {"bar": None, "done": 0}

    def report(done: int, total: int | None) -> None:
        if state["bar"] is None:
            state["bar"] = click.progressbar(
                length=total,
                label=label,
                file=sys.stderr,
                show_eta=True,
                item_show_func=lambda text: text,
            )
            state["bar"].__enter__()
        of_total = f"/{total / 1e6:.1f}" if total else ""
        state["bar"].update(done - state["done"], f"{done / 1e6:.1f}{of_total} MB")
        state["done"] = done

    try:
        yield report
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
            # click draws no bar off a terminal: say what was fetched in one line
            click.echo(f"{label}: {state['done'] / 1e6:.1f} MB", err=True)
