"""The web server around the app: one FastAPI application with two parts.

- ``/leerkring/<code>``: the participant's page of a live learning circle, plain HTML, without
  login (the random join code in the address is the credential);
- everything else: the Gradio app (coach, prep, tour, Leerkring), behind ``COACH_AUTH`` when set.

The participant routes are registered before the Gradio app is mounted at ``/``, so they are
matched first and never reach Gradio's login.
"""
from __future__ import annotations

import logging

from ..leerkring.store import LeerkringStore, default_path

log = logging.getLogger(__name__)


def open_store(settings) -> LeerkringStore:
    """The learning-circle store in the data folder, with old submissions deleted."""
    store = LeerkringStore(default_path(settings.data_dir))
    store.purge(settings.leerkring_days)
    return store


# Sessions whose state (chat, scan, Gradio's copy of the page) stays in memory, least recently
# used dropped first (issue 20, item 21): Gradio keeps 10,000 by default, at 300-450 kB each.
# 300 is ten times a full learning circle; a dropped session starts afresh on its next click.
SESSION_CAPACITY = 300


def build_server(holder, store: LeerkringStore | None = None, guard_state=None,
                 sessions: int = SESSION_CAPACITY):
    """(FastAPI app ready for uvicorn, the Gradio Blocks). ``guard_state`` (a
    ``guard.GuardState``, made from the settings when not given) is what the guard middleware
    keeps: login throttles and open heartbeat streams; ``sessions``: how many sessions' state
    stays in memory."""
    import gradio as gr
    from fastapi import FastAPI
    from starlette.middleware.cors import CORSMiddleware

    from ..strings import ui_text
    from . import join
    from .app import build_app, mount_options
    from .guard import Guard, GuardState

    settings = holder.settings
    store = store or open_store(settings)
    guard_state = guard_state or GuardState(settings)
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    # Our CORS policy (an allow-list) replaces Gradio's, which echoes any Origin on a LAN address.
    app.add_middleware(CORSMiddleware, allow_origins=sorted(guard_state.allowed), allow_credentials=True,
                       allow_methods=["GET", "POST", "OPTIONS"], allow_headers=["*"])
    app.add_middleware(Guard, state=guard_state)  # outermost: sees every request first
    join.add_routes(app, store, holder.knowledge, settings.leerkring_days)
    demo = build_app(holder, store)
    demo.state_session_capacity = sessions  # read when the app is mounted
    options = mount_options(settings)
    if settings.auth:
        hint = f"{ui_text('guard_login_hint', 'nl')}<br>{ui_text('guard_login_hint', 'en')}"
        options.setdefault("auth_message", hint)  # on the login page
    gr.mount_gradio_app(app, demo, "/", **options)
    guard_state.attach(app)
    return app, demo


def serve(holder) -> None:
    """Run the server until stopped (Ctrl+C)."""
    import uvicorn
    settings = holder.settings
    app, _ = build_server(holder)
    # Open browser pages keep streaming connections: on stop, give them 3 s, then close.
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=False,
                server_header=False, timeout_graceful_shutdown=3)
