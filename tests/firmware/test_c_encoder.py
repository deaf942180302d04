"""The C protocol code (firmware_stubs/) builds with gcc -Werror and passes its host tests,
which check the C encoder byte for byte against the golden vectors shared with Python."""

import re


def test_c_encoder_matches_the_golden_vectors(make_firmware):
    output = make_firmware("test")
    summary = re.search(r"(\d+) checks, (\d+) failed", output)
    assert summary is not None, output
    assert int(summary.group(1)) > 100 and summary.group(2) == "0", output
