"""What the reader hands the layout: ``Mention`` (one object phrase) and ``ParsedPrompt`` (the whole prompt)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.plan import UnknownWord

RGB = tuple[float, float, float]


@dataclass
class Mention:
    """One noun phrase that names a catalog kind, with everything said about it."""

    kind: str
    count: int
    words: str
    explicit: bool = False
    material: str | None = None
    color: RGB | None = None
    parts: dict[str, tuple[str | None, RGB | None]] = field(default_factory=dict)
    placement: str = "scatter"
    anchor: int | None = None  # index of the mention it is placed relative to
    feature: str | None = None  # or the terrain feature: road, river, lake, water, hill, walls, pass, shore
    size: float = 1.0
    species: str | None = None
    attributes: list[str] = field(default_factory=list)  # attribute names the kind honours: "round", "broken"
    unhonoured: list[str] = field(default_factory=list)  # words said of it that the kind cannot show
    collective: str | None = None  # the collective noun that set the count: "forest", "stack", "row"
    direction: str | None = None  # for placement "direction": north|south|east|west|behind|front|left|right
    relation_words: str = ""  # the words the placement came from: "stacked against the wall"
    stacked: bool = False  # "stacked"/"piled": instances stand on each other (stackable kinds)
    how: str = "catalog"  # how the noun found its kind: catalog | wordnet | embedding | synonym | collective
    chain: list[str] = field(default_factory=list)  # WordNet is-a chain when how == "wordnet"
    asked: int = 0  # the count the words asked for, before the per-mention cap (reported when capped)


@dataclass
class ParsedPrompt:
    """What the reader understood: mentions, settings, features, unknown words, and how it read them."""

    mentions: list[Mention] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    unknown: list[UnknownWord] = field(default_factory=list)
    negated: set[str] = field(default_factory=set)  # kinds the prompt excludes ("no trees")
    scale: float = 1.0  # "a small village"
    density: float = 1.0  # "a dense forest"
    global_parts: dict[str, tuple[str | None, RGB | None]] = field(default_factory=dict)
    feature_attributes: dict[str, list[str]] = field(default_factory=dict)  # "lake": ["frozen"]
    trace: list[dict] = field(default_factory=list)  # for --explain / hyworld plan; see reading.trace
    prop: bool = False  # one object and no setting: a single prop, not a scene
