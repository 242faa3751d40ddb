"""Conversation logs: off by default; with ``COACH_LOG_DIR`` one JSON line per question.

What is stored: time (UTC), a random per-browser-session id (Gradio's session hash, not an IP
address), the language, the question (at most 2,000 characters), the kind of answer, the top
blocks, the case and the cited chunk ids, and the answer mode. No IP address, no user agent, no
answer text.
"""
from __future__ import annotations

import json
import os
import threading
from datetime import datetime, timezone
from pathlib import Path

_LOCK = threading.Lock()


def log_entry(session: str, answer: dict) -> dict:
    return {"time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "session": str(session or "")[:64],
            "lang": answer.get("lang"),
            "question": str(answer.get("question", ""))[:2000],
            "kind": answer.get("kind"), "in_scope": answer.get("in_scope"),
            "blocks": [b["key"] for b in answer.get("blocks", [])[:2]],
            "case": (answer.get("case") or {}).get("key"),
            "chunks": [c["chunk_id"] for c in answer.get("citations", [])],
            "mode": answer.get("mode", "offline")}


def write(log_dir: Path, session: str, answer: dict) -> Path:
    """Append one line to today's file (``YYYY-MM-DD.jsonl``) in ``log_dir``."""
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / f"{datetime.now(timezone.utc):%Y-%m-%d}.jsonl"
    line = json.dumps(log_entry(session, answer), ensure_ascii=False) + "\n"
    with _LOCK:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    return path
