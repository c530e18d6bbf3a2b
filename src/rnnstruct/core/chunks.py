"""One checked way to join the chunk files of a sweep into one dataset.

A sweep is split into jobs by a layout setting (rows per job, realisations per job, ...); the merged
file must not depend on that layout and must never be silently incomplete.  :func:`concat` and
:func:`combine` therefore verify, before joining, that

* every chunk holds the merge dimensions, and no coordinate value (or point) repeats inside a chunk
  or across chunks (duplicates name both files);
* the union of the chunks is exactly the expected set of coordinate values (gaps name the missing
  values), when the caller passes ``expected``;
* variables without a merge dimension agree between chunks, and every chunk holds the same variables;
* every chunk was computed with this merge's parameters and seed (its recorded ``parameters`` hold
  every key of the merge's parameters with the same value; chunks add only their own keys, such as
  the rows or realisations they cover) — a chunk left over from another configuration, or copied in
  from another run, is refused;

and the result is sorted along the merge dimensions, whatever order the files came in.
Errors are :class:`ChunkError` and name the chunk files (``ds.encoding["source"]``, which
:func:`rnnstruct.core.io.read_dataset` sets).
"""

from __future__ import annotations

import json
from typing import Mapping, Sequence

import numpy as np
import xarray as xr

from rnnstruct.core.io import canonical_json


class ChunkError(ValueError):
    """Chunks that cannot be joined into one complete, duplicate-free dataset."""


def source(ds: xr.Dataset) -> str:
    """The file a dataset was read from (or ``<in memory>``)."""
    return str(ds.encoding.get("source", "<in memory>"))


def _as_tuple(dims) -> tuple[str, ...]:
    return (dims,) if isinstance(dims, str) else tuple(dims)


def _points(ds: xr.Dataset, dims: tuple[str, ...], along: str | None) -> list[tuple]:
    """The coordinate tuples a chunk covers: along one item dimension (``along``) the tuples of the
    coordinates ``dims`` on that dimension; otherwise the Cartesian product of ``dims``."""
    for d in dims:
        if d not in ds.coords:
            raise ChunkError(f"chunk {source(ds)} has no coordinate {d!r}")
    if along is not None:
        return list(zip(*(ds[d].values.tolist() for d in dims)))
    grids = np.meshgrid(*(ds[d].values for d in dims), indexing="ij")
    return list(zip(*(g.ravel().tolist() for g in grids)))


def check_provenance(parts: Sequence[xr.Dataset], params: Mapping) -> None:
    """Raise :class:`ChunkError` naming the chunk unless every chunk recorded ``params`` (each key with
    the same value; chunk-specific keys may be added) and the same seed entropy.  Datasets built in
    memory (not read from a file) carry no provenance and are not checked."""
    for ds in parts:
        if "parameters" not in ds.attrs and "source" not in ds.encoding:
            continue
        if "parameters" not in ds.attrs:
            raise ChunkError(f"chunk {source(ds)} records no parameters (not written by rnnstruct.core.io)")
        recorded = json.loads(ds.attrs["parameters"])
        for key, value in params.items():
            if key not in recorded:
                raise ChunkError(f"chunk {source(ds)} was computed without the parameter {key!r} of this merge")
            if canonical_json(recorded[key]) != canonical_json(value):
                raise ChunkError(
                    f"chunk {source(ds)} was computed with other parameters: {key!r} is "
                    f"{_short(recorded[key])} there and {_short(value)} here (delete the chunk to recompute it)"
                )
        seed = str(params["seed"]) if "seed" in params else None
        if seed is not None and ds.attrs.get("seed_entropy") != seed:
            raise ChunkError(f"chunk {source(ds)} has seed entropy {ds.attrs.get('seed_entropy')}, this merge {seed}")


def _short(value) -> str:
    text = canonical_json(value)
    return text if len(text) <= 120 else text[:117] + "..."


