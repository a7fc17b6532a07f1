#!/usr/bin/env python3
"""Checks rule and config files against the shipped JSON Schemas with an independent validator.

- schema/rules.schema.json and schema/config.schema.json are valid draft-07 schemas;
- every shipped rule file (rules/*.yml, examples/outbound/rules/*.yml), config file (config/*.yml,
  examples/outbound/config.yml) and valid rule fixture
  (fixtures/rules/valid/*.yml) passes its schema;
- each case of fixtures/rules/invalid is treated as fixtures/rules/schema-cases.txt says: a case
  rules check rejects for a structural reason fails the schema, one with only semantic errors or
  warnings passes it (the schema refuses nothing well-formed), and every case is listed.

YAML is read as yaml-language-server reads it (YAML 1.2 core): only true/false are booleans, so
`on:` stays a key and `yes` a text, and dates stay texts.

Needs python3 with jsonschema and PyYAML (Debian: python3-jsonschema python3-yaml; PyPI:
jsonschema pyyaml). Run from anywhere: scripts/check-schemas.py
"""
import json
import os
import re
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CoreLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core booleans and no timestamps."""


CoreLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def string_keys(value):
    """Mapping keys as texts, as a YAML editor sees them (`200:` is the key "200")."""
    if isinstance(value, dict):
        return {str(key): string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [string_keys(item) for item in value]
    return value


def load(path):
    with open(path, encoding="utf-8") as stream:
        return string_keys(yaml.load(stream, Loader=CoreLoader))


def validator(name):
    with open(os.path.join(ROOT, "schema", name), encoding="utf-8") as stream:
        schema = json.load(stream)
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def problems(check, path):
    """The schema's complaints about one file, one line each."""
    found = []
    for error in sorted(check.iter_errors(load(path)), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(top)"
        found.append(f"{where}: {error.message[:200]}")
    return found


def listed(directory):
    full = os.path.join(ROOT, directory)
    return sorted(os.path.join(directory, name) for name in os.listdir(full) if name.endswith(".yml"))


def main():
    rules = validator("rules.schema.json")
    config = validator("config.schema.json")
    failures = []
    checked = 0

    def expect(check, path, valid, why):
        nonlocal checked
        checked += 1
        found = problems(check, os.path.join(ROOT, path))
        if valid and found:
            failures.append(f"{path}: {why}, but the schema refuses it:\n    " + "\n    ".join(found))
        elif not valid and not found:
            failures.append(f"{path}: {why}, but the schema accepts it")

    for path in listed("rules") + listed("examples/outbound/rules") + listed("fixtures/rules/valid"):
        expect(rules, path, True, "a valid rule file")
    for path in listed("config") + ["examples/outbound/config.yml"]:
        expect(config, path, True, "a shipped config file")

    cases = {}
    with open(os.path.join(ROOT, "fixtures/rules/schema-cases.txt"), encoding="utf-8") as stream:
        for line in stream:
            line = line.split("#", 1)[0].strip()
            if line:
                name, kind = line.split()
                cases[name] = kind
    invalid = "fixtures/rules/invalid"
    present = {name[:-len(".expected")] for name in os.listdir(os.path.join(ROOT, invalid))
               if name.endswith(".expected")}
    for name in sorted(present - cases.keys()):
        failures.append(f"{invalid}/{name}: not listed in fixtures/rules/schema-cases.txt")
    for name in sorted(cases.keys() - present):
        failures.append(f"fixtures/rules/schema-cases.txt: {name} is not a case of {invalid}")
    for name in sorted(present & cases.keys()):
        kind = cases[name]
        if kind == "syntax":
            continue
        if kind not in ("structural", "semantic", "warnings"):
            failures.append(f"fixtures/rules/schema-cases.txt: {name}: unknown kind {kind}")
            continue
        base = os.path.join(invalid, name)
        paths = listed(base) if os.path.isdir(os.path.join(ROOT, base)) else [base + ".yml"]
        for path in paths:
            why = {"structural": "rules check rejects its structure",
                   "semantic": "its errors are semantic only",
                   "warnings": "rules check only warns"}[kind]
            expect(rules, path, kind != "structural", why)

    for failure in failures:
        print(failure)
    print(f"check-schemas: {checked} files checked, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
