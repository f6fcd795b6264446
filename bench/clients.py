"""Load generators and measurements for `make bench`: wrk (or Python threads without it), the
check that a page answers a signed-in 200, and gunicorn workers' peak memory."""

from __future__ import annotations

import statistics
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout,
    summary.duration, 0, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def measure_wrk(
    url: str, auth: dict[str, str], script: Path, connections: int, seconds: int
) -> tuple[float, float, float, int]:
    """(median ms, p95 ms, requests/s, errors) from wrk with `connections` connections."""
    threads = "2" if connections > 1 else "1"
    command = ["wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "30s", "-s", str(script)]
    for name, value in auth.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    _, requests, errors, duration_us, _, p50, p95 = line.split()
    return float(p50), float(p95), int(requests) / (int(duration_us) / 1e6), int(errors)


def measure_python(
    url: str, auth: dict[str, str], connections: int, seconds: int
) -> tuple[float, float, float, int]:
    """The same figures from Python threads, when wrk is not installed."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < stop:
            request = urllib.request.Request(url, headers=auth)  # noqa: S310
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
                    ok = response.status == 200
            except Exception:  # noqa: BLE001 -- counted, not raised
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
    return statistics.median(latencies), p95, len(latencies) / (time.monotonic() - began), errors[0]


def check_page(url: str, auth: dict[str, str]) -> None:
    """A signed-in 200, not a redirect to the login page."""
    request = urllib.request.Request(url, headers=auth)  # noqa: S310
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=60) as response:
        assert response.status == 200, (url, response.status)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


def worker_peak_memory(master: int) -> dict[int, int]:
    """Peak resident memory (VmHWM, kB) of each of the gunicorn master's worker processes."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    peaks = {}
    for pid in map(int, children):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks[pid] = int(line.split()[1])
    return peaks
