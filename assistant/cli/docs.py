"""``python -m assistant docs add|list|remove``: own documents from the command line."""
from __future__ import annotations

import json
import sys
import time

from ..config import load_settings
from ..docs.library import DocRecord, DocStore
from .ingest import progress_bar


def add_arguments(sub) -> None:
    """The ``docs`` subcommands, on the CLI's subparsers."""
    p_docs = sub.add_parser("docs", help="eigen documenten naast het magazine: toevoegen, tonen, verwijderen")
    docs = p_docs.add_subparsers(dest="docs_cmd", required=True)
    p_add = docs.add_parser("add", help="voeg PDF-, Word-, Markdown- of tekstbestanden toe")
    p_add.add_argument("files", nargs="+", metavar="BESTAND")
    p_add.add_argument("--title", default=None, help="titel in de bronvermelding (alleen bij één bestand)")
    p_add.set_defaults(func=cmd_add)
    p_list = docs.add_parser("list", help="toon de eigen documenten")
    p_list.add_argument("--json", action="store_true")
    p_list.set_defaults(func=cmd_list)
    p_rm = docs.add_parser("remove", help="verwijder een document (bestand, passages en vectoren)")
    p_rm.add_argument("id", help="het id uit: docs list")
    p_rm.set_defaults(func=cmd_remove)


def summary(record: DocRecord, seconds: float) -> str:
    """One line per added document: title, pages, passages, seconds."""
    pages = f"{record.pages} pagina's, " if record.pages else ""
    return f"Toegevoegd: {record.title} (id {record.id}) — {pages}{record.passages} passages, {seconds:.1f} s."


def cmd_add(args) -> int:
    from ..search.embeddings import make_embedder
    settings = load_settings()
    store = DocStore(settings)
    started = time.perf_counter()
    embedder = make_embedder(settings.embed_model)
    report = store.add(args.files, embedder, title=args.title, progress=lambda d, t: progress_bar(d, t, started, "passages"))
    seconds = time.perf_counter() - started
    for record in report.added:
        print(summary(record, seconds))
    for record in report.already:
        print(f"Staat er al in: {record.title} (id {record.id}, {record.filename}); niets toegevoegd.")
    return 0


def cmd_list(args) -> int:
    docs = DocStore(load_settings()).documents()
    if args.json:
        sys.stdout.write(json.dumps({"documents": [d.to_dict() for d in docs]}, ensure_ascii=False) + "\n")
        return 0
    if not docs:
        print("Nog geen eigen documenten. Voeg er een toe met: python -m assistant docs add BESTAND")
        return 0
    for d in docs:
        pages = f", {d.pages} p." if d.pages else ""
        print(f"{d.id}  {d.title}  ({d.filename}, {d.size / 1024:.0f} kB{pages}, {d.passages} passages, "
              f"{d.added_at[:10]})")
    return 0


def cmd_remove(args) -> int:
    gone = DocStore(load_settings()).remove(args.id)
    print(f"Verwijderd: {gone.title} (id {gone.id}): het bestand, de passages en de vectoren zijn weg.")
    return 0
