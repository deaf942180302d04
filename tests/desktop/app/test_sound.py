"""SoundPlayer picks audio, the system beep or silence, and says which."""

from types import SimpleNamespace

from desktop.app.sound import CUES, SoundPlayer
from desktop.resources import resource_path


def test_the_cue_files_exist():
    for cue in CUES:
        assert resource_path("sounds", f"{cue}.wav").stat().st_size > 1000


def test_without_qtmultimedia_it_beeps(qapp):
    player = SoundPlayer(load_multimedia=lambda: None)
    assert player.mode == "beep" and "QtMultimedia" in player.status
    player.play("hold")
    assert player.played == ["hold"]


def test_without_an_audio_device_it_is_silent_and_says_so(qapp):
    fake = SimpleNamespace(QMediaDevices=SimpleNamespace(audioOutputs=lambda: []))
    player = SoundPlayer(load_multimedia=lambda: fake)
    assert player.mode == "silent" and "no audio output" in player.status
    player.play("rep")
    assert player.played == ["rep"]


def test_missing_sound_files_fall_back_to_the_beep(qapp, tmp_path):
    fake = SimpleNamespace(QMediaDevices=SimpleNamespace(audioOutputs=lambda: ["speaker"]))
    player = SoundPlayer(load_multimedia=lambda: fake, sounds_dir=tmp_path)
    assert player.mode == "beep" and "rep.wav" in player.status


def test_muted_player_records_but_does_not_play(qapp):
    player = SoundPlayer(load_multimedia=lambda: None)
    player.set_muted(True)
    player.play("set_end")
    assert player.played == ["set_end"] and player.muted
