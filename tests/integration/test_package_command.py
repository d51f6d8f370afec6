"""``feedback-core package``: the zip is reproducible and its handlers import on a clean Python.

The build downloads the dependencies' wheels from PyPI for the target platform (x86_64 here,
so the host can run them). The target Python is 3.12 (the templates' runtime) when a
``python3.12`` runs on this machine (on PATH or under pyenv), else the Python running the
tests. The clean environment is a fresh virtual environment of that Python with the zip
unpacked on its path and boto3 beside it (the Lambda runtime provides boto3, so the zip leaves
it out); each handler is imported with the environment its function is deployed with, against
stacks deployed into a moto server.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import textwrap
import warnings
import zipfile
from pathlib import Path
from typing import Any

import boto3
import pytest

from feedback_core.cli.local import CODE_BUCKET, CODE_KEY, LocalPlatform, bundle_root
from feedback_core.cli.main import main
from feedback_core.cli.package import PackageSpec, build

pytestmark = pytest.mark.slow  # two builds with pip, a clean environment, four stacks

TEMPLATES = (
    "feedback-api.yaml",
    "data-aggregator.yaml",
    "backup.yaml",
    "reports.yaml",
    "datalake.yaml",
)
PARAMETERS = {  # what the backup and reports stacks need from the feedback API stack
    "BackupTableName": "feedback-pkg",
    "BackupTableArn": "arn:aws:dynamodb:us-east-1:123456789012:table/feedback-pkg",
    "SurveyResponsesTableName": "survey-responses-pkg",
    "CountersTableName": "counters-pkg",
}

# Run inside the clean environment: import each handler with its function's environment.
IMPORT_EACH = textwrap.dedent(
    """
    import importlib, json, os, sys, traceback
    base = dict(os.environ)
    failures = {}
    for function in json.load(sys.stdin):
        os.environ.clear()
        os.environ.update(base, **function["environment"])
        module = function["handler"].rpartition(".")[0]
        attribute = function["handler"].rpartition(".")[2]
        try:
            assert callable(getattr(importlib.import_module(module), attribute))
        except BaseException:
            failures[function["name"]] = traceback.format_exc()
    print(json.dumps({"failures": failures, "version": sys.version_info[:2],
                      "boto3": importlib.import_module("boto3").__file__}))
    """
)


def target_python() -> tuple[str, str]:
    """(an interpreter, its ``major.minor``): python3.12 if this machine has one that runs."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [shutil.which("python3.12"), *map(str, sorted(pyenv.glob("3.12*/bin/python3.12")))]
    for candidate in filter(None, candidates):
        done = subprocess.run(  # noqa: S603  # an interpreter found on this machine, a fixed argument
            [candidate, "--version"], capture_output=True, check=False
        )
        if done.returncode == 0:  # a pyenv shim without that version selected fails here
            return candidate, "3.12"
    return sys.executable, f"{sys.version_info.major}.{sys.version_info.minor}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str]:
    """The function zip built twice into two folders (the second with a layer), the Python."""
    interpreter, version = target_python()
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    assert 0 == main(["package", "--arch", "x86_64", "--python", version, "--out", str(first)])
    build(PackageSpec(arch="x86_64", python=version, out=second, layer=True))
    return first / "lambda.zip", second / "lambda.zip", interpreter, version


def test_two_builds_are_byte_identical(built: tuple[Path, Path, str, str]) -> None:
    """The same inputs built twice give the same zip, byte for byte (so the same SHA-256)."""
    first, second, _, _ = built
    assert first.read_bytes() == second.read_bytes()


def test_the_templates_code_path_is_the_zip(built: tuple[Path, Path, str, str]) -> None:
    """``OUT/lambda`` (the templates' ``Code: ../build/lambda``) is the zip itself."""
    first, _, _, _ = built
    assert zipfile.is_zipfile(first.parent / "lambda")
    assert first.read_bytes() == (first.parent / "lambda").read_bytes()


