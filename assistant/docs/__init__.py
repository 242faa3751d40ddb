"""The user's own documents: loaders for PDF, DOCX, Markdown and text, their store and their search beside the magazine."""
