"""The Databricks Asset Bundle and notebooks: safe per target, every task a valid `oa-spark` call, runnable.

The bundle cannot be deployed here, so each target is resolved the way `databricks bundle validate -t T` does
it (tests/support/bundle.py), loaded through Databricks' own `databricks-bundles` package, and every task's
parameter list is parsed by the real CLI parser with its config layers (the job cluster's environment
included) loaded by the real loader. The notebooks run as plain Python against local Spark.
"""

from __future__ import annotations

import argparse
import copy
import functools
import importlib.metadata
import itertools
import json
import re
import runpy
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml", reason="pyyaml (the `dev` extra) is not installed")

from support import bundle as dab  # noqa: E402

from oa_spark import config  # noqa: E402
from oa_spark.cli import build_parser, selected_weeks  # noqa: E402
from oa_spark.weeks import consecutive, is_sunday, parse_date, sundays  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.py"))
STAGES = ["stage", "ingest", "extract", "graphs"]
TARGETS = ["dev", "prod"]
PROD_VARS = {"runner": "6f1c2a3b-0000-4000-8000-00000000c0de", "alert_email": "oncall@example.org"}
WEEKLY = ["oa_spark_weekly", "oa_spark_weekly_serverless"]


@pytest.fixture(scope="module", params=TARGETS)
def target(request) -> str:
    return request.param


@functools.cache
def _resolved(target: str) -> dict[str, Any]:
    return dab.resolve(ROOT, target, PROD_VARS if target == "prod" else None)


def resolved(target: str) -> dict[str, Any]:
    """A fresh copy of the target's configuration (resolved once per test run)."""
    return copy.deepcopy(_resolved(target))


def jobs_of(target: str) -> dict[str, dict[str, Any]]:
    return resolved(target)["resources"]["jobs"]


def serverless_entry():
    return runpy.run_path(str(ROOT / "jobs" / "databricks_serverless.py"), run_name="databricks_serverless")


# -- the bundle, as Databricks resolves and loads it --------------------------------------------------------


