"""The learning circle: the scan (model, charts, report), the live session store and the views that compare rounds. Needs only knowledge, util and strings."""
