"""The quick profile trained on the real MNIST, through the installed command."""

import json
import math
import os
import subprocess
import sys


def _vaebook(*args, env):
    return subprocess.run([sys.executable, "-m", "latentdigits", *args], env=env, capture_output=True, text=True,
                          timeout=600)


def test_quick_profile_on_real_mnist(mnist_root, tmp_path):
    env = os.environ | {"VAEBOOK_DATA": str(mnist_root), "VAEBOOK_CACHE": str(tmp_path), "VAEBOOK_PROFILE": "quick"}
    trained = _vaebook("train", "vae-bce", env=env)
    assert trained.returncode == 0, trained.stderr
    assert "trained on" in trained.stdout
    again = _vaebook("train", "vae-bce", env=env)
    assert again.returncode == 0 and "from the cache" in again.stdout

    shown = _vaebook("show", "vae-bce", "--json", env=env)
    report = json.loads(shown.stdout)
    history = report["history"]
    assert history["epoch"] == [1, 2]
    assert all(math.isfinite(v) for v in history["test_loss"])
    # Two short epochs on 1,024 images already take the per-image loss well below
    # that of an untrained decoder (784 * log 2 = 543 nats).
    assert history["train_loss"][1] < history["train_loss"][0] < 543
    assert history["test_loss"][1] < 300
    assert report["meta"]["train_images"] == 1024 and report["meta"]["test_images"] == 1024
