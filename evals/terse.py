"""Terse situations: one blunt sentence, as managers type the evening before a meeting (issue 18).

``evals/terse.jsonl`` (frozen; written by a helper who had not seen the other eval sets or the
training data) holds in-scope situations in Dutch and English and out-of-scope lines. Measured,
never tuned on: how many in-scope lines are turned away (the out-of-scope text or the welcome
screen), how many get an answer or one question back, whether the block fits, and whether the
out-of-scope lines are still refused. ``evals/terse_dev.jsonl`` (written by the team) is the one
to look at while changing the coach.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

HERE = Path(__file__).parent
TERSE = HERE / "terse.jsonl"
TERSE_DEV = HERE / "terse_dev.jsonl"
FROZEN_SHA = "5a934ad0287aad5167aea5e244875fd9d2e46248df822acc2c56d7e03ae626ba"

REFUSED = ("out_of_scope", "vague", "injection")


def load(path: Path = TERSE) -> list[dict]:
    """The lines of a terse set. The frozen file spells one block key 'samen_doen' where the coach
    says 'samen-doen': the label is read as meant (the file itself stays as frozen)."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for q in items:
        q["blocks"] = [b.replace("_", "-") for b in q.get("blocks") or []]
    return items


def status() -> str:
    digest = hashlib.sha256(TERSE.read_bytes()).hexdigest()
    return f"sha256 {digest[:16]}… ({'unchanged since it was frozen' if digest == FROZEN_SHA else '**changed**'})"


def measure(coach, items: list[dict]) -> dict[str, dict]:
    """Per group ("nl, in scope", "en, in scope", "all, in scope", "out of scope"): n, answered,
    asked back (clarify), turned away, block@1, block@2 (the first labelled block among the two
    the coach names, or the one it answers with)."""
    groups: dict[str, list] = {}
    for q in items:
        a = coach.ask(q["question"], lang=q.get("lang"))
        named = [a.block.key] if a.block else []
        if a.runner_up:
            named.append(a.runner_up.key)
        elif len(a.blocks) > 1:
            named.append(a.blocks[1][0])
        row = {"kind": a.kind, "b1": bool(q["blocks"]) and bool(named) and named[0] in q["blocks"],
               "b2": bool(q["blocks"]) and q["blocks"][0] in named[:2]}
        keys = [f"{q['lang']}, in scope", "all, in scope"] if q["in_scope"] else ["out of scope"]
        for k in keys:
            groups.setdefault(k, []).append(row)
    out = {}
    for k, rows in groups.items():
        n = len(rows)
        share = lambda f: sum(map(f, rows)) / n  # noqa: E731
        out[k] = {"n": n, "answered": share(lambda r: r["kind"] == "answer"),
                  "asked back": share(lambda r: r["kind"] == "clarify"),
                  "turned away": share(lambda r: r["kind"] in REFUSED),
                  "block@1": share(lambda r: r["b1"] and r["kind"] not in REFUSED),
                  "block@2": share(lambda r: r["b2"] and r["kind"] not in REFUSED)}
    return out


def table(rows: dict[str, dict]) -> str:
    cols = ["answered", "asked back", "turned away", "block@1", "block@2"]
    lines = ["| questions | n | " + " | ".join(cols) + " |", "|---|---:|" + "---:|" * len(cols)]
    for k in ("nl, in scope", "en, in scope", "all, in scope", "out of scope"):
        if k in rows:
            r = rows[k]
            lines.append(f"| {k} | {r['n']} | " + " | ".join(f"{r[c]:.2f}" for c in cols) + " |")
    return "\n".join(lines)


def report(coach) -> str:
    """The Markdown section for ``evals/report.md``."""
    parts = [f"### Terse situations (issue 18) — frozen set ({status()})\n",
             "*turned away* on in-scope lines are false refusals (target ≤ 0.05); on *out of scope* it is "
             "the recall of refusing.\n", table(measure(coach, load(TERSE)))]
    if TERSE_DEV.exists():
        parts += ["", "Team's own terse lines (`terse_dev.jsonl`, looked at while changing the coach):\n",
                  table(measure(coach, load(TERSE_DEV)))]
    return "\n".join(parts)
