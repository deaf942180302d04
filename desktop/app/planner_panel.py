"""The plan beside the live view: choose a plan, edit its sets, see each set scored, answer the
progression's suggestion.

``PlannerPanel(model)`` is handed a ``PlannerModel`` and never builds one. It emits
``targets_armed(ArmedSet | None)`` whenever another set becomes the current one (None: the
session is done), ``set_scored(number, SetScore)`` after ``record_set(reps)``, and
``decision_made(Decision)`` when the suggestion is accepted or overridden. The week below
shows each day's work and why; ticking days on shift or flagging a problem redoes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.app import theme
from desktop.planner.errors import PlanError
from desktop.planner.exercises import PROBLEMS
from desktop.planner.panel_model import PlannerModel
from desktop.planner.plans import PlannedSet, Tempo, parse_reps
from desktop.planner.progression import LADDER, stage
from desktop.planner.scoring import SetScore
from desktop.planner.week import PROBLEM_WORDS
from desktop.planner.workout import ArmedSet
from sensors.errors import SensorError
from sensors.metrics import RepMetrics

COLUMNS = ("#", "result", "side", "reps", "tempo", "hold s", "load kg", "rest s", "exercise")
EDITABLE = {"side", "reps", "tempo", "hold s", "load kg", "rest s"}
VERDICT_COLORS = {"met": theme.GOOD, "partial": theme.HOLD, "failed": theme.BAD}
FOCUS_WORDS = {"deadlift": "deadlift", "hip_thrust": "hip session", "rest": "rest"}


class PlannerPanel(QWidget):
    """See the module docstring."""

    targets_armed = Signal(object)
    set_scored = Signal(int, object)
    decision_made = Signal(object)

    def __init__(self, model: PlannerModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._filling = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        self.plan_box = QComboBox(objectName="planChoice")
        self.plan_box.activated.connect(self._on_plan_chosen)
        layout.addWidget(self.plan_box)

        advice = QGroupBox("Progression")
        advice_layout = QVBoxLayout(advice)
        self.suggestion_label = QLabel(objectName="suggestion", wordWrap=True)
        advice_layout.addWidget(self.suggestion_label)
        row = QHBoxLayout()
        self.accept_button = QPushButton("Accept")
        self.accept_button.clicked.connect(self._on_accept)
        self.stage_box = QComboBox()
        for s in LADDER:
            self.stage_box.addItem(s.title, s.id)
        self.stage_box.currentIndexChanged.connect(self._on_stage_picked)
        self.load_box = QDoubleSpinBox(suffix=" kg", maximum=500.0, singleStep=2.5)
        self.override_button = QPushButton("Override")
        self.override_button.clicked.connect(self._on_override)
        for w in (self.accept_button, self.stage_box, self.load_box, self.override_button):
            row.addWidget(w)
        advice_layout.addLayout(row)
        layout.addWidget(advice)

        self.current_label = QLabel(objectName="currentSet", wordWrap=True)
        self.cues_label = QLabel(objectName="cues", wordWrap=True)
        self.score_label = QLabel(objectName="lastScore", wordWrap=True)
        self.error_label = QLabel(objectName="planError", wordWrap=True)
        self.error_label.setStyleSheet(f"color: {theme.BAD}")
        for w in (self.current_label, self.cues_label, self.score_label, self.error_label):
            layout.addWidget(w)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._on_item_changed)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.skip_button = QPushButton("Skip set")
        self.skip_button.clicked.connect(self.skip_set)
        self.save_name = QLineEdit(placeholderText="plan name")
        self.save_button = QPushButton("Save plan as")
        self.save_button.clicked.connect(self._on_save)
        for w in (self.skip_button, self.save_name, self.save_button):
            buttons.addWidget(w)
        self.save_name.setVisible(model.can_save)
        self.save_button.setVisible(model.can_save)
        layout.addLayout(buttons)

        self.week_box = QGroupBox("The week (tick the days on shift)")
        week_layout = QVBoxLayout(self.week_box)
        self.week_grid = QGridLayout()
        week_layout.addLayout(self.week_grid)
        self.shift_checks: list[QCheckBox] = []
        self.day_labels: list[QLabel] = []
        problems = QHBoxLayout()
        self.problem_checks: dict[str, QCheckBox] = {}
        for problem in PROBLEMS:
            check = QCheckBox(PROBLEM_WORDS[problem])
            check.toggled.connect(self._on_conditions_changed)
            problems.addWidget(check)
            self.problem_checks[problem] = check
        week_layout.addLayout(problems)
        layout.addWidget(self.week_box)
        self.refresh()

    # -- what the window calls ------------------------------------------------------------
    @property
    def current(self) -> ArmedSet | None:
        return self.model.workout.current

    def upcoming_targets(self) -> list[dict]:
        """``live_targets()`` of the sets after the current one, for the live view's queue."""
        return [a.live_targets() for a in self.model.workout.upcoming]

    def record_set(self, reps: Sequence[RepMetrics]) -> SetScore | None:
        """Score the current set from its counted reps, arm the next; None if all are done."""
        armed = self.current
        if armed is None:
            return None
        score = self.model.workout.record(reps, self.model.today)
        self.refresh()
        self.set_scored.emit(armed.number, score)
        self.targets_armed.emit(self.current)
        return score

    def skip_set(self) -> None:
        self.model.workout.skip()
        self.refresh()
        self.targets_armed.emit(self.current)

    def refresh(self) -> None:
        """Redraw everything from the model."""
        self._fill_plans()
        self._fill_suggestion()
        self._fill_current()
        self._fill_table()
        self._fill_week()

    # -- handlers --------------------------------------------------------------------------
    def _on_plan_chosen(self, index: int) -> None:
        self.model.choose(index)
        self.score_label.clear()
        self.refresh()
        self.targets_armed.emit(self.current)

    def _on_save(self) -> None:
        try:
            plan = self.model.save_as(self.save_name.text())
        except SensorError as exc:
            self.error_label.setText(str(exc))
            return
        self.error_label.clear()
        self.refresh()
        self.score_label.setText(f"Saved as “{plan.name}”.")

    def _on_accept(self) -> None:
        self._decide(self.model.accept)

    def _on_override(self) -> None:
        stage_id = self.stage_box.currentData()
        load = (self.load_box.value() or None) if stage(stage_id).loaded else None
        self._decide(lambda: self.model.override(stage_id, load))
        self.targets_armed.emit(self.current)

    def _decide(self, action) -> None:
        try:
            decision = action()
        except SensorError as exc:
            self.error_label.setText(str(exc))
            return
        self.error_label.clear()
        self.refresh()
        self.decision_made.emit(decision)

    def _on_conditions_changed(self, _checked: bool) -> None:
        if self._filling:
            return
        days = [d.date for d in self.model.week]
        shift = [d for d, c in zip(days, self.shift_checks, strict=True) if c.isChecked()]
        problems = [p for p, c in self.problem_checks.items() if c.isChecked()]
        try:
            self.model.set_conditions(shift, problems)
        except SensorError as exc:
            self.error_label.setText(str(exc))
            return
        self.error_label.clear()
        self.score_label.clear()
        self.refresh()
        self.targets_armed.emit(self.current)

    def _on_stage_picked(self, _index: int) -> None:
        self.load_box.setEnabled(stage(self.stage_box.currentData()).loaded)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        row = item.row()
        try:
            new = self._row_set(row)
        except SensorError as exc:
            self.error_label.setText(f"set {row + 1}: {exc}")
            self._fill_table()
            return
        self.error_label.clear()
        self.model.workout.edit(row, new)
        self.refresh()
        if row == self.model.workout.position:
            self.targets_armed.emit(self.current)

    def _row_set(self, row: int) -> PlannedSet:
        def text(column: str) -> str:
            return self.table.item(row, COLUMNS.index(column)).text().strip()

        def number(column: str) -> float:
            try:
                return float(text(column) or 0)
            except ValueError:
                raise PlanError(f"{column} {text(column)!r} is not a number") from None

        reps_min, reps_max = parse_reps(text("reps"))
        tempo = Tempo.parse(text("tempo"))
        return PlannedSet(
            reps_min, reps_max, tempo, number("load kg"), text("side").lower(), number("rest s")
        ).with_hold(number("hold s"))

    # -- drawing ---------------------------------------------------------------------------
    def _fill_plans(self) -> None:
        if not self.save_name.hasFocus():
            self.save_name.setText(self.model.workout.plan.name)
        names = [p.name for p in self.model.plans]
        if [self.plan_box.itemText(i) for i in range(self.plan_box.count())] != names:
            self.plan_box.clear()
            self.plan_box.addItems(names)
        self.plan_box.setCurrentIndex(
            next((i for i, p in enumerate(self.model.plans) if p is self.model.workout.plan), 0)
        )

    def _fill_suggestion(self) -> None:
        s, decision = self.model.suggestion, self.model.decision
        has = s is not None
        for w in (self.accept_button, self.override_button, self.stage_box, self.load_box):
            w.setVisible(has)
        if s is None:
            self.suggestion_label.setText("No suggestion yet.")
            return
        load = f", {s.load_kg:g} kg" if stage(s.stage).loaded else ""
        text = f"<b>{stage(s.stage).title}{load}</b> ({s.kind.replace('_', ' ')})<br>{s.reason}"
        if decision is not None:
            chosen = stage(decision.stage).title
            text += (
                "<br><i>Accepted.</i>" if decision.accepted else f"<br><i>Overridden: {chosen}</i>"
            )
        text += "".join(f"<br>Adapted: {r}" for r in self.model.adapted)
        self.suggestion_label.setText(text)
        self.accept_button.setEnabled(decision is None)
        chosen = decision or s
        self.stage_box.setCurrentIndex(self.stage_box.findData(chosen.stage))
        self.load_box.setValue(chosen.load_kg)
        self._on_stage_picked(0)

    def _fill_week(self) -> None:
        self.week_box.setVisible(bool(self.model.week))
        self._filling = True
        try:
            if len(self.shift_checks) != len(self.model.week):
                self._build_week_rows()
            for day, check, label in zip(
                self.model.week, self.shift_checks, self.day_labels, strict=True
            ):
                check.setChecked(day.on_shift)
                names = [self.model.exercises.name(w.exercise) for w in day.work if w.exercise]
                text = FOCUS_WORDS[day.focus] + (f": {', '.join(names)}" if names else "")
                label.setText(text)
                label.setToolTip("\n".join(day.reasons))
            for problem, check in self.problem_checks.items():
                check.setChecked(problem in self.model.conditions.problems)
        finally:
            self._filling = False

    def _build_week_rows(self) -> None:
        for w in [*self.shift_checks, *self.day_labels]:
            self.week_grid.removeWidget(w)
            w.deleteLater()
        self.shift_checks, self.day_labels = [], []
        for row, day in enumerate(self.model.week):
            check = QCheckBox(f"{day.date:%a %d %b}")
            check.toggled.connect(self._on_conditions_changed)
            label = QLabel(wordWrap=True)
            self.week_grid.addWidget(check, row, 0)
            self.week_grid.addWidget(label, row, 1)
            self.shift_checks.append(check)
            self.day_labels.append(label)

    def _fill_current(self) -> None:
        armed = self.current
        self.skip_button.setEnabled(armed is not None)
        if armed is None:
            self.current_label.setText("<b>Session done.</b> Choose a plan to start again.")
            self.cues_label.clear()
            return
        self.current_label.setText(f"<b>{armed.describe()}</b>")
        cues = self.model.exercises.get(armed.exercise).cues
        note = "" if armed.trackable else "<br><i>The sensor does not track this exercise.</i>"
        self.cues_label.setText("<br>".join(f"· {c}" for c in cues) + note)

    def _fill_table(self) -> None:
        workout = self.model.workout
        self._filling = True
        try:
            self.table.setRowCount(workout.total)
            for i in range(workout.total):
                armed = workout.armed(i)
                p = armed.planned
                score = workout.scores.get(i)
                values = (
                    ("▶ " if i == workout.position else "") + str(i + 1),
                    _score_text(score),
                    p.side,
                    p.reps_text(),
                    p.tempo.text(),
                    f"{p.hold_s:g}",
                    f"{p.load_kg:g}",
                    f"{p.rest_s:g}",
                    armed.exercise_name,
                )
                for c, value in enumerate(values):
                    item = QTableWidgetItem(value)
                    if COLUMNS[c] not in EDITABLE or i < workout.position:
                        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    if i == workout.position:
                        font = QFont(item.font())
                        font.setBold(True)
                        item.setFont(font)
                    if COLUMNS[c] == "result" and score is not None:
                        item.setForeground(QBrush(QColor(VERDICT_COLORS[score.verdict])))
                        item.setToolTip("; ".join(score.reasons))
                    self.table.setItem(i, c, item)
        finally:
            self._filling = False
        last = max(workout.scores, default=None)
        if last is not None:
            score = workout.scores[last]
            color = VERDICT_COLORS[score.verdict]
            self.score_label.setText(
                f"Set {last + 1}: <span style='color:{color}'>{score.verdict}</span> — "
                + "; ".join(score.reasons)
            )


def _score_text(score: SetScore | None) -> str:
    if score is None:
        return ""
    return f"{score.verdict}, {score.reps_done} reps"
