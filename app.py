"""Mozaïekcoach in the browser: ``python app.py`` (or ``make run``).

This file only assembles: settings, the coach holder (index opened or built in the background)
and the server from ``assistant.ui`` (the Gradio app plus the learning circle's participant page). The tabs and their handlers live in ``assistant/ui/``.
"""

import os
import sys

from assistant.config import load_settings
from assistant.errors import CoachError
from assistant.util.logsetup import quiet_third_party


def build_app(holder):
    """The Gradio app around a ``CoachHolder`` (see ``assistant.ui.app``)."""
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
        if settings.short_password_users():
            from assistant.config import MIN_NETWORK_PASSWORD
            from assistant.strings import ui_text
            print("Fout: " + ui_text("guard_short_password", host=settings.host, length=MIN_NETWORK_PASSWORD,
                                     users=", ".join(settings.short_password_users())), file=sys.stderr)
            return 2
        from assistant.service import CoachHolder
        holder = CoachHolder(settings)
        holder.start(log=lambda m: print(m, file=sys.stderr, flush=True))
        holder.report_llm(log=lambda m: print(m, file=sys.stderr, flush=True))
    except CoachError as err:
        print(f"Fout: {err}", file=sys.stderr)
        return err.exit_code
    from assistant.ui import serve
    print(f"Mozaïekcoach draait op http://{settings.host}:{settings.port}", file=sys.stderr, flush=True)
    try:
        serve(holder)
    except CoachError as err:  # e.g. the learning-circle database cannot be opened
        print(f"Fout: {err}", file=sys.stderr)
        return err.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
