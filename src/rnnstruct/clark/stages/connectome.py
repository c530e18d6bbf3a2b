"""Clark et al. 2025, PRX Figs. 1 and 6: the hemibrain connectome or its synthetic stand-in.

``connectome(params)`` builds one dataset from ``clark.connectome``:

* with ``path`` set: the neuPrint compact-data CSVs and the transmitter table in that directory
  (:func:`rnnstruct.clark.connectome.load_connectome`, validated, sha256 of every file recorded);
* with ``path`` null: a **synthetic stand-in, not hemibrain data** (docs/models/clark2025.md#connectome): a
  random-mode matrix with exponential D at effective rank ``standin.eff_rank`` and sigmoidal right-left
  overlaps (``standin.gamma_rho``, ``standin.beta_rho``, u_flip so that <D rho> = 0), sparsified by keeping
  the fraction ``standin.density`` of entries of largest magnitude (signs are those of the matrix, not Dale's
  law).  The overlaps of its strong modes put real eigenvalue outliers outside the bulk, the qualitative
  effect of PRX Fig. 6c; thresholding keeps ~2/3 of the entry variance linear in the structured matrix,
  whereas a random mask of the same density would bury it in i.i.d. noise.

Then the PRX App. B recipe: alternating row/column sign-part balancing, SVD (S, U, V), overlaps O = U^T V and
eigenvalues, and the two comparison matrices of Fig. 6c, both random-mode models with D_a = S_a and
M = N: i.i.d. modes (``connectivity.rmm_matrix``) and per-mode overlaps rho_a = O_aa
(``connectivity.rmm_overlap_matrix``; same left/right streams, so they differ only by the overlaps).
Fig. 1c compares S_a/S_1 with an i.i.d. Gaussian matrix of the same N.

Seed keys: ``("clark", "connectome", "standin", N, eff_rank, gamma_rho, beta_rho, stream)`` and
``("clark", "connectome", "rmm", N, stream)``, ``("clark", "connectome", "iid", N)``.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import xarray as xr
from scipy.special import erf

from rnnstruct.core import io, seeds
from rnnstruct.clark import connectivity
from rnnstruct.clark import connectome as cx
from rnnstruct.clark.stages.dimension import REFERENCE
from rnnstruct.numerics import participation

STANDIN_LABEL = "synthetic stand-in, not hemibrain data"
MATRICES = ("connectome", "rmm_iid_modes", "rmm_overlaps")
STAGE = "clark_connectome"
#: an eigenvalue counts as an outlier beyond this multiple of the bulk radius g_eff (finite-N edge margin)
OUTLIER_MARGIN = 1.1


def source_label(cfg: Mapping) -> str:
    if cfg["path"] is None:
        return STANDIN_LABEL
    return f"hemibrain connectome {cfg['dataset']} (neuPrint compact data, clark.connectome.path)"


def standin_matrix(cfg: Mapping, seed: int) -> np.ndarray:
    """The signed, unbalanced stand-in matrix (module docstring)."""
    st = cfg["standin"]
    N, E, gamma, beta = int(st["N"]), float(st["eff_rank"]), float(st["gamma_rho"]), float(st["beta_rho"])
    spec = connectivity.exponential_spectrum(N, 1.0, E)
    rho, _ = connectivity.sigmoidal_overlaps(spec.D, N, gamma, beta)
    key = ("clark", "connectome", "standin", N, E, gamma, beta)
    J = connectivity.rmm_overlap_matrix(
        spec, rho, *(seeds.rng(seed, key + (s,)) for s in ("left", "right", "shared"))
    )
    threshold = np.quantile(np.abs(J), 1.0 - float(st["density"]))
    return np.where(np.abs(J) >= threshold, J, 0.0)


def _summary(W: np.ndarray, k: int = 0) -> dict:
    """Singular values, O_aa, eigenvalues and (k > 0) the leading k x k block of O = U^T V; the singular
    vectors are dropped here so that at most one matrix's U and V are held at a time."""
    dec = cx.decompose(W)
    out = {"S": dec.S, "O_diag": dec.overlap_diagonal, "eig": dec.eig}
    if k:
        out["O_block"] = dec.overlaps(k)
    return out


