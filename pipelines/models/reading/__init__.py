"""The prompt reader's parts (see ``pipelines/models/prompt.py``); ``explain_rows`` prints its trace."""

from pipelines.models.reading.trace import explain_rows

__all__ = ["explain_rows"]
