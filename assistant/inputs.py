"""Reading user input safely (bytes from stdin that may not be UTF-8)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO


def read_stdin_lines(stream: BinaryIO) -> Iterator[str]:
    """Non-empty lines, decoded as UTF-8 with invalid bytes replaced (never an exception)."""
    for raw in stream:
        line = raw.decode("utf-8", errors="replace").strip()
        if line:
            yield line
