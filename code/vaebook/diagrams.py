"""Architecture diagrams read from the networks themselves: each layer's kind and size come
from the module and from the shapes of an example forward pass, never from typed numbers, so
a diagram cannot disagree with the model it shows.

    rows = layer_rows(model.encoder, torch.zeros(1, 784))   # [Row("Linear", "784 → 400", (400,)), ...]
    figure = architecture([Stage("encoder", rows), ...], columns=3)   # one column of boxes per stage

Words are the caller's, as in `plots`: a stage's title is an argument, so the same diagram
can be drawn in any language; what the boxes say (layer kinds, sizes, shapes) is the same in
every language.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import matplotlib.pyplot as plt
import torch
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.textpath import TextToPath
from torch import nn

from .plots import style

ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.GELU, nn.Tanh, nn.Sigmoid)
PIXELS = 784
# The colours of a box: a layer, and a layer the caption points to (the features of a
# learned similarity or of FID).
PLAIN, SHADED = "#eef2f7", "#ffd98a"


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
        return Row(type(layer).__name__, f"{_shape(shape_in)} → {_shape(shape_out)}", shape_out)
    if isinstance(layer, ACTIVATIONS):
        return Row(_activation(layer), "", shape_out)
    return Row(type(layer).__name__, _shape(shape_out), shape_out)


def _leaves(module: nn.Module) -> list[nn.Module]:
    children = list(module.children())
    return [leaf for child in children for leaf in _leaves(child)] if children else [module]


def output(module: nn.Module, example: torch.Tensor) -> torch.Tensor:
    """What `module` makes of `example` in eval mode, without gradients (its mode restored)."""
    was_training = module.training
    try:
        module.eval()
        with torch.no_grad():
            return module(example)
    finally:
        module.train(was_training)


def layer_rows(module: nn.Module, example: torch.Tensor) -> tuple[Row, ...]:
    """The rows of a block (a layer or a `Sequential`), by running `example` through it: each
    leaf layer's kind, size and output shape. Normalisation and activations are folded into the
    box of the layer before them ("Linear 128 → 256" over "BatchNorm, LeakyReLU(0.2)"), as
    diagrams usually draw them."""
    shapes: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    leaves = _leaves(module)
    hooks = [leaf.register_forward_hook(lambda m, i, o: shapes.append((tuple(i[0].shape[1:]), tuple(o.shape[1:]))))
             for leaf in leaves]
    try:
        output(module, example)
    finally:
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


def tensor_row(name: str, tensor: torch.Tensor) -> Row:
    """A box for a tensor rather than a layer (an input, a sample), by its shape without the batch."""
    shape = tuple(tensor.shape[1:])
    return Row(name, _shape(shape), shape)


def vae_stages(model: nn.Module, titles: Mapping[str, str]) -> list[Stage]:
    """The five stages of a VAE of the book (`models.VAE`): the input as the encoder takes it,
    the encoder, the code (the two heads and the reparameterised sample), the decoder and the
    image, each titled by `titles[key]` for key in input, encoder, code, decoder, output."""
    given = model.encoder_input(torch.zeros(2, PIXELS))
    features = output(model.encoder, given)
    mu_rows, logvar_rows = layer_rows(model.to_mu, features), layer_rows(model.to_logvar, features)
    z = output(model.to_mu, features)
    code = (*(replace(r, detail=f"{r.detail}: μ") for r in mu_rows),
            *(replace(r, detail=f"{r.detail}: log σ²") for r in logvar_rows),
            tensor_row("z = μ + σ ⊙ ε:", z))
    image = tensor_row("sigmoid:", output(model.decoder, z))
    return [Stage(titles["input"], (tensor_row("x:", given),)),
            Stage(titles["encoder"], layer_rows(model.encoder, given)),
            Stage(titles["code"], code),
            Stage(titles["decoder"], layer_rows(model.decoder, z)),
            Stage(titles["output"], (image,))]


# --- Drawing ------------------------------------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def text_width(text: str, fontsize: float, bold: bool = False) -> float:
    """The width in inches of the widest line of `text`: Latin measured in DejaVu Sans, each
    Chinese character counted as one em (CJK fonts set them square)."""
    prop = FontProperties(family="DejaVu Sans", size=fontsize, weight="bold" if bold else "normal")
    widths = []
    for line in text.split("\n"):
        latin = CJK.sub("", line)
        measured = TextToPath().get_text_width_height_descent(latin, prop, ismath=False)[0] if latin else 0.0
        widths.append((measured + fontsize * (len(line) - len(latin))) / 72)
    return max(widths)


def stage_width(stage: Stage, fontsize: float) -> float:
    """The width of a stage's column: its widest box text or its title, with a margin."""
    widest = max([text_width(r.text(), fontsize) for r in stage.rows] + [text_width(stage.title, fontsize + 1, True)])
    return widest + 0.22


