"""The robustness stage (rnnstruct.metzner.robustness, rnnstruct.metzner.stages.robustness) on the test profile:
its runs, identities with the claims stage, the merge's checks, the realised marginal, notes and figure."""

import copy

import numpy as np
import pytest
import xarray as xr
import yaml

from conftest import REPO, completed
from rnnstruct.core import chunks, io
from rnnstruct.metzner import claims as mclaims
from rnnstruct.metzner import notes, robustness, targets
from rnnstruct.metzner.figures import paper
from rnnstruct.metzner.stages import regularities as mr
from rnnstruct.metzner.stages import robustness as rb


def config(name="test"):
    return completed(yaml.safe_load((REPO / "config" / f"{name}.yaml").read_text()))


@pytest.fixture(scope="module")
def params():
    cfg = config()
    return {"seed": cfg["seed"], **cfg["metzner"]}


@pytest.fixture(scope="module")
def run_files(params, tmp_path_factory):
    """Every run of the test profile written as the workflow writes it (provenance included)."""
    out = {}
    d = tmp_path_factory.mktemp("robustness")
    for r in robustness.runs(params):
        path = d / f"{r['id']}.nc"
        io.run_stage(
            lambda p, rid=r["id"]: rb.robustness_run(p, rid, progress=False),
            {**params, "robustness_run": r["id"]},
            path,
            rb.META["run"],
        )
        out[r["id"]] = path
    return out


@pytest.fixture(scope="module")
def merged(params, run_files):
    return rb.merge(params, [io.read_dataset(f) for f in run_files.values()])


def test_runs_one_choice_at_a_time_plus_pairs(params):
    ids = [r["id"] for r in robustness.runs(params)]
    assert ids[0] == "default" and len(ids) == len(set(ids))
    singles = [r for r in robustness.runs(params)[1:] if len(r["settings"]) == 1]
    for r in singles:  # each moves one choice away from its configured value
        (choice, value), = r["settings"].items()
        assert value != robustness.default_value(params, choice)
        assert r["claims"] == [c for c in ("dale", "hopfield", "modular") if c in robustness.CHOICES[choice][1]]
    rob = params["robustness"]
    n_pairs = sum(
        np.prod([len(rob["alternatives"][c]) - 1 for c in pair]) for pair in rob["pairs"]
    )  # every configured value is in its alternatives list in the test profile
    n_single = sum(len(rob["alternatives"][c]) - 1 for c in robustness.CHOICES)
    assert len(ids) == 1 + n_single + n_pairs
    assert "task-seqmem__input_scale-2" in ids
    assert targets.robustness_run_files(config()) == [f"results/metzner/robustness/{i}.nc" for i in ids]


def test_run_params_apply_the_reduced_sweep_and_the_settings(params):
    p = robustness.run_params(params, {"hopfield_mode": "mixing", "N": 60})
    assert p["regularities"]["hopfield"]["mode"] == "mixing" and p["N"] == 60
    assert p["regularities"]["grid"] == params["robustness"]["grid"]
    assert p["regularities"]["reps"] == params["robustness"]["reps"]
    assert all(p["regularities"][r]["controls"] == params["robustness"]["controls"] for r in ("dale", "hopfield", "modular"))
    assert params["regularities"]["hopfield"]["mode"] == "pairs"  # the input is not modified


def test_default_run_equals_the_claims_stage_on_the_same_sweep(params):
    """The grid-mean statistic of the default run is evaluate_claims on the reduced sweep, number for number."""
    ds = rb.robustness_run(params, "default", progress=False)
    p = robustness.run_params(params, {})
    n_rows = len(ds["ctrl"])
    res, dyn = {}, {}
    for reg in ("dale", "hopfield", "modular"):
        parts = [mr.regularity_rows(p, reg, c, list(range(p["regularities"]["grid"]["w"]["num"])), progress=False) for c in range(n_rows)]
        dyn[reg] = xr.concat([d for d, _ in parts], "ctrl", data_vars="minimal", coords="minimal", compat="equals")
        res[reg] = xr.concat([r for _, r in parts], "ctrl", data_vars="minimal", coords="minimal", compat="equals")
    ref = mclaims.evaluate_claims(res, dyn)
    g = ds.sel(statistic="grid_mean")
    for reg in ("dale", "hopfield", "modular"):
        assert float(g["claim_delta"].sel(regularity=reg)) == float(ref["delta"].sel(regularity=reg))
        assert float(g["claim_delta_se"].sel(regularity=reg)) == float(ref["delta_se"].sel(regularity=reg))
        assert int(g["claim_verdict"].sel(regularity=reg)) == int(ref["verdict"].sel(regularity=reg))
        assert float(ds["sat_delta"].sel(regularity=reg)) == float(ref["sat_delta"].sel(regularity=reg))
    # the best statistic can only be >= the grid mean, per control value
    acc = ds["summary_accuracy"]
    assert np.all(acc.sel(statistic="best") >= acc.sel(statistic="grid_mean") - 1e-15)


def test_merge_layout_and_copies(params, merged, run_files):
    choices = list(merged["choice"].values)
    assert "task+input_scale" in choices and "hopfield_mode" in choices
    k = choices.index("hopfield_mode")
    assert list(merged["alternative_label"].values[k, :2]) == ["pairs (default)", "mixing"]
    aff = merged["affected"].sel(choice="hopfield_mode")
    assert aff.sel(regularity="hopfield") == 1 and aff.sel(regularity="dale") == 0
    # a claim the choice cannot move carries the default run's numbers
    default = io.read_dataset(run_files["default"])
    for name in ("claim_delta", "claim_verdict", "weight_var"):
        np.testing.assert_array_equal(
            merged[name].sel(regularity="dale", choice="hopfield_mode").isel(alternative=1).values,
            default[name].sel(regularity="dale").values,
        )
    # padding of choices with fewer alternatives
    valid = merged["alternative_valid"].values.astype(bool)
    assert np.all(np.isnan(merged["claim_delta"].values[:, ~valid]))
    assert np.all(merged["claim_verdict"].values[:, ~valid] == robustness.VERDICT_UNDEFINED)


