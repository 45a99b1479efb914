"""Where SDK failures go: the ``argus`` logger (silent unless the application configures logging
or ``init(diagnostics=...)`` asks for output). Nothing the SDK does for itself may raise into the
application; :func:`safely` is the guard every instrumentation step runs under."""

from __future__ import annotations

import logging
import sys
from typing import Callable, Optional, TypeVar, Union

logger = logging.getLogger("argus")
logger.addHandler(logging.NullHandler())

T = TypeVar("T")

#: ``"off"``, ``"warn"``, ``"debug"``, or a function receiving ``(message, level)``.
DiagnosticsOption = Union[str, Callable[[str, str], None]]

_sink: Optional[Callable[[str, str], None]] = None
_handler: Optional[logging.Handler] = None


def set_diagnostics(option: Optional[DiagnosticsOption]) -> None:
    """Routes diagnostics to stderr (``warn``/``debug``), to a function, or only to the logger."""
    global _sink, _handler
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler = None
    _sink = None
    if callable(option):
        _sink = option
    elif option in ("warn", "debug"):
        _handler = logging.StreamHandler(sys.stderr)
        _handler.setFormatter(logging.Formatter("[argus] %(message)s"))
        logger.addHandler(_handler)
        logger.setLevel(logging.DEBUG if option == "debug" else logging.WARNING)


def _emit(message: str, level: str) -> None:
    try:
        if _sink is not None:
            _sink(message, level)
        else:
            logger.log(logging.DEBUG if level == "debug" else logging.WARNING, message)
    except Exception:  # a throwing logger is ignored
        pass


def describe_error(error: BaseException) -> str:
    """``Type: message`` of an exception."""
    return f"{type(error).__name__}: {error}"


def warn(message: str, error: Optional[BaseException] = None) -> None:
    """Reports a failure of the SDK itself."""
    _emit(message if error is None else f"{message}: {describe_error(error)}", "warn")


def debug(message: str) -> None:
    """Reports a lifecycle detail."""
    if _sink is not None or logger.isEnabledFor(logging.DEBUG):
        _emit(message, "debug")


def safely(what: str, fn: Callable[[], T], fallback: T) -> T:
    """Runs ``fn``; on any exception reports ``Cannot <what>`` and returns ``fallback``."""
    try:
        return fn()
    except Exception as error:
        warn(f"Cannot {what}", error)
        return fallback
