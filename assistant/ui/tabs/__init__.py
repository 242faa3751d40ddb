"""One module per tab of the Gradio app: coach, prep, tour, scan, docs, leerkring."""