def bundles_build(config_in: Path, config_out: Path, diagnostics: Path) -> subprocess.CompletedProcess:
    """What the CLI runs to load a bundle's resources into databricks-bundles' typed classes."""
    command = [sys.executable, "-m", "databricks.bundles.build", "--phase", "apply_mutators"]
    command += ["--input", str(config_in), "--output", str(config_out), "--diagnostics", str(diagnostics)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_databricks_bundles_loads_every_target_without_a_diagnostic(target, tmp_path) -> None:
    pytest.importorskip("databricks.bundles", reason="databricks-bundles (the `dev` extra) is not installed")
    config_in, config_out = tmp_path / "in.json", tmp_path / "out.json"
    diagnostics = tmp_path / "diagnostics.jsonl"
    config_in.write_text(json.dumps(resolved(target)), encoding="utf-8")
    done = bundles_build(config_in, config_out, diagnostics)
    found = diagnostics.read_text(encoding="utf-8").strip() if diagnostics.exists() else "(none written)"
    assert done.returncode == 0 and found == "", found or done.stderr[-2000:]
    # every field survived the typed round trip: nothing was dropped as unknown or coerced
    loaded = json.loads(config_out.read_text(encoding="utf-8"))["resources"]
    assert loaded == resolved(target)["resources"]
    assert set(loaded) == {"jobs", "schemas", "volumes", "secret_scopes"}


def test_databricks_bundles_reports_a_misspelt_field(tmp_path) -> None:
    """The check above can fail: a typo in a task is a diagnostic."""
    pytest.importorskip("databricks.bundles", reason="databricks-bundles (the `dev` extra) is not installed")
    config = resolved("dev")
    config["resources"]["jobs"]["oa_spark_weekly"]["tasks"][0]["max_retry"] = 1
    (tmp_path / "in.json").write_text(json.dumps(config), encoding="utf-8")
    done = bundles_build(tmp_path / "in.json", tmp_path / "out.json", tmp_path / "d.jsonl")
    assert done.returncode == 1
    assert "Unexpected field 'max_retry'" in (tmp_path / "d.jsonl").read_text(encoding="utf-8")


def test_prod_needs_its_runner_and_alert_address_set_explicitly() -> None:
    with pytest.raises(dab.BundleError, match="required variable runner"):
        dab.resolve(ROOT, "prod")
    with pytest.raises(dab.BundleError, match="required variable alert_email"):
        dab.resolve(ROOT, "prod", {"runner": PROD_VARS["runner"]})


def test_prod_deploys_under_the_runners_own_folder_runs_as_it_and_sets_permissions() -> None:
    prod = resolved("prod")
    runner = PROD_VARS["runner"]
    assert prod["bundle"]["mode"] == "production"
    root = prod["workspace"]["root_path"]
    assert root == f"/Workspace/Users/{runner}/.bundle/oa-spark/prod"
    assert not any(s.startswith(("/Workspace/Shared", "/Shared")) for s in dab.walk_strings(prod))
    assert prod["run_as"] == {"service_principal_name": runner}
    levels = {
        (p.get("service_principal_name") or p.get("group_name"), p["level"]) for p in prod["permissions"]
    }
    assert (runner, "CAN_MANAGE") in levels and len(levels) == len(prod["permissions"])
    assert all(level != "CAN_MANAGE" for who, level in levels if who != runner), "only the runner manages"
    assert prod["workspace"]["host"].startswith("https://")


def test_prod_grants_the_runner_its_schema_volume_and_key_and_protects_them() -> None:
    resources = resolved("prod")["resources"]
    runner = PROD_VARS["runner"]
    schema, volume = resources["schemas"]["oa_spark"], resources["volumes"]["staging"]
    scope = resources["secret_scopes"]["oa_spark"]
    grants = {g["principal"]: set(g["privileges"]) for g in schema["grants"]}
    assert grants[runner] >= {"USE_SCHEMA", "CREATE_TABLE", "SELECT", "MODIFY"}
    assert {g["principal"]: set(g["privileges"]) for g in volume["grants"]}[runner] >= {
        "READ_VOLUME",
        "WRITE_VOLUME",
    }
    assert {"service_principal_name": runner, "level": "READ"} in scope["permissions"]
    assert all(r["lifecycle"]["prevent_destroy"] is True for r in (schema, volume, scope))
    assert (schema["catalog_name"], schema["name"]) == ("main", "uspto_oa")
    assert volume["schema_name"] == schema["name"]


def test_dev_is_a_per_user_development_copy_with_dynamic_wheel_versions() -> None:
    dev = resolved("dev")
    assert dev["bundle"]["mode"] == "development"
    assert dev["presets"]["artifacts_dynamic_version"] is True
    assert "run_as" not in dev and "root_path" not in dab.load(ROOT)["targets"]["dev"].get("workspace", {})
    assert dev["workspace"]["host"] != resolved("prod")["workspace"]["host"]
    assert all(job["name"].startswith("[dev someone] ") for job in dev["resources"]["jobs"].values())


def test_dev_never_points_at_the_prod_schema_volume_or_secret_scope() -> None:
    prod, dev = resolved("prod")["resources"], resolved("dev")["resources"]
    prod_schema = prod["schemas"]["oa_spark"]["name"]
    dev_schema = dev["schemas"]["oa_spark"]["name"]
    assert dev_schema != prod_schema and "someone" in dev_schema
    assert dev["volumes"]["staging"]["schema_name"] == dev_schema
    assert dev["secret_scopes"]["oa_spark"]["name"] != prod["secret_scopes"]["oa_spark"]["name"]
    prod_names = {
        f"/Volumes/main/{prod_schema}/",
        f"main.{prod_schema}",
        f"lake.schema={prod_schema}",
        f"secrets/{prod['secret_scopes']['oa_spark']['name']}/",
    }
    dev_strings = list(dab.walk_strings(dev["jobs"]))
    assert not [s for s in dev_strings for name in prod_names if name in s]
    assert prod_schema not in dev_strings
    for where, cfg in task_configs("dev"):
        assert cfg.lake.schema == dev_schema and f"/{prod_schema}/" not in cfg.staging.path, where


def test_every_job_has_notifications_a_timeout_and_a_retry_policy(target) -> None:
    for name, job in jobs_of(target).items():
        assert job["email_notifications"]["on_failure"], name
        assert 0 < job["timeout_seconds"] <= 3 * 24 * 3600, name
        assert job["max_concurrent_runs"] == 1, name
        retried = [t for t in all_tasks(job) if t.get("max_retries", 0) > 0]
        assert retried, f"{name}: no task retries"
        assert all(t["min_retry_interval_millis"] >= 60_000 for t in retried), name


def test_at_most_one_weekly_job_is_scheduled_and_none_in_dev() -> None:
    def unpaused(target: str) -> list[str]:
        jobs = jobs_of(target)
        return [n for n, j in jobs.items() if j.get("schedule", {}).get("pause_status") == "UNPAUSED"]

    assert unpaused("dev") == []
    assert unpaused("prod") == ["oa_spark_weekly"]
    flipped = dab.resolve(
        ROOT, "prod", {**PROD_VARS, "classic_schedule": "PAUSED", "serverless_schedule": "UNPAUSED"}
    )
    assert [
        n
        for n, j in flipped["resources"]["jobs"].items()
        if j.get("schedule", {}).get("pause_status") == "UNPAUSED"
    ] == ["oa_spark_weekly_serverless"]


def test_serverless_weekly_job_has_no_cluster_and_installs_the_wheel_from_its_environment() -> None:
    job = jobs_of("prod")["oa_spark_weekly_serverless"]
    assert "job_clusters" not in job
    (env,) = job["environments"]
    assert env["spec"]["dependencies"] == ["../dist/*.whl"]
    for task in all_tasks(job):
        assert task["environment_key"] == env["environment_key"]
        assert not {"job_cluster_key", "new_cluster", "existing_cluster_id", "libraries"} & set(task)


# -- every task is a valid oa-spark call with the target's names --------------------------------------------


def all_tasks(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Every task, including the task nested in a for_each."""
    return [t.get("for_each_task", {}).get("task", t) for t in job["tasks"]] + [
        t for t in job["tasks"] if "for_each_task" in t
    ]


def dynamic_values(job: dict[str, Any]) -> dict[str, str]:
    """What a run substitutes: the trigger date, the job parameters' defaults, the first for_each input."""
    found = {"job.trigger.time.iso_date": date.today().isoformat()}
    for param in job.get("parameters", []):
        found[f"job.parameters.{param['name']}"] = run_time(param["default"], found)
    if "job.parameters.ranges" in found:
        first = json.loads(found["job.parameters.ranges"])[0]
        found |= {"input.from": first["from"], "input.to": first["to"]}
    return found


def run_time(text: str, dynamic: dict[str, str]) -> str:
    return re.sub(r"\{\{\s*([\w.]+)\s*\}\}", lambda m: dynamic[m.group(1)], text)


def command_lines(target: str) -> list[tuple[str, list[str], dict[str, str]]]:
    """(job/task, oa-spark argv, environment) of every task that runs oa-spark, as a run would see them.

    The synced files are read from this checkout (`${workspace.file_path}` -> the repository root)."""
    files = resolved(target)["workspace"]["root_path"] + "/files"
    split_args = serverless_entry()["split_args"]
    out = []
    for name, job in jobs_of(target).items():
        dynamic = dynamic_values(job)
        env = {}
        for cluster in job.get("job_clusters", []):
            env |= cluster["new_cluster"].get("spark_env_vars", {})
        for task in all_tasks(job):
            if "python_wheel_task" in task:
                params = task["python_wheel_task"]["parameters"]
            elif "spark_python_task" in task:
                _, params = split_args(task["spark_python_task"]["parameters"])
            else:
                continue
            argv = [run_time(p, dynamic).replace(files, str(ROOT)) for p in params]
            out.append((f"{name}/{task['task_key']}", argv, env))
    return out


def parsed_tasks(target: str) -> list[tuple[str, argparse.Namespace, dict[str, str]]]:
    """A parameter list the CLI rejects fails here."""
    parser = build_parser()
    out = []
    for where, argv, env in command_lines(target):
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:
            raise AssertionError(f"{where}: oa-spark rejects {argv}") from exc
        out.append((where, args, env))
    return out


def task_configs(target: str) -> list[tuple[str, config.Config]]:
    return [
        (where, config.load(args.conf, args.overrides, environ=env))
        for where, args, env in parsed_tasks(target)
    ]


def test_bundle_defines_the_weekly_backfill_and_notebook_jobs(target) -> None:
    assert set(jobs_of(target)) == {*WEEKLY, "oa_spark_backfill", "oa_spark_notebooks"}


def test_wheel_tasks_run_the_installed_oa_spark_console_script(target) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    for job in jobs_of(target).values():
        for task in all_tasks(job):
            if "python_wheel_task" not in task:
                continue
            wheel = task["python_wheel_task"]
            eps = importlib.metadata.distribution(wheel["package_name"]).entry_points
            (ep,) = [e for e in eps if e.group == "console_scripts" and e.name == wheel["entry_point"]]
            assert ep.value == scripts[wheel["entry_point"]] == "oa_spark.cli:entry"
            assert callable(ep.load())


def test_every_task_parameter_list_is_a_valid_oa_spark_command(target) -> None:
    commands = sorted({args.command for _, args, _ in parsed_tasks(target)})
    assert commands == sorted(["extract", "graphs", "ingest", "run", "stage"])


def test_every_task_loads_the_databricks_profile_with_the_targets_schema_and_volume(target) -> None:
    resources = resolved(target)["resources"]
    schema = resources["schemas"]["oa_spark"]
    volume = f"/Volumes/{schema['catalog_name']}/{schema['name']}/{resources['volumes']['staging']['name']}"
    configs = task_configs(target)
    assert len(configs) == 7  # weekly 4, backfill 2, serverless weekly 1
    for where, cfg in configs:
        assert (cfg.lake.catalog, cfg.lake.schema) == (schema["catalog_name"], schema["name"]), where
        assert cfg.staging.path == volume, where
        assert cfg.graphs.checkpoint_dir.startswith(volume + "/"), where
        assert (cfg.source.name, cfg.spark.master) == ("odp", ""), where


def test_per_target_values_are_set_once_per_job_not_per_task(target) -> None:
    """The tasks of a job-cluster job carry the command only; its cluster carries the names and the key."""
    scope = resolved(target)["resources"]["secret_scopes"]["oa_spark"]["name"]
    for name, job in jobs_of(target).items():
        for task in all_tasks(job):
            params = task.get("python_wheel_task", {}).get("parameters", [])
            assert "--set" not in params, f"{name}/{task['task_key']}"
        for cluster in job.get("job_clusters", []):
            env = cluster["new_cluster"].get("spark_env_vars", {})
            if name != "oa_spark_notebooks":
                assert env["USPTO_API_KEY"] == f"{{{{secrets/{scope}/uspto-api-key}}}}", name
    serverless = jobs_of(target)["oa_spark_weekly_serverless"]
    (task,) = serverless["tasks"]
    secret, _ = serverless_entry()["split_args"](task["spark_python_task"]["parameters"])
    assert secret == f"{scope}/uspto-api-key"


def test_week_ranges_of_every_task_resolve_to_sundays() -> None:
    for where, args, _ in parsed_tasks("prod"):
        weeks = selected_weeks(args)
        if args.command == "graphs":
            assert weeks is None, where
        else:
            assert weeks and all(is_sunday(w) for w in weeks), where


def test_weekly_job_runs_the_four_stages_in_order_on_a_weekly_schedule() -> None:
    job = jobs_of("prod")["oa_spark_weekly"]
    tasks = {t["task_key"]: t for t in job["tasks"]}
    assert list(tasks) == STAGES
    for before, after in itertools.pairwise(STAGES):
        assert tasks[after]["depends_on"] == [{"task_key": before}]
    for key, task in tasks.items():
        assert key in task["python_wheel_task"]["parameters"]
    for name in WEEKLY:
        *_, day, month, weekday = jobs_of("prod")[name]["schedule"]["quartz_cron_expression"].split()
        assert (day, month) == ("?", "*") and weekday.isalpha()


def test_backfill_inputs_are_json_ranges_covering_each_week_once_up_to_the_weekly_jobs_first() -> None:
    dynamic = dynamic_values(jobs_of("prod")["oa_spark_backfill"])
    ranges = json.loads(dynamic["job.parameters.ranges"])
    assert ranges and all(set(r) == {"from", "to"} for r in ranges)
    weeks = [w for r in ranges for w in sundays(parse_date(r["from"]), parse_date(r["to"]))]
    assert len(weeks) == len(set(weeks)), "two ranges share a week (concurrent iterations would collide)"
    assert weeks == sorted(weeks)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(weeks)), "a gap"
    first = dynamic_values(jobs_of("prod")["oa_spark_weekly"])["job.parameters.from"]
    assert weeks[-1] + timedelta(weeks=1) == parse_date(first)


def test_backfill_runs_oa_spark_run_per_range_with_bounded_concurrency_then_a_full_graph() -> None:
    job = jobs_of("prod")["oa_spark_backfill"]
    loop, final = job["tasks"]
    each = loop["for_each_task"]
    assert each["inputs"] == "{{job.parameters.ranges}}"
    assert isinstance(each["concurrency"], int) and 1 <= each["concurrency"] <= 100
    params = each["task"]["python_wheel_task"]["parameters"]
    assert params[params.index("run") :] == ["run", "--from", "{{input.from}}", "--to", "{{input.to}}"]
    assert final["depends_on"] == [{"task_key": loop["task_key"]}] and final["run_if"] == "ALL_DONE"
    assert final["python_wheel_task"]["parameters"][-2:] == ["graphs", "--full"]


def test_the_wheel_is_built_by_the_standard_front_end_and_installed_by_every_task(target) -> None:
    (artifact,) = resolved(target)["artifacts"].values()
    assert artifact["type"] == "whl" and artifact["build"] == "python -m build --wheel"
    built = {f["source"] for f in artifact["files"]}
    for job in jobs_of(target).values():
        wheels = [lib["whl"] for t in all_tasks(job) for lib in t.get("libraries", [])]
        wheels += [d for env in job.get("environments", []) for d in env["spec"]["dependencies"]]
        assert wheels, job["name"]
        for wheel in wheels:  # paths in resources/*.yml are relative to that file
            assert str((ROOT / "resources" / wheel).resolve().relative_to(ROOT)) in built


def test_notebook_job_feeds_the_notebook_widgets_from_job_parameters(target) -> None:
    job = jobs_of(target)["oa_spark_notebooks"]
    resources = resolved(target)["resources"]
    params = {p["name"]: p["default"] for p in job["parameters"]}
    assert params["schema"] == resources["schemas"]["oa_spark"]["name"]
    assert params["volume"] == resources["volumes"]["staging"]["name"]
    assert params["secret_scope"] == resources["secret_scopes"]["oa_spark"]["name"]
    text = (ROOT / "notebooks" / "01_run_pipeline.py").read_text(encoding="utf-8")
    widgets = set(re.findall(r'^    "(\w+)": \(', text, re.M))
    assert set(params) == widgets
    for task in job["tasks"]:
        path = (ROOT / "resources" / task["notebook_task"]["notebook_path"]).resolve()
        assert path in NOTEBOOKS and task["libraries"] == [{"whl": "../dist/*.whl"}]


def test_serverless_entry_reads_the_key_option_and_passes_the_rest_to_oa_spark(tmp_path, capsys) -> None:
    entry = serverless_entry()
    assert entry["split_args"](["--api-key-secret", "s/k", "--conf", "c.toml", "stage", "--from", "x"]) == (
        "s/k",
        ["--conf", "c.toml", "stage", "--from", "x"],
    )
    text = tmp_path / "action.txt"
    text.write_text("Claims 1-3 are rejected under 35 U.S.C. 102(a)(1) as anticipated by Smith.\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("USPTO_API_KEY", "already-set")  # so no secret is read
        assert entry["run"](["--api-key-secret", "s/k", "extract-text", str(text)]) == 0
    assert "102" in capsys.readouterr().out


def test_serverless_entry_refuses_a_secret_without_a_key(capsys) -> None:
    assert serverless_entry()["run"](["--api-key-secret", "only-a-scope", "graphs"]) == 2
    assert "SCOPE/KEY" in capsys.readouterr().err


# -- notebooks ----------------------------------------------------------------------------------------------


def test_notebooks_are_databricks_source_notebooks() -> None:
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


def test_notebooks_default_to_no_schema_so_never_to_prod() -> None:
    for path in NOTEBOOKS:
        text = path.read_text(encoding="utf-8")
        assert "uspto_oa" not in text and "/Volumes/main" not in text, path.name


def run_notebook(name: str, env: dict[str, str]) -> dict[str, Any]:
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        return runpy.run_path(str(ROOT / "notebooks" / name), run_name="__main__")


@pytest.fixture(scope="module")
def notebook_lake(spark, tmp_path_factory):
    """Run 01_run_pipeline.py as a plain script with its widget defaults on two generated weeks."""
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
    return root, run_notebook("01_run_pipeline.py", env), env


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


def test_run_pipeline_notebook_shows_what_each_stage_did_in_this_run(notebook_lake) -> None:
    _, scope, _ = notebook_lake
    outcomes = {(r["job"], r["status"]): r for r in scope["outcomes"].collect()}
    assert {job for job, _ in outcomes} == set(STAGES)
    assert {status for _, status in outcomes} == {"done"}
    assert [len(outcomes[(job, "done")]["weeks"]) for job in STAGES[:3]] == [2, 2, 2]


def test_explore_graphs_notebook_runs_on_the_lake_the_pipeline_built(spark, notebook_lake) -> None:
    _, _, env = notebook_lake
    scope = run_notebook("02_explore_graphs.py", env)
    assert scope["spark"] is spark
    assert scope["summary"].count() == 1
    assert scope["most_cited"].first()["in_degree"] >= 1


def test_run_pipeline_notebook_raises_when_a_week_failed(spark, tmp_path) -> None:
    """Generated weeks with faults (one good week, then broken files): the good one and the first broken."""
    from oa_spark.tables import Lake

    start = parse_date(config.SampleConfig.start)
    weeks = consecutive(start, 2)
    env = {
        "OA_SPARK__SPARK__MASTER": "local[2]",
        "OA_SPARK__LAKE__PATH": str(tmp_path / "lake"),
        "OA_SPARK__STAGING__PATH": str(tmp_path / "staging"),
        "OA_SPARK__SOURCE__URL": str(tmp_path / "sample"),
        "OA_SPARK__SAMPLE__WEEKS": "1",
        "OA_SPARK__SAMPLE__RECORDS": "20",
        "OA_SPARK__SAMPLE__FAULTS": "true",
        "OA_SPARK__STAGING__CHECKSUM_RETRIES": "0",
        "OA_REPORT_DIR": str(tmp_path / "report"),
        "OA_NOTEBOOK_FROM": weeks[0].isoformat(),
        "OA_NOTEBOOK_TO": weeks[-1].isoformat(),
    }
    failed = r"exit code 1; failed in this run: .*stage 2022-01-09: zip_truncated"
    with pytest.raises(RuntimeError, match=failed):
        run_notebook("01_run_pipeline.py", env)
    lake = Lake(spark, config.load(environ=env).lake)
    assert [r["week"] for r in lake.read("office_actions").select("week").distinct().collect()] == [weeks[0]]
