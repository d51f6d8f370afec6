"""``feedback-core package``: build the Lambda code zip (and optionally a layer), reproducibly.

The zip holds the ``feedback_core`` package of this installation, its runtime dependencies
installed by pip for the target platform (``manylinux2014_<arch>``, binary wheels only, the
target Python), and the reference handlers at the top level (``reference_handlers.feedback.
handler`` is each template's ``Handler``). boto3 and botocore are left out: the Lambda Python
runtime carries them (``--include-boto3`` adds the versions pinned here instead).

Same inputs, same bytes: entries are sorted, every entry has the same timestamp (1980-01-01)
and permissions (0644), and no ``__pycache__`` or ``.pyc`` goes in. Dependency versions are
pinned to the ones installed in this environment (the ones the tests ran with) unless
``--constraints`` names a file. The zip is written to ``OUT/lambda.zip`` and ``OUT/lambda``
points at it (a symbolic link), which is the ``Code: ../build/lambda`` path of the templates:
``aws cloudformation package`` uploads a zip file as it is, named by its MD5, so an unchanged
build uploads nothing new and updates no function.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

import attrs

from feedback_core.errors import FeedbackCoreError

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "Artifact",
    "PackageError",
    "PackageSpec",
    "build",
    "register",
    "run",
    "runtime_requirements",
    "write_zip",
]

Arch = Literal["arm64", "x86_64"]
_PLATFORMS: Final[dict[str, str]] = {"arm64": "aarch64", "x86_64": "x86_64"}
_EPOCH: Final = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
_FILE_MODE: Final = 0o100644  # a regular file, rw-r--r--
_CACHE: Final = frozenset({"__pycache__"})
# An installed wheel's copy of the handlers and templates: the handlers go in at the top level.
_LIBRARY_SKIPS: Final = _CACHE | {"_bundled"}
_RUNTIME_PROVIDED: Final = frozenset({"boto3", "botocore", "s3transfer"})
UNZIPPED_LIMIT: Final = 250 * 1024 * 1024
"""Lambda's limit on a function's unzipped code and layers, in bytes."""


class PackageError(FeedbackCoreError):
    """The Lambda artifact could not be built (pip failed, a file is missing, it is too big)."""


@attrs.frozen(kw_only=True)
class PackageSpec:
    """What to build.

    Attributes:
        arch: The functions' architecture (the templates use ``arm64``).
        python: The target runtime's Python version, ``3.12`` for ``python3.12``.
        out: The folder the zips go to.
        layer: Also build ``layer.zip`` (the library and its dependencies under ``python/``).
        include_boto3: Put boto3 and botocore in the zip instead of using the runtime's.
        constraints: A pip constraints file; ``None`` pins to the versions installed here.
    """

    arch: Arch = "arm64"
    python: str = "3.12"
    out: Path = Path("build")
    layer: bool = False
    include_boto3: bool = False
    constraints: Path | None = None


@attrs.frozen(kw_only=True)
class Artifact:
    """One written zip.

    Attributes:
        path: Where it is.
        sha256: The hex SHA-256 of its bytes (same inputs, same digest).
        size: Its size in bytes.
        unzipped: The total size of its files, in bytes (Lambda allows 250 MiB).
        entries: How many files it holds.
    """

    path: Path
    sha256: str
    size: int
    unzipped: int
    entries: int


def runtime_requirements(*, include_boto3: bool = False) -> list[str]:
    """The requirements the Lambda code needs: the library's own, ``lambda`` and ``fast`` extras.

    ``fast`` (isal) is included because the bundler and the data lake compress about ten times
    faster with it (``benchmarks/bench_bundle.py``), and Lambda bills that time.

    Read from this installation's metadata, so they follow pyproject.toml.

    Args:
        include_boto3: Add the ``aws`` extra (boto3), which the Lambda runtime provides.

    Returns:
        The requirement strings, sorted, without their markers.

    Raises:
        PackageError: feedback-core is not installed (no metadata to read).
    """
    try:
        declared = importlib.metadata.requires("feedback-core") or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise PackageError("feedback-core is not installed (pip install -e . first)") from exc
    wanted = {"lambda", "fast", "aws"} if include_boto3 else {"lambda", "fast"}
    chosen = []
    for line in declared:
        requirement, _, marker = line.partition(";")
        extra = re.search(r"""extra\s*==\s*["']([\w-]+)["']""", marker)
        if extra is None or extra.group(1) in wanted:
            chosen.append(requirement.strip())
    return sorted(chosen)


def _host_pins() -> str:
    """``name==version`` of every distribution installed here but this one."""
    pins = {
        (dist.metadata["Name"] or "").lower(): dist.version
        for dist in importlib.metadata.distributions()
    }
    pins.pop("feedback-core", None)
    pins.pop("", None)
    return "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))


def _pip_install(spec: PackageSpec, target: Path, work: Path) -> None:
    """Install the runtime dependencies for the target platform into ``target``."""
    constraints = spec.constraints
    if constraints is None:
        constraints = work / "constraints.txt"
        constraints.write_text(_host_pins())
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-input", "--no-compile", "--target", str(target),
        "--platform", f"manylinux2014_{_PLATFORMS[spec.arch]}",
        "--implementation", "cp", "--python-version", spec.python, "--only-binary=:all:",
        "--constraint", str(constraints),
        *runtime_requirements(include_boto3=spec.include_boto3),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603  # our own argument list, no shell
    if done.returncode != 0:
        raise PackageError(f"pip could not install the dependencies:\n{done.stderr.strip()}")
    if not spec.include_boto3:
        for name in _RUNTIME_PROVIDED:  # a dependency pulled them in: the runtime has them
            shutil.rmtree(target / name, ignore_errors=True)


def _files(
    root: Path, prefix: str = "", skip: frozenset[str] = _CACHE
) -> Iterator[tuple[str, Path]]:
    """``(name in the zip, file)`` for every file under ``root``, skipping caches."""
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.is_dir() or skip.intersection(relative.parts):
            continue
        if path.suffix in {".pyc", ".pyo"} or relative.parts[0] == "bin":
            continue  # bytecode is not reproducible; console scripts do not run on Lambda
        yield prefix + relative.as_posix(), path


def write_zip(path: Path, entries: dict[str, Path]) -> Artifact:
    """Write ``entries`` to ``path`` reproducibly; describe what was written.

    Entries go in name order, each with the same timestamp and permissions, so the same files
    give the same bytes (with the same zlib).

    Args:
        path: The zip to write (replaced if it exists; its folder is created).
        entries: Name in the zip -> the file whose bytes go there.

    Returns:
        The zip's path, SHA-256, size, unzipped size and entry count.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    unzipped = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read
            info.external_attr = _FILE_MODE << 16
            data = entries[name].read_bytes()
            unzipped += len(data)
            archive.writestr(info, data, compresslevel=9)
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return Artifact(
        path=path,
        sha256=digest.hexdigest(),
        size=path.stat().st_size,
        unzipped=unzipped,
        entries=len(entries),
    )


def _link(out: Path) -> None:
    """Point ``OUT/lambda`` (the templates' ``Code`` path) at ``OUT/lambda.zip``."""
    link = out / "lambda"
    if link.is_dir() and not link.is_symlink():
        raise PackageError(f"{link} is a folder (an older manual build): remove it first")
    link.unlink(missing_ok=True)
    try:
        link.symlink_to("lambda.zip")
    except OSError:  # no symbolic links here (Windows without the privilege): a copy will do
        shutil.copyfile(out / "lambda.zip", link)


def build(spec: PackageSpec) -> list[Artifact]:
    """Build ``lambda.zip`` (and ``layer.zip`` with ``spec.layer``) into ``spec.out``.

    Also points ``spec.out / "lambda"`` at ``lambda.zip``. Needs pip and the package index
    (or a pip configured to reach a mirror) for the dependencies' wheels.

    Args:
        spec: What to build and where.

    Returns:
        The function zip's artifact, then the layer's if asked for.

    Raises:
        PackageError: pip failed, the handlers are not installed, or the code is over Lambda's
            unzipped limit.
    """
    import feedback_core
    from feedback_core.cli.local import bundle_root

    library = Path(feedback_core.__file__).resolve().parent
    try:
        handlers = bundle_root() / "reference_handlers"
    except FileNotFoundError as exc:
        raise PackageError(str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="feedback-core-package-") as work:
        dependencies = Path(work) / "dependencies"
        _pip_install(spec, dependencies, Path(work))
        code = dict(_files(dependencies))
        code.update(_files(library, "feedback_core/", _LIBRARY_SKIPS))
        artifacts = [
            write_zip(
                spec.out / "lambda.zip",
                {**code, **dict(_files(handlers, "reference_handlers/"))},
            )
        ]
        if spec.layer:
            layer = {f"python/{name}": path for name, path in code.items()}
            artifacts.append(write_zip(spec.out / "layer.zip", layer))
    _link(spec.out)
    for artifact in artifacts:
        if artifact.unzipped > UNZIPPED_LIMIT:
            raise PackageError(f"{artifact.path} unzips to {artifact.unzipped} bytes, over 250 MiB")
    return artifacts


def _python_version(text: str) -> str:
    """Read ``--python``: a CPython 3 version such as ``3.12``."""
    if re.fullmatch(r"3\.\d{1,2}", text) is None:
        raise argparse.ArgumentTypeError(f"expected a version such as 3.12, not {text!r}")
    return text


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``package`` command to the ``feedback-core`` parser."""
    parser = commands.add_parser("package", help="build the Lambda code zip, reproducibly")
    parser.add_argument("--arch", choices=sorted(_PLATFORMS), default="arm64")
    parser.add_argument(
        "--python", type=_python_version, default="3.12", help="the runtime's (default 3.12)"
    )
    parser.add_argument("--out", type=Path, default=Path("build"), help="default: build")
    parser.add_argument("--layer", action="store_true", help="also build layer.zip")
    parser.add_argument(
        "--include-boto3", action="store_true", help="bundle boto3 (the runtime has one)"
    )
    parser.add_argument("--constraints", type=Path, help="pip constraints (default: pin to here)")
    parser.set_defaults(run=run)


def _deploy_commands(
    spec: PackageSpec, layer: Artifact | None, *, code_id: str = "initial"
) -> list[str]:
    """The commands that deploy the zip; ``code_id`` (the zip's hash) becomes ``CodeBuildId``.

    A new ``CodeBuildId`` publishes new function versions, which CodeDeploy shifts the ``live``
    aliases to; the same zip gives the same id, so redeploying it publishes nothing.
    """
    packaged = spec.out / "feedback-api.packaged.yaml"
    # The templates' Code path, ../build/lambda, is read from the template's own folder.
    template = spec.out.parent / "templates" / "feedback-api.yaml"
    lines = []
    if spec.out.name != "build" or not template.is_file():
        from feedback_core.cli.local import bundle_root

        home = spec.out.parent
        lines += [
            "# The templates read Code: ../build/lambda from their own folder, so they need",
            f"# {home / 'templates'}/ beside {home / 'build'}/: copy them from",
            f"# {bundle_root() / 'templates'} and build with --out {home / 'build'}.",
        ]
    lines += [
        f"aws cloudformation package --template-file {template} \\",
        "    --s3-bucket YOUR-ARTIFACT-BUCKET \\",
        f"    --output-template-file {packaged}",
        f"aws cloudformation deploy --template-file {packaged} \\",
        "    --stack-name feedback-api-dev --capabilities CAPABILITY_IAM \\",
        f"    --parameter-overrides EnvironmentSuffix=dev CodeBuildId={code_id}",
    ]
    if layer is not None:
        lines += [
            "# The layer (for your own functions; the templates use the function zip):",
            "aws lambda publish-layer-version --layer-name feedback-core \\",
            f"    --zip-file fileb://{layer.path} --compatible-runtimes python{spec.python} \\",
            f"    --compatible-architectures {spec.arch}",
        ]
    return lines


def run(args: argparse.Namespace) -> int:
    """Build, print each zip's size and hash and the deploy commands. Exit 0, 1 on failure."""
    spec = PackageSpec(
        arch=args.arch,
        python=args.python,
        out=args.out,
        layer=args.layer,
        include_boto3=args.include_boto3,
        constraints=args.constraints,
    )
    try:
        artifacts = build(spec)
    except PackageError as error:
        print(f"feedback-core package: {error}")
        return 1
    for artifact in artifacts:
        print(
            f"{artifact.path}: {artifact.size / 1e6:.1f} MB zipped, "
            f"{artifact.unzipped / 1e6:.1f} MB unzipped, {artifact.entries} files, "
            f"sha256 {artifact.sha256}"
        )
    if not spec.include_boto3:
        print("boto3/botocore left out: the Lambda runtime has them (--include-boto3 to bundle)")
    print(f"{spec.out / 'lambda'} -> lambda.zip (the templates' Code path). Deploy with:")
    layer = artifacts[1] if len(artifacts) > 1 else None
    code_id = artifacts[0].sha256[:12]
    print(os.linesep.join(_deploy_commands(spec, layer, code_id=code_id)))
    return 0
