"""Score built scenes and report them: per prompt, per category and per split (rich tables, JSON)."""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tests.scene_eval.checklist import CATEGORIES, SPLITS, Prompt
from tests.scene_eval.checks_scene import ChecklistError, label, run_check
from tests.scene_eval.runner import Build
from tests.scene_eval.scene import load_scene


@dataclass
class PromptResult:
    prompt: Prompt
    checks: list[dict] = field(default_factory=list)  # {"check", "score", "detail"}
    error: str = ""
    seconds: float = 0.0

    @property
    def score(self) -> float:
        """Return passed/total over the prompt's checks (partial credit counts its fraction); 0 for a failed build."""
        if self.error or not self.checks:
            return 0.0
        return sum(c["score"] for c in self.checks) / len(self.checks)


def score_prompt(prompt: Prompt, glb: Path, manifest: Path | None = None) -> PromptResult:
    """Return the prompt's checklist scored on the scene written in ``glb``."""
    scene = load_scene(glb, manifest)
    result = PromptResult(prompt)
    for spec in prompt.all_checks():
        try:
            score, detail = run_check(scene, spec)
        except ChecklistError:
            raise
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            score, detail = 0.0, f"scorer error: {type(exc).__name__}: {exc}"
            traceback.print_exc()
        result.checks.append({"check": label(spec), "type": spec["type"], "score": round(score, 4), "detail": detail})
    return result


def score_builds(builds: list[Build]) -> list[PromptResult]:
    """Return one result per build (a failed build scores 0 with its error)."""
    out = []
    for b in builds:
        if b.folder is None:
            out.append(PromptResult(b.prompt, error=b.error or "build failed", seconds=b.seconds))
            continue
        r = score_prompt(b.prompt, b.glb, b.manifest)
        r.seconds = b.seconds
        out.append(r)
    return out


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def summary(results: list[PromptResult]) -> dict:
    """Return the scores per split and category: mean, lowest, prompts below 0.8."""
    table: dict = {}
    for split in (*SPLITS, "all"):
        rows = [r for r in results if split == "all" or r.prompt.split == split]
        if not rows:
            continue
        cats = {}
        for cat in CATEGORIES:
            scores = [r.score for r in rows if r.prompt.category == cat]
            if scores:
                cats[cat] = {"mean": round(_mean(scores), 4), "min": round(min(scores), 4), "n": len(scores)}
        scores = [r.score for r in rows]
        table[split] = {
            "mean": round(_mean(scores), 4),
            "min": round(min(scores), 4),
            "n": len(scores),
            "below_0.8": sum(s < 0.8 for s in scores),
            "categories": cats,
        }
    return table


def print_report(results: list[PromptResult], verbose: bool = False, console: Console | None = None) -> None:
    """Print the per-prompt table, then the per-category table with one column per split."""
    console = console or Console(width=140)
    prompts = Table(title="scene evaluation: prompts")
    for col in ("split", "category", "prompt", "score", "checks", "worst misses"):
        prompts.add_column(col, overflow="fold")
    for r in results:
        misses = [f"{c['check']} ({c['detail']})" for c in r.checks if c["score"] < 1.0]
        shown = misses if verbose else misses[:2]
        prompts.add_row(
            r.prompt.split,
            r.prompt.category,
            r.prompt.name,
            f"{r.score:.2f}",
            f"{sum(c['score'] >= 1.0 for c in r.checks)}/{len(r.checks)}",
            r.error or "; ".join(shown) + (" ..." if len(misses) > len(shown) else ""),
        )
    console.print(prompts)
    s = summary(results)
    cats = Table(title="scene evaluation: mean score per category")
    cats.add_column("category")
    splits = [k for k in (*SPLITS, "all") if k in s]
    for k in splits:
        cats.add_column(k, justify="right")
    for cat in CATEGORIES:
        cells = [
            f"{s[k]['categories'][cat]['mean']:.2f} ({s[k]['categories'][cat]['n']})"
            if cat in s[k]["categories"]
            else "-"
            for k in splits
        ]
        cats.add_row(cat, *cells)
    cats.add_row("[bold]overall[/bold]", *[f"[bold]{s[k]['mean']:.3f}[/bold] ({s[k]['n']})" for k in splits])
    cats.add_row("lowest prompt", *[f"{s[k]['min']:.2f}" for k in splits])
    cats.add_row("prompts < 0.8", *[str(s[k]["below_0.8"]) for k in splits])
    console.print(cats)


def write_json(results: list[PromptResult], path: Path, options: tuple[str, ...] = ()) -> None:
    """Write the summary and every prompt's checks to ``path`` (prompt texts left out: names only)."""
    data = {
        "options": list(options),
        "summary": summary(results),
        "prompts": [
            {
                "name": r.prompt.name,
                "split": r.prompt.split,
                "category": r.prompt.category,
                "score": round(r.score, 4),
                "seconds": round(r.seconds, 1),
                "error": r.error,
                "checks": r.checks,
            }
            for r in results
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1) + "\n")
