"""The HTML edition's explorers (latentdigits/explorers.py and explorers.js).

First the export, without rendering anything: the page's arrays read back as written, the
8-bit rounding, the bound of 1/255 checked on every export and failing on a bad one, and the
bytes each page loads. Then the quick book in headless Chromium with the network cut off:
every control is moved, each digit drawn on a canvas is compared with the package's decoder
at the same latent point, and the time from a control's change to the redrawn digit is
measured in the page."""

from __future__ import annotations

import json
import re
import statistics

import numpy as np
import pytest
import torch

from conftest import EDITIONS, offline_page
from latentdigits import explorers
from vaebook.config import VAEConfig
from vaebook.models import MLPVAE

FRAME_MS = 16  # the longest a control change may take to redraw its digit


def small_decoder(latent_dim: int = 2, hidden_dim: int = 48, seed: int = 0) -> MLPVAE:
    """A random 784-hidden-latent VAE whose weights are as large as a trained one's."""
    torch.manual_seed(seed)
    model = MLPVAE(VAEConfig(hidden_dim=hidden_dim, latent_dim=latent_dim)).eval()
    with torch.no_grad():
        for layer in (model.decoder[0], model.decoder[2]):
            layer.weight.mul_(4)
    return model


# --- The export -----------------------------------------------------------------------------------


def test_packed_arrays_read_back_as_written() -> None:
    generator = np.random.default_rng(0)
    arrays = {"f": generator.normal(size=7).astype(np.float32), "i8": np.arange(-128, 128, dtype=np.int8),
              "i16": np.array([-32767, 0, 32767], dtype=np.int16), "u8": np.arange(256, dtype=np.uint8),
              "u16": np.array([0, 783], dtype=np.uint16), "empty": np.zeros(0, np.int16)}
    read = explorers.unpack(explorers.pack(arrays))
    assert list(read) == list(arrays)
    for name, array in arrays.items():
        assert read[name].dtype == array.dtype and np.array_equal(read[name], array), name


def test_pack_refuses_a_type_the_page_cannot_read() -> None:
    with pytest.raises(ValueError, match="float64"):
        explorers.pack({"w": np.zeros(3)})


def test_rounding_without_correlated_inputs_is_to_the_nearest_level() -> None:
    weight = torch.randn(30, 20, generator=torch.Generator().manual_seed(0))
    levels, scale = explorers.quantize_rows(weight, torch.eye(20))
    assert levels.abs().max() <= 127
    assert ((levels * scale[:, None] - weight.double()).abs() <= scale[:, None] / 2 + 1e-12).all()


def test_rounding_cancels_its_error_on_the_inputs() -> None:
    generator = torch.Generator().manual_seed(0)
    weight = torch.randn(50, 40, generator=generator)
    inputs = torch.relu(torch.randn(2000, 3, generator=generator) @ torch.randn(3, 40, generator=generator))
    levels, scale = explorers.quantize_rows(weight, inputs)
    nearest, nearest_scale = explorers.nearest_levels(weight, 8)

    def output_error(quantized, s):
        return ((inputs.double() @ (quantized * s[:, None] - weight.double()).T) ** 2).mean()

    assert output_error(levels, scale) < output_error(nearest, nearest_scale) / 4


@pytest.mark.slow
def test_the_export_reads_back_to_the_decoders_weights() -> None:
    model = small_decoder()
    export = explorers.export_decoder(model, [0, 1], 2, explorers.box(2, -3, 3))
    page = explorers.unpack(explorers.pack(export.arrays))
    first, second = model.decoder[0], model.decoder[2]
    for name, tensor in (("w1", first.weight), ("b1", first.bias), ("b2", second.bias)):
        assert np.array_equal(page[name], tensor.detach().numpy().ravel()), name  # float32, exactly
    weight = second.weight.detach().double().numpy()
    steps = np.abs(explorers.second_layer(page) - weight) / page["scale"].astype(np.float64)[:, None]
    wide = np.isin(np.arange(explorers.PIXELS), page["wide"])
    assert (steps[wide] <= 0.5 + 1e-6).all()  # 16-bit rows: the nearest level
    # 8-bit rows move by a few levels, where that cancels the others' errors on the decoded digits
    assert np.quantile(steps[~wide], 0.99) <= 4
    assert export.max_error <= explorers.TOLERANCE