def wrap(widths: list[float], width: float, gap: float, columns: int | None = None) -> list[int]:
    """How many stages go on each line: the fewest lines on which every line fits `width`
    (at most `columns` stages a line), the stages shared among them so that the widest line is
    as narrow as it can be (and, of equally narrow ways, the first lines the fuller). A stage
    wider than `width` gets a line of its own."""
    count = len(widths)
    columns = columns or count

    def line_width(first: int, last: int) -> float:
        return sum(widths[first:last]) + gap * (last - first - 1)

    for lines in range(math.ceil(count / columns), count + 1):
        best = None
        for cuts in itertools.combinations(range(1, count), lines - 1):
            bounds = (0, *cuts, count)
            sizes = [b - a for a, b in zip(bounds, bounds[1:])]
            widest = max(line_width(a, b) for a, b in zip(bounds, bounds[1:]))
            # The narrowest widest line, to a hundredth of an inch; of equals, the fuller first lines.
            key = (round(widest, 2), [-size for size in sizes])
            if max(sizes) <= columns and (best is None or key < best[0]):
                best = (key, sizes)
        if best and (best[0][0] <= width or lines == count):
            return best[1]
    return [1] * count


def _boxes(axes, stage: Stage, left: float, box: float, middle: float, row_height: float,
           fontsize: float) -> float:
    """Draws a stage's boxes centred on `middle`; returns the bottom of the column."""
    top = middle + len(stage.rows) * row_height / 2
    for number, row in enumerate(stage.rows):
        bottom = top - (number + 1) * row_height
        axes.add_patch(FancyBboxPatch((left + 0.03, bottom + 0.03), box - 0.06, row_height - 0.06,
                                      boxstyle="round,pad=0.01,rounding_size=0.05", linewidth=0.7,
                                      edgecolor="#4d4d4d", facecolor=SHADED if row.highlight else PLAIN))
        axes.text(left + box / 2, bottom + row_height / 2, row.text(), ha="center", va="center",
                  fontsize=fontsize, linespacing=1.15)
    return top - len(stage.rows) * row_height


def _arrow(axes, start, end) -> None:
    axes.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9, linewidth=0.9, color="#333333",
                                   shrinkA=0, shrinkB=0))


TITLE_BAND = 0.4  # the band above each line's boxes that holds its stages' titles, in inches
BETWEEN = 0.45  # the space between two lines, where the arrow bends back
MARGIN = 0.08


def architecture(stages: list[Stage], title: str | None = None, *, width: float = 6.8, columns: int | None = None,
                 row_height: float = 0.4, gap: float = 0.4, fontsize: float = 7.0):
    """The stages as columns of boxes, left to right, each under its title and joined to the
    next by an arrow. Each column is as wide as its widest text; the stages wrap onto as few
    lines as keep the figure within `width` inches (and at most `columns` stages a line), and a
    line's last stage is joined to the next line's first by an arrow that bends back under the
    line. Highlighted rows are shaded. Pure: stages in, figure out."""
    widths = [stage_width(stage, fontsize) for stage in stages]
    sizes = wrap(widths, width - 2 * MARGIN, gap, columns)
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    lines = [list(range(start, start + size)) for start, size in zip(starts, sizes)]
    heights = [TITLE_BAND + max(len(stages[i].rows) for i in line) * row_height for line in lines]
    drawn = max(sum(widths[i] for i in line) + gap * (len(line) - 1) for line in lines) + 2 * MARGIN
    height = sum(heights) + (len(lines) - 1) * BETWEEN + 2 * MARGIN + (0.3 if title else 0)
    with style():
        figure = plt.figure(figsize=(drawn, height))
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set(xlim=(0, drawn), ylim=(0, height))
        axes.axis("off")
        line_top = height - MARGIN - (0.3 if title else 0)
        previous = None  # (centre, bottom) of the column that ends the line before
        for line, line_height in zip(lines, heights):
            middle = line_top - TITLE_BAND - (line_height - TITLE_BAND) / 2
            left = MARGIN
            for position, index in enumerate(line):
                stage, box, centre = stages[index], widths[index], left + widths[index] / 2
                axes.text(centre, line_top - TITLE_BAND / 2, stage.title, ha="center", va="center",
                          fontsize=fontsize + 1, fontweight="bold")
                bottom = _boxes(axes, stage, left, box, middle, row_height, fontsize)
                if position:
                    _arrow(axes, (left - gap + 0.04, middle), (left - 0.04, middle))
                elif previous:
                    bend = line_top + BETWEEN / 2
                    axes.add_line(Line2D([previous[0], previous[0], centre], [previous[1], bend, bend],
                                         linewidth=0.9, color="#333333"))
                    _arrow(axes, (centre, bend), (centre, line_top - 0.04))
                previous = (centre, bottom)
                left += box + gap
            line_top -= line_height + BETWEEN
        if title:
            axes.text(drawn / 2, height - MARGIN - 0.15, title, ha="center", va="center", fontsize=fontsize + 2)
    plt.close(figure)
    return figure
