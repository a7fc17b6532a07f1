#!/usr/bin/env python3
"""The status page in a real browser (issue 22): headless Chromium, driven over the DevTools
protocol on a pipe (--remote-debugging-pipe, no extra package), against a live daemon calling the
Artifactory simulator. Checks that each page loads with no console error and no request to another
origin, that the charts render, that a filter narrows the list, that a dead job retried from its
page turns done, that a write without the token is refused and that a cross-site form post is
refused. Saves a screenshot of each page.

Usage: scripts/browser-test.py [--bin DIR] [--out DIR]   (defaults: `swift build --show-bin-path`,
.build/screenshots). DIR holds the built `artifactory-hooks` and `artifactory-sim`. Prints one line
per check and a closing `browser: N passed, N failed`; exits 0 only when every check passed. The
whole run is bounded (DEADLINE seconds); SIGTERM or the deadline stops the daemon, the simulator and
the browser before it exits. `swift test` runs it (Tests/HooksDaemonTests/StatusPageBrowserTests).
"""
import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

TOKEN = "ui-browser-test-token"
SIM_TOKEN = "sim-token"
SECRET = "browser-test-secret"
DEADLINE = 100


def stop_now(signum, _frame):
    """SIGTERM and the deadline end the run through the `finally` blocks, which stop every child."""
    if signum == signal.SIGALRM:
        raise TimeoutError(f"the whole run took more than {DEADLINE} s")
    sys.exit(128 + signum)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(what)


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (answers out)."""

    def __init__(self, binary, profile):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Moved above 10 so that placing them at 3 and 4 in the child cannot clobber one another.
        high_r, high_w = os.dup(to_chrome_r) + 10, os.dup(from_chrome_w) + 10
        os.dup2(to_chrome_r, high_r)
        os.dup2(from_chrome_w, high_w)

        def child():
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--window-size=1280,900", "about:blank"],
            preexec_fn=child, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in (to_chrome_r, from_chrome_w, high_r, high_w):
            os.close(fd)
        self._next = 0
        self._answers = {}
        self.events = []
        self._lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                with self._lock:
                    if "id" in message:
                        self._answers[message["id"]] = message
                    else:
                        self.events.append(message)
                    self._lock.notify_all()

    def call(self, method, params=None, session=False, timeout=20):
        with self._lock:
            self._next += 1
            ident = self._next
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        with self._lock:
            if not self._lock.wait_for(lambda: ident in self._answers, timeout):
                raise TimeoutError(method)
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def mark(self):
        with self._lock:
            return len(self.events)

    def since(self, mark, method=None):
        with self._lock:
            return [e for e in self.events[mark:] if method is None or e.get("method") == method]

    def wait_load(self, mark, timeout=20):
        with self._lock:
            ok = self._lock.wait_for(
                lambda: any(e.get("method") == "Page.loadEventFired" for e in self.events[mark:]), timeout)
        if not ok:
            raise TimeoutError("page load")

    def navigate(self, url):
        mark = self.mark()
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_load(mark)
        return mark

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        return result.get("result", {}).get("value")

    def act(self, expression):
        """Runs `expression` (a click or a submit) and waits for the page it loads."""
        mark = self.mark()
        self.evaluate(expression)
        self.wait_load(mark)
        return mark

    def document_status(self, mark):
        statuses = [e["params"]["response"]["status"] for e in self.since(mark, "Network.responseReceived")
                    if e["params"].get("type") == "Document"]
        return statuses[-1] if statuses else None

    def problems(self, mark):
        found = []
        for event in self.since(mark):
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append("exception: " + json.dumps(params.get("exceptionDetails", {}))[:200])
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append("console: " + json.dumps(params.get("args", []))[:200])
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append("log: " + params["entry"].get("text", "")[:200])
        return found

    def requests(self, mark):
        return [e["params"]["request"]["url"] for e in self.since(mark, "Network.requestWillBeSent")]

    def screenshot(self, path):
        metrics = self.call("Page.getLayoutMetrics", session=True)["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": 1280, "height": min(int(metrics["height"]), 4000), "scale": 1}
        data = self.call("Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True},
                         session=True)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Stack:
    """The simulator and the daemon, on free loopback ports, in a temporary folder."""

    def __init__(self, bin_dir, folder):
        self.folder = folder
        self.sim_port, self.port, self.admin_port = free_port(), free_port(), free_port()
        self.origin = f"http://127.0.0.1:{self.admin_port}"
        os.makedirs(f"{folder}/rules")
        with open(f"{folder}/secret", "w") as f:
            f.write(SECRET + "\n")
        with open(f"{folder}/token", "w") as f:
            f.write(SIM_TOKEN + "\n")
        with open(f"{folder}/ui-token", "w") as f:
            f.write(TOKEN + "\n")
        with open(f"{folder}/rules/tag.yml", "w") as f:
            f.write("rules:\n  - name: tag-on-deploy\n    on: artifact.deployed\n    do:\n"
                    "      - set_properties: { qa.status: pending }\n"
                    "  - name: builds\n    on: build.uploaded\n    do:\n      - set_properties: { seen: \"1\" }\n"
                    "        repo: libs-release-local\n        path: builds/app\n")
        with open(f"{folder}/config.yml", "w") as f:
            f.write(f"""listen: 127.0.0.1:{self.port}
