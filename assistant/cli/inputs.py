"""Reading user input safely (bytes from stdin that may not be UTF-8)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO


def read_stdin_lines(stream: BinaryIO) -> Iterator[str]:
    """Every line, empty ones too (so answer N belongs to line N), decoded as UTF-8 with invalid
    bytes replaced (never an exception)."""
    for raw in stream:
        yield raw.decode("utf-8", errors="replace").strip()
