"""End to end: config/test.yaml through the Snakemake workflow."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml

from conftest import REPO, SNAKEMAKE, TEST_CONFIG, dry_run_jobs, run_workflow
from rnnstruct.core import io
from rnnstruct.metzner.dynamics import REGIME_CODES
from rnnstruct.numerics import participation

pytestmark = pytest.mark.e2e

REGS = ("dale", "hopfield", "modular")
JARNE_FIGURES = (
    "F1_tasks", "F2_outputs", "F3_spectra", "F4_connectivity", "F5_radius_vs_N", "F6_radius_vs_ei",
    "F7_constrained_vs_free", "F8_dynamics", "S_supplement", "S_training",
)
NETCDF = [
    "metzner/ensembles/base.nc",
    "metzner/dynamics/base.nc",
    "metzner/validation/meanfield.nc",
    "metzner/validation/regularity_spectra.nc",
    "metzner/claims.nc",
    *(f"metzner/{kind}/{reg}.nc" for reg in REGS for kind in ("ensembles", "dynamics", "reservoir")),
    "lyapunov/iid_map.nc",
    "lyapunov/iid_flow.nc",
    "lyapunov/numerics.nc",
    *(f"lyapunov/metzner_{reg}.nc" for reg in REGS),
    *(f"jarne/networks/{cond}.nc" for cond in (
        "and_normal_ei0.5_N16", "and_normal_free_N16", "ff_normal_ei0.5_N16", "ff_normal_free_N16",
        "and_orthogonal_ei0.5_N16", "and_orthogonal_ei0.5_N24")),
    "jarne/spectra.nc",
    "clark/theory/dimension_rmm.nc",
    "clark/simulations/dimension_rmm.nc",
    "clark/simulations/singular_values.nc",
    "clark/simulations/dimension_rmm_large_n.nc",
    "clark/theory/gains.nc",
    "clark/simulations/gains.nc",
    "clark/theory/prl_tanh.nc",
    "clark/simulations/prl_eigenmodes.nc",
    "clark/simulations/prl_iid.nc",
    "clark/connectome/connectome.nc",
    "clark/simulations/traces_iid.nc",
    "clark/simulations/pc_timescales.nc",
    "clark/overlaps/overlaps.nc",
]
FIGURES = [
    "metzner/base_phase_diagram",
    "metzner/F1_schematic",
    "metzner/F3_baseline_accuracy",
    "metzner/F4_dale_dynamics",
    "metzner/F5_dale_accuracy",
    "metzner/F6_hopfield_dynamics",
    "metzner/F7_hopfield_accuracy",
    "metzner/F8_modular_dynamics",
    "metzner/F9_modular_accuracy",
    "metzner/F10_summary",
    "metzner/mechanism_saturation",
    "validation/base_meanfield",
    "validation/base_spectrum",
    "validation/regularity_spectra",
    "validation/lyapunov_numerics",
    "lyapunov/lambda_max_vs_g",
    "lyapunov/full_spectra",
    "lyapunov/regularity_spectra",
    *(f"jarne/{name}" for name in JARNE_FIGURES),
    "clark/prx_fig4a_dimension",
    "clark/prx_fig4b_psi",
    "clark/prx_fig8_singular_values",
    "clark/prx_fig5_gains",
    "clark/prx_fig10_step",
    "clark/prx_fig2_schematic",
    "clark/prl_fig2_dimension",
    "clark/prl_fig3_psi",
    "clark/prl_fig5_decomposition",
    "clark/prx_fig1_connectome",
    "clark/prx_fig6_overlaps",
    "clark/prx_fig3_covariance",
    "clark/prx_fig9_pc_timescales",
    "clark/prl_fig4_pc_timescales",
    "clark/prx_fig7_overlaps",
    "clark/prl_fig6_symmetric",
]


def test_all_outputs_exist_and_are_self_describing(test_results):
    for rel in NETCDF:
        ds = io.read_dataset(test_results / rel)
        assert ds.attrs["Conventions"] == "CF-1.11, ACDD-1.3"
        assert io.parameters(ds)["seed"] == 7
        assert ds.attrs["seed_entropy"] == "7"
        for name in ds.variables:
            assert ds[name].attrs.get("long_name") and "units" in ds[name].attrs, (rel, name)
    for rel in FIGURES:
        for ext, magic in (("pdf", b"%PDF"), ("png", b"\x89PNG")):
            data = (test_results / "figures" / f"{rel}.{ext}").read_bytes()
            assert data.startswith(magic) and len(data) > 5000, rel


def test_dynamics_contract(test_results):
    dyn = io.read_dataset(test_results / "metzner/dynamics/base.nc")
    cfg = yaml.safe_load(TEST_CONFIG.read_text())["metzner"]
    assert dyn["lyap_max"].dims == ("w", "b", "rep")
    assert dict(dyn.sizes) == {"w": cfg["grid"]["w"]["num"], "b": cfg["grid"]["b"]["num"], "rep": cfg["reps"]}
    for name in ("lyap_max", "mean_abs", "sat_frac", "fluctuation", "corr1", "regime", "period"):
        assert name in dyn
    assert dyn["regime"].attrs["flag_meanings"].split() == sorted(REGIME_CODES, key=REGIME_CODES.get)
    # w = 0: W = 0 exactly, so x(1) = 0 forever and lambda_max = -inf (an exact value, never NaN)
    w0 = dyn.sel(w=0.0)
    assert np.all(w0["regime"] == REGIME_CODES["quiescent_fixed_point"]) and np.all(w0["lyap_max"] == -np.inf)
    assert not any(np.isnan(dyn[v]).any() for v in dyn.data_vars)


def test_example_matrices_are_the_simulated_ones(test_results):
    ens = io.read_dataset(test_results / "metzner/ensembles/base.nc")
    dyn = io.read_dataset(test_results / "metzner/dynamics/base.nc")
    for k in range(ens.sizes["example"]):
        point = dict(
            w=float(ens["example_w"][k]), b=float(ens["example_b"][k]), rep=int(ens["example_rep"][k])
        )
        rho = float(np.abs(io.complex_variable(ens, "eigval")[k]).max())
        assert rho == pytest.approx(float(dyn["spectral_radius"].sel(point)), rel=1e-12)


@pytest.mark.parametrize("reg", REGS)
def test_control_zero_is_the_base_ensemble_in_the_pipeline(test_results, reg):
    """Seeds are keyed by (w, b, rep): control 0 of every regularity must reproduce the base sweep's
    autonomous measures bit for bit at the grid points the two sweeps share."""
    base = io.read_dataset(test_results / "metzner/dynamics/base.nc")
    dyn = io.read_dataset(test_results / f"metzner/dynamics/{reg}.nc").isel(ctrl=0)
    shared = dict(w=dyn["w"].values, b=dyn["b"].values, rep=dyn["rep"].values)
    assert set(shared["w"]) <= set(base["w"].values) and set(shared["b"]) <= set(base["b"].values)
    for name in ("lyap_max", "mean_abs", "fluctuation", "corr1", "period", "regime", "spectral_radius"):
        np.testing.assert_array_equal(dyn[name].values, base[name].sel(shared).values, err_msg=name)


def test_reservoir_and_claims_contract(test_results):
    for reg in REGS:
        res = io.read_dataset(test_results / f"metzner/reservoir/{reg}.nc")
        assert res["accuracy"].dims == ("ctrl", "w", "b", "rep")
        assert (
            float(res["ridge_lambda"])
            == yaml.safe_load(TEST_CONFIG.read_text())["metzner"]["reservoir"]["ridge"]
        )
        assert np.all((res["accuracy"] >= 0) & (res["accuracy"] <= 1))
        dyn = io.read_dataset(test_results / f"metzner/dynamics/{reg}.nc")
        assert "lyap_driven" in dyn and dyn["lyap_driven"].dims == ("ctrl", "w", "b", "rep")
    claims = io.read_dataset(test_results / "metzner/claims.nc")
    assert list(claims["regularity"].values) == list(REGS)
    notes = (test_results / "reproduction/metzner2025.md").read_text()
    for reg_claim in claims["claim"].values:
        assert str(reg_claim) in notes
    verdict_rows = re.findall(
        r"\| \*\*(reproduced|partly reproduced|not reproduced)\*\* \|$", notes, flags=re.M
    )
    assert len(verdict_rows) == len(REGS)


def test_lyapunov_contract(test_results):
    for kind in ("iid_map", "iid_flow"):
        ds = io.read_dataset(test_results / f"lyapunov/{kind}.nc")
        # exponents are the block sums over the accumulated time (raw accumulators are stored)
        total = (ds["block_sums"].sum("block") / ds["block_time"].sum()).values
        np.testing.assert_allclose(ds["exponents"].values, total, rtol=1e-12, atol=1e-12)
        base = "update steps" if kind == "iid_map" else "units of the time constant tau"
        assert ds["exponents"].attrs["long_name"] == f"Lyapunov exponents (time in {base})"
        assert np.all(np.diff(ds["exponents"].values, axis=-1) <= 0)  # sorted descending
    # control 0 of every regularity is the same base matrix, initial state and tangent block
    spectra0 = [io.read_dataset(test_results / f"lyapunov/metzner_{reg}.nc").isel(ctrl=0) for reg in REGS]
    for other in spectra0[1:]:
        np.testing.assert_array_equal(spectra0[0]["exponents"].values, other["exponents"].values)
    numerics = (test_results / "reproduction/lyapunov_numerics.md").read_text()
    assert "Generated by rnnstruct" in numerics and "| 100 |" in numerics


def test_jarne_contract(test_results):
    """Trained networks respect Dale's law exactly, every condition kept its tried candidates (train until
    success), the spectra file holds the radii of the stored weights, and the notes quote the generated
    verdicts."""
    from rnnstruct.jarne import analysis

    cfg = yaml.safe_load(TEST_CONFIG.read_text())["jarne"]
    sp = io.read_dataset(test_results / "jarne/spectra.nc")
    assert sp["r_out"].dims == ("task", "init", "constraint", "N", "attempt")
    for cond in ("and_normal_ei0.5_N16", "ff_normal_ei0.5_N16", "and_orthogonal_ei0.5_N24"):
        ds = io.read_dataset(test_results / f"jarne/networks/{cond}.nc")
        n_ok = int(ds["success"].sum())
        tried = ds.sizes["attempt"]
        assert list(ds["attempt"].values) == list(range(tried))
        assert n_ok <= cfg["nets"] and (n_ok == cfg["nets"] or tried == cfg["until_success"]["max_attempts"])
        s = ds["sign"].values
        assert (s == -1).sum() == int(0.5 * ds.sizes["unit"]) and np.all(s[: (s == -1).sum()] == -1)
        W = ds["W_rec"].values  # [attempt, post, pre]: column j carries the sign of presynaptic unit j
        assert np.all(W * s[None, None, :] >= 0) and np.all(ds["W_in"].values >= 0)
        task, init, lab, N = cond.split("_")
        for k in range(tried):
            mod = np.abs(np.linalg.eigvals(analysis.thresholded(W[k])))
            cell = sp.sel(task=task, init=init, constraint=lab, N=int(N[1:]), attempt=k)
            assert float(cell["r_out"]) == pytest.approx(np.sort(mod)[-7], rel=1e-9)
            assert float(cell["r_in"]) == pytest.approx(mod.min(), rel=1e-9, abs=1e-12)
            assert int(cell["tried"]) == 1 and float(cell["success"]) == float(ds["success"][k])
    free = io.read_dataset(test_results / "jarne/networks/and_normal_free_N16.nc")
    assert np.any(free["W_rec"].values < 0) and np.any(free["W_rec"].values > 0)
    notes = (test_results / "reproduction/jarne2024.md").read_text()
    assert "Generated by rnnstruct" in notes
    verdicts = re.findall(r"\| \*\*(reproduced|partly reproduced|not reproduced)\*\* \|$", notes, flags=re.M)
    assert len(verdicts) >= 4


def test_clark_contract(test_results):

    cfg = yaml.safe_load(TEST_CONFIG.read_text())["clark"]
    th = io.read_dataset(test_results / "clark/theory/dimension_rmm.nc")
    for name in ("pr_phi", "pr_x"):
        assert th[name].dims == ("g_eff", "eff_rank")
        assert np.all((th[name] > 0) & (th[name] < th[f"{name}_iid"]))  # finite rank lowers PR
    assert th["pr_phi_iid"].dims == ("g_eff",)
    assert th["eff_rank"].min() <= 0.05 + 1e-12 and th["eff_rank"].max() >= 10 - 1e-9
    sims = io.read_dataset(test_results / "clark/simulations/dimension_rmm.nc")
    assert sims["pr_phi"].dims == ("g_eff", "eff_rank") and sims["pr_phi_err"].dims == ("g_eff", "eff_rank")
    f4 = cfg["fig4"]
    points = {(g, e) for g in f4["g_eff"] for e in f4["eff_rank"]} | {(f4["inset_g_eff"], e) for e in f4["inset_eff_rank"]}
    n_points = len(points | {(g, e) for g in f4["b_g_eff"] for e in f4["b_eff_rank"]})
    assert int(sims["simulated"].sum()) == n_points and sims.sizes["rep"] == cfg["simulation"]["reps"]
    # the stored per-realisation PRs are recomputed exactly from the stored block accumulators
    N = cfg["simulation"]["N"]
    for g in sims["g_eff"].values:
        for e in sims["eff_rank"].values:
            s = sims.sel(g_eff=g, eff_rank=e)
            if not int(s["simulated"]):
                assert np.isnan(float(s["pr_phi"]))
                continue
            for r in range(sims.sizes["rep"]):
                sr = s.isel(rep=r)
                for kind in ("naive", "crossblock"):
                    pr, se = participation.from_blocks(
                        sr["gram_phi"].values, sr["block_trace_phi"].values, sr["block_sqnorm_phi"].values,
                        sims["group_of_block"].values, N, kind,
                    )
                    assert pr == float(sr[f"pr_phi_{kind}"]) and se == float(sr[f"pr_phi_{kind}_se"])
    notes = (test_results / "reproduction/clark2025.md").read_text()
    assert "Generated by rnnstruct" in notes
    fig4a_row = r"^\| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ ± [0-9.]+ \| "
    assert len(re.findall(fig4a_row, notes, flags=re.M)) == n_points
    # the larger-N check reuses the stage at its own N and is tabulated in the notes
    big = io.read_dataset(test_results / "clark/simulations/dimension_rmm_large_n.nc")
    big_cfg = cfg["large_n"]
    assert io.parameters(big)["clark"]["simulation"]["N"] == big_cfg["N"] != N
    assert int(big["simulated"].sum()) == len(big_cfg["g_eff"]) * len(big_cfg["eff_rank"]) + len(big_cfg["extra_points"])
    assert "large_n" not in io.parameters(sims)["clark"]  # switching the check on reruns nothing else
    section = notes.split("## PRX Fig. 4a at larger N", 1)[1]
    big_row = r"^\| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ ± [0-9.]+ \| "
    assert len(re.findall(big_row, section.split("\n## ", 1)[0], flags=re.M)) == int(big["simulated"].sum())


def test_clark_gains_contract(test_results):
    cfg = yaml.safe_load(TEST_CONFIG.read_text())["clark"]
    gp, sp = cfg["gains"], cfg["step"]
    th = io.read_dataset(test_results / "clark/theory/gains.nc")
    assert th["gain_pr_phi_theory"].dims == ("g_eff", "eff_rank", "pr_g")
    assert np.all(th["gain_pr_phi_theory"] >= th["gain_pr_gpphi_theory"])  # PRX Sec. VI ordering
    assert np.all(th["gain_pr_gpphi_theory"] >= th["gain_pr_gphi_theory"])
    sims = io.read_dataset(test_results / "clark/simulations/gains.nc")
    n_gain = len(gp["g_eff"]) * len(gp["eff_rank"]) * len(gp["pr_g_sim"])
    n_step = len(sp["g_eff"]) * len(sp["log2_pr_d_sim"])
    assert int(sims["gain_simulated"].sum()) == n_gain and int(sims["step_simulated"].sum()) == n_step
    assert sims["step_spectrum_phi"].sizes["pc_index"] == sp["N"]
    notes = (test_results / "reproduction/clark2025.md").read_text()
    assert "PRX Fig. 5: gain heterogeneity" in notes and "PRX Fig. 10: step mode spectrum" in notes
    fig5 = notes.split("PRX Fig. 5: gain heterogeneity", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"^\| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ ± ", fig5, flags=re.M)) == n_gain
    assert len(re.findall(r"^\| [0-9.]+ \| 2\^-?[0-9.]+ = ", notes, flags=re.M)) == n_step


def test_clark_pcs_contract(test_results):
    cfg = yaml.safe_load(TEST_CONFIG.read_text())["clark"]["pcs"]
    tr = io.read_dataset(test_results / "clark/simulations/traces_iid.nc")
    assert int(tr["pcs_fig9_N"]) == cfg["fig9"]["N"] and tr.sizes["pcs_fig9_pc"] == cfg["fig9"]["N"]
    scale = float(tr["pcs_fig9_psi_direct"][0])
    assert np.max(np.abs(tr["pcs_fig9_sum_c"] - tr["pcs_fig9_c_phi_direct"])) < 1e-10  # PRX 27
    assert np.max(np.abs(tr["pcs_fig9_sum_psi"] - tr["pcs_fig9_psi_direct"])) < 1e-10 * scale  # PRX 28
    ts = io.read_dataset(test_results / "clark/simulations/pc_timescales.nc")
    f4 = cfg["prl_fig4"]
    assert ts["pcs_a_pc_fwhm"].shape == (len(f4["g"]), f4["reps"], f4["N"])
    assert ts["pcs_b_median"].shape == (len(f4["N_scan"]), len(f4["lead_pcs"]))
    notes = (test_results / "reproduction/clark2025.md").read_text()
    assert "## PRX Fig. 9: principal-component timescales" in notes and "## PRL Fig. 4" in notes


def stable_view(path: Path) -> tuple[xr.Dataset, dict]:
    ds = io.read_dataset(path)
    return ds.drop_attrs(deep=False), io.stable_attrs(ds)


def assert_same_outputs(a: Path, b: Path) -> None:
    for rel in NETCDF:
        da, attrs_a = stable_view(a / rel)
        db, attrs_b = stable_view(b / rel)
        xr.testing.assert_identical(da, db)  # values bit for bit, coordinates, variable attributes
        assert attrs_a == attrs_b, rel


@pytest.mark.slow
def test_other_chunking_and_batching_give_identical_data(test_results, tmp_path):
    """A second, independent run of the test profile, chunked and batched otherwise, gives the same data: the
    workflow is deterministic and no random object depends on the job layout.  The second run builds the
    compared NetCDF files and what they need, not the figures and notes (rendering computes nothing)."""
    cfg = yaml.safe_load(TEST_CONFIG.read_text())
    assert cfg["execution"] != {"rows_per_job": 1, "batch_size": 3}
    cfg["execution"] = {"rows_per_job": 1, "batch_size": 3}
    (tmp_path / "chunked.yaml").write_text(yaml.safe_dump(cfg))
    work = tmp_path / "work"
    work.mkdir()
    run_workflow(work, configfile=tmp_path / "chunked.yaml", targets=tuple(f"results/{rel}" for rel in NETCDF))
    chunks = sorted((work / "results/metzner/dynamics/base").glob("rows_*.nc"))
    assert len(chunks) == cfg["metzner"]["grid"]["w"]["num"]
    assert_same_outputs(test_results, work / "results")


COMPUTING = re.compile(r"^(metzner|lyapunov|clark|jarne)_(?!.*(merge|notes|networks)$)")


@pytest.mark.parametrize(
    "module, allowed",
    [
        ("clark/pcs.py", ("clark",)),  # a Clark model module: Clark stages only
        ("metzner/dynamics.py", ("metzner", "lyapunov")),  # the Lyapunov stage builds Metzner matrices
        ("jarne/train.py", ("jarne",)),
        ("clark/figures/pcs.py", ()),  # rendering code reruns no computation
    ],
)
@pytest.mark.slow
def test_editing_a_package_reruns_only_its_own_computing_jobs(test_run, tmp_path, module, allowed):
    """One code hash per stage (its import closure): a comment added to one paper's module schedules
    computing jobs of that paper only (and of the stages that import it), never another paper's."""
    import shutil

    src = tmp_path / "src"
    shutil.copytree(REPO / "src" / "rnnstruct", src / "rnnstruct", ignore=shutil.ignore_patterns("__pycache__"))
    assert dry_run_jobs(test_run, env={"PYTHONPATH": str(src)}) == {}  # the copy changes nothing by itself
    with open(src / "rnnstruct" / module, "a") as fh:
        fh.write("# a comment changes the code hash\n")
    jobs = dry_run_jobs(test_run, env={"PYTHONPATH": str(src)})
    computing = {rule for rule in jobs if COMPUTING.match(rule)}
    assert {rule.split("_")[0] for rule in computing} == set(allowed), sorted(jobs)
    if not allowed:
        assert jobs and all(rule.startswith("figure_clark") or rule == "all" for rule in jobs), sorted(jobs)


