"""What the magazine knows: the text and its sections, the seven building blocks, the practice cases, chunks and passages to show, the situation layer. Reads files; no search, no models."""
