"""An Answer as the user reads it: Markdown for the chat and exports."""
