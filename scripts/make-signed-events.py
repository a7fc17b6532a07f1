#!/usr/bin/env python3
"""Writes COUNT distinct ~600-byte artifact.deployed events, one per line as HEX_SIGNATURE<TAB>BODY,
signed with HMAC-SHA256 under SECRET, for the wrk script ingest.lua.

Usage: make-signed-events.py COUNT SECRET OUT [PATH_PREFIX]. With PATH_PREFIX the artifacts are
PATH_PREFIX/N.jar (files with different prefixes never share a body)."""
import hashlib
import hmac
import json
import sys

count, secret, out = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
prefix = sys.argv[4] if len(sys.argv) > 4 else None
with open(out, "w") as handle:
    for index in range(count):
        body = json.dumps({
            "domain": "artifact",
            "event_type": "deployed",
            "data": {
                "repo_key": "libs-release-local",
                "path": f"{prefix}/{index}.jar" if prefix
                else f"com/acme/payments/payments-core/2.4.{index}/payments-core-2.4.{index}.jar",
                "name": f"{index}.jar" if prefix else f"payments-core-2.4.{index}.jar",
                "size": 1843307 + index,
                "sha256": hashlib.sha256(str(index).encode()).hexdigest(),
            },
            "subscription_key": "sub-main",
            "jpd_origin": "https://artifactory.example.com",
            "source": "jfrog/jfrt@01j9x3k7m2q8r4t6v0w5y1z3ab",
            "padding": "x" * 150,
        }, separators=(",", ":"))
        signature = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
        handle.write(f"{signature}\t{body}\n")
