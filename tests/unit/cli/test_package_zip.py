"""``feedback-core package``'s pure parts: the reproducible zip writer and the requirements."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from feedback_core.cli.main import main
from feedback_core.cli.package import (
    PackageSpec,
    _deploy_commands,
    _files,
    runtime_requirements,
    write_zip,
)


def tree(root: Path) -> dict[str, Path]:
    """A small package with a cache folder and bytecode beside its sources."""
    for name, text in {
        "pkg/__init__.py": "VALUE = 1\n",
        "pkg/data/table.json": "{}\n",
        "pkg/__pycache__/__init__.cpython-311.pyc": "bytecode",
        "pkg/stale.pyc": "bytecode",
        "bin/tool": "#!/bin/sh\n",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return dict(_files(root))


def test_caches_bytecode_and_scripts_stay_out(tmp_path: Path) -> None:
    """Only sources and data go in: no __pycache__, no .pyc, no bin/ console scripts."""
    assert ["pkg/__init__.py", "pkg/data/table.json"] == sorted(tree(tmp_path))


def test_the_zip_does_not_depend_on_file_times_or_modes(tmp_path: Path) -> None:
    """Touching and chmod-ing the files changes nothing in the zip's bytes."""
    entries = tree(tmp_path / "src")
    first = write_zip(tmp_path / "a.zip", entries)
    for path in entries.values():
        os.utime(path, (1_700_000_000, 1_700_000_000))
        path.chmod(0o600)
    second = write_zip(tmp_path / "b.zip", dict(reversed(list(entries.items()))))
    assert first.sha256 == second.sha256
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_the_zip_describes_itself(tmp_path: Path) -> None:
    """The artifact gives the file count, unzipped bytes and size it wrote."""
    artifact = write_zip(tmp_path / "a.zip", tree(tmp_path / "src"))
    with zipfile.ZipFile(artifact.path) as archive:
        assert artifact.entries == len(archive.namelist())
        assert artifact.unzipped == sum(i.file_size for i in archive.infolist())
    assert (tmp_path / "a.zip").stat().st_size == artifact.size


def test_requirements_are_the_library_and_its_lambda_and_fast_extras() -> None:
    """Without --include-boto3 the requirements hold Powertools and isal but not boto3 or moto."""
    names = {r.split(">")[0].split("=")[0].split("[")[0] for r in runtime_requirements()}
    assert {"attrs", "orjson", "aws-lambda-powertools", "isal"} <= names
    assert set() == names & {"boto3", "botocore", "moto"}


def test_include_boto3_adds_the_aws_extra() -> None:
    """With --include-boto3 boto3 is among the requirements too."""
    assert any(r.startswith("boto3") for r in runtime_requirements(include_boto3=True))


def test_a_python_version_must_be_3_dot_minor(capsys: pytest.CaptureFixture[str]) -> None:
    """``--python`` takes a version such as 3.12 (argparse exits 2 on anything else)."""
    with pytest.raises(SystemExit) as exit_:
        main(["package", "--python", "python3.12"])
    assert 2 == exit_.value.code
    assert "3.12" in capsys.readouterr().err


def test_an_unknown_architecture_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """``--arch`` takes arm64 or x86_64 only (argparse exits 2)."""
    with pytest.raises(SystemExit) as exit_:
        main(["package", "--arch", "sparc"])
    assert 2 == exit_.value.code
    assert "invalid choice" in capsys.readouterr().err


def test_the_deploy_commands_use_the_template_beside_the_build(tmp_path: Path) -> None:
    """With templates/ beside build/, the printed commands package that template, no caveat."""
    template = tmp_path / "templates" / "feedback-api.yaml"
    template.parent.mkdir()
    template.write_text("Resources: {}\n")
    lines = _deploy_commands(PackageSpec(out=tmp_path / "build"), None)
    assert f"aws cloudformation package --template-file {template} \\" == lines[0]
    assert any(line.startswith("aws cloudformation deploy") for line in lines)


def test_the_deploy_commands_say_where_the_templates_must_go(tmp_path: Path) -> None:
    """Without templates/ beside the output folder, a comment says what to copy where."""
    lines = _deploy_commands(PackageSpec(out=tmp_path / "out"), None)
    assert lines[0].startswith("# The templates read Code: ../build/lambda")
    assert f"--out {tmp_path / 'build'}." in lines[2]


def test_the_deploy_command_names_the_code_build_id(tmp_path: Path) -> None:
    """The deploy command passes the zip's id as CodeBuildId, so new code publishes versions."""
    lines = _deploy_commands(PackageSpec(out=tmp_path / "build"), None, code_id="0123abcd4567")
    assert any(line.endswith("CodeBuildId=0123abcd4567") for line in lines)
