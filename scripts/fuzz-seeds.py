#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target (Fuzz/, docs/reliability.md) from the repository's
fixtures, rule files and configs: scripts/fuzz-seeds.py OUT_DIR [TARGET...].

Seeds are derived on each run into OUT_DIR/TARGET/, never committed; each file is one input in the
layout the target reads (see the target's doc comment)."""

import glob
import hashlib
import hmac
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def files(*patterns):
    out = []
    for pattern in patterns:
        out += sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True))
    return [os.path.relpath(p, ROOT) for p in out if os.path.isfile(p)]


def event_bodies():
    return [read(p) for p in files("fixtures/events/**/*.json", "fixtures/signatures/body-*.json")]


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)


def seeds_json():
    stream = read("fixtures/troubleshooting/stream.json")
    return event_bodies() + [stream[: stream.index(b"\n}") + 2]] + seeds_aql()


def seeds_webhook():
    bodies = event_bodies()
    # The oldest flat layout and the legacy `destination` key.
    bodies.append(b'{"event_type":"deployed","repo_key":"libs","path":"a/b.jar","name":"b.jar"}')
    bodies.append(b'{"destination":"build","event_type":"uploaded","data":{"build_name":"x","build_number":"1"}}')
    return bodies


def seeds_signature():
    vectors = json.loads(read("fixtures/signatures/vectors.json"))
    modes = ["token", "hmac-sha256", "hmac-sha1", "none"]
    out = []
    for vector in vectors:
        body = read(os.path.join("fixtures/signatures", vector["body_file"]))
        mode = modes.index(vector["algorithm"])
        out.append(bytes([mode + 4 * 7]) + vector["header"].encode() + b"\n" + body)
    body = read("fixtures/signatures/body-deployed.json")
    out.append(bytes([0]) + b"s3cr3t-main\n" + body)
    out.append(bytes([3]) + b"\n" + body)
    mac = hmac.new(b"a second secret", body, hashlib.sha1).hexdigest()
    out.append(bytes([2]) + b" SHA1=" + mac.upper().encode() + b" \n" + body)
    return out


def seeds_troubleshooting():
    stream = read("fixtures/troubleshooting/stream.json")
    # Whole records, small records passed over, chunks of 1, 16 and 256 bytes.
    return [bytes([255, 255]) + stream, bytes([255, 0]) + stream, bytes([4, 15]) + stream, bytes([40, 7]) + stream]


def seeds_url():
    texts = set()
    for body in event_bodies():
        try:
            value = json.loads(body)
        except ValueError:
            continue
        texts.update(s for s in strings_in(value) if "/" in s or "-" in s)
    texts.update(["a/./b", "a/../b", "..", ".", "%2e%2e/x", "a b/c+d", "libs-release/com/x;y=z,w|v\\u",
                  "//a//b//", "é/e\u0301", "api", "ui"])
    return [t.encode() for t in sorted(texts)]


def rule_files():
    return files("fixtures/rules/**/*.yml", "rules/*.yml", "examples/**/rules/*.yml", "Fuzz/fixtures/*.yml")


def seeds_rules():
    return [read(p) for p in rule_files()]


def seeds_template():
    found = set()
    for path in rule_files():
        for line in read(path).decode("utf-8", "replace").splitlines():
            for match in re.finditer(r'"((?:[^"\\]|\\.)*\{\{(?:[^"\\]|\\.)*)"', line):
                found.add(match.group(1).replace('\\"', '"'))
            if "{{" in line and ":" in line:
                found.add(line.split(":", 1)[1].strip().strip('"'))
    found.update(['{{ data.path | default: "x" }}', "items.find({\"a\":{\"$eq\":\"{{ data.repo_key }}\"}})"])
    return [t.encode() for t in sorted(found)]


def seeds_aql():
    results = []
    for body in event_bodies():
        try:
            data = json.loads(body).get("data", {})
        except (ValueError, AttributeError):
            continue
        if isinstance(data, dict) and "repo_key" in data and "path" in data:
            folder, _, name = data["path"].rpartition("/")
            results.append({"repo": data["repo_key"], "path": folder or ".", "name": name or "x",
                            "type": "file", "size": 1024, "sha256": "ab" * 32})
    hostile = [{"repo": "libs", "path": "..", "name": "x.jar"}, {"repo": "..", "path": ".", "name": ".."},
               {"repo": "libs", "path": "a/%2e%2e", "name": "b#c?d"}]
    page = {"results": results, "range": {"start_pos": 0, "end_pos": len(results), "total": len(results)}}
    return [json.dumps(page).encode(), json.dumps({"results": hostile}).encode(), b'{"results":[]}']


def seeds_config():
    return [read(p) for p in files("config/*.yml", "examples/**/config.yml")]


TARGETS = {
    "fuzz-json": seeds_json,
    "fuzz-webhook": seeds_webhook,
    "fuzz-signature": seeds_signature,
    "fuzz-troubleshooting": seeds_troubleshooting,
    "fuzz-url": seeds_url,
    "fuzz-rules": seeds_rules,
    "fuzz-template": seeds_template,
    "fuzz-aql": seeds_aql,
    "fuzz-config": seeds_config,
}


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: scripts/fuzz-seeds.py OUT_DIR [TARGET...]")
    out_dir = sys.argv[1]
    for target in sys.argv[2:] or sorted(TARGETS):
        if target not in TARGETS:
            sys.exit(f"no such fuzz target: {target} (known: {' '.join(sorted(TARGETS))})")
        directory = os.path.join(out_dir, target)
        os.makedirs(directory, exist_ok=True)
        seeds = TARGETS[target]()
        for seed in seeds:
            with open(os.path.join(directory, hashlib.sha1(seed).hexdigest()), "wb") as f:
                f.write(seed)
        print(f"{target}: {len(seeds)} seeds")


if __name__ == "__main__":
    main()
