"""Addresses: the one rule for "this machine only", shared by `quiz serve` and `quiz host`;
why a room did not start listening."""

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


def start_failure(host: str, port: int, exc: OSError) -> str:
    """Why a room did not start, in one line: where it cannot listen, or the broker's own word
    (a room that already has an owner, a broker without JetStream: `broker.BrokerError.whole`)."""
    why = exc.strerror or str(exc)
    if getattr(exc, "whole", False):
        return why
    return f"cannot listen on {host}:{port}: {why}"
