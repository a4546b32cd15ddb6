/* Latent Digits: the explorers of the HTML edition. latentdigits/explorers.py writes each
   explorer's markup and data and inlines this script after it. Plain JavaScript, no library:
   the decoders, Linear(latent, hidden) -> ReLU -> Linear(hidden, 784) -> sigmoid, run here from
   the arrays exported with the page, and every control redraws the digit at once. */
(function () {
  "use strict";
  // The script follows every explorer of a page: the first copy defines everything, later
  // copies only start the explorers that arrived since.
  if (window.latentDigits) {
    window.latentDigits.start();
    return;
  }

  const SIDE = 28, PIXELS = SIDE * SIDE;
  const TYPES = { f4: Float32Array, i1: Int8Array, i2: Int16Array, u1: Uint8Array, u2: Uint16Array };
  const TAB10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"];

  // The arrays of explorers.pack: one zlib stream in base64, inflated by the browser itself.
  async function unpack(packed) {
    const bytes = Uint8Array.from(atob(packed.data), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    const buffer = await new Response(stream).arrayBuffer();
    const arrays = {};
    let offset = 0;
    for (const [name, type, length] of packed.layout) {
      const size = length * TYPES[type].BYTES_PER_ELEMENT;
      arrays[name] = new TYPES[type](buffer.slice(offset, offset + size)); // a copy, aligned for its type
      offset += size;
    }
    return arrays;
  }

  // The 784 x hidden layer: rows of 8-bit levels, and of 16-bit ones for the rows listed in
  // `wide`, each times its row's scale (explorers.second_layer does the same in Python).
  function secondLayer(arrays, prefix, hidden) {
    const scale = arrays[prefix + "scale"], narrow = arrays[prefix + "narrow"], wider = arrays[prefix + "wider"];
    const wide = new Set(arrays[prefix + "wide"]);
    const weights = new Float64Array(PIXELS * hidden);
    let narrowRow = 0, wideRow = 0;
    for (let i = 0; i < PIXELS; i++) {
      const source = wide.has(i) ? wider : narrow;
      const start = (wide.has(i) ? wideRow++ : narrowRow++) * hidden;
      for (let j = 0; j < hidden; j++) weights[i * hidden + j] = source[start + j] * scale[i];
    }
    return weights;
  }

  // The decoder of one model, whose arrays' names start with `prefix`. decode(z) takes the
  // coordinates of the exported latent dimensions (the others are 0) and returns the 784
  // pixels in [0, 1], in one Float64Array that the next call overwrites.
  function decoder(arrays, prefix) {
    const w1 = arrays[prefix + "w1"], b1 = arrays[prefix + "b1"], b2 = arrays[prefix + "b2"];
    const hidden = b1.length, inputs = w1.length / hidden;
    const w2 = secondLayer(arrays, prefix, hidden);
    const h = new Float64Array(hidden), on = new Int32Array(hidden), image = new Float64Array(PIXELS);
    return function decode(z) {
      let count = 0; // the hidden units the ReLU lets through: only they reach the second layer
      for (let j = 0; j < hidden; j++) {
        let sum = b1[j];
        for (let d = 0; d < inputs; d++) sum += w1[j * inputs + d] * z[d];
        if (sum > 0) {
          h[j] = sum;
          on[count++] = j;
        }
      }
      for (let i = 0; i < PIXELS; i++) {
        const row = i * hidden;
        let sum = b2[i];
        for (let k = 0; k < count; k++) sum += w2[row + on[k]] * h[on[k]];
        image[i] = 1 / (1 + Math.exp(-sum));
      }
      return image;
    };
  }

  // An image in [0, 1] as the book's figures draw digits, ink on paper (1 is black), on a canvas
  // of one pixel per image pixel (CSS enlarges it). `z`, the point it was decoded at, is kept in
  // data-z.
  function draw(canvas, image, z) {
    const context = canvas.getContext("2d"), pixels = context.createImageData(SIDE, SIDE), data = pixels.data;
    for (let i = 0; i < PIXELS; i++) {
      const grey = 255 - Math.round(255 * image[i]);
      data[4 * i] = data[4 * i + 1] = data[4 * i + 2] = grey;
      data[4 * i + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
    if (z) canvas.dataset.z = Array.from(z).join(",");
  }

  // 1.5 -> "1.50", -0.25 -> "−0.25" (a typographic minus), never "−0.00".
  function number(value) {
    const text = value.toFixed(2);
    return /^-0\.00$/.test(text) ? "0.00" : text.replace("-", "\u2212");
  }

  function fill(template, values) {
    return template.replace(/\{(\d)\}/g, (_, k) => values[k]);
  }

  // --- The 2-D latent plane: the test codes coloured by digit, and a point to move over them.
  function plane(root, config, arrays) {
    const decode = decoder(arrays, "");
    const canvas = root.querySelector("canvas.ld-scatter"), digit = root.querySelector("canvas.ld-digit");
    const caption = root.querySelector(".ld-coordinates");
    const extent = config.extent, margin = { left: 36, right: 10, top: 10, bottom: 32 };
    let point = [0, 0], size = 0, ratio = 1, background = null;
    const clamp = (v) => Math.min(extent, Math.max(-extent, v));
    const x = (z1) => margin.left + ((z1 + extent) / (2 * extent)) * (size - margin.left - margin.right);
    const y = (z2) => margin.top + ((extent - z2) / (2 * extent)) * (size - margin.top - margin.bottom);
    const z1 = (px) => ((px - margin.left) / (size - margin.left - margin.right)) * 2 * extent - extent;
    const z2 = (py) => extent - ((py - margin.top) / (size - margin.top - margin.bottom)) * 2 * extent;

    // The scatter is drawn once per size into a canvas of its own; each move copies it back
    // and adds the marker, which keeps a move to one decode and two small draws.
    function drawBackground() {
      size = canvas.clientWidth || 340;
      ratio = window.devicePixelRatio || 1;
      canvas.width = canvas.height = Math.round(size * ratio);
      background = document.createElement("canvas");
      background.width = background.height = canvas.width;
      const c = background.getContext("2d");
      c.scale(ratio, ratio);
      c.fillStyle = "#fff";
      c.fillRect(0, 0, size, size);
      c.strokeStyle = "#ccc";
      c.fillStyle = "#444";
      c.font = "11px sans-serif";
      c.textAlign = "center";
      const every = extent <= 5 ? 1 : extent <= 10 ? 2 : 5; // about ten ticks an axis, whatever the extent
      for (let tick = Math.ceil(-extent / every) * every; tick <= extent; tick += every) {
        c.beginPath();
        c.moveTo(x(tick), y(-extent));
        c.lineTo(x(tick), y(extent));
        c.moveTo(x(-extent), y(tick));
        c.lineTo(x(extent), y(tick));
        c.lineWidth = tick === 0 ? 1 : 0.4;
        c.stroke();
        c.fillText(String(tick).replace("-", "\u2212"), x(tick), y(-extent) + 13);
        c.fillText(String(tick).replace("-", "\u2212"), margin.left - 12, y(tick) + 4);
      }
      c.font = "italic 13px serif";
      c.fillText("z\u2081", x(0), size - 3);
      c.fillText("z\u2082", 9, y(0) + 4);
      // The points are 16-bit fractions of the square, grouped by digit and drawn in that order.
      const points = arrays.points, counts = arrays.counts, unit = (2 * extent) / 65535;
      c.globalAlpha = 0.5;
      for (let d = 0, k = 0; d < 10; d++) {
        c.fillStyle = TAB10[d];
        for (let n = 0; n < counts[d]; n++, k++) {
          c.fillRect(x(points[2 * k] * unit - extent) - 1, y(points[2 * k + 1] * unit - extent) - 1, 2, 2);
        }
      }
    }

    function update() {
      const context = canvas.getContext("2d");
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.drawImage(background, 0, 0);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      for (const [colour, width] of [["#fff", 4], ["#000", 1.5]]) {
        context.strokeStyle = colour;
        context.lineWidth = width;
        context.beginPath();
        context.arc(x(point[0]), y(point[1]), 6, 0, 2 * Math.PI);
        context.stroke();
      }
      draw(digit, decode(point), point);
      caption.textContent = fill(config.text.coordinates, point.map(number));
    }

    function moveTo(event) {
      const box = canvas.getBoundingClientRect();
      point = [clamp(z1(((event.clientX - box.left) * size) / box.width)),
        clamp(z2(((event.clientY - box.top) * size) / box.height))];
      update();
    }

    canvas.addEventListener("pointerdown", (event) => {
      canvas.setPointerCapture(event.pointerId);
      canvas.focus();
      moveTo(event);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (event.buttons) moveTo(event);
    });
    const KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    canvas.addEventListener("keydown", (event) => {
      if (event.key === "Home") {
        point = [0, 0];
      } else if (KEYS[event.key]) {
        const step = event.shiftKey ? 5 * config.step : config.step, [dx, dy] = KEYS[event.key];
        point = [clamp(point[0] + dx * step), clamp(point[1] + dy * step)];
      } else {
        return;
      }
      event.preventDefault(); // the arrows move the point, not the page
      update();
    });
    window.addEventListener("resize", () => {
      if (canvas.clientWidth && canvas.clientWidth !== size) {
        drawBackground();
        update();
      }
    });
    drawBackground();
    update();
  }

  // --- Traversals: for each model a slider per latent dimension, the others at 0.
  function traversals(root, config, arrays) {
    const panels = config.models.map((model, index) => {
      const panel = root.querySelector(`[data-model="${index}"]`);
      const decode = decoder(arrays, model.prefix), canvas = panel.querySelector("canvas.ld-digit");
      const sliders = Array.from(panel.querySelectorAll("input[type=range]"));
      const z = new Float64Array(sliders.length);
      function update() {
        sliders.forEach((slider, k) => {
          z[k] = Number(slider.value);
          slider.nextElementSibling.value = number(z[k]);
        });
        draw(canvas, decode(z), z);
      }
      for (const slider of sliders) slider.addEventListener("input", update);
      update();
      return { sliders, update };
    });
    root.querySelector(".ld-reset").addEventListener("click", () => {
      for (const panel of panels) {
        for (const slider of panel.sliders) slider.value = 0;
        panel.update();
      }
    });
  }

  function norm(v) {
    let sum = 0;
    for (const x of v) sum += x * x;
    return Math.sqrt(sum);
  }

  // vaebook.latent.slerp: along the great circle from a to b, the norm scaled linearly.
  function slerp(a, b, t, out) {
    const na = norm(a), nb = norm(b), length = (1 - t) * na + t * nb;
    let cosine = 0;
    for (let d = 0; d < a.length; d++) cosine += (a[d] / na) * (b[d] / nb);
    const omega = Math.acos(Math.min(1, Math.max(-1, cosine))), sine = Math.sin(omega);
    // One direction (a digit to itself): the circle is a point, which the formula's 0 / 0 misses.
    const p = sine > 1e-9 ? Math.sin((1 - t) * omega) / sine : 1 - t, q = sine > 1e-9 ? Math.sin(t * omega) / sine : t;
    for (let d = 0; d < a.length; d++) out[d] = (p * (a[d] / na) + q * (b[d] / nb)) * length;
    return out;
  }

  function lerp(a, b, t, out) {
    for (let d = 0; d < a.length; d++) out[d] = a[d] + t * (b[d] - a[d]);
    return out;
  }

  // --- Interpolation: two test digits picked from the strips, a path between their codes.
  function interpolation(root, config, arrays) {
    const decode = decoder(arrays, ""), probes = arrays.probes, codes = arrays.codes;
    const count = probes.length / PIXELS, dims = codes.length / count;
    const code = (k) => codes.subarray(k * dims, (k + 1) * dims);
    root.querySelectorAll(".ld-strip").forEach((strip) => {
      strip.querySelectorAll("canvas").forEach((canvas, k) => {
        draw(canvas, Float64Array.from(probes.subarray(k * PIXELS, (k + 1) * PIXELS), (v) => v / 255));
      });
    });
    const slider = root.querySelector("input.ld-t"), canvas = root.querySelector(".ld-row canvas.ld-digit");
    const chosen = (name) => root.querySelector(`input[name="${name}"]:checked`).value;
    const z = new Float64Array(dims);
    function update() {
      const t = Number(slider.value), walk = chosen("ld-path") === "spherical" ? slerp : lerp;
      walk(code(Number(chosen("ld-from"))), code(Number(chosen("ld-to"))), t, z);
      slider.nextElementSibling.value = t.toFixed(2);
      draw(canvas, decode(z), z);
    }
    for (const radio of root.querySelectorAll("input[type=radio]")) radio.addEventListener("change", update);
    slider.addEventListener("input", update);
    update();
  }

  const KINDS = { plane, traversals, interpolation };

  // Starts every explorer of the page not started yet; data-state says where each one is.
  async function start() {
    for (const root of document.querySelectorAll(".ld-explorer:not([data-state])")) {
      root.dataset.state = "loading";
      try {
        const config = JSON.parse(root.querySelector("script.ld-data").textContent);
        KINDS[config.kind](root, config, await unpack(config.packed));
        root.dataset.state = "ready";
      } catch (error) {
        root.dataset.state = "failed";
        throw error;
      }
    }
  }

  window.latentDigits = { start };
  start();
})();
