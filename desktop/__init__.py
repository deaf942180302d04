"""hipthrust desktop: the Qt application, the session library and the command line.

Only desktop.app (and what it imports) touches Qt; the library and the CLI commands that do
not open a window stay importable without a display.
"""