def test_report_lists_every_figure(test_run):
    report = test_run / "report.html"
    proc = subprocess.run(
        [
            SNAKEMAKE,
            "-s",
            str(REPO / "Snakefile"),
            "--directory",
            str(test_run),
            "--configfile",
            str(TEST_CONFIG),
            "--report",
            str(report),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    log = proc.stdout + proc.stderr
    assert "(ERROR/" not in log and "(WARNING/" not in log, log  # captions are valid reStructuredText
    html = report.read_text(errors="replace")
    assert "cost_summary.csv" in html
    for rel in FIGURES:
        assert Path(rel).name + ".png" in html
    # the science: each paper's claims table and every generated notes file are report items
    for paper in ("metzner", "clark", "jarne"):
        assert f"results/{paper}/claims_table.csv" in html and f"results/{paper}/claims_table.html" in html, paper
    for notes in ("metzner2025", "clark2025", "jarne2024", "lyapunov_numerics"):
        assert f"results/reproduction/{notes}.md" in html, notes
    # figures carry zero-padded labels, so that the report's lexicographic sort is the papers' order
    for label in ("F02 base phase diagram", "F10 summary of the claims", "PRX F10 step mode spectrum", "F08 dynamics"):
        assert label in html, label
    # the front page names the profile that ran and the papers
    assert "config/test.yaml" in html and "Organizational regularities in recurrent neural networks" in html


def test_lint_and_format_are_clean():
    lint = subprocess.run([SNAKEMAKE, "--lint"], cwd=REPO, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "Congratulations" in lint.stdout + lint.stderr
    fmt = subprocess.run(
        [str(Path(sys.executable).with_name("snakefmt")), "--check", "Snakefile", "workflow"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    ruff = subprocess.run(
        [str(Path(sys.executable).with_name("ruff")), "check", "."], cwd=REPO, capture_output=True, text=True
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_notes_name_the_profile_over_the_defaults(test_results):
    """Every generated notes file names the given config file(s) first and the defaults they override last,
    in the order Snakemake applies them (config/config.yaml, then each --configfile)."""
    for notes in ("metzner2025", "clark2025", "jarne2024", "lyapunov_numerics"):
        text = (test_results / "reproduction" / f"{notes}.md").read_text()
        assert "from the profile `config/test.yaml` (over the defaults of `config/config.yaml`)" in text, notes
