"""The HTML edition's explorers: the reader moves through a latent space and sees what a model's
decoder draws there, live, in the page, offline. Three of them: the 2-D latent plane of `vae-2d`
(`plane`), sliders over the most informative dimensions of two β-VAEs (`traversals`), and walks
between two test digits' codes (`interpolation`).

Each explorer is one piece of HTML: its markup, its data as JSON, and `explorers.js` inlined,
so the page makes no request and the site stays self-contained. The decoders,
Linear(latent, hidden) → ReLU → Linear(hidden, 784) → sigmoid, run in the page from weights
exported here at render time. The small tensors travel as float32. The 784 × hidden layer holds
nearly all the weight and is stored as 8-bit integers with a float32 scale per row (per output
pixel), rounded with error compensation (`quantize_rows`) so that the rounding errors cancel on
the latent points the explorer can reach; rows where 8 bits are still not enough are stored as
16-bit integers (the rounding is fitted, and each row tried, on 60,000 reachable points).
Every export is then decoded as the page decodes it (`page_decode`) at 20,000 fresh reachable
points and compared with the package's own decoder: a pixel further than `TOLERANCE` from it
raises `ExportError`, so the bound is a property of the export, checked every time the book
renders. The arrays are deflated and base64-encoded; the page inflates them with the browser's
own DecompressionStream. The HTML reaches the page as a raw block of the cell's Markdown
output (`Explorer.markdown`).
"""

from __future__ import annotations

import base64
import html
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from vaebook import latent

from .text import check_lang, labels

TOLERANCE = 1 / 255  # the most a pixel decoded in the page may differ from the package's decoder
# Rows rounded to 8 bits must stay within this share of the tolerance on the calibration
# points, or they are stored with 16 bits: the margin covers the points no sample saw.
MARGIN = 0.75
SAMPLES = 20_000  # fresh reachable latent points every export is checked on
# Points the rounding is fitted and its 8-bit rows are tried on: three times as many as are
# checked, so that a row that errs near the bound somewhere is found before the check.
CALIBRATION_SAMPLES = 3 * SAMPLES
PAGE_BUDGET = 1_000_000  # bytes of explorers (data and script) one page may load
SIDE, PIXELS = 28, 784
SCRIPT = Path(__file__).with_name("explorers.js")
CALIBRATION_SEED, CHECK_SEED = 0, 1

# The explorers' words; `digit` and `dimension` come from text.LABELS.
TEXT = {
    "en": {
        "plane": "The latent plane of {model}: the test digits' posterior means, coloured by digit. Drag the point, "
                 "or use the arrow keys to move it.",
        "plane_hint": "Drag the point over the plane, or click the plane and move the point with the arrow keys "
                      "(with Shift in larger steps; Home goes back to the origin).",
        "decoded": "The digit the decoder of {model} draws at this point",
        "coordinates": "z = ({0}, {1})",
        "reset": "All to 0",
        "from": "From", "to": "To", "path": "Path", "linear": "linear", "spherical": "spherical",
        "position": "Position along the path, t",
        "test_digit": "test digit {0}",
    },
    "zh": {
        "plane": "{model} 的隐空间平面：测试集数字的后验均值，按数字着色。拖动其中的点，或用方向键移动它。",
        "plane_hint": "在平面上拖动这个点，或者点击平面后用方向键移动它（按住 Shift 键步子更大，按 Home 键回到原点）。",
        "decoded": "{model} 的解码器在这一点画出的数字",
        "coordinates": "坐标 z = ({0}, {1})",
        "reset": "全部归零",
        "from": "起点", "to": "终点", "path": "路径", "linear": "线性", "spherical": "球面",
        "position": "沿路径的位置 t",
        "test_digit": "测试数字 {0}",
    },
}


# The legend's "digit:" ends as each language writes a colon: Chinese with the full-width mark,
# which carries its own space.
COLON = {"en": ": ", "zh": "："}


class ExportError(RuntimeError):
    """An export that would not decode in the page as the package decodes."""


# --- Arrays into a page and back ---------------------------------------------------------------

