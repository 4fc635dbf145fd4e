"""The Databricks Asset Bundle and notebooks: every task is a valid `oa-spark` call, every notebook runs.

The bundle cannot be deployed here, so its tasks are checked the way Databricks would run them: bundle
variables and dynamic values are substituted, then each task's parameter list is parsed by the real CLI parser
and its config layers are loaded by the real loader. The notebooks run as plain Python against local Spark.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import json
import re
import runpy
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml", reason="pyyaml (the `dev` extra) is not installed")

from oa_spark import config  # noqa: E402
from oa_spark.cli import build_parser, selected_weeks  # noqa: E402
from oa_spark.weeks import is_sunday, parse_date, sundays  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))
STAGES = ["stage", "ingest", "extract", "graphs"]


# -- the bundle, as Databricks would resolve it -------------------------------------------------------------


@pytest.fixture(scope="module")
def bundle() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "databricks.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def jobs(bundle) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for pattern in bundle["include"]:
        for path in sorted(ROOT.glob(pattern)):
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            for name, job in doc["resources"]["jobs"].items():
                found[name] = {**job, "_file": path}
    return found


def variables(bundle: dict[str, Any], target: str | None = None) -> dict[str, Any]:
    values = {name: spec.get("default") for name, spec in bundle["variables"].items()}
    if target:
        values.update(bundle["targets"][target].get("variables", {}))
    return values


def resolve(text: str, values: dict[str, Any], dynamic: dict[str, str]) -> str:
    """`${var.x}` and `${workspace.file_path}` as deploy resolves them; `{{...}}` as a run resolves them."""
    text = re.sub(r"\$\{var\.(\w+)\}", lambda m: str(values[m.group(1)]), text)
    text = text.replace("${workspace.file_path}", str(ROOT))
    return re.sub(r"\{\{\s*([\w.]+)\s*\}\}", lambda m: dynamic[m.group(1)], text)


def wheel_tasks(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Every task that runs the wheel, including the task nested in a for_each."""
    found = []
    for task in job["tasks"]:
        inner = task.get("for_each_task", {}).get("task", task)
        if "python_wheel_task" in inner:
            found.append(inner)
    return found


def dynamic_values(job: dict[str, Any], values: dict[str, Any]) -> dict[str, str]:
    """What a run substitutes: the trigger date, the job parameters' defaults, the first for_each input."""
    found = {"job.trigger.time.iso_date": date.today().isoformat()}
    for param in job.get("parameters", []):
        found[f"job.parameters.{param['name']}"] = resolve(param["default"], values, found)
    if "job.parameters.ranges" in found:
        first = json.loads(found["job.parameters.ranges"])[0]
        found |= {"input.from": first["from"], "input.to": first["to"]}
    return found


def parsed_tasks(bundle, jobs, target: str | None = None) -> list[tuple[str, argparse.Namespace]]:
    """(job/task, parsed arguments) of every wheel task; a parameter list the CLI rejects fails here."""
    values = variables(bundle, target)
    parser = build_parser()
    out = []
    for name, job in jobs.items():
        dynamic = dynamic_values(job, values)
        for task in wheel_tasks(job):
            argv = [resolve(p, values, dynamic) for p in task["python_wheel_task"]["parameters"]]
            try:
                args = parser.parse_args(argv)
            except SystemExit as exc:
                raise AssertionError(f"{name}/{task['task_key']}: oa-spark rejects {argv}") from exc
            out.append((f"{name}/{task['task_key']}", args))
    return out


def backfill_ranges(bundle, jobs) -> list[dict[str, str]]:
    dynamic = dynamic_values(jobs["oa_spark_backfill"], variables(bundle))
    return json.loads(dynamic["job.parameters.ranges"])


def test_bundle_defines_the_weekly_and_the_backfill_job(jobs) -> None:
    assert set(jobs) == {"oa_spark_weekly", "oa_spark_backfill"}


def test_wheel_tasks_run_the_installed_oa_spark_console_script(jobs) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    for job in jobs.values():
        for task in wheel_tasks(job):
            wheel = task["python_wheel_task"]
            eps = importlib.metadata.distribution(wheel["package_name"]).entry_points
            (ep,) = [e for e in eps if e.group == "console_scripts" and e.name == wheel["entry_point"]]
            assert ep.value == scripts[wheel["entry_point"]] == "oa_spark.cli:entry"
            assert callable(ep.load())


def test_every_task_parameter_list_is_a_valid_oa_spark_command(bundle, jobs) -> None:
    commands = sorted({args.command for _, args in parsed_tasks(bundle, jobs)})
    assert commands == sorted(["extract", "graphs", "ingest", "run", "stage"])


@pytest.mark.parametrize(
    ("target", "schema"), [("prod", "uspto_oa"), ("dev", "uspto_oa_dev")], ids=["prod", "dev"]
)
def test_every_task_loads_the_databricks_profile_with_the_targets_catalog(
    bundle, jobs, target, schema
) -> None:
    for where, args in parsed_tasks(bundle, jobs, target):
        cfg = config.load(args.conf, args.overrides, environ={})
        assert (cfg.lake.catalog, cfg.lake.schema) == ("main", schema), where
        assert cfg.staging.path == f"/Volumes/main/{schema}/staging", where
        assert cfg.graphs.checkpoint_dir.startswith(f"/Volumes/main/{schema}/staging/"), where
        assert (cfg.source.name, cfg.spark.master) == ("odp", ""), where


