"""Training the adversarial models: the GAN (course report 001's networks, report 004's step)
and the VAE-GAN (Larsen et al. 2016, Algorithm 1).

Each update is one function (`gan_step`, `vaegan_step`), short enough to be read (and
printed) as the definition of the method; the trainers hand it to the loop every family
shares (`train.fit`). Per-step losses are kept for the loss curves; per-epoch averages go
into the history, which refuses NaN.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .data import MNIST
from .losses import gaussian_kl
from .metrics import EVAL_BATCH
from .train import Trainer, fixed_samples, reconstruction_artefacts

GAN_STEP_COLUMNS = ("d_loss", "g_loss")
GAN_COLUMNS = ("epoch", "d_loss", "g_loss", "d_real", "d_fake")
VAEGAN_STEP_COLUMNS = ("prior", "feature_recon", "decoder_gan", "discriminator")
VAEGAN_COLUMNS = ("epoch", *VAEGAN_STEP_COLUMNS, "test_kl", "test_mse")
SNAPSHOT_EPOCHS = (1, 10)  # and the last epoch: the samples course report 004 shows
N_NEAREST = 8  # samples checked against their nearest training image


def gan_step(model, real, z, d_optimizer, g_optimizer) -> dict[str, torch.Tensor]:
    """One GAN update in course report 004's eight parts; `real` is in [-1, 1]."""
    ones, zeros = torch.ones(len(real), device=real.device), torch.zeros(len(real), device=real.device)
    # (1) The discriminator on real images: they should be called real.
    real_logits = model.discriminator(real).squeeze(1)
    loss_real = F.binary_cross_entropy_with_logits(real_logits, ones)
    # (2) On generated images, detached so that this step leaves the generator alone.
    fake = model.generator(z)
    fake_logits = model.discriminator(fake.detach()).squeeze(1)
    loss_fake = F.binary_cross_entropy_with_logits(fake_logits, zeros)
    # (3) The discriminator's loss is the sum; (4) one step for the discriminator.
    d_loss = loss_real + loss_fake
    d_optimizer.zero_grad(set_to_none=True)
    d_loss.backward()
    d_optimizer.step()
    # (5) The updated discriminator judges the same fakes; (6) the generator wants them
    # called real: the non-saturating loss -log D(G(z)), which keeps its gradient when D wins.
    g_loss = F.binary_cross_entropy_with_logits(model.discriminator(fake).squeeze(1), ones)
    # (7) Its gradient; (8) one step for the generator (the discriminator's gradients from
    # this loss are cleared by its own zero_grad next time).
    g_optimizer.zero_grad(set_to_none=True)
    g_loss.backward()
    g_optimizer.step()
    return {"d_loss": d_loss.detach(), "g_loss": g_loss.detach(),
            "d_real": torch.sigmoid(real_logits).mean().detach(), "d_fake": torch.sigmoid(fake_logits).mean().detach()}


def l1_gan_step(model, real, z, d_optimizer, g_optimizer, l1_weight: float) -> dict[str, torch.Tensor]:
    """One update of course report 000's GAN, generator first; `real` is in [0, 1]. The
    generator's loss adds `l1_weight` times the mean absolute difference between its batch and
    the real batch. The two batches are not paired, so the term pulls every generated image
    towards the per-pixel median of the real ones, not towards any one digit."""
    ones, zeros = torch.ones(len(real), device=real.device), torch.zeros(len(real), device=real.device)
    fake = model.generator(z)
    l1 = (fake - real).abs().mean()
    g_loss = l1_weight * l1 + F.binary_cross_entropy_with_logits(model.discriminator(fake).squeeze(1), ones)
    g_optimizer.zero_grad(set_to_none=True)
    g_loss.backward()
    g_optimizer.step()
    real_logits = model.discriminator(real).squeeze(1)
    fake_logits = model.discriminator(fake.detach()).squeeze(1)
    d_loss = (F.binary_cross_entropy_with_logits(real_logits, ones)
              + F.binary_cross_entropy_with_logits(fake_logits, zeros))
    d_optimizer.zero_grad(set_to_none=True)
    d_loss.backward()
    d_optimizer.step()
    return {"d_loss": d_loss.detach(), "g_loss": g_loss.detach(),
            "d_real": torch.sigmoid(real_logits).mean().detach(), "d_fake": torch.sigmoid(fake_logits).mean().detach()}