# numpy dtype -> the name explorers.js knows it by (its typed array), little-endian throughout.
DTYPES = {"<f4": "f4", "|i1": "i1", "<i2": "i2", "|u1": "u1", "<u2": "u2"}


def pack(arrays: dict[str, np.ndarray]) -> dict:
    """Named arrays as one deflated, base64-encoded buffer and its layout: (name, type, length)."""
    layout, chunks = [], []
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.dtype.str not in DTYPES:
            raise ValueError(f"{name}: the page reads no {array.dtype} arrays; use one of {sorted(DTYPES)}")
        layout.append([name, DTYPES[array.dtype.str], int(array.size)])
        chunks.append(array.tobytes())
    return {"layout": layout, "data": base64.b64encode(zlib.compress(b"".join(chunks), 9)).decode("ascii")}


def unpack(packed: dict) -> dict[str, np.ndarray]:
    """The arrays of `pack`, flat, as the page reads them."""
    buffer, arrays, offset = zlib.decompress(base64.b64decode(packed["data"])), {}, 0
    types = {code: np.dtype(name) for name, code in DTYPES.items()}
    for name, code, length in packed["layout"]:
        size = length * types[code].itemsize
        arrays[name] = np.frombuffer(buffer[offset:offset + size], dtype=types[code])
        offset += size
    return arrays


# --- The decoder's wide layer in 8 bits -------------------------------------------------------------


def quantize_rows(weight: torch.Tensor, inputs: torch.Tensor, bits: int = 8, damp: float = 1e-5):
    """Integer levels (within ±(2^(bits-1) - 1)) and a float32 scale per row with levels * scale
    close to `weight` where it matters: on the layer's output for `inputs` (one row per sample of
    the layer's input). Columns are rounded one at a time, those with the most input energy
    first, and each rounding error is spread over the columns not yet rounded so that it cancels
    on these inputs (GPTQ: Frantar et al. 2023, after Optimal Brain Quantization). Rounding each
    weight to its nearest level instead leaves errors on the book's decoded digits ten to fifty
    times larger.
    `damp` (relative to the mean input energy) keeps the rare directions from being trusted."""
    w = weight.double().clone()
    limit = 2 ** (bits - 1) - 1
    scale = (w.abs().amax(dim=1) / limit).clamp_min(1e-30).float().double()  # what the page stores
    x = inputs.double()
    energy = x.T @ x / len(x)
    energy += damp * energy.diagonal().mean() * torch.eye(len(energy), dtype=torch.float64)
    order = torch.argsort(energy.diagonal(), descending=True)
    w, energy = w[:, order], energy[order][:, order]
    # Row j of the upper Cholesky factor of the inverse says how the columns after j absorb the
    # error of rounding column j.
    spread = torch.linalg.cholesky(torch.cholesky_inverse(torch.linalg.cholesky(energy)), upper=True)
    levels = torch.empty_like(w)
    for j in range(w.shape[1]):
        levels[:, j] = torch.clamp(torch.round(w[:, j] / scale), -limit, limit)
        error = (w[:, j] - levels[:, j] * scale) / spread[j, j]
        w[:, j + 1:] -= error[:, None] * spread[j, j + 1:]
    return levels[:, torch.argsort(order)].long(), scale


def nearest_levels(weight: torch.Tensor, bits: int):
    """Each weight rounded to the nearest of 2^bits - 1 levels, scaled per row."""
    w = weight.double()
    scale = (w.abs().amax(dim=1) / (2 ** (bits - 1) - 1)).clamp_min(1e-30).float().double()
    return torch.round(w / scale[:, None]).long(), scale


# --- Decoders for the page ----------------------------------------------------------------------


def decoder_layers(model, dims) -> dict[str, torch.Tensor]:
    """The decoder's weights in float64, its first layer cut to the latent dimensions `dims`
    the page moves (the others stay at 0, where they add nothing)."""
    first, second = model.decoder[0], model.decoder[2]
    return {"w1": first.weight.detach().double()[:, dims], "b1": first.bias.detach().double(),
            "w2": second.weight.detach().double(), "b2": second.bias.detach().double()}


