"""The networks, each small enough to read in one screen."""

from __future__ import annotations

import torch
from torch import nn

from .config import VAEConfig

PIXELS = 28 * 28


class MLPVAE(nn.Module):
    """Encoder 784-hidden-(mu, logvar), decoder latent-hidden-784 returning logits.

    The decoder stops at logits so that the Bernoulli loss can be computed stably;
    `decode` applies the sigmoid for the images themselves.
    """

    def __init__(self, config: VAEConfig):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(PIXELS, config.hidden_dim), nn.ReLU())
        self.to_mu = nn.Linear(config.hidden_dim, config.latent_dim)
        self.to_logvar = nn.Linear(config.hidden_dim, config.latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(config.latent_dim, config.hidden_dim), nn.ReLU(), nn.Linear(config.hidden_dim, PIXELS)
        )

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)
        return self.to_mu(h), self.to_logvar(h)

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1]: the decoder's mean."""
        return torch.sigmoid(self.decoder(z))

    def forward(self, x: torch.Tensor, eps: torch.Tensor):
        """Logits of the reconstruction, and the posterior's mean and log-variance.

        The reparameterisation z = mu + sigma * eps, with the caller's standard normal
        noise eps, keeps the sample differentiable in mu and sigma.
        """
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * eps
        return self.decode_logits(z), mu, logvar


def build_model(config) -> nn.Module:
    return {"vae": MLPVAE}[config.family](config)