def test_entries_are_normalised(built: tuple[Path, Path, str, str]) -> None:
    """Every entry has the fixed timestamp and mode, in name order, with no bytecode or boto3."""
    first, _, _, _ = built
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert sorted(names) == names
    assert {(1980, 1, 1, 0, 0, 0)} == {info.date_time for info in infos}
    assert {0o100644} == {info.external_attr >> 16 for info in infos}
    assert [] == [n for n in names if n.endswith(".pyc") or "__pycache__" in n]
    assert [] == [n for n in names if n.split("/")[0] in {"boto3", "botocore"}]
    handlers = sorted(p.name for p in (bundle_root() / "reference_handlers").glob("*.py"))
    assert handlers == sorted(n.split("/")[1] for n in names if n.startswith("reference_handlers/"))
    assert "feedback_core/py.typed" in names


def test_the_layer_puts_the_library_under_python(built: tuple[Path, Path, str, str]) -> None:
    """With ``--layer``, layer.zip holds the library and its dependencies under ``python/``."""
    _, second, _, _ = built
    with zipfile.ZipFile(second.parent / "layer.zip") as archive:
        names = archive.namelist()
    assert {"python"} == {name.split("/")[0] for name in names}
    tops = {name.split("/")[1] for name in names}
    assert {"feedback_core", "aws_lambda_powertools", "attrs", "orjson"} <= tops
    assert "reference_handlers" not in tops


def deployed_functions(endpoint: str, code: bytes, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Deploy every template into the moto server with ``code``; each function's settings."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=CODE_BUCKET)
    s3.put_object(Bucket=CODE_BUCKET, Key=CODE_KEY, Body=code)
    # LocalPlatform's deploy() without entering it: no in-process moto, the server instead.
    platform = LocalPlatform(templates=(), suffix="pkg", parameters=PARAMETERS)
    with warnings.catch_warnings():
        # Moto's CloudFormation skips the resources it lacks (alarms, stage, user pool...) with
        # a warning; the template tests check those from the template.
        warnings.filterwarnings("ignore", message=r"Tried to parse AWS::")
        outputs: dict[str, str] = {}
        for name in TEMPLATES:  # the lake takes the API stack's stream ARNs from its outputs
            chosen = outputs if name == "datalake.yaml" else None
            outputs.update(platform.deploy(name, suffix="pkg", parameters=chosen))
    functions = boto3.client("lambda").list_functions()["Functions"]
    return [
        {
            "name": f["FunctionName"],
            "handler": f["Handler"],
            "environment": {
                k: str(v) for k, v in f.get("Environment", {}).get("Variables", {}).items()
            },
        }
        for f in functions
        if f["FunctionName"].endswith("-pkg")
    ]


def test_every_handler_imports_in_a_clean_environment(
    built: tuple[Path, Path, str, str],
    tmp_path: Path,
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unpacked into a fresh venv of the target Python, every template's handler imports."""
    first, _, interpreter, version = built
    task, runtime, venv = tmp_path / "task", tmp_path / "runtime", tmp_path / "venv"
    with zipfile.ZipFile(first) as archive:
        archive.extractall(task)
    fresh = [interpreter, "-m", "venv", "--without-pip", str(venv)]
    subprocess.run(fresh, check=True)  # noqa: S603  # our interpreter, our arguments
    # The runtime's boto3, as Lambda provides it beside the code.
    boto = f"boto3=={importlib.metadata.version('boto3')}"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    pip += ["--no-compile", "--target", str(runtime), "--python-version", version]
    subprocess.run([*pip, "--only-binary=:all:", boto], check=True)  # noqa: S603  # as above
    functions = deployed_functions(moto_endpoint, first.read_bytes(), monkeypatch)
    modules = {f["handler"].rpartition(".")[0] for f in functions}
    shipped = {f"reference_handlers.{p.stem}" for p in (task / "reference_handlers").glob("*.py")}
    assert shipped - {"reference_handlers.__init__"} == modules
    environment = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": f"{task}{os.pathsep}{runtime}",  # /var/task, then the runtime's packages
        "PYTHONNOUSERSITE": "1",
        "AWS_ENDPOINT_URL": moto_endpoint,
        **{k: v for k, v in os.environ.items() if k.startswith("AWS_") and k != "AWS_PROFILE"},
    }
    done = subprocess.run(  # noqa: S603  # the fresh environment's interpreter, a fixed script
        [str(venv / "bin" / "python"), "-s", "-c", IMPORT_EACH],
        cwd=tmp_path,  # not the repository, whose reference_handlers/ would shadow the zip's
        input=json.dumps(functions),
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert {} == report["failures"]
    assert version == ".".join(map(str, report["version"]))
    assert str(runtime) in report["boto3"]