@pytest.mark.slow
def test_the_exported_decoder_draws_what_the_package_draws() -> None:
    model, dims = small_decoder(latent_dim=6), [4, 1, 3]
    export = explorers.export_decoder(model, dims, 6, explorers.box(3, -3, 3), prefix="m0.")
    z = torch.rand(500, 3, generator=torch.Generator().manual_seed(5), dtype=torch.float64) * 6 - 3
    full = torch.zeros(500, 6)
    full[:, dims] = z.float()
    with torch.no_grad():
        expected = model.decode(full).numpy()
    drawn = explorers.page_decode(explorers.unpack(explorers.pack(export.arrays)), z.numpy(), prefix="m0.")
    assert np.abs(drawn - expected).max() <= explorers.TOLERANCE


@pytest.mark.slow
def test_the_check_fails_on_a_bad_encoding() -> None:
    model = small_decoder()
    export = explorers.export_decoder(model, [0, 1], 2, explorers.box(2, -3, 3))
    three_bits, scale = explorers.nearest_levels(model.decoder[2].weight.detach(), 3)
    bad = export.arrays | {"narrow": three_bits.numpy().astype(np.int8), "scale": scale.float().numpy(),
                           "wider": np.zeros(0, np.int16), "wide": np.zeros(0, np.uint16)}
    points = explorers.box(2, -3, 3)(1000, torch.Generator().manual_seed(9))
    with pytest.raises(explorers.ExportError, match="above the bound of 1/255"):
        explorers.check_export(bad, model, [0, 1], 2, points)


@pytest.fixture(scope="module")
def quick_runs(mnist_root):
    """The quick profile's runs the explorers show, trained into the session's cache, which
    the quick book then renders from."""
    from latentdigits import experiments

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VAEBOOK_DATA", str(mnist_root))
        yield experiments.runs("vae-2d", "vae-bce", "beta-1", "beta-4")


@pytest.mark.parametrize("lang", EDITIONS)
def test_each_page_loads_at_most_a_megabyte_of_explorers(quick_runs, lang: str) -> None:
    from latentdigits.chapters import beta_vae, latent_space

    pages = {"latent-space": [latent_space.html_explorer(lang), latent_space.html_interpolation(lang)],
             "beta-vae": [beta_vae.html_traversals(lang)]}
    sizes = {page: sum(len(block.data.encode("utf-8")) for block in blocks) for page, blocks in pages.items()}
    print(f"\n{lang}: explorer bytes per page {sizes}")
    assert all(size <= explorers.PAGE_BUDGET for size in sizes.values()), sizes


# --- In the browser, offline ------------------------------------------------------------------------

INK = "c => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data).filter((_, i) => i % 4 === 0)"
# Milliseconds from each change of an input (slider set, radio clicked) to its redrawn digit:
# the explorers decode and draw in the event's handler, so dispatching the event runs both.
TIME_INPUTS = """([inputs, values]) => values.map((value, k) => {
  const input = inputs[k % inputs.length], started = performance.now();
  if (input.type === "radio") input.click();
  else { input.value = value; input.dispatchEvent(new Event("input", {bubbles: true})); }
  return performance.now() - started;
})"""
TIME_KEYS = """([canvas, keys]) => keys.map((key) => {
  const started = performance.now();
  canvas.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true, cancelable: true}));
  return performance.now() - started;
})"""
SET_VALUE = "(input, value) => { input.value = value; input.dispatchEvent(new Event('input', {bubbles: true})); }"


def open_chapter(browser, site: str, lang: str, chapter: str, explorers_on_page: int):
    page, refused = offline_page(browser, site)
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto(f"{site}/{lang}/chapters/{lang}/{chapter}.html", wait_until="load")
    page.wait_for_function(f"""() => {{ const all = document.querySelectorAll('.ld-explorer');
        return all.length === {explorers_on_page} && [...all].every((e) => e.dataset.state === 'ready'); }}""",
                           timeout=15_000)
    return page, refused


def drawn_point(canvas) -> np.ndarray:
    return np.array([float(v) for v in canvas.get_attribute("data-z").split(",")])


@torch.no_grad()
def difference(canvas, model, z) -> int:
    """The largest difference, in levels of 255, between the digit on the canvas and the
    package's decoder at z, rounded to the same 8 bits."""
    expected = np.round(model.decode(torch.as_tensor(np.asarray(z), dtype=torch.float32)[None])[0].numpy() * 255)
    ink = 255 - np.array(canvas.evaluate(INK), dtype=float)
    return int(np.abs(ink - expected).max())