def page_decode(arrays: dict[str, np.ndarray], z: np.ndarray, prefix: str = "") -> np.ndarray:
    """What explorers.js draws at the points z (n, len(dims)): the decoder from the exported
    arrays, in float64 like JavaScript's numbers, images in [0, 1] before the canvas rounds
    them to 8 bits."""
    a = {name[len(prefix):]: value for name, value in arrays.items() if name.startswith(prefix)}
    hidden = len(a["b1"])
    w1 = a["w1"].astype(np.float64).reshape(hidden, -1)
    h = np.maximum(np.asarray(z, dtype=np.float64) @ w1.T + a["b1"], 0)
    return 1 / (1 + np.exp(-(h @ second_layer(a).T + a["b2"])))


def second_layer(a: dict[str, np.ndarray]) -> np.ndarray:
    """The 784 × hidden layer as the page rebuilds it: 8-bit rows, and 16-bit ones where listed
    in `wide`, each times its row's scale."""
    hidden = len(a["b1"])
    wide = np.zeros(PIXELS, dtype=bool)
    wide[a["wide"]] = True
    levels = np.empty((PIXELS, hidden))
    levels[~wide] = a["narrow"].reshape(-1, hidden)
    levels[wide] = a["wider"].reshape(-1, hidden)
    return levels * a["scale"].astype(np.float64)[:, None]


@torch.no_grad()
def package_decode(model, z: torch.Tensor, dims, latent_dim: int) -> np.ndarray:
    """The package's images at the page's points z: the other latent dimensions at 0."""
    full = torch.zeros(len(z), latent_dim)
    full[:, dims] = z.float()
    return model.decode(full).double().numpy()


@dataclass
class DecoderExport:
    arrays: dict[str, np.ndarray]
    max_error: float  # the largest pixel difference from the package's decoder at the checked points
    wide_rows: int  # rows stored with 16 bits


Reachable = Callable[[int, torch.Generator], torch.Tensor]  # n points the page can show, (n, len(dims))


def export_decoder(model, dims, latent_dim: int, reachable: Reachable, prefix: str = "") -> DecoderExport:
    """A decoder's arrays for the page, calibrated on and checked against the latent points the
    explorer can reach (`reachable`). Raises ExportError if a pixel decoded as the page decodes
    it differs from the package's decoder by more than TOLERANCE at any checked point."""
    layers = decoder_layers(model, dims)
    calibration = reachable(CALIBRATION_SAMPLES, torch.Generator().manual_seed(CALIBRATION_SEED)).double()
    levels, scale = quantize_rows(layers["w2"], torch.relu(calibration @ layers["w1"].T + layers["b1"]))
    fine, fine_scale = nearest_levels(layers["w2"], 16)
    arrays = {"w1": layers["w1"].float().numpy(), "b1": layers["b1"].float().numpy(),
              "b2": layers["b2"].float().numpy()}
    coarse = arrays | {"scale": scale.float().numpy(), "narrow": levels.numpy().astype(np.int8),
                       "wider": np.zeros(0, np.int16), "wide": np.zeros(0, np.uint16)}
    wide = pixel_errors(coarse, model, dims, latent_dim, calibration) > MARGIN * TOLERANCE
    arrays |= {"scale": torch.where(torch.from_numpy(wide), fine_scale, scale).float().numpy(),
               "narrow": levels[~wide].numpy().astype(np.int8), "wider": fine[wide].numpy().astype(np.int16),
               "wide": np.flatnonzero(wide).astype(np.uint16)}
    arrays = {prefix + name: value for name, value in arrays.items()}
    checked = reachable(SAMPLES, torch.Generator().manual_seed(CHECK_SEED))
    return DecoderExport(arrays, check_export(arrays, model, dims, latent_dim, checked, prefix), int(wide.sum()))


