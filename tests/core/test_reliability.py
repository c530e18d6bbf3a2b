"""Nothing silently wrong: chunks that must agree, readable outputs, errors that name the file."""

import errno
import os

import numpy as np
import pytest
import xarray as xr

from conftest import TEST_CONFIG, snakemake_command
from rnnstruct.core import chunks, io
from rnnstruct.core.config import ConfigFileError, read_config_file
from rnnstruct.metzner import variables  # noqa: F401  (the metadata table of stage names metzner.*)

PARAMS = {"seed": 7, "N": 30}


def chunk(path, w, seed=7, drop=None):
    ds = xr.Dataset(
        {"lyap_max": (("w", "b"), np.full((len(w), 2), 0.1)), "mean_abs": (("w", "b"), np.ones((len(w), 2)))},
        coords={"w": w, "b": [-0.5, 0.5]},
    )
    if drop:
        ds = ds.drop_vars(drop)
    params = {**PARAMS, "seed": seed, "w_rows": list(range(len(w)))}
    return io.read_dataset(io.write_dataset(ds, path, title="t", summary="s", params=params, stage="metzner.test", seed_entropy=seed))


def test_merge_joins_chunks_of_this_run(tmp_path):
    parts = [chunk(tmp_path / "b.nc", [2.0, 3.0]), chunk(tmp_path / "a.nc", [0.0, 1.0])]
    merged = chunks.concat(parts, "w", expected={"w": [0.0, 1.0, 2.0, 3.0]}, params=PARAMS)
    assert merged["w"].values.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_a_chunk_of_another_seed_is_refused_by_name(tmp_path):
    parts = [chunk(tmp_path / "a.nc", [0.0, 1.0]), chunk(tmp_path / "b.nc", [2.0, 3.0], seed=8)]
    with pytest.raises(chunks.ChunkError, match=r"b\.nc was computed with other parameters: 'seed' is 8 there and 7 here"):
        chunks.concat(parts, "w", params=PARAMS)


def test_a_chunk_without_provenance_is_refused_by_name(tmp_path):
    ds = xr.Dataset({"lyap_max": (("w", "b"), np.zeros((1, 2)))}, coords={"w": [5.0], "b": [-0.5, 0.5]})
    ds.to_netcdf(tmp_path / "foreign.nc")
    parts = [chunk(tmp_path / "a.nc", [0.0]), xr.load_dataset(tmp_path / "foreign.nc")]
    with pytest.raises(chunks.ChunkError, match=r"foreign\.nc records no parameters"):
        chunks.concat(parts, "w", params=PARAMS)


def test_a_chunk_missing_a_variable_is_named(tmp_path):
    parts = [chunk(tmp_path / "a.nc", [0.0, 1.0]), chunk(tmp_path / "b.nc", [2.0], drop="mean_abs")]
    with pytest.raises(chunks.ChunkError, match=r"b\.nc does not hold the variables of .*a\.nc: missing \['mean_abs'\]"):
        chunks.concat(parts, "w", params=PARAMS)


def test_duplicates_and_gaps_are_named(tmp_path):
    a, b = chunk(tmp_path / "a.nc", [0.0, 1.0]), chunk(tmp_path / "b.nc", [1.0, 2.0])
    with pytest.raises(chunks.ChunkError, match=r"duplicate \{'w': 1.0\} in .*a\.nc and .*b\.nc"):
        chunks.concat([a, b], "w", params=PARAMS)
    with pytest.raises(chunks.ChunkError, match=r"1 point\(s\) missing .*'w': 2.0"):
        chunks.concat([a], "w", expected={"w": [0.0, 1.0, 2.0]}, params=PARAMS)


@pytest.mark.parametrize("mask", [0o022, 0o077])
def test_outputs_get_the_mode_of_the_umask(tmp_path, mask):
    from rnnstruct.core import plotting

    old = os.umask(mask)
    try:
        nc = chunk(tmp_path / "a.nc", [0.0]).encoding["source"]
        md = io.write_text_atomic(tmp_path / "notes.md", "text")
        fig, _ = plotting.new_figure()
        plotting.save_figure(fig, tmp_path / "f.pdf", tmp_path / "f.png")
    finally:
        os.umask(old)
    for path in (nc, md, tmp_path / "f.pdf", tmp_path / "f.png"):
        assert os.stat(path).st_mode & 0o777 == 0o666 & ~mask, path


def test_a_full_disk_is_reported_with_the_file(tmp_path, monkeypatch):
    """netCDF reports a full disk as "NetCDF: HDF error" (seen on a full tmpfs); the writer names it."""
    import shutil

    def fail(self, path, *args, **kwargs):
        with open(path, "wb") as fh:
            fh.write(b"partial")
        raise RuntimeError("NetCDF: HDF error")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", fail)
    monkeypatch.setattr(shutil, "disk_usage", lambda d: shutil._ntuple_diskusage(10**9, 10**9, 0))
    target = tmp_path / "out.nc"
    with pytest.raises(OSError, match=rf"no space left on device while writing {target}") as err:
        io.write_dataset(xr.Dataset({"lyap_max": ("w", [0.1])}, coords={"w": [1.0]}), target, title="t", summary="s",
                         params=PARAMS, stage="metzner.test")
    assert err.value.errno == errno.ENOSPC
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_other_write_errors_are_not_called_a_full_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(xr.Dataset, "to_netcdf", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("NetCDF: HDF error")))
    with pytest.raises(RuntimeError, match="HDF error"):
        io.write_dataset(xr.Dataset({"lyap_max": ("w", [0.1])}, coords={"w": [1.0]}), tmp_path / "x.nc", title="t",
                         summary="s", params=PARAMS, stage="metzner.test")


@pytest.mark.parametrize(
    "text, message",
    [
        ("metzner:\n  N: [1, 2\n  reps: 3\n", r"bad\.yaml, line 3, column 7: not valid YAML"),
        ("", r"bad\.yaml: the configuration file is empty"),
        ("- 1\n- 2\n", r"bad\.yaml: the top level must be a mapping"),
        ("seed: 1\nmetzner:\n  N: 30\nmetzner:\n  reps: 3\n", r"bad\.yaml, line 4: key 'metzner' repeats the key of line 2"),
        ("metzner:\n  N: 30\n  N: 40\n", r"bad\.yaml, line 3: key 'N' repeats the key of line 2"),
    ],
)
def test_config_file_errors_name_file_and_line(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigFileError, match=message):
        read_config_file(path)


def test_workflow_refuses_a_repeated_section_before_any_job(tmp_path):
    """A section appended to a copy of a profile would replace the profile's section silently (and the
    missing keys would come from the default profile)."""
    import subprocess

    cfg = tmp_path / "copy.yaml"
    cfg.write_text(TEST_CONFIG.read_text() + "metzner:\n  reps: 3\n")
    proc = subprocess.run(snakemake_command(tmp_path, "--dry-run", configfile=cfg), capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode != 0
    assert f"{cfg}, line " in proc.stdout + proc.stderr and "key 'metzner' repeats" in proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()