def check_words(root, lang: str) -> None:
    """The Chinese edition labels the explorer in Chinese, the English one in English."""
    text = root.inner_text()
    labels = [root.locator("[aria-label]").nth(k).get_attribute("aria-label")
              for k in range(root.locator("[aria-label]").count())]
    cjk = re.compile(r"[\u4e00-\u9fff]")
    if lang == "zh":
        assert not re.search(r"[A-Za-z]{3,}", re.sub(r"\b(Shift|Home)\b", "", text)), text  # names on the keys
        assert all(cjk.search(label) for label in labels), labels
    else:
        assert not cjk.search(text + "".join(labels))


def report(name: str, lang: str, times: list[float], differences: list[int]) -> None:
    print(f"\n{lang} {name}: redraw {statistics.median(times):.2f} ms median, {max(times):.2f} ms max over "
          f"{len(times)} changes; largest pixel difference from the package {max(differences)}/255")
    assert max(times) <= FRAME_MS, times
    assert max(differences) <= 1, differences


@pytest.fixture(scope="module")
def shots(quick_book):
    folder = quick_book["root"] / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_latent_plane_draws_the_package_digit_wherever_the_point_goes(quick_runs, site, browser, shots,
                                                                           lang: str) -> None:
    from vaebook.families import trained_model

    model = trained_model(quick_runs["vae-2d"])
    page, refused = open_chapter(browser, site, lang, "latent-space", 2)
    root = page.locator(".ld-explorer.ld-plane")
    plane, digit = root.locator("canvas.ld-scatter"), root.locator("canvas.ld-digit")
    config = json.loads(root.locator("script.ld-data").text_content())
    differences = [difference(digit, model, drawn_point(digit))]
    assert np.array_equal(drawn_point(digit), [0, 0])

    plane.focus()  # the keyboard: a step per arrow, five with Shift
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowUp", "Shift+ArrowDown"):
        page.keyboard.press(key)
    assert np.allclose(drawn_point(digit), [3 * config["step"], -4 * config["step"]])
    differences.append(difference(digit, model, drawn_point(digit)))
    assert root.locator(".ld-coordinates").inner_text().endswith(
        f"({3 * config['step']:.2f}, \u2212{4 * config['step']:.2f})")

    box = plane.bounding_box()  # the pointer: a click up and left of the centre, then a drag
    plane.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.3})
    z = drawn_point(digit)
    assert z[0] < 0 < z[1]
    differences.append(difference(digit, model, z))
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.85, box["y"] + box["height"] * 0.8, steps=5)
    page.mouse.up()
    z = drawn_point(digit)
    assert z[0] > 0 > z[1] and np.all(np.abs(z) <= config["extent"])
    differences.append(difference(digit, model, z))
    page.keyboard.press("Home")
    assert np.array_equal(drawn_point(digit), [0, 0])

    times = page.evaluate(TIME_KEYS, [plane.element_handle(), ["ArrowLeft"] * 10 + ["ArrowDown"] * 10])
    differences.append(difference(digit, model, drawn_point(digit)))
    check_words(root, lang)
    root.screenshot(path=str(shots / f"{lang}-explorer-plane.png"))
    report("latent plane", lang, times, differences)
    assert refused == [], refused


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_interpolation_walks_the_package_paths(quick_runs, site, browser, shots, lang: str) -> None:
    from latentdigits.chapters.latent_space import END, START
    from vaebook import latent
    from vaebook.families import trained_model

    vae = quick_runs["vae-bce"]
    model = trained_model(vae)
    codes = latent.encode(model, vae.artefacts["probe_images"])[0]

    def expected(start: int, end: int, path: str, t: float) -> torch.Tensor:
        a, b = codes[start], codes[end]
        if start == end:
            return a
        return a + t * (b - a) if path == "linear" else latent.slerp(a, b, torch.tensor([t]))[0]

    page, refused = open_chapter(browser, site, lang, "latent-space", 2)
    root = page.locator(".ld-explorer.ld-interpolation")
    digit, slider = root.locator(".ld-row canvas.ld-digit"), root.locator("input.ld-t")
    strips = root.locator(".ld-strip")
    differences = [difference(digit, model, expected(START, END, "linear", 0.5))]

    strips.nth(0).locator("label").nth(2).click()  # from a 2 to a 7, on the great circle
    strips.nth(1).locator("label").nth(7).click()
    root.locator("input[value=spherical]").locator("xpath=..").click()
    slider.focus()
    for _ in range(20):
        page.keyboard.press("ArrowLeft")
    assert slider.input_value() == "0.3"
    assert np.allclose(drawn_point(digit), expected(2, 7, "spherical", 0.3).numpy(), atol=1e-5)
    differences.append(difference(digit, model, expected(2, 7, "spherical", 0.3)))
    for t in (0.0, 0.55, 1.0):
        slider.evaluate(SET_VALUE, str(t))
        differences.append(difference(digit, model, expected(2, 7, "spherical", t)))
    root.locator("input[value=linear]").locator("xpath=..").click()
    slider.evaluate(SET_VALUE, "0.8")
    differences.append(difference(digit, model, expected(2, 7, "linear", 0.8)))
    strips.nth(0).locator("label").nth(7).click()  # a digit to itself: both paths stay at its code
    for path in ("linear", "spherical"):
        root.locator(f"input[value={path}]").locator("xpath=..").click()
        differences.append(difference(digit, model, expected(7, 7, path, 0.8)))

    inputs = [slider.element_handle()] * 8 + [root.locator(f"input[value={p}]").element_handle()
                                               for p in ("linear", "spherical")]
    values = [str(v) for v in np.linspace(0, 1, 20).round(2)]
    times = page.evaluate(TIME_INPUTS, [inputs, values])
    check_words(root, lang)
    strips.nth(0).locator("label").nth(START).click()
    strips.nth(1).locator("label").nth(END).click()
    slider.evaluate(SET_VALUE, "0.5")
    root.screenshot(path=str(shots / f"{lang}-explorer-interpolation.png"))
    report("interpolation", lang, times, differences)
    assert refused == [], refused