def _adam(parameters, config) -> torch.optim.Adam:
    # The fused kernel makes the same update as the loop and takes a GAN step ~25 % faster on a CPU.
    return torch.optim.Adam(parameters, lr=config.lr, betas=config.adam_betas, weight_decay=config.weight_decay,
                            fused=True)


@torch.no_grad()
def nearest_training_images(images: torch.Tensor, train_images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """For each image, its nearest training image (Euclidean, in pixels) and the distance."""
    best = torch.full((len(images),), float("inf"), device=images.device)
    index = torch.zeros(len(images), dtype=torch.long, device=images.device)
    for start in range(0, len(train_images), 10 * EVAL_BATCH):
        distances = torch.cdist(images, train_images[start : start + 10 * EVAL_BATCH])
        closest, where = distances.min(dim=1)
        better = closest < best
        best[better], index[better] = closest[better], where[better] + start
    return train_images[index], best


def _memorisation_artefacts(samples: torch.Tensor, data: MNIST) -> dict[str, torch.Tensor]:
    """The nearest training image to each of the first samples, and for scale, the same for
    as many test images: a model that copies its training data would sit much closer."""
    nearest, distance = nearest_training_images(samples[:N_NEAREST], data.train_images)
    _, test_distance = nearest_training_images(data.test_images[:N_NEAREST], data.train_images)
    return {"nearest_training": nearest, "nearest_distance": distance, "test_nearest_distance": test_distance}


class GANTrainer(Trainer):
    """A GAN with one Adam per network (`_adam`) on the digits on the generator's scale
    (`model.real`), one `gan_step` per batch, keeping samples of one fixed set of latent
    vectors after epochs 1, 10 and the last. A row averages the epoch's steps."""

    columns = GAN_COLUMNS
    shown = GAN_STEP_COLUMNS
    per_image = False
    whole_batches = True  # a last batch of one would break BatchNorm, and a ragged one weighs as much as a full one

    def __init__(self, model, config, data, generator):
        super().__init__(model, config, data, generator)
        self.d_optimizer = _adam(model.discriminator.parameters(), config)
        self.g_optimizer = _adam(model.generator.parameters(), config)
        self.real = model.real(data.train_images)
        self.step_losses, self.snapshots = [], {}

    def update(self, real: torch.Tensor, z: torch.Tensor) -> dict[str, torch.Tensor]:
        return gan_step(self.model, real, z, self.d_optimizer, self.g_optimizer)

    def step(self, batch):
        z = torch.randn(len(batch), self.config.latent_dim, device=self.device, generator=self.generator)
        losses = self.update(self.real[batch], z)
        self.step_losses.append(torch.stack([losses[c] for c in GAN_STEP_COLUMNS]))
        return torch.stack([losses[c] for c in GAN_COLUMNS[1:]])

    def row(self, epoch, averages):
        return {"epoch": epoch, **dict(zip(GAN_COLUMNS[1:], averages))}

    def end_epoch(self, epoch):
        if epoch in SNAPSHOT_EPOCHS or epoch == self.config.epochs:
            self.snapshots[epoch] = fixed_samples(self.model, self.config, self.device)

    def artefacts(self):
        samples = self.snapshots[self.config.epochs]
        return {"step_loss": torch.stack(self.step_losses), "samples": samples,
                "snapshots": torch.stack(list(self.snapshots.values()))} | _memorisation_artefacts(samples, self.data)

    def meta(self):
        return {"snapshot_epochs": list(self.snapshots), "step_columns": list(GAN_STEP_COLUMNS)}


class GELUGANTrainer(GANTrainer):
    """Course report 000's GAN: trained like the GAN, with its own update (`l1_gan_step`)."""

    def update(self, real, z):
        return l1_gan_step(self.model, real, z, self.d_optimizer, self.g_optimizer, self.config.l1_weight)


def network_parameters(model) -> dict[str, list[torch.nn.Parameter]]:
    encoder = [*model.encoder.parameters(), *model.to_mu.parameters(), *model.to_logvar.parameters()]
    return {"encoder": encoder, "decoder": list(model.decoder.parameters()),
            "discriminator": list(model.discriminator.parameters())}


def vaegan_step(model, x, eps, z_prior, gamma: float, optimizers: dict) -> dict[str, torch.Tensor]:
    """One update of Larsen et al.'s Algorithm 1, with least-squares GAN losses.

    All losses come from one forward pass; each network then steps on its own combination:
    the encoder on prior KL + feature reconstruction, the decoder on γ · feature
    reconstruction + its GAN loss, the discriminator on its GAN loss alone. Three objectives
    with three different gradients at the discriminator's inputs take three backward passes
    through it (two for input gradients, one for its weights); none can be shared.
    """
    mu, logvar = model.encode(x)
    x_tilde = model.decode(mu + torch.exp(0.5 * logvar) * eps)  # reconstructions
    x_prior = model.decode(z_prior)  # samples from the prior
    # Three calls rather than one on the three batches joined: each objective's gradient then
    # goes back through the discriminator only for the batches it depends on (the encoder's
    # through the reconstructions alone), which makes the step about a quarter faster.
    s_real, f_real = model.discriminator(x)
    s_tilde, f_tilde = model.discriminator(x_tilde)
    s_prior, _ = model.discriminator(x_prior)
    prior = gaussian_kl(mu, logvar).mean()
    # -log N(Dis_l(x) | Dis_l(x~), diag(s^2)) up to a constant: the reconstruction measured in
    # the discriminator's features, where a shifted stroke costs less than in pixels. The scale
    # s is each feature's spread over the real batch; with Larsen's unit variance the term
    # shrinks with the features, and the KL term then wins and empties the code.
    f_real = f_real.detach()
    feature_recon = 0.5 * ((f_tilde - f_real) / (f_real.std(dim=0) + 1e-3)).square().sum(dim=1).mean()
    # Least squares (Mao et al. 2017): the discriminator pushes real scores to 1 and both kinds
    # of fakes to 0; the decoder pushes its fakes' scores to 1.
    discriminator = 0.5 * ((s_real - 1).square().mean() + s_tilde.square().mean() + s_prior.square().mean())
    decoder_gan = 0.5 * ((s_tilde - 1).square().mean() + (s_prior - 1).square().mean())
    parameters = network_parameters(model)
    objectives = {"encoder": prior + feature_recon, "decoder": gamma * feature_recon + decoder_gan,
                  "discriminator": discriminator}
    for network, objective in objectives.items():
        gradients = torch.autograd.grad(objective, parameters[network], retain_graph=network != "discriminator")
        for parameter, gradient in zip(parameters[network], gradients):
            parameter.grad = gradient
    for optimizer in optimizers.values():
        optimizer.step()
    return {"prior": prior.detach(), "feature_recon": feature_recon.detach(), "decoder_gan": decoder_gan.detach(),
            "discriminator": discriminator.detach()}


@torch.no_grad()
def _vaegan_test(model, images: torch.Tensor) -> dict[str, float]:
    """KL of the test posteriors and squared pixel error of the reconstructions (at the
    posterior mean), per image."""
    model.eval()
    kl = mse = 0.0
    for x in images.split(EVAL_BATCH):
        mu, logvar = model.encode(x)
        kl += gaussian_kl(mu, logvar).sum().item()
        mse += (model.decode(mu) - x).square().sum().item()
    return {"test_kl": kl / len(images), "test_mse": mse / len(images)}


class VAEGANTrainer(Trainer):
    """The VAE-GAN with three Adam optimizers, one per network, and one `vaegan_step` per
    batch. A row averages the epoch's steps and adds the test posteriors' KL and squared error."""

    columns = VAEGAN_COLUMNS
    shown = VAEGAN_STEP_COLUMNS
    per_image = False

    def __init__(self, model, config, data, generator):
        super().__init__(model, config, data, generator)
        self.optimizers = {network: _adam(params, config) for network, params in network_parameters(model).items()}
        self.step_losses = []

    def step(self, batch):
        eps, z_prior = torch.randn(2, len(batch), self.config.latent_dim, device=self.device, generator=self.generator)
        losses = vaegan_step(self.model, self.data.train_images[batch], eps, z_prior, self.config.gamma,
                             self.optimizers)
        self.step_losses.append(torch.stack([losses[c] for c in VAEGAN_STEP_COLUMNS]))
        return self.step_losses[-1]

    def row(self, epoch, averages):
        test = _vaegan_test(self.model, self.data.test_images)
        return {"epoch": epoch, **dict(zip(VAEGAN_STEP_COLUMNS, averages)), **test}

    def artefacts(self):
        return reconstruction_artefacts(self.model, self.data) | {
            "step_loss": torch.stack(self.step_losses),
            "samples": fixed_samples(self.model, self.config, self.device),
        }

    def meta(self):
        return {"step_columns": list(VAEGAN_STEP_COLUMNS)}
