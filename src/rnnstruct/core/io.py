"""One NetCDF writer and one reader for every stage.

The writer

* fills each variable's and coordinate's ``long_name``, ``units`` and ``comment`` from the
  table of the stage's paper (:mod:`rnnstruct.core.variables`; attributes already set on the dataset win) and refuses to write a
  variable that ends up without ``long_name`` and ``units``);
* refuses NaN in any variable that does not document what NaN means (``nan_meaning``), so a
  bad parameter cannot leave a silent NaN in a file (-inf is a value, e.g. lambda_max at w = 0);
* refuses complex data (store real and imaginary parts as ``<name>_re``/``<name>_im``,
  :func:`split_complex`; :func:`complex_variable` joins them again);
* sets CF-1.11 / ACDD-1.3 global attributes and a provenance block (package and library
  versions, git commit, hash of the parameters, the parameters as JSON, seed entropy, host,
  UTC time, wall seconds);
* writes atomically: a temporary file in the target directory, flushed to disk, then renamed,
  so an interrupted job never leaves a partial file under the output name.

``VOLATILE_ATTRS`` names the only global attributes that may legitimately differ between two
runs of the same configuration.
"""

from __future__ import annotations

import datetime as _dt
import errno
import hashlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Mapping, Optional

import numpy as np
import xarray as xr

from rnnstruct import __version__
from rnnstruct.core import variables
from rnnstruct.core.codehash import package_hash

CONVENTIONS = "CF-1.11, ACDD-1.3"
#: Conventions of files written before the comma-separated form (still readable)
_OLD_CONVENTIONS = ("CF-1.11 ACDD-1.3",)
CREATOR = {"creator_name": "rnnstruct contributors", "creator_type": "group", "naming_authority": "rnnstruct"}
PROJECT = "rnnstruct: how structure in recurrent weight matrices shapes network dynamics"
KEYWORDS = "recurrent neural networks, random matrices, network dynamics, dynamical mean-field theory, Lyapunov exponents"
LICENSE = "MIT"
INSTITUTION = "rnnstruct project"

#: global attributes that may differ between runs of the same configuration (time, host, run time)
VOLATILE_ATTRS = ("date_created", "history", "host", "wall_seconds")

#: Fault-injection hooks for the tests (inert unless the variable is set):
#: RNNSTRUCT_FAULT_PAUSE="<substring of the output path>:<seconds>" sleeps after the temporary file is
#: written and before the rename, so a test can kill the job mid-write;
#: RNNSTRUCT_FAULT_NAN="<stage name>" puts a NaN into the stage's first float variable before writing.
FAULT_PAUSE_ENV = "RNNSTRUCT_FAULT_PAUSE"
FAULT_NAN_ENV = "RNNSTRUCT_FAULT_NAN"

REQUIRED_VAR_ATTRS = ("long_name", "units")


def canonical_json(obj: Any) -> str:
    """Deterministic JSON (sorted keys, no whitespace) of a parameter structure."""
    return json.dumps(_plain(obj), sort_keys=True, separators=(",", ":"), allow_nan=True)


