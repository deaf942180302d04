"""The session planner, without Qt: the exercise library, plans, set scoring, the progression
and the week. The coaching rules live in ``progression`` and ``week``; the exercise data in
resources/exercises.json.
"""
