"""The Gradio app, one module per tab: ``coach``, ``prep``, ``tour``, ``scan``.

Each tab module has plain handler functions over the services (the ``CoachHolder``, its
``knowledge`` and ``answerer``), testable without a running Gradio, plus a ``build`` that lays out
the tab and a ``wire`` that connects its events. ``blocks.build_app`` puts the tabs together.
Per-user data (conversation, chosen block, scan, tour page) lives in ``gr.State``, never here.
"""
from .app import build_app, mount_options
from .server import build_server, serve

__all__ = ["build_app", "build_server", "mount_options", "serve"]
