"""Addresses: the one rule for "this machine only", shared by `quiz serve` and `quiz host`."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the game on this machine (a warning otherwise)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