@pytest.mark.parametrize("lang", EDITIONS)
def test_the_traversal_sliders_draw_the_package_digits(quick_runs, site, browser, shots, lang: str) -> None:
    from latentdigits.chapters.beta_vae import SHOWN, TRAVERSAL_VALUES, TRAVERSED
    from vaebook import measure
    from vaebook.families import trained_model

    runs = [quick_runs[name] for name in TRAVERSED.values()]
    models = [trained_model(r) for r in runs]
    dims = [measure.informative_dimensions(r, SHOWN) for r in runs]

    def point(model_dims, values) -> np.ndarray:
        z = np.zeros(runs[0].config.latent_dim)
        z[model_dims] = values
        return z

    page, refused = open_chapter(browser, site, lang, "beta-vae", 1)
    root = page.locator(".ld-explorer.ld-traversals")
    differences, handles = [], []
    for index, (model, model_dims) in enumerate(zip(models, dims)):
        panel = root.locator(f"[data-model='{index}']")
        digit, sliders = panel.locator("canvas.ld-digit"), panel.locator("input[type=range]")
        assert sliders.count() == SHOWN
        assert [sliders.nth(k).get_attribute(name) for k in (0, SHOWN - 1) for name in ("min", "max")] == \
            [f"{TRAVERSAL_VALUES[0]:g}", f"{TRAVERSAL_VALUES[-1]:g}"] * 2
        assert [int(re.findall(r"\d+", panel.locator(".ld-slider span").nth(k).inner_text())[0]) - 1
                for k in range(SHOWN)] == model_dims
        differences.append(difference(digit, model, point(model_dims, 0)))
        values = np.array([-3, -1.5, 0.75, 2, 3]) * (1 if index == 0 else -1)
        for k, value in enumerate(values):
            sliders.nth(k).evaluate(SET_VALUE, str(value))
        assert np.array_equal(drawn_point(digit), values)
        differences.append(difference(digit, model, point(model_dims, values)))
        sliders.nth(2).focus()  # the keyboard: one step of 0.05 per arrow
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        values[2] += 0.2
        assert np.allclose(drawn_point(digit), values)
        differences.append(difference(digit, model, point(model_dims, drawn_point(digit))))
        handles += [sliders.nth(k).element_handle() for k in range(SHOWN)]

    root.locator("button.ld-reset").click()
    for index, (model, model_dims) in enumerate(zip(models, dims)):
        digit = root.locator(f"[data-model='{index}'] canvas.ld-digit")
        assert not drawn_point(digit).any()
        differences.append(difference(digit, model, point(model_dims, 0)))

    values = [str(v) for v in np.linspace(-3, 3, 20).round(2)]
    times = page.evaluate(TIME_INPUTS, [handles, values])
    check_words(root, lang)
    root.locator("button.ld-reset").click()
    root.screenshot(path=str(shots / f"{lang}-explorer-traversals.png"))
    report("traversals", lang, times, differences)
    assert refused == [], refused
