"""Architecture diagrams (vaebook.diagrams) read every size from the network they draw."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyBboxPatch

from vaebook import diagrams
from vaebook.config import ConvVAEConfig, VAEConfig
from vaebook.models import MLPVAE, ConvVAE


def test_the_rows_follow_the_configuration_not_typed_numbers() -> None:
    for hidden in (400, 123):
        model = MLPVAE(VAEConfig(hidden_dim=hidden, latent_dim=7))
        rows = diagrams.layer_rows(model.decoder, torch.zeros(2, 7))
        assert [r.text() for r in rows] == [f"Linear 7 → {hidden}\nReLU", f"Linear {hidden} → 784"]
        assert rows[-1].shape == (784,)


def test_convolutions_show_their_kernels_strides_and_output_shapes() -> None:
    model = ConvVAE(ConvVAEConfig(channels=8))
    rows = diagrams.layer_rows(model.encoder, torch.zeros(2, 1, 28, 28))
    assert rows[0].text() == "Conv 4×4 /2 → 8×14×14\nBatchNorm, LeakyReLU(0.2)"
    assert rows[-1].text() == "reshape 16×7×7 → 784"
    up = diagrams.layer_rows(model.decoder, torch.zeros(2, model.to_mu.out_features))
    assert up[2].text().startswith("ConvT 4×4 ×2 → 8×14×14")


def test_the_drawing_has_one_box_per_row_and_shades_the_highlighted_one() -> None:
    rows = diagrams.highlighted((diagrams.Row("Linear", "1 → 2"), diagrams.Row("Linear", "2 → 3")), 0)
    figure = diagrams.architecture([diagrams.Stage("in", (diagrams.Row("x", "1"),)), diagrams.Stage("net", rows)])
    boxes = [p for p in figure.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 3 and len({b.get_facecolor() for b in boxes}) == 2
    plt.close(figure)