admin_listen: 127.0.0.1:{self.admin_port}
store:
  sqlite: {folder}/events.sqlite
rules: {folder}/rules
artifactory:
  url: http://127.0.0.1:{self.sim_port}/artifactory
  token_file: {folder}/token
worker:
  backoff_base: 100ms
endpoints:
  - name: main
    auth: hmac-sha256
    secret_file: {folder}/secret
ui:
  write: true
  token_file: {folder}/ui-token
""")
        log = open(f"{folder}/processes.log", "w")
        self.sim = subprocess.Popen(
            [f"{bin_dir}/artifactory-sim", "--port", str(self.sim_port), "--token", SIM_TOKEN,
             "--repo", "libs-release-local", "--file", "libs-release-local/com/acme/a.jar"],
            stdout=log, stderr=log)
        self.daemon = subprocess.Popen(
            [f"{bin_dir}/artifactory-hooks", "serve", "--config", f"{folder}/config.yml"], stdout=log, stderr=log)
        try:
            wait_until(lambda: self._answers(f"{self.origin}/healthz"), what="the daemon's admin listener")
            wait_until(lambda: self._answers(f"http://127.0.0.1:{self.sim_port}/artifactory/api/system/ping"),
                       what="the simulator")
        except BaseException:
            self.stop()
            raise

    def log(self):
        """What the two processes wrote, for a failure's report."""
        with open(f"{self.folder}/processes.log", errors="replace") as f:
            return f.read()[-4000:]

    @staticmethod
    def _answers(url):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, OSError):
            return False

    def send(self, event):
        body = json.dumps(event).encode()
        signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/webhooks/main", data=body, method="POST",
            headers={"Content-Type": "application/json", "X-JFrog-Event-Auth": signature})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)["event_id"]

    def deploy(self, path):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.sim_port}/artifactory/libs-release-local/{path}", data=b"jar", method="PUT",
            headers={"Authorization": f"Bearer {SIM_TOKEN}"})
        urllib.request.urlopen(request, timeout=10).close()

    def job_state(self, job):
        with urllib.request.urlopen(f"{self.origin}/ui/jobs/{job}", timeout=10) as response:
            page = response.read().decode()
        match = re.search(r"<dt>state</dt><dd>([a-z]+)</dd>", page)
        return match.group(1) if match else None

    def first_job(self, event):
        with urllib.request.urlopen(f"{self.origin}/ui/events/{event}", timeout=10) as response:
            page = response.read().decode()
        match = re.search(r'href="/ui/jobs/([0-9]+)"', page)
        return int(match.group(1)) if match else None

    def stop(self):
        for process in (self.daemon, self.sim):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def deployed(path):
    return {"domain": "artifact", "event_type": "deployed",
            "data": {"repo_key": "libs-release-local", "path": path, "name": path.split("/")[-1], "size": 3}}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin")
    parser.add_argument("--out", default=".build/screenshots")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, stop_now)
    signal.signal(signal.SIGALRM, stop_now)
    signal.alarm(DEADLINE)
    bin_dir = args.bin or subprocess.check_output(["swift", "build", "--show-bin-path"], text=True).strip()
    for binary in ("artifactory-hooks", "artifactory-sim"):
        if not os.access(f"{bin_dir}/{binary}", os.X_OK):
            print(f"browser: no {bin_dir}/{binary} (swift build --build-tests builds it)")
            return 1
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("browser: chromium not found (apt-get install chromium)")
        return 1
    os.makedirs(args.out, exist_ok=True)
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""), flush=True)

    folder = tempfile.mkdtemp(prefix="status-browser-")
    try:
        stack = Stack(bin_dir, folder)
    except TimeoutError as error:
        with open(f"{folder}/processes.log", errors="replace") as f:
            print(f"FAIL start: {error}\n{f.read()[-4000:]}")
        shutil.rmtree(folder, ignore_errors=True)
        return 1
    browser = None
    evil = None
    try:
        # Events: one done, two dead (their files are missing), one build, one hostile.
        done = stack.send(deployed("com/acme/a.jar"))
        dead = stack.send(deployed("com/acme/late.jar"))
        kept_dead = stack.send(deployed("com/acme/never.jar"))
        stack.send({"domain": "build", "event_type": "uploaded", "data": {"build_name": "app", "build_number": "7"}})
        stack.send(deployed('x"><script>alert(1)</script><img src=x onerror=alert(2)>.jar'))
        dead_job = wait_until(lambda: stack.first_job(dead), what="the dead job")
        kept_job = wait_until(lambda: stack.first_job(kept_dead), what="the second dead job")
        wait_until(lambda: stack.job_state(dead_job) == "dead", what="job dead")
        wait_until(lambda: stack.job_state(kept_job) == "dead", what="second job dead")
        wait_until(lambda: stack.job_state(stack.first_job(done)) == "done", what="job done")

        browser = Browser(chromium, f"{folder}/profile")
        pages = [("overview", "/ui"), ("events", "/ui/events"), ("event", f"/ui/events/{dead}"),
                 ("jobs", "/ui/jobs"), ("dead-letters", "/ui/jobs?state=dead"), ("job", f"/ui/jobs/{dead_job}"),
                 ("rules", "/ui/rules")]
        for name, path in pages:
            mark = browser.navigate(stack.origin + path)
            status = browser.document_status(mark)
            problems = browser.problems(mark)
            foreign = [u for u in browser.requests(mark) if not (u.startswith(stack.origin + "/") or u.startswith("data:"))]
            check(f"{name}: loads (HTTP {status}), no console error, no other origin",
                  status == 200 and not problems and not foreign, f"{status} {problems} {foreign}")
            browser.screenshot(f"{args.out}/{name}.png")
            if name == "overview":
                bars = browser.evaluate("document.querySelectorAll('svg.chart rect').length")
                height = browser.evaluate("Math.round(document.querySelector('svg.chart').getBoundingClientRect().height)")
                check("overview: the charts render", (bars or 0) > 0 and (height or 0) > 50, f"{bars} bars, {height}px")
            if name == "events":
                hostile = browser.evaluate("document.querySelectorAll('script, img[src=\"x\"]').length")
                check("events: hostile event text stays text", hostile == 0, f"{hostile} elements")

        # A filter narrows the list.
        browser.navigate(stack.origin + "/ui/events")
        before = browser.evaluate("document.querySelectorAll('table.list tbody a').length")
        browser.act("document.querySelector('input[name=kind]').value = 'build.*';"
                    "document.querySelector('form.filters').submit()")
        after = browser.evaluate("document.querySelectorAll('table.list tbody a').length")
        check("events: a filter narrows the list", 0 < (after or 0) < (before or 0), f"{before} -> {after}")
        browser.screenshot(f"{args.out}/events-filtered.png")

        # A write without the token is refused.
        browser.navigate(stack.origin + f"/ui/jobs/{dead_job}")
        has_form = browser.evaluate("document.querySelectorAll('form[method=post]').length")
        mark = browser.act(
            "const f = document.createElement('form'); f.method = 'post';"
            f"f.action = '/ui/jobs/{dead_job}/retry'; document.body.appendChild(f); f.submit()")
        check("a write without the token is refused", has_form == 0 and browser.document_status(mark) == 401,
              f"forms {has_form}, HTTP {browser.document_status(mark)}")

        # Signed in (HTTP basic, as the browser's prompt would send it), retry the dead job.
        basic = base64.b64encode(f"oncall:{TOKEN}".encode()).decode()
        browser.call("Network.setExtraHTTPHeaders", {"headers": {"Authorization": f"Basic {basic}"}}, session=True)
        stack.deploy("com/acme/late.jar")
        browser.navigate(stack.origin + f"/ui/jobs/{kept_job}")
        csrf = browser.evaluate("document.querySelector('input[name=csrf]').value")
        browser.navigate(stack.origin + f"/ui/jobs/{dead_job}")
        browser.screenshot(f"{args.out}/job-signed-in.png")
        mark = browser.act(f"document.querySelector('form[action=\"/ui/jobs/{dead_job}/retry\"] button').click()")
        retried = browser.document_status(mark)
        state = wait_until(lambda: stack.job_state(dead_job) == "done" and "done", what="the retried job done")
        browser.navigate(stack.origin + f"/ui/jobs/{dead_job}")
        browser.screenshot(f"{args.out}/job-retried.png")
        check("a dead job retried from its page turns done", retried == 200 and state == "done",
              f"HTTP {retried}, {state}")

        # A form on another origin posting to the page is refused, signed in or not.
        evil_port = free_port()
        form = (f'<form method="post" action="{stack.origin}/ui/jobs/{kept_job}/retry">'
                f'<input type="hidden" name="csrf" value="{csrf}"><button>win</button></form>')

        class Evil(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = f"<!doctype html><html><body>{form}</body></html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        evil = http.server.HTTPServer(("127.0.0.1", evil_port), Evil)
        threading.Thread(target=evil.serve_forever, daemon=True).start()
        browser.navigate(f"http://127.0.0.1:{evil_port}/")
        mark = browser.act("document.querySelector('button').click()")
        status = browser.document_status(mark)
        check("a cross-site form post is refused", status == 403 and stack.job_state(kept_job) == "dead",
              f"HTTP {status}, job {stack.job_state(kept_job)}")
    except Exception as error:  # a step that could not run is a failure, with its reason
        check("browser run", False, repr(error))
        print(stack.log())
    finally:
        if browser:
            browser.close()
        if evil:
            evil.shutdown()
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)
    passed = sum(results)
    print(f"browser: {passed} passed, {len(results) - passed} failed")
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
