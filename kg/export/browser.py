"""Headless Chromium that cannot reach the network: how the browser tests and the page benchmark
(bench/page_load.py) open kg's HTML page, so that a request the page made would fail and show.

Needs selenium (the `test` extra) and Chromium with its driver at /usr/bin (`.ci/run` installs
them); selenium is imported only when a browser is started.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def have_chromium() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


def offline_chromium(profile: Path, browser_logs: bool = False) -> Any:
    """A headless Chromium (selenium WebDriver) with its profile in `profile`, 1400x900, where no
    name resolves and the proxy port is closed; `browser_logs` keeps the console log."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        f"--user-data-dir={profile}",
        # any request the page made would fail: no name resolves and the proxy port is closed
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost",
        "--proxy-server=127.0.0.1:9",
    ):
        options.add_argument(arg)
    if browser_logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_window_size(1400, 900)
    return driver
