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
    assert rows[-1].text() == "Flatten 16×7×7 → 784"
    up = diagrams.layer_rows(model.decoder, torch.zeros(2, model.to_mu.out_features))
    assert up[2].text().startswith("ConvT 4×4 ×2 → 8×14×14")


def test_the_drawing_has_one_box_per_row_and_shades_the_highlighted_one() -> None:
    rows = diagrams.highlighted((diagrams.Row("Linear", "1 → 2"), diagrams.Row("Linear", "2 → 3")), 0)
    figure = diagrams.architecture([diagrams.Stage("in", (diagrams.Row("x", "1"),)), diagrams.Stage("net", rows)])
    boxes = [p for p in figure.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 3 and len({b.get_facecolor() for b in boxes}) == 2
    plt.close(figure)


def test_a_vaes_stages_read_the_code_size_and_the_image_from_the_model() -> None:
    titles = {key: key for key in ("input", "encoder", "code", "decoder", "output")}
    for latent in (3, 11):
        stages = diagrams.vae_stages(MLPVAE(VAEConfig(hidden_dim=50, latent_dim=latent)), titles)
        assert [s.title for s in stages] == list(titles)
        assert [r.text() for r in stages[2].rows] == [f"Linear 50 → {latent}: μ", f"Linear 50 → {latent}: log σ²",
                                                      f"z = μ + σ ⊙ ε: {latent}"]
        assert stages[0].rows[0].text() == "x: 784" and stages[-1].rows[0].text() == "sigmoid: 784"
    conv = diagrams.vae_stages(ConvVAE(ConvVAEConfig(channels=8)), titles)
    assert conv[0].rows[0].text() == "x: 1×28×28"


def test_stages_wrap_onto_the_fewest_lines_that_fit_and_share_them_evenly() -> None:
    assert diagrams.wrap([1.0, 1.0, 1.0], width=4.0, gap=0.5) == [3]
    assert diagrams.wrap([1.0] * 5, width=4.0, gap=0.5) == [3, 2]
    assert diagrams.wrap([1.0] * 5, width=10.0, gap=0.5, columns=2) == [2, 2, 1]
    assert diagrams.wrap([0.5, 0.5, 2.0, 1.0], width=3.2, gap=0.2) == [2, 2]
    assert diagrams.wrap([5.0, 1.0], width=3.0, gap=0.5) == [1, 1]


def test_a_long_network_is_drawn_within_the_page_width() -> None:
    model = ConvVAE(ConvVAEConfig(channels=8))
    titles = {key: "编码器" for key in ("input", "encoder", "code", "decoder", "output")}
    figure = diagrams.architecture(diagrams.vae_stages(model, titles), width=5.0)
    assert figure.get_size_inches()[0] <= 5.0
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert texts.count("编码器") == 5 and "Flatten 1×28×28 → 784" in texts
