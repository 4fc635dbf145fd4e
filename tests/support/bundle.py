"""The bundle as `databricks bundle validate -t TARGET` resolves it, for tests that cannot reach a workspace.

Follows the Databricks CLI's rules for what this bundle uses: includes and the target's overrides merged
(maps merged, sequences concatenated), every variable must have a value (target value, `--var`, default),
`${var.*}`, `${bundle.*}` and `${workspace.*}` substituted, development mode's presets (jobs named
"[dev <user>] …", schemas prefixed "dev_<user>_", unset schedules paused), then `${resources.*}` references
to configured fields. Run-time values (`{{job.parameters.x}}`) are left for the caller.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

REF = re.compile(r"\$\{([A-Za-z_][\w.-]*(?:\[\d+\])*)\}")
USER = "someone@example.com"


class BundleError(ValueError):
    """What the CLI would refuse (a variable without a value, a reference to nothing)."""


def merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if isinstance(base, list) and isinstance(over, list):
        return base + over
    return copy.deepcopy(over)


def load(root: Path) -> dict[str, Any]:
    """databricks.yml with every included file merged in."""
    config = yaml.safe_load((root / "databricks.yml").read_text(encoding="utf-8"))
    for pattern in config.get("include", []):
        for path in sorted(root.glob(pattern)):
            config = merge(config, yaml.safe_load(path.read_text(encoding="utf-8")))
    return config


def short_name(user: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", user.split("@")[0]).lower()


def _lookup(tree: Any, dotted: str) -> Any:
    node = tree
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        if part.startswith("["):
            node = node[int(part[1:-1])]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise BundleError(f"reference does not exist: ${{{dotted}}}")
    return node


def _substitute(node: Any, prefixes: tuple[str, ...], scope: dict[str, Any]) -> Any:
    """Replace references that start with one of `prefixes`; a whole-string reference keeps its type."""
    if isinstance(node, dict):
        return {k: _substitute(v, prefixes, scope) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, prefixes, scope) for v in node]
    if not isinstance(node, str):
        return node
    whole = REF.fullmatch(node)
    if whole and whole.group(1).startswith(prefixes):
        return _lookup(scope, whole.group(1))

    def one(m: re.Match[str]) -> str:
        return str(_lookup(scope, m.group(1))) if m.group(1).startswith(prefixes) else m.group(0)

    return REF.sub(one, node)


def _settle(node: Any, prefixes: tuple[str, ...], scope_of) -> Any:
    """Substitute until nothing changes (references to references)."""
    for _ in range(10):
        new = _substitute(node, prefixes, scope_of(node))
        if new == node:
            return new
        node = new
    raise BundleError("references do not settle (a cycle?)")


def variable_values(config: dict[str, Any], target: str, overrides: dict[str, Any]) -> dict[str, Any]:
    declared = config.get("variables", {})
    from_target = config["targets"][target].get("variables", {})
    values = {}
    for name, spec in declared.items():
        if name in overrides:
            values[name] = overrides[name]
        elif name in from_target:
            value = from_target[name]
            values[name] = value.get("default", value) if isinstance(value, dict) else value
        elif "default" in spec:
            values[name] = spec["default"]
        else:
            raise BundleError(
                f"no value assigned to required variable {name}: use --var or BUNDLE_VAR_{name}"
            )
    return values


def resolve(
    root: Path, target: str, overrides: dict[str, Any] | None = None, user: str = USER
) -> dict[str, Any]:
    """The target's configuration: bundle, workspace, run_as, permissions, presets and resources."""
    config = load(root)
    spec = config["targets"][target]
    name = config["bundle"]["name"]
    mode = spec.get("mode")
    short = short_name(user)
    resolved: dict[str, Any] = {
        "bundle": {**config["bundle"], "target": target, **({"mode": mode} if mode else {})},
        "workspace": merge(config.get("workspace", {}), spec.get("workspace", {})),
        "artifacts": config.get("artifacts", {}),
        "presets": merge(config.get("presets", {}), spec.get("presets", {})),
        "resources": merge(config.get("resources", {}), spec.get("resources", {})),
    }
    for key in ("run_as", "permissions"):
        if key in spec or key in config:
            resolved[key] = spec.get(key, config.get(key))
    resolved["workspace"].setdefault("root_path", f"/Workspace/Users/{user}/.bundle/{name}/{target}")

    values = variable_values(config, target, overrides or {})
    builtins = {
        "bundle": {"name": name, "target": target},
        "workspace": {"current_user": {"userName": user, "short_name": short}},
    }
    values = _settle(values, ("var.", "bundle.", "workspace."), lambda v: {**builtins, "var": v})
    resolved = _settle(resolved, ("var.", "bundle."), lambda _: {**builtins, "var": values})
    root_path = _settle(resolved["workspace"]["root_path"], ("workspace.",), lambda _: builtins)
    builtins["workspace"] |= {"root_path": root_path, "file_path": f"{root_path}/files"}
    resolved = _settle(resolved, ("workspace.",), lambda _: builtins)

    if mode == "development":
        _development_presets(resolved, short)
    return _settle(resolved, ("resources.",), lambda tree: tree)


def _development_presets(resolved: dict[str, Any], short: str) -> None:
    resources = resolved["resources"]
    for job in resources.get("jobs", {}).values():
        job["name"] = f"[dev {short}] {job['name']}"
        job.setdefault("tags", {}).setdefault("dev", short)
        if "schedule" in job:
            job["schedule"].setdefault("pause_status", "PAUSED")
    for schema in resources.get("schemas", {}).values():
        schema["name"] = f"dev_{short}_{schema['name']}"


def walk_strings(node: Any):
    """Every string in a resolved tree."""
    if isinstance(node, dict):
        for value in node.values():
            yield from walk_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_strings(value)
    elif isinstance(node, str):
        yield node
