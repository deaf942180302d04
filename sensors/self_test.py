"""The hip-extension self-test: three bridges with the sensor on the hips, compared.

A two-leg bridge, a single-leg bridge with the other hip and knee at 90 degrees, and a
single-leg bridge hugging the other knee to the chest (the low back cannot arch: "true hip
extension"). ``bridge_result`` sums up the analysed reps of one bridge (heights in metres,
pelvic tilt in degrees, posterior positive); ``assess`` splits the two-leg height into what
came from the hips and what came from compensation, and says whether to work on mobility first.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from sensors.errors import InputError
from sensors.metrics import RepMetrics
from sensors.pipeline import analyze
from sensors.samples import SampleBlock

BRIDGES = ("two_leg", "single_leg_90", "single_leg_hug")
"""The three bridges in the order they are done."""
TITLES = {
    "two_leg": "Two-leg bridge",
    "single_leg_90": "Single-leg bridge, other hip and knee at 90 degrees",
    "single_leg_hug": "Single-leg bridge hugging the other knee to the chest",
}
SIDES = {
    "two_leg": ("both",),
    "single_leg_90": ("left", "right"),
    "single_leg_hug": ("left", "right"),
}
"""The sides done for each bridge; single-leg bridges are done on each leg."""
NEAR_ZERO_M = 0.03
"""True hip extension below this height (m) counts as near zero."""
LOW_HIP_SHARE = 0.25
"""Below this share of the two-leg height coming from the hips, mobility comes first."""
KIND = "hip_extension_test"
"""The assessment kind under which the library stores a result."""


@dataclass(frozen=True, slots=True)
class BridgeResult:
    """One bridge on one side: reps counted, median height (m) and pelvic tilt (deg)."""

    bridge: str
    side: str
    reps: int
    height_m: float
    tilt_deg: float


def bridge_result(bridge: str, side: str, reps: list[RepMetrics]) -> BridgeResult:
    """Sum up the counted reps of one bridge; no rep means no rise (height 0)."""
    if bridge not in BRIDGES:
        raise InputError(f"unknown bridge {bridge!r}: use one of {', '.join(BRIDGES)}")
    if side not in SIDES[bridge]:
        raise InputError(f"{TITLES[bridge]} is done on the sides {', '.join(SIDES[bridge])}")
    if reps and all(math.isnan(r.tilt_change_deg) for r in reps):
        raise InputError(
            "no pelvic tilt was measured: the sensor seems to be on a bar; put it on the hips "
            "(belt over the pelvis) for the self-test"
        )
    if not reps:
        return BridgeResult(bridge, side, 0, 0.0, 0.0)
    height = float(np.median([r.rom_m for r in reps]))
    tilt = float(np.nanmedian([r.tilt_change_deg for r in reps]))
    return BridgeResult(bridge, side, len(reps), height, tilt)


def analyze_bridge(bridge: str, side: str, block: SampleBlock) -> BridgeResult:
    """Analyse a recording of one bridge (sensor on the hips) and sum it up."""
    return bridge_result(bridge, side, analyze(block, mount="hips").reps)


@dataclass(frozen=True, slots=True)
class SelfTestResult:
    """The three bridges compared; heights in metres, shares 0..1.

    ``true_extension_m``: the knee-hug bridge height (mean of the sides). ``hip_share``: that
    height over the two-leg height; ``compensation_m``: the rest of the two-leg height.
    ``asymmetry``: difference of the knee-hug sides over their mean (0 = equal).
    """

    bridges: tuple[BridgeResult, ...]
    two_leg_m: float
    true_extension_m: float
    hip_share: float
    compensation_m: float
    asymmetry: float
    mobility_first: bool
    advice: str

    def to_dict(self) -> dict:
        """JSON-friendly form, as stored in the library (NaN becomes None)."""
        data = asdict(self)
        data["bridges"] = [asdict(b) for b in self.bridges]
        return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in data.items()}

    @classmethod
    def from_dict(cls, data: dict) -> SelfTestResult:
        try:
            bridges = tuple(BridgeResult(**b) for b in data["bridges"])
        except (KeyError, TypeError) as exc:
            raise InputError(f"hip-extension test record is malformed: {exc}") from exc
        return assess(bridges)


def assess(bridges: tuple[BridgeResult, ...] | list[BridgeResult]) -> SelfTestResult:
    """Compare the bridges (every bridge and side of SIDES exactly once)."""
    by_key = {(b.bridge, b.side): b for b in bridges}
    missing = [
        f"{TITLES[name]} ({side})"
        for name in BRIDGES
        for side in SIDES[name]
        if (name, side) not in by_key
    ]
    if missing:
        raise InputError(f"the self-test is incomplete: {'; '.join(missing)} not done yet")
    two_leg = by_key[("two_leg", "both")].height_m
    if two_leg <= 0:
        raise InputError(
            "no rise found in the two-leg bridge: redo it with the sensor on the hips, "
            "lifting the hips as high as you can a few times"
        )
    hug = [by_key[("single_leg_hug", side)].height_m for side in SIDES["single_leg_hug"]]
    true_ext = float(np.mean(hug))
    share = min(1.0, true_ext / two_leg)
    asymmetry = abs(hug[0] - hug[1]) / true_ext if true_ext > 0 else math.nan
    mobility_first = true_ext < NEAR_ZERO_M or share < LOW_HIP_SHARE
    return SelfTestResult(
        bridges=tuple(by_key[(n, s)] for n in BRIDGES for s in SIDES[n]),
        two_leg_m=two_leg,
        true_extension_m=true_ext,
        hip_share=share,
        compensation_m=max(0.0, two_leg - true_ext),
        asymmetry=asymmetry,
        mobility_first=mobility_first,
        advice=_advice(true_ext, share, mobility_first),
    )


def _advice(true_ext: float, share: float, mobility_first: bool) -> str:
    if mobility_first:
        return (
            f"Near-zero true hip extension ({true_ext * 100:.0f} cm, {share:.0%} of the "
            "two-leg bridge): the height comes from the low back. Work on hip mobility and "
            "bridges before loading the hip thrust."
        )
    return (
        f"True hip extension {true_ext * 100:.0f} cm ({share:.0%} of the two-leg bridge): "
        "the hips do the work. Progress as planned; keep moving from the hips, not the low back."
    )
