"""One name per concept: every command's options checked against the vocabulary.

The walk covers every registered command and the subcommands of the
``glossary`` and ``models`` groups, so a new option that reuses a name or a
short flag for something else fails here, not in a user's script.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from mlcorpus.cli import COMMANDS, main
from mlcorpus.cli.vocabulary import VOCABULARY, Alias, Command, rewrite_aliases

REPO = Path(__file__).resolve().parent.parent
#: spellings that only live on as hidden aliases
RETIRED = {"--src-lang", "--tgt-lang", "--report", "--fmt"}


def _commands() -> list[tuple[str, click.Command]]:
    found = []
    for name in sorted(COMMANDS):
        cmd = main.get_command(click.Context(main), name)
        assert cmd is not None, name
        if isinstance(cmd, click.Group):
            for sub in sorted(cmd.list_commands(click.Context(cmd))):
                found.append((f"{name} {sub}", cmd.get_command(click.Context(cmd), sub)))
        else:
            found.append((name, cmd))
    return found


def _options(cmd: click.Command) -> list[click.Option]:
    return [p for p in cmd.params if isinstance(p, click.Option) and p.name != "help"]


def _concept(option: click.Option) -> str:
    """The declared concept, else the option's long name (its own concept)."""
    declared = getattr(option, "concept", None)
    if declared:
        return declared
    longs = [o for o in option.opts if o.startswith("--")]
    return longs[0] if longs else option.opts[0]


def _short(name: str) -> bool:
    return name.startswith("-") and not name.startswith("--")


def test_every_group_is_walked() -> None:
    names = {name for name, _ in _commands()}
    assert {"glossary check", "glossary fix", "models list", "models remove"} <= names
    assert {"segment", "align", "translate", "score", "convert", "export", "run"} <= names


def test_no_name_or_short_flag_means_two_things() -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    by_concept: dict[str, set[str]] = defaultdict(set)
    where: dict[str, set[str]] = defaultdict(set)
    for cmd_name, cmd in _commands():
        for option in _options(cmd):
            concept = _concept(option)
            for name in option.opts + option.secondary_opts:
                by_name[name].add(concept)
                where[name].add(cmd_name)
            by_concept[concept].add(next(o for o in option.opts if o.startswith("--")))
    clashes = {n: sorted(c) for n, c in by_name.items() if len(c) > 1}
    assert not clashes, f"names used for two concepts: {clashes}"
    several = {c: sorted(n) for c, n in by_concept.items() if len(n) > 1}
    assert not several, f"concepts with two long names: {several}"
    retired = sorted(RETIRED & set(by_name))
    assert not retired, f"retired spellings still visible: {retired}"


def test_short_flags_follow_their_long_name_everywhere() -> None:
    """A long name has the same short flag (or none) in every command."""
    shorts: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for _, cmd in _commands():
        for option in _options(cmd):
            long = next(o for o in option.opts if o.startswith("--"))
            shorts[long].add(tuple(sorted(o for o in option.opts if _short(o))))
    mixed = {n: sorted(s) for n, s in shorts.items() if len(s) > 1}
    assert not mixed, f"long names with different short flags: {mixed}"


def test_options_use_the_vocabulary_names() -> None:
    expected = {t.concept: (t.long, t.short) for t in VOCABULARY}
    seen = set()
    for cmd_name, cmd in _commands():
        for option in _options(cmd):
            concept = getattr(option, "concept", None)
            if concept is None:
                continue
            assert concept in expected, f"{cmd_name}: unknown concept {concept!r}"
            long, short = expected[concept]
            assert long in option.opts, f"{cmd_name}: {concept} is not {long}"
            assert (short in option.opts) if short else not any(map(_short, option.opts))
            seen.add(concept)
    assert seen == set(expected), f"vocabulary entries no command uses: {set(expected) - seen}"


def test_language_options_are_languages_everywhere() -> None:
    """--from/--to never take a format (as convert's did): en and ru are valid."""
    for cmd_name, cmd in _commands():
        for option in _options(cmd):
            if "--from" in option.opts or "--to" in option.opts:
                ctx = click.Context(cmd)
                assert option.type.convert("ru", option, ctx).lower() == "ru", cmd_name
                with pytest.raises(click.BadParameter):
                    option.type.convert("tmx", option, ctx)


