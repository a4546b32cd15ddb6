"""The networks, each small enough to read in one screen."""

from __future__ import annotations

import torch
from torch import nn

from .config import (
    AEConfig,
    ClassifierConfig,
    ConvVAEConfig,
    GANConfig,
    GELUGANConfig,
    SmallConvVAEConfig,
    VAEConfig,
    VAEGANConfig,
)

PIXELS = 28 * 28


def as_images(x: torch.Tensor) -> torch.Tensor:
    """Rows of 784 pixels as one-channel 28x28 images, for a convolution."""
    return x.view(-1, 1, 28, 28)


class VAE(nn.Module):
    """What every VAE of the book shares: `encoder` features mapped to the mean (`to_mu`) and
    log-variance (`to_logvar`) of a diagonal Gaussian posterior, and a `decoder` from a code
    to the logits of the 784 pixels, which a subclass builds.

    The decoder stops at logits so that the Bernoulli loss can be computed stably;
    `decode` applies the sigmoid for the images themselves.
    """

    def encoder_input(self, x: torch.Tensor) -> torch.Tensor:
        """What the encoder is given of the images `x` (rows of 784 pixels in [0, 1])."""
        return x

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(self.encoder_input(x))
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


class MLPVAE(VAE):
    """Encoder 784-hidden-(mu, logvar), decoder latent-hidden-784 returning logits."""

    def __init__(self, config: VAEConfig):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(PIXELS, config.hidden_dim), nn.ReLU())
        self.to_mu = nn.Linear(config.hidden_dim, config.latent_dim)
        self.to_logvar = nn.Linear(config.hidden_dim, config.latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(config.latent_dim, config.hidden_dim), nn.ReLU(), nn.Linear(config.hidden_dim, PIXELS)
        )


class TanhVAE(MLPVAE):
    """Course report 003's VAE: the MLP VAE on digits scaled to [-1, 1], with a Tanh output.
    It takes and returns [0, 1] images like every other model and does the scaling inside,
    so the evaluation protocol treats it alike; its loss (`losses.tanh_mse_recon`) compares
    tanh(logits) with the scaled digits."""

    def encoder_input(self, x: torch.Tensor) -> torch.Tensor:
        return 2 * x - 1

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return (torch.tanh(self.decoder(z)) + 1) / 2


class MLPAE(nn.Module):
    """The MLP VAE's layers with a deterministic code: 784-hidden-latent-hidden-784.

    `encode` returns (code, None), so code that reads a posterior mean reads the code."""

    def __init__(self, config: AEConfig):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(PIXELS, config.hidden_dim), nn.ReLU(), nn.Linear(config.hidden_dim, config.latent_dim)
        )
        self.decoder = nn.Sequential(
            nn.Linear(config.latent_dim, config.hidden_dim), nn.ReLU(), nn.Linear(config.hidden_dim, PIXELS)
        )

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, None]:
        return self.encoder(x), None

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        return self.decoder(z)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.decoder(z))

    def forward(self, x: torch.Tensor, eps: torch.Tensor | None = None):
        """Logits of the reconstruction and the code; no noise, no log-variance."""
        code = self.encoder(x)
        return self.decoder(code), code, None


class ConvVAE(VAE):
    """Course report 001's convolutional VAE. 28x28 -> 14x14 -> 7x7 -> 7x7 feature maps, linear maps
    to and from the latent code, and two transposed convolutions back to 28x28 logits."""

    def __init__(self, config: ConvVAEConfig):
        super().__init__()
        c = config.channels

        def down(c_in, c_out, kernel, stride):
            return [nn.Conv2d(c_in, c_out, kernel, stride, 1), nn.BatchNorm2d(c_out), nn.LeakyReLU(0.2)]

        self.encoder = nn.Sequential(*down(1, c, 4, 2), *down(c, 2 * c, 4, 2), *down(2 * c, 2 * c, 3, 1), nn.Flatten())
        features = 2 * c * 7 * 7
        self.to_mu = nn.Linear(features, config.latent_dim)
        self.to_logvar = nn.Linear(features, config.latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(config.latent_dim, features), nn.Unflatten(1, (2 * c, 7, 7)),
            nn.ConvTranspose2d(2 * c, c, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(c, 1, 4, 2, 1), nn.Flatten(),
        )

    def encoder_input(self, x: torch.Tensor) -> torch.Tensor:
        return as_images(x)


class SmallConvVAE(VAE):
    """Course report 001's convolutional β-VAE: 28 -> 14 -> 7 -> 3 with 8, 16 and 32 channels
    (BatchNorm after the second), a 128-unit layer to the code, and its mirror image back up
    to 28x28 logits. The report's encoder gives a standard deviation through a softplus and
    shares one BatchNorm between encoder and decoder; here it gives a log-variance like every
    other VAE of the book, and each half has its own BatchNorm."""

    def __init__(self, config: SmallConvVAEConfig):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 8, 3, 2, 1), nn.ReLU(), nn.Conv2d(8, 16, 3, 2, 1), nn.ReLU(), nn.BatchNorm2d(16),
            nn.Conv2d(16, 32, 3, 2), nn.ReLU(), nn.Flatten(), nn.Linear(32 * 3 * 3, 128), nn.ReLU(),
        )
        self.to_mu = nn.Linear(128, config.latent_dim)
        self.to_logvar = nn.Linear(128, config.latent_dim)
        self.decoder = nn.Sequential(
            nn.Linear(config.latent_dim, 128), nn.ReLU(), nn.Linear(128, 32 * 3 * 3), nn.ReLU(),
            nn.Unflatten(1, (32, 3, 3)), nn.ConvTranspose2d(32, 16, 3, 2), nn.ReLU(), nn.BatchNorm2d(16),
            nn.ConvTranspose2d(16, 8, 3, 2, 1, 1), nn.ReLU(), nn.ConvTranspose2d(8, 1, 3, 2, 1, 1), nn.Flatten(),
        )

    def encoder_input(self, x: torch.Tensor) -> torch.Tensor:
        return as_images(x)


