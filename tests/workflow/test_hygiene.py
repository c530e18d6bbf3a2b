"""Security hygiene of the workflow: constrained wildcards, no shell commands, no unsafe formats."""

import re
from pathlib import Path

from rnnstruct.clark.cluster import SIZED_RULES

REPO = Path(__file__).resolve().parents[2]
RULE_FILES = sorted((REPO / "workflow" / "rules").rglob("*.smk")) + [REPO / "Snakefile"]


def constrained_wildcards() -> set[str]:
    names = set()
    for path in RULE_FILES:
        text = path.read_text()
        for block in re.findall(r"wildcard_constraints:\n((?:[ \t]+\w+=.*\n)+)", text):
            names |= set(re.findall(r"^\s+(\w+)=", block, flags=re.M))
    return names


def used_wildcards() -> set[str]:
    names = set()
    for path in RULE_FILES:
        for line in path.read_text().splitlines():
            stripped = line.strip()
            if stripped.startswith('f"') or stripped.startswith("f'") or "{{" in stripped:
                continue  # f-strings in helper functions are formatted, not wildcards
            for literal in re.findall(r'"([^"]*)"', stripped):
                if literal.startswith(("results/", "logs/", "docs/", "../report/")):
                    names |= set(re.findall(r"\{(\w+)\}", literal))
    return names


def test_every_wildcard_is_constrained_by_a_regex():
    used = used_wildcards()
    assert used >= {"reg", "c", "start", "stop", "n", "kind", "fig"}  # the parser sees the real ones
    missing = used - constrained_wildcards()
    assert not missing, f"wildcards without a regex constraint: {sorted(missing)}"


def test_no_rule_runs_a_shell_command():
    """Every rule uses script:, so no config value can reach a shell unquoted."""
    for path in RULE_FILES:
        assert not re.search(r"^\s+(shell|run):", path.read_text(), flags=re.M), path.name


def test_only_netcdf_csv_yaml_are_read():
    """No pickle (or pickle-based) deserialisation anywhere in the library or the scripts."""
    forbidden = re.compile(r"\b(pickle|cloudpickle|joblib|dill|shelve|marshal)\b|allow_pickle\s*=\s*True|read_pickle")
    for path in list((REPO / "src").rglob("*.py")) + list((REPO / "scripts").rglob("*.py")):
        assert not forbidden.search(path.read_text()), path


def test_every_cluster_rule_has_slurm_resources():
    """Every rule that is not a localrule becomes a SLURM job and needs runtime in
    profiles/slurm/profile.yaml (there is no default runtime) and mem_mb there or, for the rules sized
    by N (rnnstruct.clark.cluster), in the rule; checked here without a cluster so that a new stage cannot
    reach the SLURM test without them."""
    import yaml

    text = "".join(path.read_text() for path in RULE_FILES)
    rules = set(re.findall(r"^rule (\w+):", text, flags=re.M))
    local = set()  # localrules directives of the Snakefile and of the rules files
    for block in re.findall(r"^localrules:\n((?:[ \t]+.*\n)+)", text, flags=re.M):
        local |= set(re.findall(r"^\s+(\w+),", block, flags=re.M))
    assert {"all", "metzner_claims"} <= local and local <= rules, sorted(local - rules)
    profile = yaml.safe_load((REPO / "profiles" / "slurm" / "profile.yaml").read_text())["set-resources"]
    missing = rules - local - set(profile)
    assert not missing, f"cluster rules without set-resources in profiles/slurm/profile.yaml: {sorted(missing)}"
    # a localrule under set-resources is never submitted, so the SLURM test's "every cluster rule of the
    # profile ran on SLURM" would fail on the cluster only: catch it here
    assert not set(profile) & local, f"localrules under set-resources: {sorted(set(profile) & local)}"
    sized = set(SIZED_RULES)
    assert sized <= rules - local, sorted(sized - (rules - local))
    for rule, res in profile.items():
        assert "runtime" in res, rule
        # memory: from the profile, or (rules sized by N) from the rule itself; never both, since
        # set-resources would override the size-dependent request
        assert ("mem_mb" in res) != (rule in sized), rule
    for rule in sized:
        block = re.search(rf"^rule {rule}:\n((?:    .*\n|\n)+?)(?=^\S)", text + "\nEND", flags=re.M).group(1)
        assert f'mem_mb=CLUSTER_MEM_MB["{rule}"]' in block, rule
