"""Keep None, True and False alive under PySide6 6.12 on CPython 3.11.

PySide6-Essentials 6.12.0 (a stable-ABI wheel) returns None from every void method without
taking a reference, as if None were immortal (true from CPython 3.12 on). On 3.11 each call
drops None's count by one, and a live window reaches zero within seconds: "Fatal Python
error: none_dealloc". ``protect()`` adds 2**40 references to these singletons, which makes
them as immortal as 3.12 does; on 3.12+ it does nothing. Imported by desktop.app.
"""

from __future__ import annotations

import ctypes
import sys

_EXTRA = 1 << 40


def protect() -> bool:
    """Make None/True/False immortal on CPython < 3.12; True if anything was changed."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for obj in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is PyObject's first field
        if refcnt.value < _EXTRA:
            refcnt.value += _EXTRA
    return True
