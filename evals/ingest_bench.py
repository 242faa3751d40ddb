"""``python -m evals.ingest_bench``: how long ``python ingest.py`` takes, cold and warm.

- **cold**: a fresh data folder: every chunk and every training situation is embedded, the models
  are trained;
- **warm**: ``python ingest.py --rebuild`` on the same folder: the embedding cache (model id + text
  hash) has every text, and the trained models fit the rebuilt index, so only the parsing, the
  Chroma writes and the checks remain;
- **baseline**: in the same run, embedding 200 fixed passages of the magazine with the same model
  (loaded beforehand), so the figures can be compared across machines as ratios.

Each step runs as its own process, as a user would start it. ``--report`` appends the table to
``evals/report.md`` (section "## Ingest").
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .load import cpu_model, replace_section

ROOT = Path(__file__).resolve().parent.parent
REPORT = Path(__file__).resolve().parent / "report.md"

BASELINE = """
import time
from assistant.config import load_settings
from assistant.search.embeddings import make_embedder
from assistant.knowledge.model import load_knowledge
settings = load_settings()
texts = [c.text for c in load_knowledge(settings.corpus_path).chunks()][:200]
texts = (texts * (200 // max(1, len(texts)) + 1))[:200]
embedder = make_embedder(settings.embed_model)
embedder.encode(texts[:4], query=False)
started = time.perf_counter()
embedder.encode(texts, query=False)
print(f"{time.perf_counter() - started:.2f}")
"""


def _run(args: list[str], env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} mislukte ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def _figure(pattern: str, text: str) -> float | None:
    m = re.search(pattern, text)
    return float(m.group(1)) if m else None


def machine() -> str:
    return f"{cpu_model()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Meet hoe lang python ingest.py duurt, koud en warm.")
    parser.add_argument("--report", action="store_true", help="de tabel aan evals/report.md toevoegen")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mzk-ingest-") as tmp:
        env = {**os.environ, "COACH_DATA_DIR": tmp, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
        env.pop("COACH_CHROMA_HOST", None)
        base_out = _run([sys.executable, "-c", BASELINE], env)[1]
        baseline = float(base_out.strip().splitlines()[-1])
        rows = []
        for name, extra in (("cold (empty data folder)", []), ("warm (--rebuild, cache and models kept)", ["--rebuild"])):
            seconds, out = _run([sys.executable, "ingest.py", *extra], env)
            rows.append((name, seconds, _figure(r"stukken, ([\d.]+) s", out),
                         _figure(r"getraind op de situatielaag in ([\d.]+) s", out)))
    lines = [f"Machine: {machine()}. Baseline: embedding 200 magazine passages took {baseline:.2f} s in this run.",
             "",
             "| run | wall s | index build s | models s | wall / baseline |",
             "|---|---:|---:|---:|---:|"]
    for name, seconds, build, models in rows:
        cell = lambda v: f"{v:.1f}" if v is not None else "–"  # noqa: E731
        lines.append(f"| {name} | {seconds:.1f} | {cell(build)} | {cell(models)} | {seconds / baseline:.1f}× |")
    table = "\n".join(lines)
    print(table)
    if args.report:
        current = REPORT.read_text(encoding="utf-8") if REPORT.exists() else None
        body = f"`python -m evals.ingest_bench` ({time.strftime('%Y-%m-%d')}):\n\n{table}"
        REPORT.write_text(replace_section(current, body, "## Ingest"), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
