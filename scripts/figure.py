"""Adapter: NetCDF inputs -> a figure builder of rnnstruct -> PDF + PNG.

params.builder names the function ("rnnstruct.metzner.figures.paper.summary"); each named input is read with
rnnstruct.core.io.read_dataset and passed as a keyword argument; inputs named "group__key" are grouped
into a dict {key: dataset} passed as "group"; params.kwargs adds plain keyword arguments.
"""

import importlib
import json
import os
import sys
from pathlib import Path

sys.stderr = open(snakemake.log[0], "w", buffering=1)  # noqa: F821

from rnnstruct.core import io, plotting  # noqa: E402

sm = snakemake  # noqa: F821
module_name, builder = sm.params.builder.rsplit(".", 1)
build = getattr(importlib.import_module(module_name), builder)
kwargs = dict(sm.params.kwargs)
for name, path in sm.input.items():
    group, _, key = name.partition("__")
    if key:
        kwargs.setdefault(group, {})[key] = io.read_dataset(path)
    else:
        kwargs[name] = io.read_dataset(path)
io.log(f"figure {sm.params.builder} -> {sm.output.png}")
fig = build(**kwargs)
audit_dir = os.environ.get(plotting.AUDIT_ENV)  # the figure-style test asks what each axes shows
if audit_dir:
    png = Path(sm.output.png)  # folder and name: figures of two folders may share a name
    target = Path(audit_dir) / f"{png.parent.name}__{png.with_suffix('.json').name}"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"builder": sm.params.builder, "axes": plotting.axes_audit(fig)}))
plotting.save_figure(fig, sm.output.pdf, sm.output.png)
