"""Handing freed heap memory back to the operating system between a long text's chunks.

A chunk's Doc, its token arrays and the components' working data are freed once the chunk's
Extraction is made, but glibc's malloc keeps freed pages below the top of its heap, where the
chunk's long-lived results (mentions, relations) are interleaved with them: the process's
resident memory then grows with the document although the live data is bounded.
`malloc_trim(0)` returns every free page, wherever it lies, to the system.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None on a C library without it (musl, macOS, Windows)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Return the heap's free pages to the system; False where the C library cannot."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
