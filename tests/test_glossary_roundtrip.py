"""Property: any glossary survives TSV and TBX writing and reading unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from mlcorpus.glossary import Entry, Glossary
from mlcorpus.glossary.io_tbx import read_tbx, write_tbx
from mlcorpus.glossary.io_tsv import dump_tsv, parse_tsv

_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "Zs", "S"),
    exclude_characters="\t\n\r|\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
)
_TERM = (
    st.text(_CHARS, min_size=1, max_size=30)
    .map(str.strip)
    .filter(lambda t: t and not t.startswith("#"))
)
_LIST = st.lists(_TERM, max_size=3)


@st.composite
def entries(draw) -> list[Entry]:
    count = draw(st.integers(min_value=1, max_value=6))
    out: list[Entry] = []
    for number in range(count):
        out.append(
            Entry(
                en=f"{draw(_TERM)} {number}",
                ru=draw(_TERM),
                en_variants=draw(_LIST),
                ru_variants=draw(_LIST),
                ru_deprecated=draw(_LIST),
                en_deprecated=draw(_LIST),
                case_sensitive=draw(st.booleans()),
                note=draw(st.one_of(st.just(""), _TERM)),
                extra=draw(
                    st.dictionaries(st.sampled_from(["owner", "domain"]), _TERM, max_size=2)
                ),
            )
        )
    return out


@settings(max_examples=60, deadline=None)
@given(entries())
def test_tsv_and_tbx_round_trips(items):
    glossary = Glossary()
    for entry in items:
        glossary.add(entry)
    again = parse_tsv(dump_tsv(glossary))[0]
    assert again.entries == items
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.tbx"
        write_tbx(glossary, path)
        assert read_tbx(path) == items
