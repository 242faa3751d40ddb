"""The command line (python -m assistant) and the ingest entry point."""
