"""The NetCDF contract: metadata, provenance, complex storage and atomic writes."""

import json
import os

import numpy as np
import pytest
import xarray as xr

from rnnstruct import __version__
from rnnstruct.core import io
from rnnstruct.core.codehash import package_hash
from rnnstruct.metzner import variables  # noqa: F401  (the metadata table of stage names metzner.*)

PARAMS = {"seed": 3, "N": 10, "grid": {"w": {"start": 0.0, "stop": 1.0, "num": 2}}}


def small_dataset():
    return xr.Dataset(
        {"lyap_max": (("w", "b"), np.array([[0.1, -0.2], [0.3, -np.inf]]))},
        coords={"w": [0.0, 1.0], "b": [-0.5, 0.5]},
    )


def write(ds, path, **kw):
    return io.write_dataset(
        ds, path, title="t", summary="s", params=PARAMS, stage="metzner.test", seed_entropy=3, **kw
    )


def test_round_trip_with_cf_acdd_and_provenance(tmp_path):
    path = write(small_dataset(), tmp_path / "a.nc")
    ds = io.read_dataset(path)
    assert ds.attrs["Conventions"] == "CF-1.11, ACDD-1.3"
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
    assert ds.attrs["source_hash"] == package_hash() and len(ds.attrs["source_hash"]) == 64
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


def test_string_coordinates_are_cf_labels_on_disk_and_names_in_memory(tmp_path):
    ds = xr.Dataset(
        {"lyap_max": (("regularity", "w"), np.array([[0.1, 0.2], [0.3, 0.4]]))},
        coords={"regularity": ["dale", "hopfield"], "w": [0.0, 1.0]},
    )
    path = write(ds, tmp_path / "labels.nc")
    raw = xr.load_dataset(path)
    assert raw["regularity"].dtype.kind == "i" and raw["regularity"].values.tolist() == [0, 1]  # CF: numeric
    assert raw["regularity_label"].values.tolist() == ["dale", "hopfield"] and raw["regularity_label"].dims == ("regularity",)
    back = io.read_dataset(path)
    assert back["regularity"].values.tolist() == ["dale", "hopfield"] and "regularity_label" not in back
    assert back["regularity"].attrs["long_name"] == "organizational regularity"
    assert float(back["lyap_max"].sel(regularity="hopfield", w=1.0)) == 0.4
