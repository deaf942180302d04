"""hipthrust sensors: from bytes to reps, with no Qt.

Usable from a script, the CLI or a test. Inside this package every quantity is SI:
seconds, metres, m/s^2 (specific force, gravity included), rad/s.
"""
