import json

import pytest

from desktop.planner.errors import ExerciseDataError
from desktop.planner.exercises import PROBLEMS, load_exercises
from desktop.resources import resource_path

LADDER_AND_PARTNERS = {
    "glute_bridge",
    "single_leg_glute_bridge",
    "hip_thrust",
    "hip_thrust_feet_elevated",
    "single_leg_hip_thrust",
    "barbell_hip_thrust",
    "deadlift",
    "romanian_deadlift",
    "single_leg_romanian_deadlift",
    "pull_through",
    "glute_ham_raise",
    "leg_curl",
}


def test_resource_path_finds_the_shipped_library():
    assert resource_path("exercises.json").is_file()


def test_shipped_library_has_every_exercise_with_cues_and_range():
    lib = load_exercises()
    assert {e.id for e in lib} == LADDER_AND_PARTNERS
    for e in lib:
        assert e.cues and e.rom_m[0] <= e.rom_m[1]
        assert set(e.stresses) <= set(PROBLEMS)
    assert lib.get("hip_thrust").trackable and not lib.get("deadlift").trackable
    assert lib.get("deadlift").cns_demand == "high"
    assert any("shoulder blades" in c for c in lib.get("hip_thrust").cues)


def test_find_accepts_ids_and_display_names():
    lib = load_exercises()
    assert lib.find("Barbell Hip Thrust").id == "barbell_hip_thrust"
    assert lib.find("hip_thrust").id == "hip_thrust"
    assert lib.find(" HIP THRUST ").id == "hip_thrust"
    assert lib.find("bench press") is None


def _write(tmp_path, exercises):
    path = tmp_path / "ex.json"
    path.write_text(json.dumps({"exercises": exercises}))
    return path


def _good():
    return json.loads(resource_path("exercises.json").read_text())["exercises"][0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cns_demand": "extreme"}, "cns_demand 'extreme'"),
        ({"rom_m": [0.3, 0.1]}, "rom_m must be"),
        ({"cues": []}, "at least one technique cue"),
        ({"stresses": ["elbow"]}, "stresses"),
        ({"trackable": "yes"}, "'trackable' has the wrong type"),
        ({"substitutes": ["nothing_like_it"]}, "substitutes"),
    ],
)
def test_malformed_entries_name_the_exercise_and_field(tmp_path, change, message):
    entry = {**_good(), **change}
    with pytest.raises(ExerciseDataError, match=message) as info:
        load_exercises(_write(tmp_path, [entry]))
    assert "glute_bridge" in str(info.value)


def test_missing_field_and_duplicate_ids(tmp_path):
    entry = _good()
    del entry["cues"]
    with pytest.raises(ExerciseDataError, match="'cues' is missing"):
        load_exercises(_write(tmp_path, [entry]))
    with pytest.raises(ExerciseDataError, match="used twice"):
        load_exercises(_write(tmp_path, [_good(), _good()]))


def test_unreadable_files(tmp_path):
    with pytest.raises(ExerciseDataError, match="not found"):
        load_exercises(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ExerciseDataError, match="cannot read"):
        load_exercises(bad)
    with pytest.raises(ExerciseDataError, match="unknown exercise 'squat'"):
        load_exercises().get("squat")
