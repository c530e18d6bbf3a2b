"""The NetCDF contract: metadata, provenance, complex storage and atomic writes."""

import json
import os

import numpy as np
import pytest
import xarray as xr

from rnnstruct import __version__
from rnnstruct.core import io

PARAMS = {"seed": 3, "N": 10, "grid": {"w": {"start": 0.0, "stop": 1.0, "num": 2}}}


def small_dataset():
    return xr.Dataset(
        {"lyap_max": (("w", "b"), np.array([[0.1, -0.2], [0.3, -np.inf]]))},
        coords={"w": [0.0, 1.0], "b": [-0.5, 0.5]},
    )


def write(ds, path, **kw):
    return io.write_dataset(
        ds, path, title="t", summary="s", params=PARAMS, stage="test", seed_entropy=3, **kw
    )


def test_round_trip_with_cf_acdd_and_provenance(tmp_path):
    path = write(small_dataset(), tmp_path / "a.nc")
    ds = io.read_dataset(path)
    assert ds.attrs["Conventions"] == "CF-1.11 ACDD-1.3"
    for key in (
        "title",
        "summary",
        "institution",
        "source",
        "history",
        "license",
        "date_created",
        "rnnstruct_version",
        "git_commit",
        "source_hash",
        "config_hash",
        "parameters",
        "seed_entropy",
        "numpy_version",
        "xarray_version",
        "host",
    ):
        assert key in ds.attrs, key
    assert ds.attrs["rnnstruct_version"] == __version__
    assert ds.attrs["source_hash"] == io.source_hash() and len(io.source_hash()) == 64
    assert io.parameters(ds) == PARAMS
    assert ds.attrs["config_hash"] == io.config_hash(PARAMS)
    for name in ("lyap_max", "w", "b"):
        assert ds[name].attrs["long_name"] and ds[name].attrs["units"] == "1"
    assert "renormalised" in ds["lyap_max"].attrs["comment"]
    assert ds["lyap_max"].values[1, 1] == -np.inf  # -inf survives
    xr.testing.assert_equal(ds.drop_attrs(), small_dataset().drop_attrs())


def test_config_hash_is_order_independent():
    a = {"x": 1, "y": {"b": 2.0, "a": [1, 2]}}
    b = {"y": {"a": [1, 2], "b": 2.0}, "x": 1}
    assert io.config_hash(a) == io.config_hash(b) != io.config_hash({**a, "x": 2})


def test_unregistered_variable_without_attrs_is_refused(tmp_path):
    ds = small_dataset().assign(mystery=("w", [1.0, 2.0]))
    with pytest.raises(ValueError, match="'mystery' lacks long_name, units"):
        write(ds, tmp_path / "b.nc")
    assert not (tmp_path / "b.nc").exists()
    ds["mystery"].attrs.update(long_name="a documented variable", units="1")
    write(ds, tmp_path / "b.nc")


def test_complex_is_refused_and_split_round_trips(tmp_path):
    z = np.array([1 + 2j, -3.5 - 0.25j])
    ds = xr.Dataset({"eigval": ("eig", z)}, coords={"eig": [0, 1]})
    ds["eigval"].attrs.update(long_name="x", units="1")
    with pytest.raises(TypeError, match="complex"):
        write(ds, tmp_path / "c.nc")
    re, im = io.split_complex(z)
    ds = xr.Dataset({"eigval_re": ("eig", re), "eigval_im": ("eig", im)}, coords={"eig": [0, 1]})
    back = io.read_dataset(write(ds, tmp_path / "c.nc"))
    assert np.array_equal(io.complex_variable(back, "eigval").values, z)


def test_interrupted_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "d.nc"
    write(small_dataset(), target)
    before = target.read_bytes()

    def crash(self, path, *a, **k):
        with open(path, "wb") as fh:  # a partial file under the temporary name
            fh.write(b"CDF\x01partial")
        raise KeyboardInterrupt("killed mid-write")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", crash)
    with pytest.raises(KeyboardInterrupt):
        write(small_dataset().assign(lyap_max=small_dataset().lyap_max * 2), target)
    assert target.read_bytes() == before  # the old complete file is untouched
    assert sorted(os.listdir(tmp_path)) == ["d.nc"]  # no temporary left behind


