"""vaebook: autoencoders, VAEs, GANs and VAE-GANs on MNIST, trained once and cached.

A library with no knowledge of any book: it trains a named configuration, stores the run,
measures it and draws it. Its modules, from the bottom up (each imports only those above it):

    errors, paths,       what a user can fix; where the data and the cache are; the
      identity           dataset's identity that every cache key includes
    cache                content-addressed store of folders (knows nothing of models)
    config               frozen configuration dataclasses, one per family, each with its
                         family's code version; the build profiles
    entries              keys, records and identity checks of stored runs, without torch
    data, losses, models MNIST as device tensors; reconstruction losses and KL; the networks
    metrics, latent      measures of images and codes; walking a latent space
    train                the training loop every family shares (`fit`), the VAE family's
                         `Trainer` and the batched training of a VAE sweep
    adversarial,         the GANs', the VAE-GAN's and the classifier's `Trainer`s
      classifier
    families             THE registry: per family, its config, network, trainer(s) and what
                         the evaluation protocol measures of it
    runner               load(name, config): from the cache, or trained and stored (the only
                         code that trains, and the only one that reads MNIST)
    measure, evaluate    measurements of stored runs, kept beside their entries; the protocol
    plots                figures from runs and tensors, every word a keyword argument

To add a model family: a config dataclass in `config.py` (with its code version, listed in
`CONFIGS`), a network in `models.py`, a `train.Trainer`, and one `Family(...)` in
`families.py`. Nothing else dispatches on the family.
"""
