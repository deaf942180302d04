"""Wire the planner panel into the main window: the panel's current set drives the live view,
and every set the analysis ends is scored against the set that was armed for it.

``attach_planner(window, model) -> PlannerPanel`` puts the panel in the plan dock. The window
arms its queued sets by itself when the next set starts, so targets are handed over only when
the user changes the plan (chooses, edits, skips in the panel, overrides); a set that ended
just moves the panel on, in step with the window's own queue.
"""

from __future__ import annotations

from desktop.app.main_window import MainWindow
from desktop.app.planner_panel import PlannerPanel
from desktop.app.set_model import SetTargets
from desktop.planner.panel_model import PlannerModel
from desktop.planner.workout import ArmedSet
from sensors.events import RepCompleted, SetEnded
from sensors.metrics import RepMetrics


class PlannerLink:
    """The connections between one window and its planner panel."""

    def __init__(self, window: MainWindow, panel: PlannerPanel) -> None:
        self.window = window
        self.panel = panel
        self._reps: dict[int, list[RepMetrics]] = {}
        self._following = False
        panel.targets_armed.connect(self._on_targets_armed)
        window.bridge.polled.connect(self._on_polled)
        window.actions["next"].triggered.connect(self._on_window_skipped)
        self.hand_over(panel.current)

    def hand_over(self, armed: ArmedSet | None) -> None:
        """Give the window ``armed`` as the coming set and the panel's later sets as its queue."""
        if armed is None:
            return
        coming = [SetTargets(**armed.live_targets())]
        coming += [SetTargets(**t) for t in self.panel.upcoming_targets()]
        live = self.window.set_model
        if live.state == "done":
            # the finished set stays on screen; the window arms queue[0] when the next starts
            self.window.set_targets(live.targets, coming)
            self.window.bridge.set_hold_target(coming[0].hold_s)
        else:
            self.window.set_targets(coming[0], coming[1:])

    def _on_targets_armed(self, armed: ArmedSet | None) -> None:
        if not self._following:
            self.hand_over(armed)

    def _on_polled(self, poll) -> None:
        for event in poll.events:
            if isinstance(event, RepCompleted):
                self._reps.setdefault(event.rep.set_index, []).append(event.rep)
            elif isinstance(event, SetEnded):
                reps = self._reps.pop(event.summary.index, [])
                self._follow(lambda r=reps: self.panel.record_set(r))

    def _on_window_skipped(self) -> None:
        self._follow(self.panel.skip_set)

    def _follow(self, action) -> None:
        """Move the panel on as the window already did (no targets handed back)."""
        self._following = True
        try:
            action()
        finally:
            self._following = False


def attach_planner(window: MainWindow, model: PlannerModel) -> PlannerPanel:
    """Build the panel on ``model``, dock it in ``window`` and link the two."""
    panel = PlannerPanel(model)
    window.set_planner_panel(panel)
    panel.link = PlannerLink(window, panel)
    return panel
