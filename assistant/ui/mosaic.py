"""The mozaïek picture: seven tiles, the blocks that fit the question lit. Pure HTML, escaped."""
from __future__ import annotations

import html

from ..strings import ui_text

# Darker than the magazine's colours where needed, so white text on a lit tile stays readable
# (contrast at least 4.5:1).
TILE_COLOURS = {"opgave": "#2f6f8f", "waarde": "#7d6200", "samen-doen": "#a8431f", "verankering": "#44702a",
                "deelname": "#6a4b96", "binding": "#a33b50", "organisatie": "#4a6670"}


def mozaiek_html(knowledge, scores: dict[str, float] | None = None, lang: str = "nl") -> str:
    """Seven tiles; the detected (or chosen) blocks are lit, the best one shows its 'Zorg voor …' line."""
    scores = {k: s for k, s in (scores or {}).items() if s is not None}
    best = max(scores, key=scores.get) if scores else None
    top = max(scores.values()) if scores else 0.0
    tiles = []
    for b in knowledge.blocks:
        lit = b.key in scores and scores[b.key] >= 0.5 * top
        colour = TILE_COLOURS.get(b.key, "#555")
        style = f"--mz-colour:{colour}"  # the tile's colours are in the page CSS
        extra = f"<div class='mz-tag'>{html.escape(b.tagline)}</div>" if b.key == best or not scores else ""
        state = f" ({html.escape(ui_text('tile_lit', lang))})" if lit else ""
        tiles.append(f"<li class='mz-tile{' mz-lit' if lit else ''}' data-block='{b.key}' style='{style}'>"
                     f"<div class='mz-name'>{html.escape(b.name)}<span class='sr-only'>{state}</span></div>"
                     f"{extra}</li>")
    label = html.escape(ui_text("mosaic_label", lang))
    return f"<ul class='mozaiek' aria-label='{label}' style='list-style:none;padding:0'>{''.join(tiles)}</ul>"
