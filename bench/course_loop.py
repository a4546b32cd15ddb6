"""The 784-400-20 VAE trained the way the course reports train it: torchvision's MNIST with
`ToTensor`, a `DataLoader` of batches of 128, a copy to the device per batch, a sigmoid decoder
and the summed BCE, the loss read with `.item()` every step, and a pass over the test set after
every epoch. A script of its own, so that bench/run.py can time it as a whole process, start-up
included, as a user waits for it.

    python bench/course_loop.py --data ROOT [--epochs 2] [--device cpu] [--seed 0] [--record FILE]

Prints one JSON line: {"epoch_seconds": [...], "test_loss": [...]}. It is also PyTorch's
examples/vae (the same network, loss, optimiser, batches and test pass; that example seeds
with 1), so `--epochs 10 --seed 1 --record bench/results/anchors/pytorch-example-10-epochs.json` is the
book's anchor: that example run here, unmodified, with what produced it recorded beside it.
"""

import argparse
import datetime
import json
import platform
import time

import torch
import torch.nn.functional as F
import torchvision
from torch import nn
from torch.utils.data import DataLoader


class VAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, logvar = self.fc21(h), self.fc22(h)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar


def loss_function(recon, x, mu, logvar):
    return F.binary_cross_entropy(recon, x, reduction="sum") - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="a folder holding MNIST/raw/ that torchvision may write to")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--record", help="also write the result, with what produced it, to this JSON file")
    args = parser.parse_args()
    device = torch.device(args.device)
    flatten = torchvision.transforms.Compose([torchvision.transforms.ToTensor(),
                                              torchvision.transforms.Lambda(lambda x: x.view(-1))])
    train = DataLoader(torchvision.datasets.MNIST(args.data, train=True, transform=flatten, download=True),
                       batch_size=128, shuffle=True)
    test = DataLoader(torchvision.datasets.MNIST(args.data, train=False, transform=flatten, download=True),
                      batch_size=128)
    torch.manual_seed(args.seed)
    model = VAE().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds, test_losses = [], []
    for _ in range(args.epochs):
        started = time.perf_counter()
        model.train()
        train_loss = 0.0
        for x, _ in train:
            x = x.to(device)
            optimizer.zero_grad()
            recon, mu, logvar = model(x)
            loss = loss_function(recon, x, mu, logvar)
            loss.backward()
            train_loss += loss.item()
            optimizer.step()
        model.eval()
        test_loss = 0.0
        with torch.no_grad():
            for x, _ in test:
                x = x.to(device)
                recon, mu, logvar = model(x)
                test_loss += loss_function(recon, x, mu, logvar).item()
        if device.type == "cuda":
            torch.cuda.synchronize()
        seconds.append(time.perf_counter() - started)
        test_losses.append(test_loss / len(test.dataset))
    result = {"epoch_seconds": seconds, "test_loss": test_losses}
    print(json.dumps(result))
    if args.record:
        record = {"what": "PyTorch's examples/vae loop (bench/course_loop.py), test loss per epoch in nats per image",
                  "epochs": args.epochs, "seed": args.seed, "device": args.device, "torch": torch.__version__,
                  "torchvision": torchvision.__version__, "processor": platform.processor() or platform.machine(),
                  "date": datetime.date.today().isoformat()} | result
        with open(args.record, "w") as file:
            json.dump(record, file, indent=1)
            file.write("\n")


if __name__ == "__main__":
    main()
