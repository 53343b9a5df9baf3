"""A tiny step harness shared by the Python client suites.

Each step prints `  ok   NAME` or `  FAIL NAME: why`; `done()` prints
`SUITE: N passed, M failed` and exits non-zero on a failure.
"""
import os
import sys
import time
import traceback


class Steps:
    def __init__(self, suite):
        self.suite = suite
        self.passed = 0
        self.failed = 0

    def step(self, name, fn, *args, **kwargs):
        """Runs fn; an exception or a false result fails the step. Returns fn's result."""
        try:
            result = fn(*args, **kwargs)
        except Exception as e:  # the client's own exceptions are the point
            self.failed += 1
            print(f"  FAIL {name}: {type(e).__name__}: {e}", flush=True)
            if os.environ.get("CLIENTS_VERBOSE"):
                traceback.print_exc()
            return None
        if result is False:
            self.failed += 1
            print(f"  FAIL {name}: check failed", flush=True)
            return None
        self.passed += 1
        print(f"  ok   {name}", flush=True)
        return result

    def done(self):
        print(f"{self.suite}: {self.passed} passed, {self.failed} failed", flush=True)
        sys.exit(1 if self.failed else 0)


def unique(prefix):
    """A title no earlier run used (the real MediaWiki keeps its pages)."""
    return f"{prefix} {int(time.time() * 1000)}"


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set (run tests/clients/run.sh)")
    return value


def expect(cond, what):
    """Raises with `what` when cond is false (for readable step failures)."""
    if not cond:
        raise AssertionError(what)
    return True