def _plain(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return [_plain(v) for v in obj.tolist()]
    return obj


def config_hash(params: Mapping) -> str:
    """SHA-256 of the canonical JSON of the stage parameters."""
    return hashlib.sha256(canonical_json(params).encode("utf-8")).hexdigest()


def git_commit() -> str:
    """Commit of the source tree the package runs from ("-dirty" if modified, "unknown" if none)."""
    here = Path(__file__).resolve().parent
    try:
        sha = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no", "--", str(here)],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return sha + ("-dirty" if dirty else "")


def provenance(
    params: Mapping, seed_entropy: Optional[int] = None, wall_seconds: Optional[float] = None
) -> dict:
    """Flat provenance attributes (str or numbers only)."""
    import netCDF4
    import scipy

    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    attrs = {
        "rnnstruct_version": __version__,
        "git_commit": git_commit(),
        "source_hash": package_hash(),
        "config_hash": config_hash(params),
        "parameters": canonical_json(params),
        "seed_entropy": str(seed_entropy) if seed_entropy is not None else "none",
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "xarray_version": xr.__version__,
        "netcdf4_version": netCDF4.__version__,
        "host": socket.gethostname(),
        "date_created": now,
    }
    if wall_seconds is not None:
        attrs["wall_seconds"] = float(wall_seconds)
    return attrs


def split_complex(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Real and imaginary parts as float64 arrays."""
    values = np.asarray(values)
    return values.real.astype(np.float64), values.imag.astype(np.float64)


def complex_variable(ds: xr.Dataset, name: str) -> xr.DataArray:
    """Join ``<name>_re`` and ``<name>_im`` into one complex DataArray."""
    return ds[f"{name}_re"] + 1j * ds[f"{name}_im"]


LABEL_ATTR = "label_of"


def _labels_to_disk(ds: xr.Dataset) -> xr.Dataset:
    """String-valued dimension coordinates as CF labels (CF 6.1): the dimension gets an integer index
    coordinate and the strings move to an auxiliary coordinate ``<dim>_label`` (attribute
    ``label_of``); :func:`read_dataset` turns them back into the dimension coordinate."""
    for dim in [d for d in ds.dims if d in ds.coords and ds[d].dtype.kind in "USO"]:
        attrs = dict(ds[dim].attrs)
        label = f"{dim}_label"
        ds = ds.assign_coords({label: (dim, ds[dim].values.astype(str), {**attrs, LABEL_ATTR: dim})})
        index = {
            "long_name": f"index of {attrs.get('long_name', dim)}",
            "units": "1",
            "comment": f"position along {dim}; the names are in {label}",
            "coverage_content_type": "coordinate",
        }
        ds = ds.assign_coords({dim: (dim, np.arange(ds.sizes[dim], dtype=np.int32), index)})
    return ds


def _labels_from_disk(ds: xr.Dataset) -> xr.Dataset:
    for name in [n for n in ds.coords if LABEL_ATTR in ds[n].attrs]:
        dim = ds[name].attrs[LABEL_ATTR]
        attrs = {k: v for k, v in ds[name].attrs.items() if k != LABEL_ATTR}
        ds = ds.drop_vars(name).assign_coords({dim: (dim, ds[name].values, attrs)})
    return ds


def _fill_attrs(ds: xr.Dataset, table: Mapping[str, dict]) -> xr.Dataset:
    ds = ds.copy()
    for name in list(ds.variables):
        var = ds[name]
        known = table.get(str(name), {})
        for key, value in known.items():
            var.attrs.setdefault(key, value)
        var.attrs.setdefault("coverage_content_type", "coordinate" if name in ds.coords else "modelResult")
        if "flag_values" in var.attrs:  # CF 3.5: flag_values of the variable's own type
            var.attrs["flag_values"] = np.asarray(var.attrs["flag_values"], dtype=var.dtype)
        missing = [a for a in REQUIRED_VAR_ATTRS if a not in var.attrs]
        if missing:
            raise ValueError(
                f"variable {name!r} lacks {', '.join(missing)}: register it in the stage's paper table (<paper>/variables.yaml) or set its attrs"
            )
        if np.iscomplexobj(var.values):
            raise TypeError(
                f"variable {name!r} is complex: store it as {name}_re and {name}_im (io.split_complex)"
            )
        if (
            np.issubdtype(var.dtype, np.floating)
            and "nan_meaning" not in var.attrs
            and np.isnan(var.values).any()
        ):
            raise FloatingPointError(
                f"variable {name!r} contains NaN ({int(np.isnan(var.values).sum())} values) and NaN has no "
                "documented meaning for it (attribute nan_meaning): refusing to write a silent NaN"
            )
    return ds


def write_dataset(
    ds: xr.Dataset,
    path: os.PathLike | str,
    *,
    title: str,
    summary: str,
    params: Mapping,
    stage: str,
    seed_entropy: Optional[int] = None,
    references: str = "",
    comment: str = "",
    wall_seconds: Optional[float] = None,
) -> Path:
    """Write ``ds`` as self-describing NetCDF-4 at ``path``, atomically.  Returns the path."""
    path = Path(path)
    ds = _fault_nan(ds, stage)
    try:
        ds = _fill_attrs(ds, variables.table(stage))
    except FloatingPointError as err:
        raise FloatingPointError(f"{err} [stage {stage}, parameters {canonical_json(params)}]") from None
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    attrs = {
        "Conventions": CONVENTIONS,
        "title": title,
        "summary": summary,
        "institution": INSTITUTION,
        "source": f"rnnstruct {__version__}, stage {stage}",
        "history": f"{now} rnnstruct {__version__} {stage}: created",
        "references": references,
        "comment": comment or f"Written by the rnnstruct stage {stage}; its parameters are in the attribute 'parameters'.",
        "keywords": f"{KEYWORDS}, {variables.namespace_of(stage)}",
        "project": PROJECT,
        "processing_level": "model output",
        **CREATOR,
        "license": LICENSE,
        "product_version": __version__,
        "stage": stage,
    }
    attrs.update(provenance(params, seed_entropy=seed_entropy, wall_seconds=wall_seconds))
    attrs["id"] = f"rnnstruct:{stage}:{attrs['config_hash'][:16]}"
    for key, value in attrs.items():
        if isinstance(value, (dict, list, tuple)):
            raise TypeError(f"global attribute {key!r} must be flat")
    ds = _labels_to_disk(ds)
    ds.attrs = attrs
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.tmp"):  # left by a job killed mid-write (one job per output)
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4", encoding=_encoding(ds))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        _fault_pause(path)
        publish(tmp, path)
    except BaseException as err:
        full = isinstance(err, (OSError, RuntimeError)) and disk_full(path.parent)
        if os.path.exists(tmp):
            os.unlink(tmp)
        if full:
            raise OSError(errno.ENOSPC, f"no space left on device while writing {path} ({err})") from err
        raise
    return path


def _encoding(ds: xr.Dataset) -> dict:
    """No _FillValue on coordinates (CF 2.5.1: coordinate values must not be missing); every variable's
    ``coordinates`` attribute is written afresh from the dataset (one inherited from a chunk file can
    name coordinates the merged variable no longer has)."""
    for var in ds.variables.values():
        var.encoding.pop("coordinates", None)
    return {str(name): {"_FillValue": None} for name in ds.coords}


def disk_full(directory: os.PathLike | str, reserve: int = 1 << 20) -> bool:
    """True if the filesystem of ``directory`` has less than ``reserve`` bytes free (netCDF reports a
    full disk only as "NetCDF: HDF error")."""
    try:
        return shutil.disk_usage(directory).free < reserve
    except OSError:
        return False


def publish(tmp: os.PathLike | str, path: os.PathLike | str) -> None:
    """Move a finished temporary file to ``path``, atomically, with the permissions a new file gets
    under the process umask (``mkstemp`` creates files readable by their owner only)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    os.replace(tmp, path)


def _fault_pause(path: Path) -> None:
    spec = os.environ.get(FAULT_PAUSE_ENV)
    if spec:
        pattern, _, seconds = spec.rpartition(":")
        if pattern and pattern in str(path):
            import time

            log(f"fault injection: pausing {seconds} s before renaming {path}")
            time.sleep(float(seconds))


def _fault_nan(ds: xr.Dataset, stage: str) -> xr.Dataset:
    if os.environ.get(FAULT_NAN_ENV) == stage:
        name = next(v for v in ds.data_vars if np.issubdtype(ds[v].dtype, np.floating) and ds[v].size)
        ds = ds.copy(deep=True)
        ds[name].values.flat[0] = np.nan
        log(f"fault injection: NaN put into {name}")
    return ds


def read_dataset(path: os.PathLike | str) -> xr.Dataset:
    """Load a file written by :func:`write_dataset` fully into memory (the file is closed)."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such NetCDF file: {path}")
    ds = _labels_from_disk(xr.load_dataset(path, engine="netcdf4"))
    if ds.attrs.get("Conventions") not in (CONVENTIONS, *_OLD_CONVENTIONS):
        raise ValueError(f"{path} is not an rnnstruct file (Conventions={ds.attrs.get('Conventions')!r})")
    return ds


def parameters(ds: xr.Dataset) -> dict:
    """The stage parameters recorded in a file."""
    return json.loads(ds.attrs["parameters"])


def stable_attrs(ds: xr.Dataset) -> dict:
    """Global attributes minus the volatile ones (for determinism comparisons)."""
    return {k: v for k, v in ds.attrs.items() if k not in VOLATILE_ATTRS}


def log(message: str) -> None:
    """Timestamped line on stderr (rule logs capture stderr)."""
    stamp = _dt.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def run_stage(build, params: Mapping, output, meta: Mapping, **kwargs):
    """Call ``build(params, **kwargs)``, time it and write the result with ``meta``.

    ``output`` is one path for one dataset, or a sequence of paths when ``build`` returns a tuple of
    datasets (written in order).  ``meta`` holds ``title``, ``summary``, ``stage`` and optionally
    ``references``/``comment``.  Returns what ``build`` returned.
    """
    import time

    params = dict(params)  # a plain dict, whatever mapping the workflow handed over
    single = isinstance(output, (str, os.PathLike))
    outputs = [output] if single else list(output)
    log(f"{meta['stage']}: start -> {', '.join(map(str, outputs))}")
    t0 = time.perf_counter()
    result = build(params, **kwargs)
    wall = time.perf_counter() - t0
    datasets = [result] if single else list(result)
    if len(datasets) != len(outputs):
        raise ValueError(f"{meta['stage']}: {len(datasets)} datasets for {len(outputs)} outputs")
    for ds, path in zip(datasets, outputs):
        write_dataset(ds, path, params=params, seed_entropy=params.get("seed"), wall_seconds=wall, **meta)
    log(f"{meta['stage']}: wrote {len(outputs)} file(s) in {wall:.1f} s")
    return result


def write_text_atomic(path: os.PathLike | str, text: str) -> Path:
    """Write a text file via a temporary file in the same directory and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        publish(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path
