"""The web server around the app: one FastAPI application with two parts.

- ``/leerkring/<code>``: the participant's page of a live learning circle, plain HTML, without
  login (the random join code in the address is the credential);
- everything else: the Gradio app (coach, prep, tour, Leerkring), behind ``COACH_AUTH`` when set.

The participant routes are registered before the Gradio app is mounted at ``/``, so they are
matched first and never reach Gradio's login.
"""
from __future__ import annotations

import logging

from ..leerkring import LeerkringStore, default_path

log = logging.getLogger(__name__)


def open_store(settings) -> LeerkringStore:
    """The learning-circle store in the data folder, with old submissions deleted."""
    store = LeerkringStore(default_path(settings.data_dir))
    store.purge(settings.leerkring_days)
    return store


def build_server(holder, store: LeerkringStore | None = None):
    """(FastAPI app ready for uvicorn, the Gradio Blocks)."""
    import gradio as gr
    from fastapi import FastAPI

    from . import join
    from .blocks import build_app, mount_options

    settings = holder.settings
    store = store or open_store(settings)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    join.add_routes(app, store, holder.knowledge, settings.leerkring_days)
    demo = build_app(holder, store)
    gr.mount_gradio_app(app, demo, "/", **mount_options(settings))
    return app, demo


def serve(holder) -> None:
    """Run the server until stopped (Ctrl+C)."""
    import uvicorn
    settings = holder.settings
    app, _ = build_server(holder)
    # Open browser pages keep streaming connections: on stop, give them 3 s, then close.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False,
                server_header=False, timeout_graceful_shutdown=3)