def pixel_errors(arrays: dict[str, np.ndarray], model, dims, latent_dim: int, points: torch.Tensor,
                 prefix: str = "") -> np.ndarray:
    """For each pixel, the largest difference between the page's decoder and the package's at
    `points` (a few thousand at a time, so that 784 pixels of each fit in memory)."""
    return np.max([np.abs(page_decode(arrays, chunk.double().numpy(), prefix)
                          - package_decode(model, chunk, dims, latent_dim)).max(axis=0)
                   for chunk in points.split(5_000)], axis=0)


def check_export(arrays: dict[str, np.ndarray], model, dims, latent_dim: int, points: torch.Tensor,
                 prefix: str = "") -> float:
    """The largest pixel difference between the page's decoder, read back from the packed arrays
    as the page reads them, and the package's, at `points`; ExportError if above TOLERANCE."""
    error = float(pixel_errors(unpack(pack(arrays)), model, dims, latent_dim, points, prefix).max())
    if not error <= TOLERANCE:
        raise ExportError(f"the exported decoder differs from the package's by {error * 255:.2f}/255 at a "
                          f"reachable point, above the bound of 1/255 ({len(points):,} points checked)")
    return error


def box(dims_count: int, low: float, high: float) -> Reachable:
    """Points over the box [low, high]^dims_count, where sliders or a pointer can go: uniform,
    and as many on its faces, edges and corners (each coordinate at an end of its range with
    probability 1/2), where the activations are largest and the rounding errors with them."""

    def sample(n: int, generator: torch.Generator) -> torch.Tensor:
        points = low + (high - low) * torch.rand(n, dims_count, generator=generator, dtype=torch.float64)
        ends = torch.where(torch.rand(n, dims_count, generator=generator) < 0.5, low, high).double()
        on_boundary = (torch.rand(n, dims_count, generator=generator) < 0.5) & (torch.arange(n) % 2 == 1)[:, None]
        return torch.where(on_boundary, ends, points)

    return sample


def paths(codes: torch.Tensor) -> Reachable:
    """Points on the straight and the spherical paths between two of `codes` (the two different,
    since a path from a code to itself stays on it)."""
    codes = codes.double()

    def sample(n: int, generator: torch.Generator) -> torch.Tensor:
        start = torch.randint(len(codes), (n,), generator=generator)
        end = (start + torch.randint(1, len(codes), (n,), generator=generator)) % len(codes)
        t = torch.rand(n, generator=generator, dtype=torch.float64)
        spherical = torch.rand(n, generator=generator) < 0.5
        points = codes[start] + t[:, None] * (codes[end] - codes[start])
        for a, b in {(a, b) for a, b in zip(start.tolist(), end.tolist())}:
            on_arc = spherical & (start == a) & (end == b)
            points[on_arc] = latent.slerp(codes[a], codes[b], t[on_arc])
        return points

    return sample


# --- The explorers' HTML ------------------------------------------------------------------------------


@dataclass
class Explorer:
    """One explorer's HTML and what its export measured."""

    html: str
    max_error: float  # the largest pixel difference from the package at the checked points, over its decoders
    wide_rows: int  # rows stored with 16 bits, over its decoders

    def markdown(self) -> str:
        """The HTML as a raw block of the Markdown output. A cell's text/html output would make
        Quarto load require.js and jQuery from a CDN into the page (it takes any HTML output for
        a JavaScript widget: quarto-cli, src/core/jupyter/widgets.ts); raw HTML in Markdown
        reaches the page as it is, and the page stays offline."""
        return f"```{{=html}}\n{self.html}\n```"


def _page(kind: str, config: dict, packed: dict, body: str, lang: str) -> str:
    # "</" would end the script element early; JSON reads "<\/" as "</".
    data = json.dumps({"kind": kind, **config, "packed": packed}, ensure_ascii=False,
                      separators=(",", ":")).replace("</", "<\\/")
    return (f'<div class="ld-explorer ld-{kind}" lang="{"zh-Hans" if lang == "zh" else "en"}">'
            f'<script type="application/json" class="ld-data">{data}</script>'
            f"{STYLE}{body}</div><script>{SCRIPT.read_text(encoding='utf-8')}</script>")


