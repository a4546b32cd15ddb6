"""Architecture diagrams read from the networks themselves: each layer's kind and size come
from the module and from the shapes of an example forward pass, never from typed numbers, so
a diagram cannot disagree with the model it shows.

    rows = layer_rows(model.encoder, torch.zeros(1, 784))   # [Row("Linear", "784 → 400", (400,)), ...]
    figure = architecture([Stage("encoder", rows), ...])      # one column of boxes per stage
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import torch
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from torch import nn

ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.GELU, nn.Tanh, nn.Sigmoid)


@dataclass(frozen=True)
class Row:
    """One box of a diagram: a layer's kind, its size, and the shape it outputs (no batch)."""

    kind: str
    detail: str = ""
    shape: tuple[int, ...] = ()
    highlight: bool = False
    after: tuple[str, ...] = ()  # normalisation and activation applied to the layer's output

    def text(self) -> str:
        head = f"{self.kind} {self.detail}".strip()
        return f"{head}\n{', '.join(self.after)}" if self.after else head


@dataclass(frozen=True)
class Stage:
    """A column of boxes under a title: a block of a network, or its input or output."""

    title: str
    rows: tuple[Row, ...]


def _shape(shape: tuple[int, ...]) -> str:
    return "×".join(str(size) for size in shape)


def _activation(layer: nn.Module) -> str:
    if isinstance(layer, nn.LeakyReLU):
        return f"LeakyReLU({layer.negative_slope:g})"
    return type(layer).__name__


def _pair(value) -> str:
    first = value[0] if isinstance(value, tuple) else value
    return f"{first}×{first}"


def describe(layer: nn.Module, shape_in: tuple[int, ...], shape_out: tuple[int, ...]) -> Row:
    """What a diagram says of one layer, given the shapes it took and gave."""
    if isinstance(layer, nn.Linear):
        return Row("Linear", f"{layer.in_features} → {layer.out_features}", shape_out)
    if isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)):
        kind = "Conv" if isinstance(layer, nn.Conv2d) else "ConvT"
        stride = layer.stride[0]
        return Row(kind, f"{_pair(layer.kernel_size)}{f' /{stride}' if stride > 1 and kind == 'Conv' else ''}"
                         f"{f' ×{stride}' if stride > 1 and kind == 'ConvT' else ''} → {_shape(shape_out)}", shape_out)
    if isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
        return Row("BatchNorm", "", shape_out)
    if isinstance(layer, nn.MaxPool2d):
        return Row("MaxPool", f"{_pair(layer.kernel_size)} → {_shape(shape_out)}", shape_out)
    if isinstance(layer, (nn.Flatten, nn.Unflatten)):
        return Row("reshape", f"{_shape(shape_in)} → {_shape(shape_out)}", shape_out)
    if isinstance(layer, ACTIVATIONS):
        return Row(_activation(layer), "", shape_out)
    return Row(type(layer).__name__, _shape(shape_out), shape_out)


def _leaves(module: nn.Module) -> list[nn.Module]:
    children = list(module.children())
    return [leaf for child in children for leaf in _leaves(child)] if children else [module]


def layer_rows(module: nn.Module, example: torch.Tensor) -> tuple[Row, ...]:
    """The rows of a block (a layer or a `Sequential`), by running `example` through it: each
    leaf layer's kind, size and output shape. Normalisation and activations are folded into the
    box of the layer before them ("Linear 128 → 256" over "BatchNorm, LeakyReLU(0.2)"), as
    diagrams usually draw them."""
    shapes: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    leaves = _leaves(module)
    hooks = [leaf.register_forward_hook(lambda m, i, o: shapes.append((tuple(i[0].shape[1:]), tuple(o.shape[1:]))))
             for leaf in leaves]
    was_training = module.training
    try:
        module.eval()
        with torch.no_grad():
            module(example)
    finally:
        module.train(was_training)
        for hook in hooks:
            hook.remove()
    rows: list[Row] = []
    for leaf, (shape_in, shape_out) in zip(leaves, shapes):
        row = describe(leaf, shape_in, shape_out)
        folds = isinstance(leaf, (*ACTIVATIONS, nn.BatchNorm1d, nn.BatchNorm2d))
        if folds and rows and rows[-1].kind in ("Linear", "Conv", "ConvT"):
            last = rows[-1]
            rows[-1] = Row(last.kind, last.detail, shape_out, last.highlight, (*last.after, row.kind))
        else:
            rows.append(row)
    return tuple(rows)


def highlighted(rows: tuple[Row, ...], index: int = -1) -> tuple[Row, ...]:
    """The rows with one of them (the last, by default) drawn as highlighted."""
    index %= len(rows)
    return tuple(Row(r.kind, r.detail, r.shape, i == index, r.after) for i, r in enumerate(rows))


def architecture(stages: list[Stage], title: str | None = None, box_width: float = 2.0, row_height: float = 0.5):
    """One column of boxes per stage, left to right, joined by arrows; highlighted rows are
    shaded. Pure: stages in, figure out."""
    tallest = max(len(stage.rows) for stage in stages)
    gap = 0.55
    width = len(stages) * box_width + (len(stages) - 1) * gap
    height = tallest * row_height + 0.9
    figure, axes = plt.subplots(figsize=(max(width, 4.0), height))
    axes.set_xlim(-0.1, width + 0.1)
    axes.set_ylim(-0.1, height)
    axes.axis("off")
    middle = (tallest * row_height) / 2
    for index, stage in enumerate(stages):
        left = index * (box_width + gap)
        top = middle + len(stage.rows) * row_height / 2
        axes.text(left + box_width / 2, tallest * row_height + 0.35, stage.title, ha="center", va="center",
                  fontsize=9, fontweight="bold")
        for number, row in enumerate(stage.rows):
            bottom = top - (number + 1) * row_height
            axes.add_patch(FancyBboxPatch((left + 0.04, bottom + 0.04), box_width - 0.08, row_height - 0.08,
                                          boxstyle="round,pad=0.01,rounding_size=0.06", linewidth=0.8,
                                          edgecolor="#555555", facecolor="#ffe3a3" if row.highlight else "#eef2f7"))
            axes.text(left + box_width / 2, bottom + row_height / 2, row.text(), ha="center", va="center", fontsize=7)
        if index:
            axes.add_patch(FancyArrowPatch((left - gap + 0.05, middle), (left - 0.05, middle), arrowstyle="-|>",
                                           mutation_scale=10, linewidth=1.0, color="#333333"))
    if title:
        figure.suptitle(title, fontsize=10)
    figure.tight_layout()
    return figure
