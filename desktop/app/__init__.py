"""The Qt application: main window, live view, source picker, sound and theme.

Importing this package first protects CPython 3.11 from a PySide6 6.12 reference-count bug
(see refcount_guard.py); every Qt module of the app lives below it.
"""

from desktop.app.refcount_guard import protect

protect()