def _digit_canvas(label: str, size: str = "") -> str:
    """A canvas of one pixel per image pixel; CSS enlarges it."""
    return (f'<canvas class="ld-digit{size}" width="{SIDE}" height="{SIDE}" role="img" '
            f'aria-label="{html.escape(label)}"></canvas>')


def plane(model, codes: dict[str, torch.Tensor], lang: str, name: str = "vae-2d") -> Explorer:
    """The 2-D latent plane: `codes` ({"means": (n, 2), "labels": (n,)}, the test set's posterior
    means) drawn coloured by digit over a square that holds them all and at least the prior's
    [-3, 3]^2, and the digit the decoder draws at a point the reader moves."""
    words, t = labels(check_lang(lang)), TEXT[lang]
    means, digits = codes["means"].double(), codes["labels"]
    extent = max(3.0, float(np.ceil(2 * means.abs().max().item()) / 2))
    export = export_decoder(model, [0, 1], 2, box(2, -extent, extent))
    order = torch.argsort(digits, stable=True)  # drawn one digit after another, as the static figure
    points = torch.round((means[order] + extent) / (2 * extent) * 65535).numpy().astype(np.uint16)
    counts = np.bincount(digits.numpy(), minlength=10).astype(np.uint16)
    packed = pack(export.arrays | {"points": points, "counts": counts})
    # An arrow key moves the point by a hundredth of the square's side, five with Shift.
    config = {"extent": extent, "step": extent / 50, "text": {"coordinates": t["coordinates"]}}
    legend = "".join(f'<span><i style="background:{colour}"></i>{digit}</span>' for digit, colour in enumerate(TAB10))
    body = (f'<div class="ld-row"><div class="ld-panel">'
            f'<canvas class="ld-scatter" tabindex="0" '
            f'aria-label="{html.escape(t["plane"].format(model=name))}"></canvas>'
            f'<div class="ld-legend">{html.escape(words["digit"])}{COLON[lang]}{legend}</div></div>'
            f'<div class="ld-panel">{_digit_canvas(t["decoded"].format(model=name))}'
            f'<p class="ld-coordinates"></p></div></div>'
            f'<p class="ld-hint">{html.escape(t["plane_hint"])}</p>')
    return Explorer(_page("plane", config, packed, body, lang), export.max_error, export.wide_rows)


def traversals(models: dict[str, tuple], low: float, high: float, lang: str) -> Explorer:
    """Side by side, for each {title: (model, dims)}, a slider from `low` to `high` for each of
    the latent dimensions `dims` (the others at 0) and the digit the decoder draws there."""
    words, t = labels(check_lang(lang)), TEXT[lang]
    arrays, panels, described, worst, wide = {}, [], [], 0.0, 0
    for index, (title, (model, dims)) in enumerate(models.items()):
        prefix = f"m{index}."
        export = export_decoder(model, list(dims), model.decoder[0].in_features, box(len(dims), low, high), prefix)
        arrays |= export.arrays
        worst, wide = max(worst, export.max_error), wide + export.wide_rows
        described.append({"prefix": prefix, "dims": list(dims)})
        sliders = "".join(
            f'<label class="ld-slider"><span>{html.escape(words["dimension"])} {dim + 1}</span>'
            f'<input type="range" min="{low:g}" max="{high:g}" step="0.05" value="0" data-slot="{slot}">'
            f'<output>0.00</output></label>' for slot, dim in enumerate(dims))
        panels.append(f'<div class="ld-panel" data-model="{index}"><p class="ld-title">{html.escape(title)}</p>'
                      f'{_digit_canvas(t["decoded"].format(model=title))}{sliders}</div>')
    body = (f'<div class="ld-row">{"".join(panels)}</div>'
            f'<p><button type="button" class="ld-reset">{html.escape(t["reset"])}</button></p>')
    return Explorer(_page("traversals", {"models": described}, pack(arrays), body, lang), worst, wide)


