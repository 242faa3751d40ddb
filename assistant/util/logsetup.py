"""Logging for the entry points: our messages at INFO, third-party chatter silenced."""
from __future__ import annotations

import logging
import warnings

NOISY = ("chromadb", "httpx", "httpcore", "urllib3", "sentence_transformers", "transformers",
         "huggingface_hub", "gradio", "uvicorn.access", "posthog", "opentelemetry")


def quiet_third_party(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format="%(message)s")
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
