"""The package's one error type and its logger."""

from __future__ import annotations

import logging

logger = logging.getLogger("argus_explain")


class ExplainError(ValueError):
    """A configuration or model the explainer cannot work with (raised before anything runs)."""
