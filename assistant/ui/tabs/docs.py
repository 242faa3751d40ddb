"""The "Eigen documenten" tab: upload, list and remove the network's own documents.

The handlers are plain functions over the ``CoachHolder`` (its ``documents()``: the store and the
embedder the coach uses); ``build`` makes the tab, ``wire`` connects it. Like every tab, it is
behind the app's login when the app listens beyond loopback (``COACH_AUTH``).
"""
from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from types import SimpleNamespace

from ...errors import CoachError
from ...strings import ui_text
from ..common import Labels, lang_code, need_coach, user_error

log = logging.getLogger(__name__)
COLUMNS = ("docs_col_title", "docs_col_file", "docs_col_size", "docs_col_date", "docs_col_passages")
FILE_TYPES = [".pdf", ".docx", ".md", ".markdown", ".txt"]


def size_text(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} kB"


def table(documents, lang: str = "nl") -> dict:
    """The documents as a table value: title, file, size, date, passages."""
    lang = lang_code(lang)
    return {"headers": [ui_text(c, lang) for c in COLUMNS],
            "data": [[d.title, d.filename, size_text(d.size), d.added_at[:10], d.passages] for d in documents]}


def choices(documents) -> list[tuple[str, str]]:
    """(label, id) per document, for the remove choice."""
    return [(f"{d.title} ({d.filename})", d.id) for d in documents]


def _store(holder, lang: str):
    """The store and embedder, or a friendly error while the coach is not ready."""
    import gradio as gr
    need_coach(holder, lang)
    pair = holder.documents()
    if pair is None:
        raise user_error(ui_text("docs_unavailable", lang), ui_text("docs_error_title", lang))
    return pair


def upload_folder() -> Path:
    """Where Gradio keeps uploads (``GRADIO_TEMP_DIR``, else the system's temp folder + ``gradio``)."""
    from gradio.utils import get_upload_folder
    return Path(os.path.abspath(get_upload_folder()))


def discard_uploads(paths) -> None:
    """Delete Gradio's temporary copies of uploaded files, and their folders once empty, so an upload
    is not left readable (via ``/gradio_api/file=``) after it is added, refused or removed. Only paths
    inside Gradio's upload folder are touched: a path from elsewhere is never deleted."""
    root = upload_folder()
    for raw in paths:
        path = Path(os.path.abspath(raw))
        if path == root or not path.is_relative_to(root):
            continue
        try:
            path.unlink(missing_ok=True)
        except OSError as err:
            log.warning("Upload niet verwijderd uit de tijdelijke map: %s (%s)", path.name, err.strerror)
            continue
        folder = path.parent
        while folder != root and folder.is_relative_to(root):
            with contextlib.suppress(OSError):  # not empty (another upload of the same content): kept
                folder.rmdir()
            if folder.exists():
                break
            folder = folder.parent


def message(err, lang: str) -> str:
    """An error's message in the user's language where it has one (the limits), else as it is (Dutch)."""
    in_language = getattr(err, "in_language", None)
    return in_language(lang) if in_language else str(err)


def listing(holder, lang: str = "nl") -> tuple[dict, list[tuple[str, str]]]:
    """(table, remove choices) as the documents are now; empty while the coach is not ready."""
    pair = holder.documents()
    documents = pair[0].documents() if pair else []
    return table(documents, lang), choices(documents)


