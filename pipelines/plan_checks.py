"""Bounds on an edited plan (`hyworld gen --plan`): types, finite numbers, sizes and counts the chain can build.

`ScenePlan.from_dict` checks the plan's shape; `check_plan` checks its values before any
work, so a hand-edited plan with ``"scale": "big"``, a 2-number colour, a negative ground,
``"floors": 1e9`` or 40,000 entities is one line and exit 2, not a crash deep in the
build or a process that grows until the OS kills it. The bounds are generous: every plan
the model writes passes them (tests/test_cli.py checks the sample prompts' plans).
"""

from __future__ import annotations

import math
from typing import Any

from exporters.errors import InputError
from pipelines.options import MAX_SEED
from pipelines.plan import MaterialSpec, ScenePlan

MAX_PLAN_ENTITIES = 300  # the same cap the model applies to a prompt's objects
MAX_GROUND_M = 4000.0  # edge of the ground (size_m), meters
MAX_COORD_M = 10000.0  # |x|, |y|, |z| of an entity's pivot, meters
MAX_SCALE = 20.0
PARAM_FACTOR = 8.0  # a shape parameter may reach this many times the largest value the catalog draws or sets
MAX_OTHER_PARAM = 1000.0  # a parameter the catalog does not list (terrain parameters, model extras)
MAX_VARIANT = 2.0**31
# The ground's own parameters past MAX_OTHER_PARAM: the model writes the seed, mod 1_000_003, as noise_seed.
ENVIRONMENT_LIMITS = {"noise_seed": float(MAX_VARIANT)}


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where} must be a number, not {value!r}")
    if not math.isfinite(value):
        raise InputError(f"{where} must be a finite number, not {value!r}")
    return float(value)


def _numbers(values: Any, n: int, where: str) -> list[float]:
    if not isinstance(values, (list, tuple)) or len(values) != n:
        raise InputError(f"{where} must be a list of {n} numbers, not {values!r}")
    return [_number(v, f"{where}[{i}]") for i, v in enumerate(values)]


def _within(value: float, lo: float, hi: float, where: str) -> None:
    if not lo <= value <= hi:
        raise InputError(f"{where} = {value:g} is out of range: use {lo:g}..{hi:g}")


def _material(m: MaterialSpec, where: str) -> None:
    for i, c in enumerate(_numbers(m.base_color, 3, f"{where}.base_color")):
        _within(c, 0.0, 1.0, f"{where}.base_color[{i}]")
    for name in ("roughness", "metallic", "variation"):
        _within(_number(getattr(m, name), f"{where}.{name}"), 0.0, 1.0, f"{where}.{name}")
    if not isinstance(m.name, str) or not isinstance(m.pattern, str):
        raise InputError(f"{where}: name and pattern must be strings")


def _param_limits() -> tuple[dict[str, dict[str, float]], dict[str, set[str]]]:
    """Return per kind: the largest magnitude each parameter may take, and which ones are counts."""
    from pipelines.models.kinds import KINDS

    limits: dict[str, dict[str, float]] = {}
    counts: dict[str, set[str]] = {}
    for name, kind in KINDS.items():
        largest = {p: max(abs(lo), abs(hi)) for p, (lo, hi) in kind.ranges.items()}
        for attribute in kind.attributes.values():
            for p, v in attribute.get("params", {}).items():
                largest[p] = max(largest.get(p, 0.0), abs(float(v)))
        limits[name] = {p: PARAM_FACTOR * max(v, 1.0) for p, v in largest.items()}
        counts[name] = set(kind.integer_params)
    return limits, counts


def _params(params: Any, limits: dict[str, float], counts: set[str], where: str) -> None:
    if not isinstance(params, dict):
        raise InputError(f"{where} must be an object of numbers")
    for key, value in params.items():
        v = _number(value, f"{where}.{key}")
        if key == "variant":
            _within(v, 0.0, MAX_VARIANT, f"{where}.{key}")
        elif key in counts:
            _within(v, 0.0, limits[key], f"{where}.{key}")
        else:
            bound = limits.get(key, MAX_OTHER_PARAM)
            _within(v, -bound, bound, f"{where}.{key}")


def check_plan(plan: ScenePlan, source: str = "plan") -> None:
    """Raise InputError naming the first value of ``plan`` that is of the wrong type or out of bounds."""
    if isinstance(plan.seed, bool) or not isinstance(plan.seed, int) or not 0 <= plan.seed <= MAX_SEED:
        raise InputError(f"{source}: seed must be an integer in 0..{MAX_SEED}, not {plan.seed!r}")
    env = plan.environment
    for i, v in enumerate(_numbers(env.size_m, 2, f"{source}: environment.size_m")):
        _within(v, 0.01, MAX_GROUND_M, f"{source}: environment.size_m[{i}]")
    if env.water_level is not None:
        where = f"{source}: environment.water_level"
        _within(_number(env.water_level, where), -MAX_COORD_M, MAX_COORD_M, where)
    _params(env.params, ENVIRONMENT_LIMITS, set(), f"{source}: environment.params")
    for part, m in env.materials.items():
        _material(m, f"{source}: environment.materials.{part}")
    if len(plan.entities) > MAX_PLAN_ENTITIES:
        raise InputError(
            f"{source}: {len(plan.entities)} entities; a plan holds at most {MAX_PLAN_ENTITIES} (as a prompt does)"
        )
    limits, counts = _param_limits()
    for i, e in enumerate(plan.entities):
        where = f"{source}: entities[{i}]"
        if not isinstance(e.id, str) or not isinstance(e.kind, str):
            raise InputError(f"{where}: id and kind must be strings")
        if e.kind not in limits:
            raise InputError(f"{where}: unknown kind {e.kind!r} (`hyworld plan` writes the kinds the catalog has)")
        for k, v in enumerate(_numbers(e.position, 3, f"{where}.position")):
            _within(v, -MAX_COORD_M, MAX_COORD_M, f"{where}.position[{k}]")
        _number(e.yaw_deg, f"{where}.yaw_deg")
        _within(_number(e.scale, f"{where}.scale"), 1e-3, MAX_SCALE, f"{where}.scale")
        _params(e.params, limits[e.kind], counts[e.kind], f"{where}.params")
        for part, m in e.materials.items():
            _material(m, f"{where}.materials.{part}")
