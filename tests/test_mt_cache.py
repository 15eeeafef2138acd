"""The SQLite translation cache and cache-aware segment translation."""

from __future__ import annotations

import sqlite3

import pytest

from mlcorpus.errors import MlcorpusError
from mlcorpus.mt.cache import CachedTranslation, TranslationCache, default_cache_path
from mlcorpus.mt.translate_segments import translate_segments


def test_put_get_and_key_parts(tmp_path):
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        cache.put_many("m@1#a", "{}", "", [("Hello.", CachedTranslation("Привет.", "Привет."))])
        assert cache.get_many("m@1#a", "{}", "", ["Hello.", "Bye."]) == {
            "Hello.": CachedTranslation("Привет.", "Привет.")
        }
        assert (cache.hits, cache.misses) == (1, 1)
        # every key part matters
        assert cache.get_many("m@2#a", "{}", "", ["Hello."]) == {}
        assert cache.get_many("m@1#a", '{"beam_size":1}', "", ["Hello."]) == {}
        assert cache.get_many("m@1#a", "{}", "g1", ["Hello."]) == {}
    # persisted, in WAL mode, with reports kept as JSON
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        cache.put_many("m", "{}", "g1", [("a", CachedTranslation("b", "c", {"hits": [1]}))])
        got = cache.get_many("m", "{}", "g1", ["a"])["a"]
        assert (got.text, got.raw_text, got.term_report) == ("b", "c", {"hits": [1]})
        assert len(cache) == 2
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_cache_lives_in_a_shared_connection(tmp_path):
    conn = sqlite3.connect(tmp_path / "workspace.sqlite")
    conn.execute("CREATE TABLE other (x)")
    cache = TranslationCache(conn)
    cache.put_many("m", "{}", "", [("a", CachedTranslation("b", "b"))])
    cache.close()  # does not close a connection it does not own
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"other", "mt_cache"} <= tables


def test_lookup_of_many_sources_crosses_sqlite_variable_limit(tmp_path):
    sources = [f"segment {i}" for i in range(1300)]
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        cache.put_many("m", "{}", "", [(s, CachedTranslation(s.upper(), s)) for s in sources])
        found = cache.get_many("m", "{}", "", sources)
    assert len(found) == 1300 and found["segment 1299"].text == "SEGMENT 1299"


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(MlcorpusError, match="not a usable translation cache"):
        TranslationCache(bad)


def test_default_location_follows_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("MLCORPUS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_path() == tmp_path / "mlcorpus" / "translations.sqlite"
    monkeypatch.setenv("MLCORPUS_CACHE", str(tmp_path / "x.sqlite"))
    assert default_cache_path() == tmp_path / "x.sqlite"


def test_second_run_translates_only_new_segments(tmp_path, test_models, en_ru):
    sources = [en for en, _ in test_models.pairs[:6]]
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        first = translate_segments(en_ru, sources + ["", sources[0]], cache=cache)
        assert (first.unique, first.cache_hits, first.translated) == (6, 0, 6)
        assert first.texts[6] == "" and first.texts[7] == first.texts[0]
        more = sources + [test_models.pairs[10][0]]
        second = translate_segments(en_ru, more, cache=cache)
        assert (second.cache_hits, second.translated) == (6, 1)
        assert second.texts[:6] == first.texts[:6]
        assert [r.cached for r in second.results] == [True] * 6 + [False]
        assert second.texts[6] == test_models.pairs[10][1]


def test_cached_text_is_served_instead_of_the_model(tmp_path, test_models, en_ru):
    """Proof that a hit skips decoding: a planted entry comes back verbatim."""
    source = test_models.pairs[3][0]
    with TranslationCache(tmp_path / "c.sqlite") as cache:
        cache.put_many(
            en_ru.model_id,
            en_ru.options_key(),
            "",
            [(source, CachedTranslation("PLANTED", "PLANTED"))],
        )
        run = translate_segments(en_ru, [source], cache=cache)
        assert run.texts == ["PLANTED"] and run.translated == 0
        # a different beam is a different key: the model runs again
        other = translate_segments(en_ru, [source], cache=cache, beam_size=2)
        assert other.texts == [test_models.pairs[3][1]] and other.translated == 1


def test_release_segments_go_into_the_workspace_once(tmp_path, test_models, en_ru):
    from mlcorpus.release import Release
    from mlcorpus.workspace import Workspace, translate_release

    pairs = test_models.pairs[20:23]
    release = Release(id="r1", lang="en", title="", paragraphs=[pairs[0][0]])
    with Workspace(tmp_path / "ws.sqlite") as ws:
        ws.store_segmented_release(release, "r1", [(0, en) for en, _ in pairs])
        assert translate_release(ws, en_ru, "r1", "en", "ru") == 3
        stored = ws.translations("r1", "en", "ru")
        assert [stored[i]["text"] for i in range(3)] == [ru for _, ru in pairs]
        assert stored[0]["model"] == en_ru.model_id
        # the workspace hosts the cache table: a re-run decodes nothing
        assert translate_release(ws, en_ru, "r1", "en", "ru") == 0
    with sqlite3.connect(tmp_path / "ws.sqlite") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "mt_cache" in tables