def test_week_ranges_of_every_task_resolve_to_sundays(bundle, jobs) -> None:
    for where, args in parsed_tasks(bundle, jobs):
        weeks = selected_weeks(args)
        if args.command == "graphs":
            assert weeks is None, where
        else:
            assert weeks and all(is_sunday(w) for w in weeks), where


def test_weekly_job_runs_the_four_stages_in_order_on_a_weekly_schedule(jobs) -> None:
    job = jobs["oa_spark_weekly"]
    tasks = {t["task_key"]: t for t in job["tasks"]}
    assert list(tasks) == STAGES
    for before, after in itertools.pairwise(STAGES):
        assert tasks[after]["depends_on"] == [{"task_key": before}]
    for key, task in tasks.items():
        assert task["python_wheel_task"]["parameters"].index(key) >= 0
    *_, day, month, weekday = job["schedule"]["quartz_cron_expression"].split()
    assert (day, month) == ("?", "*") and weekday.isalpha()


def test_backfill_inputs_are_json_ranges_covering_each_week_once_up_to_the_weekly_jobs_first(
    bundle, jobs
) -> None:
    ranges = backfill_ranges(bundle, jobs)
    assert ranges and all(set(r) == {"from", "to"} for r in ranges)
    weeks = [w for r in ranges for w in sundays(parse_date(r["from"]), parse_date(r["to"]))]
    assert len(weeks) == len(set(weeks)), "two ranges share a week (concurrent iterations would collide)"
    assert weeks == sorted(weeks)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(weeks)), "a gap"
    assert weeks[-1] + timedelta(weeks=1) == parse_date(variables(bundle)["first_week"])


def test_backfill_runs_oa_spark_run_per_range_with_bounded_concurrency_then_a_full_graph(jobs) -> None:
    job = jobs["oa_spark_backfill"]
    loop, final = job["tasks"]
    each = loop["for_each_task"]
    assert each["inputs"] == "{{job.parameters.ranges}}"
    assert isinstance(each["concurrency"], int) and 1 <= each["concurrency"] <= 100
    params = each["task"]["python_wheel_task"]["parameters"]
    assert params[params.index("run") :] == ["run", "--from", "{{input.from}}", "--to", "{{input.to}}"]
    assert final["depends_on"] == [{"task_key": loop["task_key"]}] and final["run_if"] == "ALL_DONE"
    assert final["python_wheel_task"]["parameters"][-2:] == ["graphs", "--full"]


def test_tasks_install_the_wheel_the_bundle_builds(bundle, jobs) -> None:
    (artifact,) = bundle["artifacts"].values()
    assert artifact["type"] == "whl" and artifact["build"] == "make package"
    built = {f["source"] for f in artifact["files"]}
    assert re.search(r"^package:", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    for job in jobs.values():
        for task in wheel_tasks(job):
            (lib,) = task["libraries"]
            path = (job["_file"].parent / lib["whl"]).resolve().relative_to(ROOT)
            assert str(path) in built


# -- notebooks ----------------------------------------------------------------------------------------------


def test_notebooks_are_databricks_source_notebooks(tmp_path) -> None:
    assert [p.name for p in NOTEBOOKS] == ["01_run_pipeline.py", "02_explore_graphs.py"]
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Databricks notebook source\n")
        cells = text.split("\n# COMMAND ----------\n")
        assert len(cells) > 3
        assert cells[0].splitlines()[1] == "# MAGIC %md", "opens with a markdown cell"
        for cell in cells:
            code = [line for line in cell.splitlines() if line.strip() and not line.startswith("#")]
            magic = [line for line in cell.splitlines() if line.startswith("# MAGIC")]
            assert not (code and magic), f"{path.name}: a cell mixes code and markdown"
        compile(text, str(path), "exec")


@pytest.fixture(scope="module")
def notebook_lake(spark, tmp_path_factory):
    """Run 01_run_pipeline.py as a plain script on two generated weeks (on the shared, active session)."""
    root = tmp_path_factory.mktemp("notebooks")
    env = {
        "OA_SPARK__SPARK__MASTER": "local[2]",
        "OA_SPARK__LAKE__PATH": str(root / "lake"),
        "OA_SPARK__STAGING__PATH": str(root / "staging"),
        "OA_SPARK__SOURCE__URL": str(root / "sample"),
        "OA_SPARK__SAMPLE__WEEKS": "2",
        "OA_SPARK__SAMPLE__RECORDS": "40",
        "OA_REPORT_DIR": str(root / "report"),
    }
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        scope = runpy.run_path(str(ROOT / "notebooks" / "01_run_pipeline.py"), run_name="__main__")
        yield root, scope, env


def test_run_pipeline_notebook_fills_the_lake_on_the_active_session(spark, notebook_lake) -> None:
    from oa_spark.tables import Lake

    root, scope, _ = notebook_lake
    assert scope["spark"] is spark
    assert scope["exit_code"] == 0
    lake = Lake(spark, scope["cfg"].lake)
    assert lake.read("office_actions").select("week").distinct().count() == 2
    for table in ("rejections", "citations", "citation_edges", "citation_nodes", "graph_summary"):
        assert lake.read(table).count() > 0, table
    assert (root / "report" / "index.html").stat().st_size > 0


def test_explore_graphs_notebook_runs_on_the_lake_the_pipeline_built(spark, notebook_lake) -> None:
    _, _, env = notebook_lake
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        scope = runpy.run_path(str(ROOT / "notebooks" / "02_explore_graphs.py"), run_name="__main__")
    assert scope["spark"] is spark
    assert scope["summary"].count() == 1
    assert scope["most_cited"].first()["in_degree"] >= 1
