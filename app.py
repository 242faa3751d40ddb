"""Mozaïekcoach in the browser: ``python app.py`` (or ``make run``).

This file only assembles: settings, the coach holder (index opened or built in the background),
the app from ``assistant.ui`` and the launch. The tabs and their handlers live in ``assistant/ui/``.
"""

import os
import sys

from assistant.config import load_settings
from assistant.errors import CoachError
from assistant.logsetup import quiet_third_party


def build_app(holder):
    """The Gradio app around a ``CoachHolder`` (see ``assistant.ui.blocks``)."""
    from assistant.ui import build_app as build
    return build(holder)


def main() -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    quiet_third_party()
    try:
        settings = load_settings()
        if not settings.is_loopback and not settings.auth:
            print(f"Fout: de app zou luisteren op {settings.host}, dus ook voor andere computers bereikbaar zijn, "
                  "maar er is geen login ingesteld. Zet COACH_AUTH=gebruiker:wachtwoord of gebruik "
                  "COACH_HOST=127.0.0.1.", file=sys.stderr)
            return 2
        from assistant.service import CoachHolder
        holder = CoachHolder(settings)
        holder.start(log=lambda m: print(m, file=sys.stderr, flush=True))
        holder.report_llm(log=lambda m: print(m, file=sys.stderr, flush=True))
    except CoachError as err:
        print(f"Fout: {err}", file=sys.stderr)
        return err.exit_code
    from assistant.ui import launch_options
    demo = build_app(holder)
    print(f"Mozaïekcoach draait op http://{settings.host}:{settings.port}", file=sys.stderr, flush=True)
    demo.launch(**launch_options(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
