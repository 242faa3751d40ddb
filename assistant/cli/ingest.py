"""The ingest command: build or check the index, with progress and a short summary."""
from __future__ import annotations

import sys
import time

from ..config import load_settings
from ..errors import CoachError, IndexError_
from ..search.index import IndexStore
from ..knowledge.model import load_knowledge


def progress_bar(done: int, total: int, started: float, unit: str = "stukken") -> None:
    """One progress line on stderr while embedding (also for own documents: ``unit`` passages)."""
    width = 30
    filled = int(width * done / max(total, 1))
    rate = done / max(time.perf_counter() - started, 1e-6)
    print(f"\r  Insluiten [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {unit} "
          f"({rate:.0f}/s)", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _damage(store: IndexStore) -> list[str]:
    """An index that looks current but cannot be read is damaged."""
    try:
        _ = store.open().chunks
        return []
    except IndexError_ as err:
        return [f"de index is beschadigd ({err})"]
    except Exception as err:  # chromadb's own errors on damaged files
        return [f"de index is beschadigd ({type(err).__name__})"]


def build_index(settings, knowledge, progress=None, force: bool = False, announce=None, client=None,
                embedder=None):
    """Build the index when it is missing or stale (or always with ``force``); returns the manifest
    or ``None`` when nothing had to be done. ``announce(reasons)`` is called once work starts;
    ``client``: the Chroma client to build into (see ``IndexStore``); ``embedder``: a loaded
    embedder instead of the one ``COACH_EMBED_MODEL`` names (loaded only when needed)."""
    from ..search.embeddings import make_embedder
    store = IndexStore(settings, client)
    with store.lock():
        reasons = store.status(knowledge, embedder or settings.embed_model) or _damage(store)
        if not reasons and not force:
            return None
        embedder = embedder or make_embedder(settings.embed_model)
        if announce:
            announce(reasons or ["opnieuw bouwen gevraagd"])
        return store.build(knowledge, embedder, progress=progress)


def run(rebuild: bool = False, check: bool = False) -> int:
    try:
        settings = load_settings()
        knowledge = load_knowledge(settings.corpus_path)
        store = IndexStore(settings)
        if check:
            reasons = store.status(knowledge, settings.embed_model) or _damage(store)
            if reasons:
                print("Index niet bruikbaar: " + "; ".join(reasons) + ". Bouw hem met: python ingest.py",
                      file=sys.stderr)
                return 1
            manifest = store.read_manifest()
            print(f"Index in orde: {manifest.chunk_count} stukken, model {manifest.embedder}, "
                  f"gebouwd {manifest.built_at}.")
            return 0
        started = time.perf_counter()

        def announce(reasons):
            print(f"Index bouwen met {settings.embed_model} in {settings.chroma_host or settings.data_dir} "
                  f"({'; '.join(reasons)}) …", file=sys.stderr)

        manifest = build_index(settings, knowledge, lambda d, t: progress_bar(d, t, started), force=rebuild,
                               announce=announce)
        if manifest is None:
            current = store.read_manifest()
            print(f"Index is al actueel ({current.chunk_count} stukken, {current.embedder}); "
                  "niets te doen. Gebruik --rebuild om toch opnieuw te bouwen.")
            return 0
        print(f"Klaar: {manifest.sections} secties, {manifest.blocks} bouwstenen, {manifest.cases} "
              f"praktijkverhalen, {manifest.chunk_count} stukken, {manifest.seconds:.1f} s "
              f"(model {manifest.embedder}).")
        # Train the block, case and scope models for this index now, so the app starts at once.
        from ..service import open_coach
        started = time.perf_counter()
        coach = open_coach(settings)
        if coach.models is not None:
            print(f"Bouwsteen-, verhaal-, onderwerp- en passagemodel getraind op de situatielaag in "
                  f"{time.perf_counter() - started:.1f} s.")
        return 0
    except CoachError as err:
        print(f"Fout: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("\nAfgebroken; de bestaande index is niet aangeraakt.", file=sys.stderr)
        return 130
