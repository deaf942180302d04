"""Parsing of source URIs (``scheme://target?key=value``) with checked, typed parameters.

``SourceUri.parse`` splits a URI; ``get_float``/``get_int``/``get_speed`` read parameters and
raise InputError naming the parameter and the accepted values; ``check_keys`` refuses unknown
parameters so that a typo never passes silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote

from sensors.errors import InputError


@dataclass(frozen=True, slots=True)
class SourceUri:
    """A split URI: ``scheme``, ``target`` (path, port, name or address), ``params``."""

    text: str
    scheme: str
    target: str
    params: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> SourceUri:
        """Split ``scheme://target?query``; raises InputError when there is no scheme."""
        scheme, sep, rest = text.partition("://")
        if not sep or not scheme:
            raise InputError(f"{text!r} is not a source URI: expected SCHEME://..., e.g. sim://")
        target, _, query = rest.partition("?")
        try:
            params = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)))
        except ValueError as exc:
            raise InputError(f"{text!r}: the part after '?' must be key=value&...") from exc
        return cls(text, scheme.lower(), unquote(target), params)

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        """Raise InputError if a parameter is not one of ``allowed``."""
        unknown = sorted(set(self.params) - set(allowed))
        if unknown:
            valid = ", ".join(allowed) or "none"
            raise InputError(f"{self.text}: unknown parameter {unknown[0]!r} (valid: {valid})")

    def get_float(self, key: str, default: float | None, *, low: float, high: float):
        """A number parameter within [low, high], or ``default`` when absent."""
        raw = self.params.get(key)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not low <= value <= high:
            raise InputError(f"{self.text}: {key}={raw!r} must be a number from {low} to {high}")
        return value

    def get_int(self, key: str, default: int | None, *, low: int, high: int):
        """An integer parameter within [low, high], or ``default`` when absent."""
        value = self.get_float(key, default, low=low, high=high)
        if value is not None and value != int(value):
            raise InputError(f"{self.text}: {key} must be a whole number, got {value}")
        return None if value is None else int(value)

    def get_speed(self) -> float | None:
        """Playback speed from ``speed=`` (1, 2, 4, any factor, or 'max'); None means max."""
        raw = self.params.get("speed", "1")
        if raw.lower() in ("max", "inf", "0"):
            return None
        return self.get_float("speed", 1.0, low=0.01, high=1000.0)

    def get_flag(self, key: str) -> bool:
        """A yes/no parameter (1/0, true/false, yes/no); False when absent."""
        raw = self.params.get(key, "0").lower()
        if raw in ("1", "true", "yes", "on"):
            return True
        if raw in ("0", "false", "no", "off", ""):
            return False
        raise InputError(f"{self.text}: {key}={raw!r} must be 1 or 0")
