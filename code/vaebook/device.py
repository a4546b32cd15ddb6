"""Choosing the training device."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import torch

from .errors import UsageError

DEVICES = ("cpu", "cuda")


def notice(message: str) -> None:
    """A one-line message for the user on stderr, outside any progress bar."""
    print(f"vaebook: {message}", file=sys.stderr, flush=True)


def pick_device(requested: str | None = None) -> torch.device:
    """CUDA when present, else the CPU with a one-line notice; `requested` overrides."""
    if requested is not None and requested not in DEVICES:
        raise UsageError(f"unknown device {requested!r}; choose one of {', '.join(DEVICES)}")
    if requested == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda was asked for but no CUDA device is available; use --device cpu")
    if requested is None and not torch.cuda.is_available():
        notice("CUDA is not available; training on the CPU")
        return torch.device("cpu")
    return torch.device(requested or "cuda")


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    # platform.processor() is empty on Linux; the kernel's cpuinfo names the model.
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").is_file() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()
