"""A physically based simulated sensor with ground truth, for tests, demos and accuracy.

``simulate(SetScenario(...) or SessionScenario(...)) -> SimulatedRecording`` with ``.block``
(SampleBlock) and ``.truth`` (reps, sets, true trajectories); ``PRESETS`` names scenarios.
"""

from sensors.simulator.imu_model import SENSOR_GRADES
from sensors.simulator.presets import PRESETS, get_preset, hip_extension_test
from sensors.simulator.profiles import (
    EXERCISES,
    MOUNTS,
    SIDES,
    ExerciseProfile,
    Tempo,
    get_profile,
)
from sensors.simulator.scenario import SessionScenario, SetScenario
from sensors.simulator.simulation import SimulatedRecording, Truth, simulate

__all__ = [
    "EXERCISES",
    "MOUNTS",
    "PRESETS",
    "SENSOR_GRADES",
    "SIDES",
    "ExerciseProfile",
    "SessionScenario",
    "SetScenario",
    "SimulatedRecording",
    "Tempo",
    "Truth",
    "get_preset",
    "get_profile",
    "hip_extension_test",
    "simulate",
]