def _eig_block(decs) -> dict:
    return {
        "conn_eig_re": (("matrix", "eigen"), np.stack([d["eig"].real for d in decs])),
        "conn_eig_im": (("matrix", "eigen"), np.stack([d["eig"].imag for d in decs])),
    }


def connectome(params: Mapping) -> xr.Dataset:
    cfg = params["clark"]["connectome"]
    seed = params["seed"]
    label = source_label(cfg)
    extra: dict = {}
    coords: dict = {}
    if cfg["path"] is None:
        io.log(f"clark.connectome.path is null: building the {STANDIN_LABEL} (N = {cfg['standin']['N']})")
        W_raw = standin_matrix(cfg, seed)
        counts = {"kept": W_raw.shape[0], "connections_kept": int(np.count_nonzero(W_raw))}
        checksums = {}
    else:
        io.log(f"reading the connectome from {cfg['path']}")
        data = cx.load_connectome(cfg["path"], cfg["files"], cfg["transmitter_columns"], cfg["excluded"])
        W_raw, counts, checksums = data.W, data.counts, data.checksums
        extra["conn_body_id"] = ("neuron", data.body_id)
        extra["conn_transmitter"] = ("neuron", data.transmitter)
        del data  # W_raw is the only reference to the N x N matrix from here on
        expected = cfg["expected_kept"]
        if expected is not None and counts["kept"] != expected:
            io.log(f"WARNING: {counts['kept']} neurons kept, the paper has {expected} (clark.connectome.expected_kept)")
        io.log(f"{counts['kept']} neurons kept of {counts['neurons_read']}, {counts['connections_kept']} connections")
    N = W_raw.shape[0]
    bal = cx.balance(W_raw, float(cfg["balance_tol"]), int(cfg["balance_max_sweeps"]))
    io.log(f"balancing: {bal.sweeps} sweeps, residual {bal.residual:.2e}, converged {bal.converged}")
    W = bal.W
    sweeps, residual = bal.sweeps, bal.residual
    col_pos, col_neg = cx.sign_part_norms(W, axis=0)
    row_pos, row_neg = cx.sign_part_norms(W, axis=1)
    target_pos, target_neg = cx.balanced_row_norms(W)
    cols = np.concatenate([col_pos[col_pos > 0], col_neg[col_neg > 0]])
    row_dev = max(
        float(np.max(np.abs(row_pos[row_pos > 0] - target_pos), initial=0.0)),
        float(np.max(np.abs(row_neg[row_neg > 0] - target_neg), initial=0.0)),
    )
    blocks = cx.block_sum(W, int(cfg["display_block"]))
    del W_raw, bal

    K = min(int(cfg["overlap_block"]), N)
    conn = _summary(W, K)
    del W
    spec = connectivity.ModeSpectrum(conn["S"].copy(), N, "connectome")
    key = ("clark", "connectome", "rmm", N)
    J_iid = connectivity.rmm_matrix(spec, seeds.rng(seed, key + ("left",)), seeds.rng(seed, key + ("right",)))
    rmm_iid = _summary(J_iid)
    del J_iid
    J_ov = connectivity.rmm_overlap_matrix(
        spec, np.clip(conn["O_diag"], -1.0, 1.0), *(seeds.rng(seed, key + (s,)) for s in ("left", "right", "shared"))
    )
    rmm_ov = _summary(J_ov)
    del J_ov
    decs = [conn, rmm_iid, rmm_ov]
    iid = connectivity.iid_matrix(N, 1.0, seeds.rng(seed, ("clark", "connectome", "iid", N)))
    sv_iid = np.linalg.svd(iid, compute_uv=False)
    del iid

    g_eff = float(np.sqrt(np.sum(conn["S"] ** 2) / N))
    E_s = connectivity.effective_rank(conn["S"], N)
    radius = np.array([np.abs(d["eig"]).max() for d in decs])
    real_out = np.array(
        [int(np.sum((np.abs(d["eig"].imag) <= 1e-9 * radius[0]) & (np.abs(d["eig"]) > OUTLIER_MARGIN * g_eff))) for d in decs]
    )
    ds = xr.Dataset(
        {
            "conn_singular_value": (("matrix", "mode"), np.stack([d["S"] for d in decs])),
            "conn_overlap_diag": (("matrix", "mode"), np.stack([d["O_diag"] for d in decs])),
            **_eig_block(decs),
            "conn_overlap_abs": (("mode_u", "mode_v"), np.abs(conn["O_block"])),
            "conn_block_sum": (("target_block", "source_block"), blocks),
            "conn_sv_iid": ("mode", sv_iid),
            "conn_sv_iid_theory": ("mode", cx.quarter_circle_quantiles(N)),
            "conn_pr_s": ("matrix", np.array([participation.of_spectrum(d["S"]) for d in decs])),
            "conn_pr_s_theory": ((), E_s / (1.0 + 2.0 * E_s)),
            "conn_eff_rank_d": ((), E_s),
            "conn_g_eff": ((), g_eff),
            "conn_spectral_radius": ("matrix", radius),
            "conn_real_outliers": ("matrix", real_out),
            "conn_overlap_inside": (
                "matrix",
                np.array([float(np.mean(np.abs(d["O_diag"]) < 2.5 / np.sqrt(N))) for d in decs]),
            ),
            "conn_overlap_inside_theory": ((), float(erf(2.5 / np.sqrt(2.0)))),
            "conn_balance_sweeps": ((), sweeps),
            "conn_balance_residual": ((), residual),
            "conn_balance_col_dev": ((), float(np.max(np.abs(cols - cx.HALF_NORM))) if cols.size else 0.0),
            "conn_balance_row_norm": ("sign", [target_pos, target_neg]),
            "conn_balance_row_dev": ((), row_dev),
            "conn_count": ("count_kind", np.array(list(counts.values()), dtype=np.int64)),
            "conn_is_standin": ((), int(cfg["path"] is None)),
            **extra,
        },
        coords={
            "matrix": list(MATRICES),
            "mode": np.arange(1, N + 1),
            "eigen": np.arange(N),
            "mode_u": np.arange(1, K + 1),
            "mode_v": np.arange(1, K + 1),
            "count_kind": list(counts),
            "sign": ["positive", "negative"],
            **coords,
        },
    )
    if checksums:
        ds["conn_input_sha256"] = ("input_file", np.array(list(checksums.values()), dtype=object))
        ds = ds.assign_coords(input_file=list(checksums))
    for name in ds.data_vars:
        ds[name].attrs["data_source"] = label
    return ds