class GAN(nn.Module):
    """Course report 001's generator and discriminator, trained on images scaled to [-1, 1].

    The discriminator returns a logit: the sigmoid is left to the logit form of the binary
    cross-entropy, which does not overflow when the discriminator is confident."""

    def __init__(self, config: GANConfig):
        super().__init__()
        widths = [config.noise_dim, 128, 256, 512, 1024]
        layers = [nn.Linear(widths[0], widths[1]), nn.LeakyReLU(0.2)]
        for w_in, w_out in zip(widths[1:], widths[2:]):
            layers += [nn.Linear(w_in, w_out), nn.BatchNorm1d(w_out), nn.LeakyReLU(0.2)]
        self.generator = nn.Sequential(*layers, nn.Linear(widths[-1], PIXELS), nn.Tanh())
        self.discriminator = nn.Sequential(
            nn.Linear(PIXELS, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1)
        )

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1], so that they compare with every other model's."""
        return (self.generator(z) + 1) / 2

    @staticmethod
    def real(x: torch.Tensor) -> torch.Tensor:
        """Training digits on the generator's scale, [-1, 1]."""
        return 2 * x - 1


class GELUGAN(nn.Module):
    """Course report 000's generator and discriminator, on [0, 1] images. The discriminator
    returns a logit, like `GAN`'s."""

    def __init__(self, config: GELUGANConfig):
        super().__init__()
        widths = [config.noise_dim, 128, 256, 512, 1024]
        layers = []
        for w_in, w_out in zip(widths, widths[1:]):
            layers += [nn.Linear(w_in, w_out), nn.BatchNorm1d(w_out), nn.GELU()]
        self.generator = nn.Sequential(*layers, nn.Linear(widths[-1], PIXELS), nn.Sigmoid())
        widths = [PIXELS, 512, 256, 128, 64, 32]
        layers = []
        for w_in, w_out in zip(widths, widths[1:]):
            layers += [nn.Linear(w_in, w_out), nn.GELU()]
        self.discriminator = nn.Sequential(*layers, nn.Linear(widths[-1], 1))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.generator(z)

    @staticmethod
    def real(x: torch.Tensor) -> torch.Tensor:
        """Training digits on the generator's scale, [0, 1]: as they are."""
        return x


class ConvDiscriminator(nn.Module):
    """Course report 000's VAE-GAN discriminator at half its width: two 5x5 conv layers with max
    pooling (28 -> 24 -> 12 -> 8 -> 4), whose 32x4x4 = 512 outputs are the features of the
    learned similarity, then a 1024-unit layer and one score. Course report 000 used 32 and 64
    channels; half the width keeps the VAE-GAN's training affordable on a CPU."""

    def __init__(self, channels: int = 16):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, channels, 5), nn.LeakyReLU(0.2), nn.MaxPool2d(2),
            nn.Conv2d(channels, 2 * channels, 5), nn.LeakyReLU(0.2), nn.MaxPool2d(2), nn.Flatten(),
        )
        self.head = nn.Sequential(nn.Linear(2 * channels * 16, 1024), nn.LeakyReLU(0.2), nn.Linear(1024, 1))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The score of each image and its features."""
        features = self.features(as_images(x))
        return self.head(features).squeeze(1), features


class VAEGAN(MLPVAE):
    """The MLP VAE (encoder 784-400-20, decoder 20-400-784) with a discriminator."""

    def __init__(self, config: VAEGANConfig):
        super().__init__(config)
        self.discriminator = ConvDiscriminator()


class Classifier(nn.Module):
    """A small CNN: 3x3 conv layers with max pooling (28 -> 14 -> 7), a `features`-unit
    layer, ten logits. `features` returns that layer's activations, which FID compares."""

    def __init__(self, config: ClassifierConfig):
        super().__init__()
        c = config.channels
        self.body = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c, 2 * c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(2 * c * 7 * 7, config.features), nn.ReLU(),
        )
        self.head = nn.Linear(config.features, 10)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(as_images(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))
