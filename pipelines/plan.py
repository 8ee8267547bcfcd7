"""ScenePlan: what the scene model understood from the prompt, as editable data.

A plan is JSON-serialisable (``to_dict``/``from_dict``), printed by ``--explain``,
written by ``hyworld plan`` and accepted back by ``hyworld gen --plan``. Every
length is in meters, in the scene's world frame (+Y up, right-handed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from exporters.errors import InputError

PLAN_VERSION = 1


@dataclass
class MaterialSpec:
    """A PBR material with procedural variation, assigned to one part of an entity."""

    name: str  # "wood", "stone", "thatch", ...
    base_color: tuple[float, float, float]  # sRGB, 0..1
    roughness: float = 0.8
    metallic: float = 0.0
    variation: float = 0.15  # amplitude of the procedural noise on base color (0 = flat)
    pattern: str = "noise"  # "noise", "planks", "bricks", "bark", "grass", ... (model-defined)


@dataclass
class EntityPlan:
    """One object instance: its kind, where it stands and how it is shaped and coloured."""

    id: str  # node name, unique in the scene: "house_01", "tree_07"
    kind: str  # catalog kind: "house", "tree", ...
    position: tuple[float, float, float]  # world meters of the pivot (centre of the base)
    yaw_deg: float = 0.0  # rotation about +Y
    scale: float = 1.0
    params: dict[str, float] = field(default_factory=dict)  # kind-specific shape parameters
    materials: dict[str, MaterialSpec] = field(default_factory=dict)  # part name -> material
    placement: str = "scatter"  # the layout rule that placed it
    parent: str | None = None  # id of the entity it stands on (a candle on a table)
    words: str = ""  # the prompt words it came from
    attributes: list[str] = field(default_factory=list)  # attribute names applied: "round", "broken"
    anchor: str | None = None  # what it was placed relative to: an entity id, or a feature ("walls", "road")
    support: str = "ground"  # what it stands on: "ground", "floor", "water" or the id of an entity


@dataclass
class Environment:
    """The ground the scene stands on: terrain (outdoor) or floor and walls (interior)."""

    kind: str = "terrain"  # "terrain" | "interior" | "prop" (one object alone, no ground)
    size_m: tuple[float, float] = (60.0, 60.0)  # extent along x and z, centred on the origin
    biome: str = "meadow"
    params: dict[str, float] = field(default_factory=dict)  # model-defined terrain parameters
    water_level: float | None = None  # world y of a water plane, if any
    materials: dict[str, MaterialSpec] = field(default_factory=dict)


@dataclass
class UnknownWord:
    """A prompt word the model did not know, and what it did with it."""

    word: str
    mapped_to: str | None = None  # the kind it was mapped to, or None when skipped
    score: float = 0.0  # similarity that justified the mapping (0 when skipped)
    how: str = "skipped"  # "skipped" | "synonym" | "wordnet" | "embedding" | "unhonoured"
    chain: list[str] = field(default_factory=list)  # WordNet is-a chain that led to mapped_to ("hydrangea", "shrub")
    said_of: str | None = None  # for "unhonoured": the kind the attribute word was said of


@dataclass
class ScenePlan:
    """The model's reading of a prompt: an environment and a list of entities."""

    prompt: str
    seed: int
    model: str
    environment: Environment
    entities: list[EntityPlan] = field(default_factory=list)
    unknown_words: list[UnknownWord] = field(default_factory=list)
    version: int = PLAN_VERSION
    # How the reader got there: one row per noun phrase (words, kind, count, attributes, relation, how).
    trace: list[dict[str, Any]] = field(default_factory=list)
    # What the model could not do as asked (a count capped, objects that did not fit), for the user.
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "plan") -> ScenePlan:
        """Build a plan from JSON data; raise ``InputError`` naming the bad field."""
        try:
            if data.get("version") != PLAN_VERSION:
                raise InputError(
                    f"{source}: plan version {data.get('version')!r} is not supported (expected {PLAN_VERSION})"
                )
            env = dict(data["environment"])
            env["size_m"] = tuple(env["size_m"])
            env["materials"] = {k: _material(v) for k, v in env.get("materials", {}).items()}
            entities = []
            for i, e in enumerate(data.get("entities", [])):
                e = dict(e)
                e["position"] = tuple(float(x) for x in e["position"])
                e["materials"] = {k: _material(v) for k, v in e.get("materials", {}).items()}
                e["params"] = {k: float(v) for k, v in e.get("params", {}).items()}
                e["attributes"] = [str(a) for a in e.get("attributes", [])]
                try:
                    entities.append(EntityPlan(**e))
                except TypeError as exc:
                    raise InputError(f"{source}: entities[{i}]: {exc}") from exc
            ids = [e.id for e in entities]
            if len(set(ids)) != len(ids):
                raise InputError(f"{source}: entity ids must be unique")
            return cls(
                prompt=str(data["prompt"]),
                seed=int(data["seed"]),
                model=str(data["model"]),
                environment=Environment(**env),
                entities=entities,
                unknown_words=[UnknownWord(**u) for u in data.get("unknown_words", [])],
                version=PLAN_VERSION,
                trace=[dict(t) for t in data.get("trace", [])],
                warnings=[str(w) for w in data.get("warnings", [])],
            )
        except InputError:
            raise
        except (AttributeError, KeyError, OverflowError, TypeError, ValueError) as exc:  # a field of the wrong type
            raise InputError(f"{source}: not a valid scene plan ({type(exc).__name__}: {exc})") from exc


def _material(data: dict[str, Any]) -> MaterialSpec:
    data = dict(data)
    data["base_color"] = tuple(float(x) for x in data["base_color"])
    return MaterialSpec(**data)
