"""What the five course reports the book grew from logged, for the chapters to compare with.
The reports are numbered 000 to 004, as in the preface."""

# Course report 002's training log of its MLP VAE (per-image running averages over each
# epoch): epoch -> (total loss, BCE, KL).
REPORT_002_TRAIN_LOG = {
    1: (165.30, 150.13, 15.18),
    10: (106.32, 81.02, 25.30),
    50: (101.85, 76.42, 25.43),
    100: (100.56, 75.25, 25.31),
}

# Course report 004's GAN log of its last (50th) epoch, printed every 100 of its 937
# iterations per epoch: (discriminator loss, generator loss).
REPORT_004_ITERATIONS = 937
REPORT_004_LAST_EPOCH_LOG = [(0.1168, 4.1938), (0.2752, 4.0617), (0.2284, 4.2331), (0.2762, 3.7180), (0.1677, 4.1590),
                             (0.3223, 4.0261), (0.2897, 3.9723), (0.2730, 4.0399), (0.1931, 4.1343)]
