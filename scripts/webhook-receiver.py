#!/usr/bin/env python3
"""A local receiver for trying the daemon's http: calls: prints every request it gets and
answers 200 (or the statuses given with --status, in turn).

With --whsec-file, a request that carries Standard Webhooks headers is verified as the
specification publishes it (HMAC-SHA256 over "id.timestamp.body", keyed with the base64 after
"whsec_", sent as "v1,BASE64"); a repeated webhook-id is reported as such.

    scripts/webhook-receiver.py --port 8490 --whsec-file examples/outbound/audit-whsec
"""
import argparse
import base64
import hashlib
import hmac
import http.server
import json
import sys


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8490, help="port on 127.0.0.1 (default 8490)")
    parser.add_argument("--whsec-file", help="a file holding the whsec_ secret to verify with")
    parser.add_argument("--status", type=int, action="append", default=[],
                        help="answer with this status first (repeat for several); then 200")
    return parser.parse_args()


def verified(secret, headers, body):
    """'verified', 'BAD SIGNATURE' or None when the request is not signed."""
    message_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (message_id and timestamp and signatures):
        return None
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = message_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    good = any(hmac.compare_digest(expected, candidate) for candidate in signatures.split(" "))
    return "verified" if good else "BAD SIGNATURE"


def main():
    options = arguments()
    secret = open(options.whsec_file).read().strip() if options.whsec_file else None
    statuses = list(options.status)
    seen_ids = set()

    class Handler(http.server.BaseHTTPRequestHandler):
        def handle_one(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = statuses.pop(0) if statuses else 200
            print(f"{self.command} {self.path}  -> {status}")
            for name, value in self.headers.items():
                shown = "<hidden>" if name.lower() == "authorization" else value
                print(f"  {name}: {shown}")
            if body:
                try:
                    print("  " + json.dumps(json.loads(body), indent=2).replace("\n", "\n  "))
                except ValueError:
                    print("  " + body.decode("utf-8", "replace"))
            if secret:
                check = verified(secret, headers, body)
                if check:
                    repeat = " (a repeated webhook-id: a retry)" if headers["webhook-id"] in seen_ids else ""
                    seen_ids.add(headers["webhook-id"])
                    print(f"  signature: {check}{repeat}")
            print(flush=True)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_POST = do_PUT = do_PATCH = do_DELETE = do_GET = handle_one

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    print(f"listening on http://127.0.0.1:{options.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