def test_merge_refuses_missing_foreign_and_duplicate_runs(params, run_files):
    parts = [io.read_dataset(f) for f in run_files.values()]
    with pytest.raises(chunks.ChunkError, match="missing"):
        rb.merge(params, parts[1:])
    with pytest.raises(chunks.ChunkError, match="twice"):
        rb.merge(params, parts + parts[:1])
    other = copy.deepcopy(params)
    other["robustness"]["edge_band"] = 0.5
    with pytest.raises(chunks.ChunkError, match="edge_band|robustness"):
        rb.merge(other, parts)


def test_realised_marginal_of_hopfield_mixing(merged):
    """mixing at r = 1 is (A + A^T)/sqrt(2): every element mean scales by sqrt(2) exactly; pairs keeps it."""
    m = merged["weight_abs_mean"].sel(regularity="hopfield", choice="hopfield_mode").values
    assert m[1, -1] / m[1, 0] == pytest.approx(np.sqrt(2.0), rel=1e-12)
    assert m[0, -1] / m[0, 0] == pytest.approx(1.0, abs=0.05)


def test_notes_section_lists_every_claim(merged, params):
    rows = notes.robustness_claims(merged)
    assert [r["regularity"] for r in rows] == ["dale", "hopfield", "modular"]
    for r in rows:
        listed = sum(len(v) for v in r["by_verdict"].values())
        n_moving = sum(
            int(merged["alternative_valid"].values[k, 1:].sum())
            for k in range(merged.sizes["choice"])
            if int(merged["affected"].sel(regularity=r["regularity"])[k])
        )
        assert listed == 1 + n_moving  # the default once, then every alternative that can move the claim
        assert set(r["depends_on"]) <= set(merged["choice"].values.tolist())


def test_figure_has_one_row_per_alternative(merged):
    fig = paper.robustness_verdicts(merged)
    assert len(fig.axes[0].get_yticks()) == int(merged["alternative_valid"].sum())
    assert len(fig.axes[1].get_yticks()) == merged.sizes["statistic"]


def test_disabled_stage_has_no_targets():
    cfg = config()
    cfg["metzner"]["robustness"]["enabled"] = False
    assert targets.robustness_runs(cfg) == []
    assert not any("robustness" in f for f in targets.data(cfg) + targets.figures(cfg))
    assert "results/figures/metzner/robustness_verdicts" in targets.figures(config())


def test_mechanism_binning():
    x = np.array([0.0, 0.1, 0.2, 0.3, np.nan, 0.5])
    y = np.array([1.0, 1.0, 0.5, 0.5, 0.0, 0.2])
    bx, by = paper.binned_mean(x, y, n_bins=2)
    np.testing.assert_allclose(bx, [0.1, 0.4])
    np.testing.assert_allclose(by, [2.5 / 3, 0.35])


def test_summary_statistics_on_a_constructed_grid():
    """Edge: the band, or the point nearest to lambda_max = 0 where the band is empty; nonsaturated: S < max."""
    dims = ("ctrl", "w", "b", "rep")
    acc = xr.DataArray(np.arange(8.0).reshape(1, 2, 2, 2), dims=dims)
    lam = xr.DataArray(np.array([0.05, -0.5, 0.3, 0.2, -np.inf, 0.4, 1.0, -0.25]).reshape(1, 2, 2, 2), dims=dims)
    sat = xr.DataArray(np.array([0.0, 0.9, 0.1, 0.2, 0.6, 0.7, 0.3, 1.0]).reshape(1, 2, 2, 2), dims=dims)
    stats = rb._statistics(acc, xr.Dataset({"lyap_max": lam, "sat_frac": sat}), {"edge_band": 0.1, "nonsaturated_max": 0.5})
    # rep 0: accuracies 0, 2, 4, 6 with |lambda| 0.05, 0.3, inf, 1.0 -> band {0}; rep 1: 1, 3, 5, 7 with
    # |lambda| 0.5, 0.2, 0.4, 0.25 -> band empty, nearest point accuracy 3
    np.testing.assert_array_equal(stats["edge"].values, [[0.0, 3.0]])
    np.testing.assert_array_equal(stats["nonsaturated"].values, [[(0 + 2 + 6) / 3, 3.0]])
    np.testing.assert_array_equal(stats["best"].values, [[6.0, 7.0]])
    np.testing.assert_array_equal(stats["grid_mean"].values, [[3.0, 4.0]])


def test_notes_say_whether_the_stage_ran(test_results):
    """With the stage off the notes say so (and that the verdicts' dependence on the choices is untested);
    with it on they carry the section and not that sentence."""
    from rnnstruct.core.config import load_schema

    template = (REPO / "workflow/report/metzner/notes.md.j2").read_text()
    schema = load_schema(REPO / "workflow/schemas/config.schema.yaml")
    claims = io.read_dataset(test_results / "metzner/claims.nc")
    figures = targets.claim_figures(config())
    off = notes.render(template, schema, claims, figures, profile="`p`", robustness=None)
    on = notes.render(template, schema, claims, figures, profile="`p`",
                      robustness=io.read_dataset(test_results / "metzner/robustness.nc"))
    sentence = "The robustness stage did not run in this profile (`metzner.robustness.enabled: false`)"
    assert sentence in off and sentence not in on
    assert "Every verdict above rests on [RECON] choices" in on and "Every verdict above rests" not in off
