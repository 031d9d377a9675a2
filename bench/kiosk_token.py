"""What checking a kiosk tablet's token and a device id costs per answer (issue 21, item 7).

    .venv/bin/python bench/kiosk_token.py [--n 200000]

Printed, in microseconds per call, best of five runs, in one process:

* baseline — `integrity.keyed_hash("device", …)`, the HMAC every answer already pays for its
  device hash (and once more for its IP);
* `devices.tablet(token, unit)` — a tablet's own token, as on every answer it sends (the checked
  signature is remembered per token text; revocation is a dict lookup in the process's set of
  active tablets, re-read when the shared token changes);
* the same with the memory of checked tokens emptied before each call: the signature checked
  afresh (HMAC-SHA256 through django.core.signing), as for each new tampered token;
* `devices.device_id(signed)` remembered and afresh, and for a made-up id (no signature).

No database: the set of active tablets is primed as a process holds it after its one query.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")

import django

django.setup()

from skm.collection import devices, integrity  # noqa: E402
from skm.collection.models import KioskDevice  # noqa: E402


def best(stmt, n: int) -> float:
    return min(timeit.repeat(stmt, number=n, repeat=5)) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200_000, help="calls per run (default 200000)")
    args = parser.parse_args()
    n = args.n
    tablet = KioskDevice(pk=7, unit_id=3)
    token = devices.token_for(tablet)
    devices._state = (devices._TOKENS.get(), time.monotonic(), {7: 3})  # as after its one query
    signed = devices.new_device_id()
    assert devices.tablet(token, 3) == 7 and devices.device_id(signed)

    def afresh_tablet() -> None:
        devices._claim.cache_clear()
        devices.tablet(token, 3)

    def afresh_device() -> None:
        devices._device_id.cache_clear()
        devices.device_id(signed)

    def clear_only() -> None:
        devices._claim.cache_clear()
        devices._device_id.cache_clear()

    rows = [
        (
            "baseline: keyed_hash (per answer already)",
            best(lambda: integrity.keyed_hash("device", signed), n),
        ),
        ("tablet(token), remembered", best(lambda: devices.tablet(token, 3), n)),
        ("tablet(token), signature afresh", best(afresh_tablet, n // 10) - best(clear_only, n // 10)),
        ("tablet(token of another unit)", best(lambda: devices.tablet(token, 4), n)),
        ("device_id(signed), remembered", best(lambda: devices.device_id(signed), n)),
        ("device_id(signed), signature afresh", best(afresh_device, n // 10) - best(clear_only, n // 10)),
        ("device_id(made up), remembered", best(lambda: devices.device_id("kios-0123456789abcdef"), n)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, us in rows:
        print(f"{name:<{width}}  {us:6.2f} µs")


if __name__ == "__main__":
    main()