def add_files(holder, files, title: str | None, lang: str = "nl", progress=None):
    """Add the uploaded files (paths; their names are the names the user gave them).

    Returns ``(table, choices, message)``; a bad file raises a ``gr.Error`` with the Dutch message (a
    limit's message in the user's language) and nothing is added. Whatever the outcome, Gradio's
    temporary copies of the uploads are deleted (``discard_uploads``): the store keeps its own copy.
    """
    import gradio as gr
    lang = lang_code(lang)
    paths = [f for f in (files or []) if f]
    try:
        if not paths:
            raise user_error(ui_text("docs_no_files", lang), ui_text("docs_error_title", lang))
        store, embedder = _store(holder, lang)
        try:
            report = store.add([(Path(p), Path(p).name) for p in paths], embedder,
                               title=(title or "").strip() or None, progress=progress)
        except CoachError as err:
            raise user_error(message(err, lang), ui_text("docs_error_title", lang)) from None
    finally:
        discard_uploads(paths)
    lines = [ui_text("docs_added", lang, title=d.title, passages=d.passages, seconds=f"{report.seconds:.1f}")
             for d in report.added]
    lines += [ui_text("docs_already", lang, title=d.title) for d in report.already]
    return (*listing(holder, lang), "\n\n".join(lines))


def remove_document(holder, doc_id: str | None, lang: str = "nl"):
    """Remove the chosen document; ``(table, choices, message)``."""
    import gradio as gr
    lang = lang_code(lang)
    if not doc_id:
        raise user_error(ui_text("docs_none_chosen", lang), ui_text("docs_error_title", lang))
    store, _ = _store(holder, lang)
    try:
        gone = store.remove(doc_id)
    except CoachError as err:
        raise user_error(str(err), ui_text("error_title", lang)) from None
    return (*listing(holder, lang), ui_text("docs_removed", lang, title=gone.title))


# ----------------------------------------------------------------------------------- layout

def build(labels: Labels) -> SimpleNamespace:
    """The tab with its components (call inside ``gr.Tabs``)."""
    import gradio as gr
    ui = SimpleNamespace()
    with labels.make(gr.Tab, {"label": "tab_docs"}, id="docs") as ui.tab:
        labels.make(gr.Markdown, {"value": "docs_intro"})
        ui.files = labels.make(gr.File, {"label": "docs_upload"}, file_count="multiple", file_types=FILE_TYPES,
                               type="filepath", elem_id="docs-upload")
        ui.title = labels.make(gr.Textbox, {"label": "docs_title"}, max_length=120, elem_id="docs-title")
        ui.add = labels.make(gr.Button, {"value": "docs_add"}, variant="primary", elem_id="docs-add")
        ui.message = gr.Markdown(elem_id="docs-message")
        ui.table = labels.make(gr.Dataframe, {"label": "docs_table"}, value=table([]), interactive=False,
                               elem_id="docs-table")
        with gr.Row():
            ui.pick = labels.make(gr.Dropdown, {"label": "docs_pick"}, choices=[], value=None, scale=4,
                                  elem_id="docs-pick")
            ui.remove = labels.make(gr.Button, {"value": "docs_remove"}, variant="stop", scale=1,
                                    elem_id="docs-remove")
    return ui


def wire(ui: SimpleNamespace, holder, lang) -> None:
    """Connect the tab (no API endpoints: uploads only through the page, behind the login)."""
    import gradio as gr
    private = {"api_visibility": "private"}

    def on_show(lang_value):
        rows, options = listing(holder, lang_value)
        return rows, gr.update(choices=options, value=None)

    def on_add(files, title, lang_value, progress=gr.Progress()):
        rows, options, message = add_files(holder, files, title, lang_value,
                                           progress=lambda d, t: progress((d, t), unit="passages"))
        return rows, gr.update(choices=options, value=None), message, None, ""

    def on_remove(doc_id, lang_value):
        rows, options, message = remove_document(holder, doc_id, lang_value)
        return rows, gr.update(choices=options, value=None), message

    ui.tab.select(on_show, [lang], [ui.table, ui.pick], **private)
    ui.add.click(on_add, [ui.files, ui.title, lang], [ui.table, ui.pick, ui.message, ui.files, ui.title],
                 concurrency_limit=1, **private) \
        .failure(lambda: None, None, [ui.files], **private)  # a refused upload is deleted: choose again
    ui.remove.click(on_remove, [ui.pick, lang], [ui.table, ui.pick, ui.message], concurrency_limit=1, **private)
