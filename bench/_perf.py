"""Helpers for the speed and memory benchmarks: CPU times, memory, machine load (not part of kg)."""

from __future__ import annotations

import multiprocessing
import os
import resource
import time


def cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its waited-for children so far."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Current resident set size of this process, in MB (VmRSS of /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_check(loops: int = 3_000_000) -> str:
    """How much of two cores this run actually got: the speed-up of two processes spinning at
    once over the same work done serially (2.0 on two idle cores), and the load average."""
    start = time.perf_counter()
    _spin(loops), _spin(loops)
    serial = time.perf_counter() - start
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        pool.map(_spin, [0, 0])  # start-up not timed
        start = time.perf_counter()
        pool.map(_spin, [loops, loops], chunksize=1)
        parallel = time.perf_counter() - start
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine check: 2 spinning processes ran {serial / parallel:.2f}x as fast as 1 "
            f"(2.00 on two idle cores); load average {load}")
