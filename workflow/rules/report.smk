# Compute cost of the run: the benchmark files of every computing job, summed per rule.


localrules:
    cost_summary,


rule cost_summary:
    input:
        benchmark_inputs,
    output:
        report(
            "results/benchmarks/cost_summary.csv",
            caption="../report/cost_summary.rst",
            category="Performance",
            labels={"table": "compute cost per rule"},
        ),
    log:
        "logs/cost_summary.log",
    conda:
        "../../envs/rnnstruct.yaml"
    params:
        code=script_code("cost_summary.py"),
        files_by_rule=benchmark_files,
    script:
        "../../scripts/cost_summary.py"
