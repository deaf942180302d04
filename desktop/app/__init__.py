"""The Qt application: main window, live view, source picker, sound and theme."""