def test_hidden_aliases_never_take_a_short_flag_or_a_visible_name() -> None:
    visible: dict[str, dict[str, click.Option]] = {}
    for cmd_name, cmd in _commands():
        visible[cmd_name] = {n: o for o in _options(cmd) for n in o.opts + o.secondary_opts}
    all_visible = {n for names in visible.values() for n in names}
    for cmd_name, cmd in _commands():
        for alias in getattr(cmd, "aliases", ()):
            assert not _short(alias.old), f"{cmd_name}: short alias {alias.old}"
            assert alias.new in visible[cmd_name], f"{cmd_name}: {alias.new} does not exist"
            if alias.old in all_visible:
                # a visible name: only values that the visible option refuses
                assert alias.values, f"{cmd_name}: {alias.old} is visible and aliased"
                here = visible[cmd_name].get(alias.old)
                if here is not None and isinstance(here.type, click.Choice):
                    assert not set(alias.values) & set(here.type.choices), cmd_name


def _invoke(args: list[str], **kw: object) -> Result:
    return CliRunner().invoke(main, args, **kw)


def test_deprecated_spellings_still_work_with_one_notice(tmp_path: Path) -> None:
    src = tmp_path / "src.en"
    hyp = tmp_path / "hyp.ru"
    src.write_text("The CSTO member states met.\n", encoding="utf-8")
    hyp.write_text("Государства-члены ОДКБ встретились.\n", encoding="utf-8")
    old = _invoke(
        ["score", "--hyp", str(hyp), "--ref", str(hyp), "--src-lang", "en", "--tgt-lang", "ru"]
    )
    new = _invoke(["score", "--hyp", str(hyp), "--ref", str(hyp), "--from", "en", "--to", "ru"])
    assert old.exit_code == 0 and new.exit_code == 0, old.output
    assert old.stdout == new.stdout
    notices = [line for line in old.stderr.splitlines() if "deprecated" in line]
    assert notices == [
        "mlcorpus score: --src-lang is deprecated; use --from",
        "mlcorpus score: --tgt-lang is deprecated; use --to",
    ]
    assert "deprecated" not in new.stderr


def test_convert_from_a_format_is_the_input_format(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.data"
    pairs.write_text("en\tru\nHello.\tПривет.\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    old = _invoke(["convert", str(pairs), str(out), "--from", "tsv", "--to=jsonl"])
    assert old.exit_code == 0, old.output
    assert "--from tsv is deprecated; use --input-format tsv" in old.stderr
    assert "--to jsonl is deprecated; use --format jsonl" in old.stderr
    assert '"Привет."' in out.read_text(encoding="utf-8")
    new = _invoke(
        ["convert", str(pairs), str(out), "--input-format", "tsv", "--from", "en", "--to", "ru"]
    )
    assert new.exit_code == 0 and "deprecated" not in new.stderr, new.output


def test_a_format_given_as_a_language_gets_a_hint() -> None:
    result = _invoke(["translate", "-", "-f", "jsonl", "-t", "ru"], input="Hello.\n")
    assert result.exit_code == 2
    assert "'jsonl' is a format, not a language" in result.stderr
    assert "--format jsonl" in result.stderr


def test_align_takes_the_glossary_short_flag(tmp_path: Path) -> None:
    en = tmp_path / "en.txt"
    ru = tmp_path / "ru.txt"
    en.write_text("The CSTO met.\nThe IOM spoke.\n", encoding="utf-8")
    ru.write_text("ОДКБ встретилась.\nМОМ выступила.\n", encoding="utf-8")
    gloss = REPO / "glossary" / "migration.en-ru.tsv"
    result = _invoke(
        ["align", str(en), str(ru), "-f", "en", "-t", "ru", "--segmented", "-g", str(gloss)]
    )
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2


def test_rewrite_never_touches_option_values() -> None:
    aliases = [Alias("--report", "--term-report")]
    out = rewrite_aliases(aliases, ["--src", "--report", "--report", "x.jsonl"], {"--src"})
    assert out.args == ["--src", "--report", "--term-report", "x.jsonl"]
    assert out.notices == ["--report is deprecated; use --term-report"]
    assert rewrite_aliases(aliases, ["--", "--report"], set()).args == ["--", "--report"]


def test_glossary_list_table_is_now_text() -> None:
    gloss = REPO / "glossary" / "migration.en-ru.tsv"
    old = _invoke(["glossary", "list", "-g", str(gloss), "--format", "table"])
    new = _invoke(["glossary", "list", "-g", str(gloss), "--format", "text"])
    assert old.exit_code == 0 and old.stdout == new.stdout
    assert "--format table is deprecated; use --format text" in old.stderr


def test_readme_shows_the_vocabulary_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    overview = readme.split("## Command overview", 1)[1].split("\n## ", 1)[0]
    for t in VOCABULARY:
        flag = f"`{t.short}`, `{t.long}`" if t.short else f"`{t.long}`"
        assert f"| {t.concept} | {flag} |" in overview, t.concept


def test_every_command_class_supports_aliases() -> None:
    for cmd_name, cmd in _commands():
        assert isinstance(cmd, Command), f"{cmd_name} is not a mlcorpus.cli.vocabulary.Command"