def interpolation(model, probes: torch.Tensor, lang: str, start: int, end: int, name: str = "vae-bce") -> Explorer:
    """Two strips of test digits (`probes`, one per class) to pick the ends from, the straight or
    the spherical path (`vaebook.latent.slerp`) between their posterior means, and a slider
    along it, starting between `start` and `end`."""
    t = TEXT[check_lang(lang)]
    codes = latent.encode(model, probes)[0]
    export = export_decoder(model, list(range(codes.shape[1])), codes.shape[1], paths(codes))
    images = torch.round(probes * 255).numpy().astype(np.uint8)
    packed = pack(export.arrays | {"probes": images, "codes": codes.float().numpy()})

    def strip(role: str, chosen: int) -> str:
        digits = "".join(
            f'<label><input type="radio" name="ld-{role}" value="{k}"{" checked" if k == chosen else ""}>'
            f'{_digit_canvas(t["test_digit"].format(k), " ld-small")}</label>' for k in range(len(probes)))
        return (f'<div class="ld-strip" role="radiogroup" aria-label="{html.escape(t[role])}">'
                f'<span>{html.escape(t[role])}</span>{digits}</div>')

    kinds = "".join(f'<label><input type="radio" name="ld-path" value="{kind}"{" checked" if kind == "linear" else ""}>'
                    f'{html.escape(t[kind])}</label>' for kind in ("linear", "spherical"))
    body = (f'{strip("from", start)}{strip("to", end)}'
            f'<div class="ld-row"><div class="ld-panel">{_digit_canvas(t["decoded"].format(model=name))}</div>'
            f'<div class="ld-panel ld-controls"><div role="radiogroup" aria-label="{html.escape(t["path"])}">'
            f'<span>{html.escape(t["path"])}</span> {kinds}</div>'
            f'<label class="ld-slider"><span>{html.escape(t["position"])}</span>'
            f'<input type="range" min="0" max="1" step="0.01" value="0.5" class="ld-t"><output>0.50</output></label>'
            f'</div></div>')
    return Explorer(_page("interpolation", {}, packed, body, lang), export.max_error, export.wide_rows)


TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
         "#17becf"]  # matplotlib's tab10, the static scatter's colours

STYLE = """<style>
.ld-explorer{margin:1rem 0;font-size:.9rem}
.ld-explorer .ld-row{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}
.ld-explorer .ld-panel{display:flex;flex-direction:column;gap:.4rem}
.ld-explorer p{margin:.3rem 0}
.ld-explorer canvas.ld-scatter{width:min(340px,90vw);aspect-ratio:1;touch-action:none;cursor:crosshair}
.ld-explorer canvas.ld-digit{width:168px;height:168px;image-rendering:pixelated;border:1px solid #bbb}
.ld-explorer canvas.ld-small{width:36px;height:36px;border:2px solid transparent}
.ld-explorer canvas:focus-visible,.ld-explorer input:focus-visible+canvas{outline:2px solid #1f77b4}
.ld-explorer .ld-legend span{margin-right:.5em;white-space:nowrap}
.ld-explorer .ld-legend i{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.2em}
.ld-explorer .ld-slider{display:grid;grid-template-columns:9.5em minmax(4em,1fr) 2.8em;align-items:center;gap:.5em}
.ld-explorer .ld-slider span{white-space:nowrap}
.ld-explorer .ld-controls .ld-slider{grid-template-columns:auto minmax(6em,1fr) 2.8em}
.ld-explorer.ld-traversals .ld-panel{flex:1 1 15rem;min-width:0}
.ld-explorer .ld-strip{display:flex;align-items:center;gap:.2rem;flex-wrap:wrap}
.ld-explorer .ld-strip>span{width:3.5em}
.ld-explorer .ld-strip input{position:absolute;opacity:0;width:1px;height:1px}
.ld-explorer .ld-strip input:checked+canvas{border-color:#d62728}
.ld-explorer .ld-controls{min-width:18rem;flex:1}
.ld-explorer [role=radiogroup] label{margin-left:.8em}
.ld-explorer [role=radiogroup] input{margin-right:.3em}
.ld-explorer .ld-title{font-weight:600}
</style>"""
