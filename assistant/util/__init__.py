"""Small tools every layer may use: atomic writes, language and tokens, SQLite plumbing, logging set-up. Imports nothing else from the package."""
