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


def check_device(requested: str | None) -> None:
    """Raises UsageError for a device that is unknown or absent: the same answer whether or
    not anything will be trained on it."""
    if requested is not None and requested not in DEVICES:
        raise UsageError(f"unknown device {requested!r}; choose one of {', '.join(DEVICES)}")
    if requested == "cuda" and not torch.cuda.is_available():
        raise UsageError("--device cuda was asked for but no CUDA device is available; use --device cpu")


def pick_device(requested: str | None = None) -> torch.device:
    """CUDA when present, else the CPU with a one-line notice; `requested` overrides."""
    check_device(requested)
    if requested is None and not torch.cuda.is_available():
        notice("CUDA is not available; training on the CPU")
        return torch.device("cpu")
    if (requested or "cuda") == "cuda":
        # TF32 matmuls run at several times the float32 rate on Ampere and later GPUs; the
        # price is a 10-bit mantissa, so CUDA runs differ from CPU runs in the last digits.
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        return torch.device("cuda")
    return torch.device("cpu")


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    # platform.processor() is empty on Linux; the kernel's cpuinfo names the model.
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").is_file() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()
