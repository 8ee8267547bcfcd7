"""Prompt files: one TOML file per prompt holding the prompt text and its checklist.

```toml
prompt = "A cozy tavern with barrels stacked against the wall."
category = "interior"          # one of CATEGORIES
setting = "interior"           # interior | outdoor | prop | any: adds that setting's standard checks
style = "short"                # short | long | list (for the report only)
lang = "en"                    # optional
checks = [
  {type = "count", kinds = ["barrel"], min = 3},
  {type = "against", kinds = ["barrel"], feature = "walls"},
]
```

`kinds` is the set of acceptable kinds for the subject; `of` the anchor's kinds and
`feature` a scene feature (road, river, lake, pass, walls, water). What each check
type means is in ``checks.py``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - pytest brings tomli on 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
SPLITS = ("dev", "heldout")
CATEGORIES = (
    "interior",
    "landscape",
    "town",
    "farm",
    "camp",
    "graveyard",
    "castle",
    "garden",
    "harbour",
    "workshop",
    "prop",
    "foreign",
    "unknown",
)
SETTINGS = ("interior", "outdoor", "prop", "any")
FEATURES = ("road", "river", "lake", "pass", "walls", "water")

# The standard checks each setting adds to a prompt's own (every scene: support and no overlap).
SETTING_CHECKS = {
    "interior": ({"type": "setting", "want": "interior"}, {"type": "inside_room"}, {"type": "walkable"}),
    "outdoor": ({"type": "setting", "want": "terrain"},),
    "prop": ({"type": "setting", "want": "prop"}, {"type": "alone"}, {"type": "base"}),
    "any": (),
}
COMMON_CHECKS = ({"type": "support"}, {"type": "no_overlap"})


@dataclass
class Prompt:
    name: str
    split: str
    path: Path
    text: str
    category: str
    setting: str
    style: str = "short"
    lang: str = "en"
    checks: list[dict] = field(default_factory=list)

    def all_checks(self) -> list[dict]:
        """Return the prompt's own checks followed by its setting's and the common ones."""
        return [*self.checks, *SETTING_CHECKS[self.setting], *COMMON_CHECKS]


def load_prompt(path: Path) -> Prompt:
    """Return the prompt in ``path`` (ValueError names the file and the bad field)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: {exc}") from None
    for key in ("prompt", "category", "setting", "checks"):
        if key not in data:
            raise ValueError(f"{path}: missing {key!r}")
    if data["category"] not in CATEGORIES:
        raise ValueError(f"{path}: category {data['category']!r} is not one of {CATEGORIES}")
    if data["setting"] not in SETTINGS:
        raise ValueError(f"{path}: setting {data['setting']!r} is not one of {SETTINGS}")
    checks = [dict(c) for c in data["checks"]]
    for c in checks:
        if "type" not in c:
            raise ValueError(f"{path}: a check without a type: {c}")
    return Prompt(
        name=path.stem,
        split=path.parent.name,
        path=path,
        text=data["prompt"].strip(),
        category=data["category"],
        setting=data["setting"],
        style=data.get("style", "short"),
        lang=data.get("lang", "en"),
        checks=checks,
    )


def load_prompts(split: str = "all", names: list[str] | None = None, root: Path = HERE) -> list[Prompt]:
    """Return the prompts of ``split`` (dev, heldout or all), sorted by split then name."""
    splits = SPLITS if split == "all" else (split,)
    if any(s not in SPLITS for s in splits):
        raise ValueError(f"split {split!r} is not one of dev, heldout, all")
    prompts = [load_prompt(p) for s in splits for p in sorted((root / s).glob("*.toml"))]
    if names:
        prompts = [p for p in prompts if p.name in names]
    return prompts
