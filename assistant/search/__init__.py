"""Finding passages: embeddings, the Chroma index (build, swap, check, open), BM25 and rank fusion, the retriever. Knows the knowledge layer, nothing above."""
