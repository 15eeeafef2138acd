"""``mlcorpus models``: list, install and remove Argos translation packages."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mlcorpus.cli.common import byte_progress, format_option, progress_option, want_progress
from mlcorpus.cli.vocabulary import Group

INDEX_HELP = (
    "Package index URL (a base URL that index.json is appended to, or the .json "
    "itself) [default: $ARGOS_PACKAGE_INDEX or Argos's index]."
)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB"


@click.group("models", cls=Group)
def models_group() -> None:
    """Manage the Argos Translate packages used by 'mlcorpus translate'.

    Packages live in Argos's package folder ($ARGOS_PACKAGES_DIR), so models
    installed with Argos Translate are used here and vice versa.

    \b
    Examples:
      mlcorpus models list
      mlcorpus models install en ru --both
      mlcorpus models remove translate-en_ru-1_9
      mlcorpus models install translate-en_ru-1_9.argosmodel
    """


@models_group.command("list")
@click.option("--available", is_flag=True, help="List the packages of the online index.")
@click.option("--index", "index", default=None, metavar="URL", help=INDEX_HELP)
@format_option(["text", "json"], "text", "text: a table for people; json for scripts.")
def list_cmd(available: bool, index: str | None, fmt: str) -> None:
    """List installed packages (direction, version, size, name, path); the
    name is what 'models remove' and 'translate --model' take.

    \b
    Examples:
      mlcorpus models list
      mlcorpus models list --format json
    """
    from mlcorpus.mt.registry import fetch_index, installed_packages, packages_dir
    from mlcorpus.wording import text_table

    if available:
        rows = [
            {
                "direction": f"{p.from_code}->{p.to_code}",
                "version": p.package_version,
                "from_name": p.from_name,
                "to_name": p.to_name,
                "links": list(p.links),
            }
            for p in fetch_index(index)
            if getattr(p, "type", "translate") == "translate"
        ]
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = [["direction", "version", "languages"]]
        table += [
            [str(r["direction"]), str(r["version"]), f"{r['from_name']} -> {r['to_name']}"]
            for r in rows
        ]
        for line in text_table(table):
            click.echo(line)
        return
    packages = installed_packages()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "direction": p.direction,
                        "version": p.version,
                        "name": p.name,
                        "size_bytes": p.size_bytes(),
                        "path": str(p.path),
                        "tokenizer": p.tokenizer_kind,
                        "toy": p.is_toy,
                    }
                    for p in packages
                ],
                indent=2,
            )
        )
        return
    if not packages:
        click.echo(f"No packages installed in {packages_dir()}.", err=True)
        click.echo(
            "Install one with 'mlcorpus models install en ru' (online) or "
            "'mlcorpus models install FILE.argosmodel'.",
            err=True,
        )
        return
    table = [["direction", "version", "size", "name", "path"]]
    table += [
        [p.direction, p.version, _size(p.size_bytes()), p.name, str(p.path)] for p in packages
    ]
    header, *lines = text_table(table, right=[2])
    click.echo(header)
    for line, p in zip(lines, packages, strict=True):
        toy = "  [toy test model: reproduces its training pairs only]" if p.is_toy else ""
        click.echo(line + toy)


@models_group.command("install")
@click.argument("what", nargs=-1, required=True)
@click.option("--both", is_flag=True, help="Also install the reverse direction.")
@click.option("--index", "index", default=None, metavar="URL", help=INDEX_HELP)
@progress_option()
def install_cmd(
    what: tuple[str, ...], both: bool, index: str | None, progress: bool | None
) -> None:
    """Install SRC TGT from the package index, or FILE.argosmodel from disk.

    \b
    Examples:
      mlcorpus models install en ru
      mlcorpus models install en ru --both
      mlcorpus models install ./translate-en_ru-1_9.argosmodel
    """
    from mlcorpus.errors import MlcorpusError
    from mlcorpus.mt.langcodes import is_language_code
    from mlcorpus.mt.registry import install_file, install_from_index

    if len(what) == 1:
        if both:
            raise MlcorpusError("--both applies to 'install SRC TGT', not to a file")
        installed = [install_file(Path(what[0]))]
    elif len(what) == 2:
        src, tgt = (w.lower() for w in what)
        for code in (src, tgt):
            if not is_language_code(code):
                raise MlcorpusError(
                    f"{code!r} is not an ISO 639 language code; give SRC TGT "
                    "(e.g. 'en ru') or one .argosmodel file"
                )
        pairs = [(src, tgt), (tgt, src)] if both else [(src, tgt)]
        installed = []
        for s, t in pairs:
            with byte_progress(f"Downloading {s}->{t}", want_progress(progress)) as report:
                installed.append(install_from_index(s, t, index, progress=report))
    else:
        raise MlcorpusError("give either SRC TGT (e.g. 'en ru') or one .argosmodel file")
    for p in installed:
        click.echo(f"Installed {p.direction} {p.name} {p.version} in {p.path}")


@models_group.command("remove")
@click.argument("what", nargs=-1, required=True)
def remove_cmd(what: tuple[str, ...]) -> None:
    """Remove the package NAME (as 'models list' shows it), or the SRC TGT package(s).

    \b
    Examples:
      mlcorpus models remove translate-en_ru-1_9
      mlcorpus models remove en ru
    """
    from mlcorpus.errors import MlcorpusError
    from mlcorpus.mt.registry import remove

    if len(what) > 2:
        raise MlcorpusError("give one package NAME or SRC TGT")
    removed = remove(what[0]) if len(what) == 1 else remove(what[0].lower(), what[1].lower())
    for p in removed:
        click.echo(f"Removed {p.direction} {p.name} {p.version} from {p.path}")