def check_chunks(
    parts: Sequence[xr.Dataset],
    dims,
    *,
    along: str | None = None,
    expected: Sequence[tuple] | Mapping[str, Sequence] | None = None,
    params: Mapping | None = None,
    same_variables: bool = True,
) -> None:
    """Raise :class:`ChunkError` unless the chunks cover distinct points (and exactly ``expected``),
    hold the same variables (unless ``same_variables`` is false: some variables exist for some
    points only) and (with ``params``) were computed with these parameters.

    ``expected`` is either a mapping dim -> values (the full grid is expected) or a sequence of
    coordinate tuples (for sparse designs)."""
    if not parts:
        raise ChunkError("no chunks to merge")
    if params is not None:
        check_provenance(parts, params)
    names = set(parts[0].variables)
    for ds in parts[1:] if same_variables else ():
        if set(ds.variables) != names:
            missing, extra = sorted(names - set(ds.variables)), sorted(set(ds.variables) - names)
            raise ChunkError(
                f"chunk {source(ds)} does not hold the variables of {source(parts[0])}"
                + (f": missing {missing}" if missing else "")
                + (f"; extra {extra}" if extra else "")
            )
    dims = _as_tuple(dims)
    owner: dict[tuple, str] = {}
    for ds in parts:
        for pt in _points(ds, dims, along):
            if pt in owner:
                where = source(ds) if owner[pt] == source(ds) else f"{owner[pt]} and {source(ds)}"
                raise ChunkError(f"duplicate {dict(zip(dims, pt))} in {where}")
            owner[pt] = source(ds)
    if expected is None:
        return
    if isinstance(expected, Mapping):
        grids = np.meshgrid(*(np.asarray(expected[d]) for d in dims), indexing="ij")
        want = set(zip(*(g.ravel().tolist() for g in grids)))
    else:
        want = {tuple(p) for p in expected}
    missing = sorted(want - owner.keys())
    extra = sorted(owner.keys() - want)
    if missing:
        shown = ", ".join(str(dict(zip(dims, p))) for p in missing[:5])
        raise ChunkError(f"{len(missing)} point(s) missing from the chunks (first: {shown})")
    if extra:
        shown = ", ".join(f"{dict(zip(dims, p))} in {owner[p]}" for p in extra[:5])
        raise ChunkError(f"{len(extra)} point(s) not in the expected design (first: {shown})")


def concat(
    parts: Sequence[xr.Dataset],
    dim: str,
    *,
    keys: Sequence[str] | None = None,
    expected=None,
    params: Mapping | None = None,
    **options,
) -> xr.Dataset:
    """Concatenate chunks along ``dim``, ordered by the coordinates ``keys`` on it (default ``dim``).

    ``options`` go to :func:`xarray.concat` (defaults: ``data_vars="minimal"``, ``coords="minimal"``,
    ``compat="equals"``, ``join="exact"``); variables without ``dim`` must then agree between chunks."""
    keys = tuple(keys or (dim,))
    parts = list(parts)
    check_chunks(parts, keys, along=dim, expected=expected, params=params)
    first = [tuple(p[k].values[0].item() for k in keys) for p in parts]
    order = sorted(range(len(parts)), key=lambda i: first[i])
    kwargs = {"data_vars": "minimal", "coords": "minimal", "compat": "equals", "join": "exact", **options}
    joined = xr.concat([parts[i].drop_attrs() for i in order], dim=dim, combine_attrs="drop", **kwargs)
    return joined.sortby([joined[k] for k in keys])


def combine(
    parts: Sequence[xr.Dataset],
    dims,
    *,
    expected=None,
    complete_along: str | None = None,
    join: str = "exact",
    params: Mapping | None = None,
    same_variables: bool = True,
) -> xr.Dataset:
    """Combine hyper-rectangular chunks of a grid over ``dims`` and sort along ``dims``.

    Variables without any of ``dims`` must be equal in every chunk and are kept once.  A sparse design
    (``join="outer"``: cells no chunk covers become NaN) can still require that every covered
    combination of the other dimensions holds all values of ``complete_along`` (e.g. every simulated
    point has every realisation)."""
    dims = _as_tuple(dims)
    parts = list(parts)
    check_chunks(parts, dims, expected=expected, params=params, same_variables=same_variables)
    if complete_along is not None:
        _check_complete(parts, dims, complete_along)
    fixed = [v for v in parts[0].data_vars if not set(parts[0][v].dims) & set(dims)]
    for v in fixed:
        for p in parts[1:]:
            if v not in p or not p[v].equals(parts[0][v]):
                raise ChunkError(f"chunks disagree on {v!r}: {source(parts[0])} and {source(p)}")
    joined = xr.combine_by_coords(
        [p.drop_attrs().drop_vars(fixed) for p in parts],
        data_vars="minimal",
        coords="minimal",
        compat="no_conflicts",
        join=join,
        combine_attrs="drop",
    )
    for v in fixed:
        joined[v] = parts[0][v].drop_attrs()
    return joined.sortby(list(dims))


def _check_complete(parts: Sequence[xr.Dataset], dims: tuple[str, ...], along: str) -> None:
    others = tuple(d for d in dims if d != along)
    covered: dict[tuple, set] = {}
    for ds in parts:
        for pt in _points(ds, dims, None):
            key = tuple(v for d, v in zip(dims, pt) if d != along)
            covered.setdefault(key, set()).add(pt[dims.index(along)])
    full = set().union(*covered.values())
    for key, values in covered.items():
        if values != full:
            missing = sorted(full - values)
            raise ChunkError(f"{dict(zip(others, key))} lacks {along} = {missing} (chunks: {[source(p) for p in parts]})")
