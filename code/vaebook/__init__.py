"""vaebook: autoencoders, VAEs, GANs and VAE-GANs on MNIST, trained once and cached.

A library with no knowledge of any book: it trains a named configuration, stores the run,
measures it and draws it. Its modules, from the bottom up (each imports only those above it):

    errors, paths,       what a user can fix; where the data and the cache are; the
      identity           dataset's identity that every cache key includes
    cache                content-addressed store of folders (knows nothing of models)
    config               frozen configuration dataclasses, one per family; the build profiles
    data, losses, models MNIST as device tensors; reconstruction losses and KL; the networks
    metrics, latent      measures of images and codes; walking a latent space
    train, adversarial,  one trainer per family (VAE family, GAN and VAE-GAN, classifier)
      classifier
    families             THE registry: per family, its config, network, trainer(s), code
                         version and what the evaluation protocol measures of it
    entries              keys, records and identity checks of stored runs, without torch
    runner               load(name, config): from the cache, or trained and stored (the only
                         code that trains)
    measure, evaluate    measurements of stored runs, kept beside their entries; the protocol
    plots                figures from runs and tensors, with the words passed in

To add a model family: a config dataclass in `config.py`, a network in `models.py`, a
trainer, and one line in `families.py`. Nothing else dispatches on the family.
"""