def meta(params: Mapping, ds: xr.Dataset | None = None) -> dict:
    cfg = params["clark"]["connectome"]
    label = source_label(cfg)
    comment = f"Data source: {label}" + ("." if cfg["path"] is None else f" = {cfg['path']}.")
    if ds is not None and "conn_input_sha256" in ds:
        comment += " Input files (sha256): " + "; ".join(
            f"{f} {h}" for f, h in zip(ds["input_file"].values, ds["conn_input_sha256"].values)
        )
    if cfg["path"] is None:
        comment += (
            " Synthetic stand-in (clark.connectome.path is null): random-mode matrix with exponential mode "
            "strengths and sigmoidal right-left overlaps, sparsified by magnitude; qualitative only."
        )
    return {
        "title": f"Connectome SVD, overlaps and eigenvalues (PRX Figs. 1, 6): {label}",
        "summary": "balanced signed coupling matrix, singular values, right-left overlaps O = U^T V, eigenvalues "
        "of the matrix and of random-mode models with D = its singular values (i.i.d. modes; rho_a = O_aa)",
        "stage": STAGE,
        "references": REFERENCE + "; Scheffer et al. 2020, eLife 9:e57443; Eckstein et al. 2024, Cell 187:2574",
        "comment": comment,
    }


def run(params: Mapping, output) -> xr.Dataset:
    """Build and write atomically; nothing is written when reading or validation fails."""
    import time

    params = dict(params)  # a plain dict, whatever mapping the workflow handed over
    io.log(f"{STAGE}: start -> {output}")
    t0 = time.perf_counter()
    ds = connectome(params)
    wall = time.perf_counter() - t0
    io.write_dataset(ds, output, params=params, seed_entropy=params.get("seed"), wall_seconds=wall, **meta(params, ds))
    io.log(f"{STAGE}: wrote {output} in {wall:.1f} s")
    return ds
