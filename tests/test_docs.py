"""Documentation that states config defaults must agree with the schema."""

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SCHEMA = yaml.safe_load((REPO / "workflow" / "schemas" / "config.schema.yaml").read_text())


def schema_default(dotted: str):
    node = SCHEMA
    for part in dotted.split("."):
        node = node["properties"][part]
    return node["default"]


def test_recon_table_matches_schema_defaults():
    text = (REPO / "docs" / "reproduction" / "metzner2025.md").read_text()
    rows = re.findall(r"^\|[^|]+\| `([A-Za-z_.]+)` \| `([^`]+)` \|", text, flags=re.M)
    assert len(rows) >= 16
    for key, default in rows:
        assert yaml.safe_load(default) == schema_default(key), key


def test_every_recon_key_of_the_schema_is_in_the_table():
    text = (REPO / "docs" / "reproduction" / "metzner2025.md").read_text()

    def recon_keys(node, path=""):
        for name, sub in node.get("properties", {}).items():
            if "[RECON]" in sub.get("description", "") and sub.get("type") != "object":
                yield path + name
            yield from recon_keys(sub, f"{path}{name}.")

    for key in recon_keys(SCHEMA):
        assert f"`{key}`" in text, f"{key} is tagged [RECON] in the schema but missing from the notes"
