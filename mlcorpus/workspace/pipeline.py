"""``mlcorpus run``: the stages in order over a corpus folder.

discover → segment → align → translate → score → export → report, each stage
reading from and writing to the workspace.  Stages skip work whose inputs
have not changed (content hashes), so a second run after adding one release
processes only that release, and a killed run is finished by the next one.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from mlcorpus.errors import InputError
from mlcorpus.textio import refuse_clobber, remove_stale_temps
from mlcorpus.wording import plural
from mlcorpus.workspace.discover import ReleasePair, discover_releases
from mlcorpus.workspace.store import BuildLock, Workspace, release_hash, remove_workspace

if TYPE_CHECKING:
    from mlcorpus.align.beads import Bead
    from mlcorpus.align.stream import AlignJob
    from mlcorpus.glossary import Glossary
    from mlcorpus.mt import Translator
    from mlcorpus.mt.translate_segments import TranslationRun

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterator[T]]

EXPORT_FORMATS = ("tmx", "tsv", "jsonl")


def _no_progress(items: Iterable[T], length: int, label: str) -> Iterator[T]:
    yield from items


@dataclass
class RunOptions:
    corpus_dir: Path
    build_dir: Path
    glossary: str | None = None
    model: str | None = None
    directions: tuple[str, ...] = ("en-ru",)
    translate: bool = True
    beam_size: int = 4
    export_formats: tuple[str, ...] = EXPORT_FORMATS
    rebuild: bool = False  # start from a new workspace
    #: where alignment and translation run; None: this process
    executor: Executor | None = None


class Executor(Protocol):
    """Runs the heavy stages elsewhere (e.g. :class:`mlcorpus.distributed.RayExecutor`):
    the pipeline hands over work and stores what comes back."""

    def align_many(
        self, jobs: list[AlignJob], glossary: Any = None
    ) -> Iterator[tuple[int, list[Bead]]]:
        """``(job number, beads)`` for every job, in any order."""
        ...

    def translate_blocks(
        self, translator: Translator, blocks: Iterable[list[str]], **options: Any
    ) -> Iterator[TranslationRun]:
        """One run per block, in order, as
        :func:`mlcorpus.mt.translate_segments.translate_blocks`."""
        ...


@dataclass
class StageStats:
    processed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    note: str = ""


@dataclass
class RunSummary:
    build_dir: Path
    stages: dict[str, StageStats] = field(default_factory=dict)
    pairs: int = 0
    releases: int = 0
    beads: int = 0
    scores: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)


class Pipeline:
    """Runs the stages; the CLI is a thin shell over :meth:`run`."""

    def __init__(self, options: RunOptions, progress: Progress | None = None) -> None:
        self.opts = options
        self.progress = progress or _no_progress
        self.summary = RunSummary(options.build_dir)
        self._reports: dict = {}  # direction -> ScoreReport of this run, for the report

    def run(self) -> RunSummary:
        opts = self.opts
        if os.path.realpath(opts.build_dir) == os.path.realpath(opts.corpus_dir):
            raise InputError(
                f"{opts.build_dir}: the build folder cannot be the corpus folder; "
                "give another -o folder"
            )
        workspace = opts.build_dir / "workspace.sqlite"
        written = [workspace, opts.build_dir / "report.md"]
        written += [opts.build_dir / f"corpus.en-ru.{fmt}" for fmt in opts.export_formats]
        written += [opts.build_dir / f"report-{d}.html" for d in ("en-ru", "ru-en", "alignment")]
        refuse_clobber([("-o", path) for path in written], [opts.glossary])
        pairs = self._timed("discover", lambda st: self._discover(st))
        with BuildLock(opts.build_dir), contextlib.ExitStack() as stack:
            remove_stale_temps(opts.build_dir)  # left by a killed run, export or convert
            if opts.rebuild:
                remove_workspace(workspace)
            ws = stack.enter_context(Workspace(workspace))
            self.ws = ws
            # the glossary the scores and reports of this build were made with
            ws.set_setting("glossary", os.path.abspath(opts.glossary) if opts.glossary else None)
            self._timed("segment", lambda st: self._segment(pairs, st))
            self._timed("align", lambda st: self._align(pairs, st))
            translated_dirs: list[str] = []
            if opts.translate:
                translated_dirs = self._timed("translate", lambda st: self._translate(pairs, st))
            else:
                self.summary.stages["translate"] = StageStats(note="skipped (--no-translate)")
            self._timed("score", lambda st: self._score(pairs, translated_dirs, st))
            self._timed("export", lambda st: self._export(st))
            self._timed("report", lambda st: self._report(st))
        return self.summary

    # ------------------------------------------------------------------ stages
    def _timed(self, name: str, fn: Callable[[StageStats], T]) -> T:
        stats = StageStats()
        start = time.perf_counter()
        result = fn(stats)
        stats.seconds = time.perf_counter() - start
        self.summary.stages[name] = stats
        return result

    def _discover(self, stats: StageStats) -> list[ReleasePair]:
        pairs = discover_releases(self.opts.corpus_dir, exclude=[self.opts.build_dir])
        self.summary.pairs = sum(1 for p in pairs if p.en and p.ru)
        self.summary.releases = sum((p.en is not None) + (p.ru is not None) for p in pairs)
        stats.processed = self.summary.releases
        unpaired = [p.pair_id for p in pairs if not (p.en and p.ru)]
        if unpaired:
            self.summary.notes.append(
                f"{plural(len(unpaired), 'release')} without a translation: "
                f"{', '.join(unpaired[:5])}"
            )
        return pairs

    def _segment(self, pairs: list[ReleasePair], stats: StageStats) -> None:
        releases = [(p.pair_id, r) for p in pairs for r in (p.en, p.ru) if r is not None]
        removed = self.ws.prune_releases({(r.id, r.lang) for _, r in releases})
        if removed:
            stats.note = f"{plural(removed, 'release')} no longer in the corpus removed"
        for pair_id, release in self.progress(releases, len(releases), "segment"):
            state = self.ws.release_state(release.id, release.lang)
            digest = release_hash(release)
            if state is not None and state[1] == digest:
                stats.skipped += 1
                continue
            segments = [(s.paragraph, s.text) for s in release.sentences()]
            self.ws.store_segmented_release(release, pair_id, segments)
            stats.processed += 1

    def _align(self, pairs: list[ReleasePair], stats: StageStats) -> None:
        from mlcorpus.align.stream import AlignJob, align_many

        todo = []
        for pair in pairs:
            if pair.en is None or pair.ru is None:
                continue
            en_hash, ru_hash = release_hash(pair.en), release_hash(pair.ru)
            if self.ws.alignment_is_current(pair.pair_id, "en", en_hash, ru_hash):
                stats.skipped += 1
                continue
            src = self.ws.segments(pair.en.id, "en")
            tgt = self.ws.segments(pair.ru.id, "ru")
            todo.append((pair, en_hash, ru_hash, src, tgt))
        jobs = [
            AlignJob(
                [s.text for s in src],
                [t.text for t in tgt],
                "en",
                "ru",
                [s.paragraph for s in src],
                [t.paragraph for t in tgt],
            )
            for _, _, _, src, tgt in todo
        ]
        runner = self.opts.executor.align_many if self.opts.executor else align_many
        done = runner(jobs, self._glossary())
        for k, beads in self.progress(done, len(jobs), "align"):
            pair, en_hash, ru_hash, src, tgt = todo[k]
            rows = [
                (
                    list(b.src),
                    list(b.tgt),
                    " ".join(src[i].text for i in b.src),
                    " ".join(tgt[j].text for j in b.tgt),
                    b.score,
                )
                for b in beads
            ]
            self.ws.store_beads(pair.pair_id, "en", "ru", en_hash, ru_hash, rows)
            stats.processed += 1
        self.summary.beads = len(self.ws.beads("en", "ru"))
        from mlcorpus.workspace.overview import refresh_summaries

        refresh_summaries(self.ws)  # the workbench's corpus page reads these

    def _glossary(self) -> Glossary | None:
        if not self.opts.glossary:
            return None
        if not hasattr(self, "_glossary_obj"):
            from mlcorpus.glossary import load_glossary

            self._glossary_obj = load_glossary(self.opts.glossary)
        return self._glossary_obj

    def _translate(self, pairs: list[ReleasePair], stats: StageStats) -> list[str]:
        from mlcorpus.workspace.translate import translate_releases

        done: list[str] = []
        for direction in self.opts.directions:
            src_lang, tgt_lang = direction.split("-")
            translator = self._translator(src_lang, tgt_lang)
            if translator is None:
                from mlcorpus.mt.registry import missing_model_message

                self.summary.notes.append(missing_model_message(src_lang, tgt_lang))
                stats.note = "no model"
                continue
            releases = [p.side(src_lang) for p in pairs if p.side(src_lang) is not None]
            executor = self.opts.executor
            done_releases = translate_releases(
                self.ws,
                translator,
                [r.id for r in releases if r is not None],
                src_lang,
                tgt_lang,
                glossary=self._glossary(),
                beam_size=self.opts.beam_size,
                translate_blocks=executor.translate_blocks if executor else None,
            )
            for _, n in self.progress(done_releases, len(releases), f"translate {direction}"):
                if n:
                    stats.processed += 1
                else:
                    stats.skipped += 1
            done.append(direction)
        return done

    def _translator(self, src_lang: str, tgt_lang: str) -> Translator | None:
        from mlcorpus.mt import find_translator

        return find_translator(src_lang, tgt_lang, model=self.opts.model)

    def _score(self, pairs: list[ReleasePair], directions: list[str], stats: StageStats) -> None:
        from mlcorpus.workspace.score import score_direction

        for direction in directions:
            scores, report = score_direction(self.ws, direction, self.opts.glossary)
            self.ws.store_scores(direction, scores)
            if report is not None:
                self._reports[direction] = report
            stats.processed += 1
        self.summary.scores = self.ws.scores()

    def _export(self, stats: StageStats) -> None:
        from mlcorpus.workspace.export import export_workspace

        for fmt in self.opts.export_formats:
            out = self.opts.build_dir / f"corpus.en-ru.{fmt}"
            export_workspace(self.ws, out, fmt)
            self.summary.outputs.append(out)
            stats.processed += 1

    def _report(self, stats: StageStats) -> None:
        from mlcorpus.workspace.report import write_workspace_report

        self.summary.outputs.extend(
            write_workspace_report(self.ws, self.opts.build_dir, self.opts.glossary, self._reports)
        )
        stats.processed += 1
