"""Hemibrain connectome loader, preprocessing and the PRX Figs. 1 / 6 stage (synthetic CSVs, stand-in)."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from rnnstruct.core import io
from rnnstruct.clark import connectivity
from rnnstruct.clark import connectome as cx
from rnnstruct.numerics import participation
from rnnstruct.core.config import load_schema, schema_errors
from conftest import semantic_errors
from rnnstruct.clark.stages import connectome as stage

REPO = Path(__file__).resolve().parents[2]
SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")

# body ids, most probable transmitter (None = absent from the transmitter table)
NEURONS = [(101, "ACh"), (205, "GABA"), (307, "Glu"), (409, "5-HT"), (511, "ACh"), (613, "OA"), (715, None),
           (817, "DA"), (919, "Glu"), (1021, "ACh")]
SIGN = {"ACh": 1, "GABA": -1, "Glu": -1}


def write_dataset(root: Path, n_extra: int = 0, seed: int = 0) -> dict:
    """Tiny compact-data set; returns the expected counts W[(post, pre)] on the kept ids."""
    rng = np.random.default_rng(seed)
    root.mkdir(parents=True, exist_ok=True)
    lines = ["bodyId,type,instance,status"] + [f"{b},T{b},T{b}_R,Traced" for b, _ in NEURONS]
    (root / "traced-neurons.csv").write_text("\n".join(lines) + "\n")
    nts = ["bodyId,ACh,GABA,Glu,5-HT,OA,DA"]
    for b, nt in NEURONS:
        if nt is None:
            continue
        p = rng.uniform(0.0, 0.1, 6)
        p[cx.TRANSMITTERS.index(nt)] = 0.7
        nts.append(f"{b}," + ",".join(f"{x:.4f}" for x in p))
    nts.append("99999,0.9,0.0,0.0,0.0,0.0,0.1")  # prediction for a neuron that is not traced: ignored
    (root / "neurotransmitters.csv").write_text("\n".join(nts) + "\n")
    expected, rows = {}, ["bodyId_pre,bodyId_post,weight"]
    ids = [b for b, _ in NEURONS]
    for pre in ids:
        for post in ids:
            if rng.random() < 0.7:
                w = int(rng.integers(1, 40))
                rows.append(f"{pre},{post},{w}")
                expected[(post, pre)] = w
    (root / "traced-total-connections.csv").write_text("\n".join(rows) + "\n")
    return expected


def test_loader_round_trip_signs_counts_and_dropped_transmitters(tmp_path):
    expected = write_dataset(tmp_path)
    c = cx.load_connectome(tmp_path)
    kept = [b for b, nt in NEURONS if nt in SIGN]
    assert c.body_id.tolist() == kept  # dataset order
    sign = {b: SIGN[nt] for b, nt in NEURONS if nt in SIGN}
    W_ref = np.zeros((len(kept), len(kept)))
    for (post, pre), w in expected.items():
        if post in sign and pre in sign:
            W_ref[kept.index(post), kept.index(pre)] = sign[pre] * w
    np.testing.assert_array_equal(c.W, W_ref)
    assert c.counts["kept"] == 6 and c.counts["dropped"] == 4
    assert c.counts["unassigned"] == 1 and c.counts["most_probable_5-HT"] == 1
    assert c.counts["most_probable_OA"] == 1 and c.counts["most_probable_DA"] == 1
    assert c.counts["transmitter_rows_unknown_neuron"] == 1
    assert [cx.TRANSMITTERS[t] for t in c.transmitter] == [nt for b, nt in NEURONS if nt in SIGN]
    for name in ("traced-neurons.csv", "traced-total-connections.csv", "neurotransmitters.csv"):
        assert c.checksums[name] == cx.sha256_file(tmp_path / name) and len(c.checksums[name]) == 64
    # alternative policy: every neuron kept, the excluded ones with zero outgoing weight
    z = cx.load_connectome(tmp_path, excluded="zero_outgoing")
    assert z.W.shape == (10, 10) and z.counts["zero_outgoing"] == 4
    dropped_cols = [i for i, (_, nt) in enumerate(NEURONS) if nt not in SIGN]
    assert not z.W[:, dropped_cols].any()
    keep_idx = [i for i, (_, nt) in enumerate(NEURONS) if nt in SIGN]
    np.testing.assert_array_equal(z.W[np.ix_(keep_idx, keep_idx)], c.W)


def test_configurable_transmitter_columns(tmp_path):
    write_dataset(tmp_path)
    path = tmp_path / "neurotransmitters.csv"
    text = path.read_text().replace("bodyId,ACh,GABA", "body_id,ntAcetylcholineProb,ntGabaProb", 1)
    (tmp_path / "nt_renamed.csv").write_text(text)
    c = cx.load_connectome(
        tmp_path, files={"transmitters": "nt_renamed.csv"},
        transmitter_columns={"id": "body_id", "ACh": "ntAcetylcholineProb", "GABA": "ntGabaProb"},
    )
    assert c.body_id.tolist() == cx.load_connectome(tmp_path).body_id.tolist()


MALFORMED = [
    # (file, transform of its text, expected message fragments)
    ("traced-neurons.csv", lambda t: t.replace("bodyId,type", "id,type", 1), ["traced-neurons.csv", "missing column", "'bodyId'"]),
    ("traced-neurons.csv", lambda t: t.replace("\n307,", "\n3x7,", 1), ["traced-neurons.csv", "'bodyId'", "line 4", "'3x7'"]),
    ("traced-neurons.csv", lambda t: t.replace("\n307,", "\n205,", 1), ["traced-neurons.csv", "duplicate id 205", "lines 3 and 4"]),
    ("traced-neurons.csv", lambda t: t.split("\n")[0] + "\n", ["traced-neurons.csv", "no neurons"]),
    ("traced-total-connections.csv", lambda t: t.replace(",weight", ",count", 1), ["traced-total-connections.csv", "'weight'"]),
    ("traced-total-connections.csv", lambda t: t.rstrip("\n") + "\n101,205,-4\n", ["traced-total-connections.csv", "'weight'", "negative"]),
    ("traced-total-connections.csv", lambda t: t.rstrip("\n") + "\n101,205,2.5\n", ["traced-total-connections.csv", "'weight'", "'2.5'"]),
    ("traced-total-connections.csv", lambda t: t.rstrip("\n") + "\n101,4242,3\n", ["traced-total-connections.csv", "'bodyId_post'", "4242", "unknown"]),
    ("traced-total-connections.csv", lambda t: t.rstrip("\n") + "\n1.5e3,205,3\n", ["traced-total-connections.csv", "'bodyId_pre'", "'1.5e3'"]),
    ("neurotransmitters.csv", lambda t: t.replace(",DA", ",dopamine", 1), ["neurotransmitters.csv", "missing column", "'DA'"]),
    ("neurotransmitters.csv", lambda t: t.rstrip("\n") + "\n101,0.1,0.2,0.3,0.1,0.1,0.2\n", ["neurotransmitters.csv", "duplicate id 101"]),
    ("neurotransmitters.csv", lambda t: t.rstrip("\n") + "\n77,high,0,0,0,0,0\n", ["neurotransmitters.csv", "'ACh'", "'high'"]),
    ("neurotransmitters.csv", lambda t: "\n".join(
        [ln if i == 0 else ln.split(",")[0] + ",0,0,0,0.9,0,0" for i, ln in enumerate(t.strip().split("\n"))]) + "\n",
     ["empty result"]),
    ("traced-total-connections.csv", lambda t: "", ["traced-total-connections.csv", "empty"]),
]


@pytest.mark.parametrize("name,transform,fragments", MALFORMED)
def test_malformed_input_names_file_and_problem_and_writes_nothing(tmp_path, name, transform, fragments):
    data = tmp_path / "data"
    write_dataset(data)
    path = data / name
    path.write_text(transform(path.read_text()))
    with pytest.raises(cx.ConnectomeDataError) as err:
        cx.load_connectome(data)
    for frag in fragments:
        assert frag in str(err.value), (frag, str(err.value))
    out = tmp_path / "results" / "connectome.nc"
    with pytest.raises(cx.ConnectomeDataError):
        stage.run(_params(data), out)
    assert not out.exists()
    assert not (out.parent.exists() and any(out.parent.iterdir()))  # no temporary file left either


def test_missing_file_and_directory(tmp_path):
    write_dataset(tmp_path)
    (tmp_path / "traced-total-connections.csv").unlink()
    with pytest.raises(cx.ConnectomeDataError, match="traced-total-connections.csv: file not found"):
        cx.load_connectome(tmp_path)
    with pytest.raises(cx.ConnectomeDataError, match="connectome directory not found"):
        cx.load_connectome(tmp_path / "nowhere")


def _config(path=None):
    cfg = copy.deepcopy(yaml.safe_load((REPO / "config" / "test.yaml").read_text()))
    cfg["clark"]["connectome"]["path"] = path
    return cfg


def test_config_check_names_the_key_for_a_missing_path(tmp_path):
    cfg = _config(str(tmp_path / "no_such_dir"))
    assert schema_errors(cfg, SCHEMA) == []
    errors = semantic_errors(cfg)
    assert len(errors) == 1 and "clark.connectome.path" in errors[0] and "does not exist" in errors[0]
    write_dataset(tmp_path)
    (tmp_path / "neurotransmitters.csv").unlink()
    errors = semantic_errors(_config(str(tmp_path)))
    assert errors == [
        f"config key 'clark.connectome.files.transmitters': file {str(tmp_path / 'neurotransmitters.csv')!r} does not exist"
    ]
    write_dataset(tmp_path)
    assert semantic_errors(_config(str(tmp_path))) == []
    bad = _config(None)
    bad["clark"]["connectome"]["excluded"] = "keep"
    assert any("clark.connectome.excluded" in e for e in schema_errors(bad, SCHEMA))


def test_workflow_refuses_a_missing_path_before_any_job(tmp_path):
    from conftest import run_workflow

    cfg = tmp_path / "bad.yaml"
    cfg.write_text(yaml.safe_dump({"clark": {"connectome": {"path": "resources/missing"}}}))
    proc = run_workflow(tmp_path, "-n", "--configfile", str(REPO / "config" / "test.yaml"), str(cfg), check=False,
                        targets=("results/clark/connectome/connectome.nc",))
    assert proc.returncode != 0
    assert "clark.connectome.path" in proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()


def test_balancing_converges_to_the_sign_part_fixed_point():
    rng = np.random.default_rng(3)
    n = 40
    counts = rng.poisson(3.0, (n, n)) * (rng.random((n, n)) < 0.5)
    mixed = counts * np.where(rng.random((n, n)) < 0.4, -1.0, 1.0)  # both signs in rows and columns
    b = cx.balance(mixed.astype(float), tol=1e-12, max_sweeps=2000)
    assert b.converged and b.residual < 1e-12
    for axis in (0, 1):
        pos, neg = cx.sign_part_norms(b.W, axis)
        np.testing.assert_allclose(pos, 1 / np.sqrt(2), atol=1e-10)  # row and column masses agree here
        np.testing.assert_allclose(neg, 1 / np.sqrt(2), atol=1e-10)
    np.testing.assert_array_equal(np.sign(b.W), np.sign(mixed))  # pattern and signs untouched
    # Dale (single-signed) columns: columns exact, rows balanced E/I with the common norm of the fixed point
    dale = counts * np.where(rng.random(n) < 0.3, -1.0, 1.0)[None, :]
    d = cx.balance(dale.astype(float), tol=1e-12, max_sweeps=5000)
    assert d.converged
    cpos, cneg = cx.sign_part_norms(d.W, 0)
    np.testing.assert_allclose(np.maximum(cpos, cneg), 1 / np.sqrt(2), atol=1e-10)
    t_pos, t_neg = cx.balanced_row_norms(d.W)
    rpos, rneg = cx.sign_part_norms(d.W, 1)
    np.testing.assert_allclose(rpos[rpos > 0], t_pos, rtol=1e-8)
    np.testing.assert_allclose(rneg[rneg > 0], t_neg, rtol=1e-8)
    n_exc, n_inh = int((dale > 0).any(axis=0).sum()), int((dale < 0).any(axis=0).sum())
    assert t_pos == pytest.approx(np.sqrt(n_exc / (2 * n)))  # every row has both signs here
    assert t_neg == pytest.approx(np.sqrt(n_inh / (2 * n)))
    assert cx.balanced_row_norms(b.W) == pytest.approx((1 / np.sqrt(2), 1 / np.sqrt(2)))


def test_svd_and_overlap_identities():
    rng = np.random.default_rng(5)
    W = rng.standard_normal((60, 60))
    dec = cx.decompose(W)
    np.testing.assert_allclose(dec.U @ np.diag(dec.S) @ dec.V.T, W, atol=1e-10)
    np.testing.assert_allclose(np.sort_complex(dec.eig), np.sort_complex(np.linalg.eigvals(W)), atol=1e-10)
    np.testing.assert_allclose(dec.overlaps()[np.diag_indices(60)], dec.overlap_diagonal, atol=1e-12)
    A = rng.standard_normal((60, 60))
    P = A @ A.T + 0.1 * np.eye(60)  # symmetric positive definite: u_a = v_a
    np.testing.assert_allclose(cx.decompose(P).overlap_diagonal, 1.0, atol=1e-8)
    assert abs(np.linalg.det(dec.overlaps())) == pytest.approx(1.0, abs=1e-8)  # O is orthogonal
    assert participation.of_spectrum(np.ones(60)) == pytest.approx(1.0)
    np.testing.assert_allclose(cx.block_sum(-np.ones((25, 25)), 10), [[100, 100, 50], [100, 100, 50], [50, 50, 25]])


def test_quarter_circle_quantiles_match_iid_singular_values():
    N = 400
    S = np.linalg.svd(connectivity.iid_matrix(N, 1.0, np.random.default_rng(1)), compute_uv=False)
    q = cx.quarter_circle_quantiles(N)
    assert np.all(np.diff(q) <= 0) and 1.95 < q[0] < 2.0 and S[0] == pytest.approx(2.0, abs=0.06)

    def cdf(s):  # quarter-circle CDF, closed form
        return (s * np.sqrt(4 - s * s) / 2 + 2 * np.arcsin(s / 2)) / np.pi

    a = np.array([1, 10, 100, 200, 350])
    np.testing.assert_allclose(1 - cdf(q[a - 1]), (a - 0.5) / N, atol=1e-6)
    assert np.max(np.abs(S[:N - 20] - q[:N - 20])) < 0.05  # bulk within a few 1/sqrt(N)


def _params(path=None, N=80):
    cfg = yaml.safe_load((REPO / "config" / "config.yaml").read_text())["clark"]["connectome"]
    sch = SCHEMA["properties"]["clark"]["properties"]["connectome"]["properties"]
    full = {k: v.get("default") for k, v in sch.items()}
    full["files"] = {k: v["default"] for k, v in sch["files"]["properties"].items()}
    full["transmitter_columns"] = {k: v["default"] for k, v in sch["transmitter_columns"]["properties"].items()}
    full.update({k: v for k, v in cfg.items() if k not in ("files", "transmitter_columns")})
    full["standin"] = {**full["standin"], "N": N}
    full["overlap_block"] = 30
    full["path"] = None if path is None else str(path)
    return {"seed": 7, "clark": {"connectome": full}}


def test_standin_is_labelled_everywhere(tmp_path):
    out = tmp_path / "connectome.nc"
    stage.run(_params(N=200), out)
    ds = io.read_dataset(out)
    label = "synthetic stand-in, not hemibrain data"
    assert label in ds.attrs["title"] and label in ds.attrs["comment"]
    assert int(ds["conn_is_standin"]) == 1 and "conn_input_sha256" not in ds
    for name in ds.data_vars:
        assert ds[name].attrs["data_source"] == label, name
    # Fig. 6c matrices: same random streams, so the overlap model differs only by rho_a = O_aa
    assert ds["conn_overlap_abs"].shape == (30, 30)
    S = ds["conn_singular_value"].sel(matrix="connectome").values
    assert ds["conn_g_eff"].item() == pytest.approx(np.sqrt(np.sum(S**2) / 200))
    E = connectivity.effective_rank(S, 200)
    assert ds["conn_pr_s_theory"].item() == pytest.approx(E / (1 + 2 * E))
    # the stand-in carries positive overlaps in its strong modes (sigmoidal rho_a), the i.i.d.-mode model none
    lead = ds["conn_overlap_diag"].isel(mode=slice(0, 10)).mean("mode")
    bound = 4.0 / np.sqrt(10 * 200)  # 4 SD of a mean of 10 independent N(0, 1/N) overlaps
    assert lead.sel(matrix="connectome") > bound and abs(lead.sel(matrix="rmm_iid_modes")) < bound
    assert bool(ds["conn_balance_residual"] < 1e-8)
    from rnnstruct.core import plotting
    from rnnstruct.clark.figures import connectome as figs

    for build in (figs.fig1_connectome, figs.fig6_overlaps):
        fig = build(ds)
        texts = [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]
        assert sum("synthetic stand-in" in t.lower().replace("\n", " ") for t in texts) >= 3
        plotting.save_figure(fig, tmp_path / "f.pdf", tmp_path / "f.png")


def test_stage_on_synthetic_csv_records_checksums(tmp_path):
    data = tmp_path / "data"
    write_dataset(data)
    out = tmp_path / "connectome.nc"
    stage.run(_params(data), out)
    ds = io.read_dataset(out)
    assert int(ds["conn_is_standin"]) == 0 and ds.sizes["mode"] == 6
    assert "stand-in" not in ds.attrs["title"] and "hemibrain" in ds.attrs["title"]
    sums = dict(zip(ds["input_file"].values, ds["conn_input_sha256"].values))
    assert sums["traced-neurons.csv"] == cx.sha256_file(data / "traced-neurons.csv")
    assert cx.sha256_file(data / "neurotransmitters.csv") in ds.attrs["comment"]
    assert ds["conn_body_id"].values.tolist() == [b for b, nt in NEURONS if nt in SIGN]
    counts = dict(zip(ds["count_kind"].values, ds["conn_count"].values))
    assert counts["kept"] == 6 and counts["dropped"] == 4