def test_read_rejects_foreign_and_missing_files(tmp_path):
    small_dataset().to_netcdf(tmp_path / "foreign.nc")
    with pytest.raises(ValueError, match="not an rnnstruct file"):
        io.read_dataset(tmp_path / "foreign.nc")
    with pytest.raises(FileNotFoundError):
        io.read_dataset(tmp_path / "missing.nc")


def test_volatile_attributes_are_the_only_run_dependent_ones(tmp_path):
    a = io.read_dataset(write(small_dataset(), tmp_path / "a.nc"))
    b = io.read_dataset(write(small_dataset(), tmp_path / "b.nc"))
    assert io.stable_attrs(a) == io.stable_attrs(b)
    assert set(io.VOLATILE_ATTRS) <= set(a.attrs) | {"wall_seconds"}
    assert json.loads(a.attrs["parameters"]) == PARAMS


def test_silent_nan_is_refused_with_the_parameters(tmp_path):
    ds = small_dataset()
    ds["lyap_max"][0, 0] = np.nan
    with pytest.raises(FloatingPointError, match=r"'lyap_max' contains NaN .*\"N\":10"):
        write(ds, tmp_path / "e.nc")
    assert not (tmp_path / "e.nc").exists()


def test_documented_nan_is_written(tmp_path):
    ds = xr.Dataset({"outlier_re": ("example", [np.nan, 1.0])}, coords={"example": [0, 1]})
    back = io.read_dataset(write(ds, tmp_path / "f.nc"))
    assert np.isnan(back["outlier_re"][0]) and "no outlier" in back["outlier_re"].attrs["nan_meaning"]


def test_compute_hash_ignores_rendering_modules_only():
    """The hash computing rules depend on leaves out exactly the rendering modules."""
    full = io.source_hash()
    compute = io.source_hash(exclude=io.RENDERING_MODULES)
    assert compute != full  # the rendering modules exist and are excluded
    assert io.source_hash(exclude=("no_such_module/",)) == full


def _rnnstruct_imports(path, package_root):
    """Package-relative paths of the rnnstruct modules that a file imports (absolute or relative)."""
    import ast

    found = set()
    here = path.relative_to(package_root).parent if package_root in path.parents else None
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("rnnstruct")]
        elif isinstance(node, ast.ImportFrom):
            if node.level and here is not None:
                base = here.parts[: len(here.parts) - (node.level - 1)]
                mod = ".".join(("rnnstruct",) + base + ((node.module,) if node.module else ()))
            elif (node.module or "").startswith("rnnstruct"):
                mod = node.module
            else:
                continue
            names = [mod] + [f"{mod}.{a.name}" for a in node.names]
        for name in names:
            rel = name.split(".")[1:]
            for cand in (package_root.joinpath(*rel).with_suffix(".py"), package_root.joinpath(*rel, "__init__.py")):
                if rel and cand.is_file():
                    found.add(cand)
    return found


def test_computing_rules_never_reach_rendering_code():
    """Computing rules depend on the hash without the rendering modules; that is only sound if nothing
    their scripts import (transitively) is a rendering module."""
    import re
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    root = Path(io.__file__).resolve().parent
    scripts = set()
    for smk in (repo / "workflow" / "rules").glob("*.smk"):
        for block in re.split(r"(?m)^(?=rule )", smk.read_text()):
            if "code=COMPUTE_HASH" in block:
                scripts.add(repo / "scripts" / re.search(r'scripts/(\w+\.py)"', block).group(1))
    assert len(scripts) >= 10
    seen, todo = set(), [m for s in scripts for m in _rnnstruct_imports(s, root)]
    while todo:
        mod = todo.pop()
        if mod not in seen:
            seen.add(mod)
            todo += _rnnstruct_imports(mod, root)
    rendering = {m for m in seen if m.relative_to(root).as_posix().startswith(io.RENDERING_MODULES)}
    assert not rendering, f"computing code imports rendering modules: {sorted(map(str, rendering))}"
