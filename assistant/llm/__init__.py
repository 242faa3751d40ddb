"""The optional chat model: backends (Ollama or any OpenAI-compatible server), prompts, the citation check and the fallback to the offline answer."""
