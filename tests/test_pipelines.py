"""The GitLab and Gitea/Forgejo pipelines do what the GitHub workflow does.

.github/workflows/publish.yml is the reference: the commands its build job runs
(install, `huiyin check`, `mkdocs build --strict`) are read from it, and every other
pipeline must run the same commands in the same order before it publishes, publish only
from the default branch, and rebuild nightly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitebuilder import REPO

GITHUB = REPO / ".github" / "workflows" / "publish.yml"
GITLAB = REPO / ".gitlab-ci.yml"
GITEA = REPO / ".gitea" / "workflows" / "publish.yml"


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 reads a bare `on` key as the boolean true.
    return workflow.get("on", workflow.get(True)) or {}


def run_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if "run" in step]


def commands(lines: list[str]) -> list[str]:
    """Shell commands, one per line, continuations joined."""
    found = []
    for block in lines:
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.strip().startswith("#"):
                found.append(" ".join(line.split()))
    return found


def in_order(needed: list[str], found: list[str]) -> bool:
    rest = iter(found)
    return all(command in rest for command in needed)


@pytest.fixture(scope="module")
def reference() -> list[str]:
    """The commands of the GitHub workflow's build job, in order."""
    build = load(GITHUB)["jobs"]["build"]
    found = commands([step["run"] for step in run_steps(build)])
    assert "huiyin check" in found and "mkdocs build --strict" in found, found
    assert found.index("huiyin check") < found.index("mkdocs build --strict")
    return found


@pytest.fixture(scope="module")
def github_cron() -> list[str]:
    return [entry["cron"] for entry in triggers(load(GITHUB))["schedule"]]


# --- GitLab --------------------------------------------------------------------------------

def gitlab_jobs() -> dict[str, dict[str, Any]]:
    config = load(GITLAB)
    return {name: job for name, job in config.items() if isinstance(job, dict) and "script" in job}


def test_gitlab_pages_job_runs_the_github_commands_then_publishes_the_site(reference: list[str]) -> None:
    pages = gitlab_jobs()["pages"]
    script = commands(pages["script"])
    assert in_order(reference, script), (reference, script)
    assert pages["artifacts"]["paths"] == ["public"]
    # The built site/ becomes public/ after the strict build, not before.
    moved = [i for i, command in enumerate(script) if re.fullmatch(r"(mv|cp -r) site/? public/?", command)]
    assert moved and moved[0] > script.index("mkdocs build --strict"), script


def test_gitlab_checks_every_other_branch_the_same_way(reference: list[str]) -> None:
    jobs = gitlab_jobs()
    for name, job in jobs.items():
        assert in_order(reference, commands(job["script"])), name
    checking = [job for name, job in jobs.items() if name != "pages"]
    assert checking, "branches other than the default one should be checked too"
    assert all("public" not in str(job.get("artifacts", "")) for job in checking)


def active_rules(job: dict[str, Any]) -> list[str]:
    return [rule["if"] for rule in job["rules"] if rule.get("when", "on_success") != "never"]


def test_gitlab_publishes_only_from_the_default_branch_and_on_the_nightly_schedule() -> None:
    conditions = active_rules(gitlab_jobs()["pages"])
    assert conditions and all("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in c for c in conditions), conditions
    assert any('$CI_PIPELINE_SOURCE == "schedule"' in c for c in conditions)
    # And the schedule, which GitLab keeps outside the file, is explained in it.
    text = GITLAB.read_text(encoding="utf-8")
    assert re.search(r"Pipeline schedules", text) and "Asia/Shanghai" in text


def test_gitlab_keeps_the_whole_history_and_the_warning_off() -> None:
    variables = load(GITLAB)["variables"]
    assert str(variables["GIT_DEPTH"]) == "0"  # record pages list their revisions
    github_env = load(GITHUB)["jobs"]["build"]["env"]
    assert {k: str(v) for k, v in github_env.items()}.items() <= {k: str(v) for k, v in variables.items()}.items()


# --- Gitea / Forgejo -----------------------------------------------------------------------

def test_gitea_runs_the_github_commands(reference: list[str]) -> None:
    build = load(GITEA)["jobs"]["build"]
    found = commands([step["run"] for step in run_steps(build)])
    assert in_order(reference, found), (reference, found)
    assert load(GITHUB)["jobs"]["build"]["env"].items() <= build["env"].items()
    checkout = next(step for step in build["steps"] if str(step.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0


def test_gitea_runs_on_the_same_events_and_schedule(github_cron: list[str]) -> None:
    gitea, github = triggers(load(GITEA)), triggers(load(GITHUB))
    assert set(gitea) == set(github)
    assert [entry["cron"] for entry in gitea["schedule"]] == github_cron


def test_gitea_deploys_after_the_build_only_from_main_with_secrets(reference: list[str]) -> None:
    build = load(GITEA)["jobs"]["build"]
    steps = run_steps(build)
    deploy = [i for i, step in enumerate(steps) if "rsync" in step["run"]]
    assert len(deploy) == 1
    built = next(i for i, step in enumerate(steps) if "mkdocs build --strict" in commands([step["run"]]))
    assert deploy[0] > built
    step = steps[deploy[0]]
    # The same condition as the GitHub workflow's publishing steps.
    github_conditions = {s["if"] for s in load(GITHUB)["jobs"]["build"]["steps"] if "if" in s}
    assert step["if"] in github_conditions
    rsync = next(c for c in commands([step["run"]]) if c.startswith("rsync "))
    assert "--delete" in rsync and " site/ " in rsync
    assert all(re.fullmatch(r"\$\{\{ secrets\.[A-Z_]+ \}\}", value) for value in step["env"].values())
    assert "StrictHostKeyChecking=yes" in rsync  # the server's key is checked, not trusted on first sight
