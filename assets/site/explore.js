/* loss-scenes explorable pages: the page (spec-v3 section 15). The maths is explore-maths.js,
 * the scene's data and loss the generated explore/<Scene>.js. Every change schedules one update
 * per animation frame; the curves are redrawn only when a parameter changes, the influence
 * curves only when the selected point or the others change. No inline style: positions and
 * colours are set through the CSSOM, which a "default-src 'self'" policy allows.
 */
"use strict";

(function () {
  const M = window.LossScenesMaths;
  const SCENE = window.LossScenesExplore;
  if (!M || !SCENE) return;
  const DATA = SCENE.data;
  const P = DATA.palette;
  // The words this script shows, in the page's language: the page's data-text (JSON), written
  // by the export from the site's catalogue; "{name}" marks where a value goes.
  const WORDING = JSON.parse(document.body.dataset.text || "{}");
  function wording(key, values = {}) {
    const text = key in WORDING ? WORDING[key] : key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }
  /** A number as this script writes it ("0.37"), as the page's language does ("0,37"). */
  const DECIMAL = WORDING.decimal || ".";
  function local(text) {
    return DECIMAL === "." ? text : String(text).replace(/(\d)\.(\d)/g, `$1${DECIMAL}$2`);
  }
  const KEYS = ["mean", "median", "huber", "trimmed", "scene"];
  const NAMES = {
    mean: wording("nameMean"),
    median: wording("nameMedian"),
    huber: wording("nameHuber"),
    trimmed: wording("nameTrimmed"),
    scene: wording("nameScene"),
  };
  const ROLE = {mean: "mean", median: "median", huber: "estimate", trimmed: "trimmed_mean", scene: "theta"};

  const state = {
    y: DATA.observations.slice(),
    params: {},
    auto: {},
    selected: 0,
    view: DATA.line.slice(),
  };
  for (const p of DATA.params) {
    state.params[p.name] = p.value;
    state.auto[p.name] = Boolean(p.auto);
  }
  const fragmentNote = document.getElementById("fragment-note");
  const BIG = 1e14; // the spec's finite limits (1e15) are not worth a word
  readFragment();

  const root = document.documentElement;
  for (const [role, colour] of Object.entries(P)) root.style.setProperty(`--role-${role}`, colour);

  // --- colours for text: the video's hue, lightened until it reads (WCAG AA, 4.5:1) -------------
  function channels(colour) {
    const hex = colour.trim().replace(/^#/, "");
    const full = hex.length === 3 ? hex.replace(/./g, "$&$&") : hex;
    return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16));
  }
  function luminance(rgb) {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  function contrast(a, b) {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  const surface = getComputedStyle(root).getPropertyValue("--surface").trim() || "#181b24";
  const grounds = [P.background, surface].filter((c) => /^#[0-9a-f]{3,6}$/i.test(c)).map(channels);
  /** The colour, mixed with white just enough to stand 4.6:1 against the page and its panels. */
  function readable(colour) {
    if (!/^#[0-9a-f]{3,6}$/i.test(colour)) return colour;
    const rgb = channels(colour);
    for (let t = 0; t <= 1.0001; t += 0.02) {
      const mixed = rgb.map((v) => Math.round(v + (255 - v) * t));
      if (grounds.every((g) => contrast(mixed, g) >= 4.6)) {
        return `#${mixed.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
      }
    }
    return "#ffffff";
  }
  const TEXT = {};
  for (const [role, colour] of Object.entries(P)) {
    TEXT[role] = readable(colour);
    root.style.setProperty(`--text-${role}`, TEXT[role]);
  }

  // --- the fragment: #y=...&delta=... ------------------------------------------------------
  function allowed(p, value) {
    const v = p.valid || {};
    if (!Number.isFinite(value)) return false;
    if (v.min !== null && v.min !== undefined && (v.minOpen ? value <= v.min : value < v.min)) return false;
    if (v.max !== null && v.max !== undefined && (v.maxOpen ? value >= v.max : value > v.max)) return false;
    return true;
  }
  /** The rule a parameter's value follows, as the spec checks it: "δ ≥ 1e-12", "0 < τ < 1". */
  function rule(p) {
    const v = p.valid || {};
    const low = v.min !== null && v.min !== undefined && v.min > -BIG;
    const high = v.max !== null && v.max !== undefined && v.max < BIG;
    const lower = low ? `${local(M.significant(v.min, 6))} ${v.minOpen ? "<" : "≤"} ` : "";
    const upper = high ? ` ${v.maxOpen ? "<" : "≤"} ${local(M.significant(v.max, 6))}` : "";
    return low || high ? `${lower}${p.label}${upper}` : wording("aNumber", {label: p.label});
  }

  function readFragment() {
    const fields = new URLSearchParams(location.hash.replace(/^#/, ""));
    const refused = [];
    const words = (fields.get("y") || "").split(",").filter((t) => t.trim() !== "");
    const ys = words.map(Number);
    if (ys.length && ys.every(Number.isFinite)) state.y = ys;
    else if (ys.length) refused.push(wording("refusedY"));
    for (const p of DATA.params) {
      const text = fields.get(p.name);
      if (text === null) continue;
      if (text === "auto" && p.auto !== undefined) {
        state.auto[p.name] = true;
      } else if (text.trim() !== "" && allowed(p, Number(text))) {
        state.auto[p.name] = false;
        state.params[p.name] = Number(text);
      } else {
        const kept = state.auto[p.name] ? "auto" : local(M.significant(state.params[p.name], 6));
        refused.push(wording("refusedParameter", {label: p.label, text, rule: rule(p), kept}));
      }
    }
    if (fragmentNote) {
      fragmentNote.textContent = refused.length ? wording("refused", {list: refused.join("; ")}) : "";
      fragmentNote.hidden = !refused.length;
    }
  }

  function fragment() {
    const parts = [`y=${state.y.map(String).join(",")}`];
    for (const p of DATA.params) {
      parts.push(`${encodeURIComponent(p.name)}=${state.auto[p.name] ? "auto" : String(state.params[p.name])}`);
    }
    return `#${parts.join("&")}`;
  }

  // --- the numbers ---------------------------------------------------------------------
  function constants(y) {
    const c = {};
    for (const p of DATA.params) c[p.name] = state.auto[p.name] ? M.robustDelta(y) : state.params[p.name];
    return c;
  }

  function huberDelta(c) {
    return DATA.huberDelta === "delta" ? c.delta : DATA.huberDelta;
  }

  function startOf(y) {
    return DATA.start === null ? M.defaultStart(y) : DATA.start;
  }

  function sceneEstimate(y, c) {
    return M.descend(SCENE.slope, c, y, startOf(y), DATA.steps).estimate;
  }

  /** The trimmed reference: the mean of the points within c of θ on the trimmed loss's page (the
   *  video's own reference), else within δ of the Huber estimate (compute's, beside Huber). */
  function trimmedOf(y, c, huber, theta) {
    // With no point within c of θ the loss is flat there and θ stays: compute's local minimum.
    if (DATA.trimmedAround === "scene") return M.trimmedMean(y, theta, c.c) ?? theta;
    return M.trimmedMean(y, huber, huberDelta(c));
  }

  function estimates(y) {
    const c = constants(y);
    const huber = M.huberLocation(y, huberDelta(c));
    const theta = sceneEstimate(y, c);
    const trimmed = trimmedOf(y, c, huber.value, theta);
    const start = startOf(y);
    return {
      c,
      start,
      // As compute warns: no observation pulls at the start, so θ cannot move.
      stuck: y.length > 0 && y.every((v) => SCENE.slope(v - start, c) === 0),
      mean: M.mean(y),
      median: M.median(y),
      huber,
      trimmed: trimmed === null ? null : {value: trimmed, lo: trimmed, hi: trimmed},
      scene: {value: theta},
    };
  }

  /** Each reference's name with the parameter it takes: "Huber (δ = 1)". */
  function labels(c) {
    const delta = `δ = ${local(M.significant(huberDelta(c), 4))}`;
    return {
      mean: wording("labelMean"),
      median: wording("labelMedian"),
      huber: wording("labelHuber", {delta}),
      trimmed:
        DATA.trimmedAround === "scene"
          ? wording("labelTrimmedScene", {c: local(M.significant(c.c, 4))})
          : wording("labelTrimmedHuber", {delta}),
      scene: wording("labelScene"),
    };
  }

  // --- elements ---------------------------------------------------------------------------
  const line = document.getElementById("line");
  const lineCanvas = document.getElementById("line-canvas");
  const holder = document.getElementById("observations");
  const curvesCanvas = document.getElementById("curves-canvas");
  const influenceCanvas = document.getElementById("influence-canvas");
  const announce = document.getElementById("announce");
  const outputs = {};
  for (const key of KEYS) outputs[key] = document.querySelector(`output[name="estimate-${key}"]`);
  const intervals = {median: document.getElementById("median-interval"), huber: document.getElementById("huber-interval")};
  const sceneNote = document.getElementById("scene-note");
  const labelled = {};
  for (const key of KEYS) labelled[key] = document.querySelector(`[data-label="${key}"]`);
  const heading = document.querySelector("h1");
  const TITLE = heading ? heading.textContent : "";

  for (const path of document.querySelectorAll("path[data-marker]")) {
    path.setAttribute("d", markerPath(DATA.markers[path.dataset.marker] || "dot", 10, 10, 7));
  }

  function format(value) {
    return local(M.atResolution(value, DATA.resolution));
  }

  // --- geometry of the number line ------------------------------------------------------------
  const LINE_Y_FROM_BOTTOM = 132; // the axis, from the canvas bottom (labels below it)
  const PAD = 18; // the line's ends, from the stage's sides
  const TARGET = 28; // an observation's target (WCAG 2.5.8 asks for 24 px)
  let axisY = 160;
  function lineWidth() {
    return line.clientWidth;
  }
  function toX(value) {
    const [lo, hi] = state.view;
    return PAD + ((value - lo) / (hi - lo)) * (lineWidth() - 2 * PAD);
  }
  function fromX(x) {
    const [lo, hi] = state.view;
    return lo + ((x - PAD) / (lineWidth() - 2 * PAD)) * (hi - lo);
  }

  // Points closer than a target apart stand in rows above the line (a beeswarm), so each keeps
  // its own target; past the rows there is room for, they share the least crowded row.
  let rows = [];
  const MAX_ROWS = 12; // the stage grows to hold them
  function layoutRows() {
    const n = state.y.length;
    const xs = state.y.map(toX);
    const order = Array.from(xs.keys()).sort((i, j) => xs[i] - xs[j]);
    const ends = [];
    const limit = MAX_ROWS;
    rows = new Array(n).fill(0);
    for (const i of order) {
      let row = ends.findIndex((end) => end <= xs[i] - TARGET);
      if (row < 0 && ends.length < limit) row = ends.length;
      if (row < 0) row = ends.indexOf(Math.min(...ends));
      ends[row] = xs[i];
      rows[i] = row;
    }
  }

  /** The view: the video's line, widened to every point (and so narrowed back as they return). */
  function widenView() {
    let lo = Math.min(DATA.line[0], ...state.y);
    let hi = Math.max(DATA.line[1], ...state.y);
    const pad = 0.04 * (hi - lo || 1);
    if (lo < DATA.line[0]) lo -= pad;
    if (hi > DATA.line[1]) hi += pad;
    state.view = [lo, hi];
  }

  function placeAll() {
    layoutRows();
    for (let i = 0; i < elements.length; i++) placeObservation(i);
  }

  // --- observations: one slider each -------------------------------------------------------
  let elements = [];
  function buildObservations() {
    holder.replaceChildren();
    elements = state.y.map((_, index) => {
      const element = document.createElement("div");
      element.className = "observation";
      element.setAttribute("role", "slider");
      // One Tab stop for the group (a roving tabindex): the selected point.
      element.tabIndex = index === state.selected ? 0 : -1;
      element.dataset.observation = String(index);
      element.setAttribute("aria-label", wording("observation", {number: index + 1}));
      element.setAttribute("aria-orientation", "horizontal");
      element.setAttribute("aria-keyshortcuts", "ArrowLeft ArrowRight Shift+ArrowLeft Shift+ArrowRight PageUp PageDown Home End [ ] Delete");
      holder.append(element);
      return element;
    });
    placeAll();
    markSelected();
  }

  function placeObservation(index) {
    const element = elements[index];
    const value = state.y[index];
    element.dataset.at = "";
    placeObservationFast(index, axisY);
    element.setAttribute("aria-valuenow", String(value));
    element.setAttribute("aria-valuetext", format(value));
    element.setAttribute("aria-valuemin", String(state.view[0]));
    element.setAttribute("aria-valuemax", String(state.view[1]));
  }

  function markSelected() {
    for (const element of holder.querySelectorAll(".selected")) {
      element.classList.remove("selected");
      element.tabIndex = -1;
    }
    const chosen = elements[state.selected];
    if (chosen) {
      chosen.classList.add("selected");
      chosen.tabIndex = 0;
    }
  }

  function select(index) {
    if (state.selected !== index) {
      state.selected = index;
      markSelected();
      influenceKey = null;
    }
  }

  // --- updates, batched per frame ------------------------------------------------------
  let pending = false;
  let curvesDirty = true;
  let last = null;
  const timings = [];
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update();
    });
  }

  function update() {
    const began = performance.now();
    last = estimates(state.y);
    showOutputs(last);
    drawLine(last);
    if (curvesDirty) {
      drawCurves(last.c);
      curvesDirty = false;
    }
    drawInfluence();
    const hash = fragment();
    if (location.hash !== hash) history.replaceState(null, "", hash);
    timings.push(performance.now() - began);
    if (timings.length > 2000) timings.splice(0, 1000);
  }

  function showOutputs(found) {
    for (const key of KEYS) {
      const reference = found[key];
      const output = outputs[key];
      if (reference === null) {
        output.dataset.value = "";
        output.textContent = wording("noneWithin");
        continue;
      }
      output.dataset.value = String(reference.value);
      output.textContent = format(reference.value);
    }
    // A flat-bottomed loss has an interval of minimisers: the median's, Huber's when delta is
    // small enough that no point lies within it of the middle.
    for (const key of ["median", "huber"]) {
      const ref = found[key];
      if (intervals[key]) {
        intervals[key].textContent =
          ref.lo !== ref.hi ? wording("anyOf", {lo: format(ref.lo), hi: format(ref.hi)}) : "";
      }
    }
    const names = labels(found.c);
    for (const key of KEYS) if (labelled[key] && labelled[key].textContent !== names[key]) labelled[key].textContent = names[key];
    if (sceneNote) {
      const text = found.stuck
        ? wording("stuck", {start: format(found.start)})
        : "";
      if (sceneNote.textContent !== text) sceneNote.textContent = text;
      sceneNote.hidden = !text;
    }
    retitle(found.c);
    for (const p of DATA.params) {
      const shown = document.getElementById(`value-${p.name}`);
      if (shown) shown.textContent = format(found.c[p.name]);
      const slider = document.getElementById(`slider-${p.name}`);
      if (slider && state.auto[p.name]) slider.value = String(found.c[p.name]);
    }
  }

  /** A title that names a parameter's value ("tau = 0.8") follows the slider. */
  function retitle(c) {
    if (!heading) return;
    let text = TITLE;
    for (const p of DATA.params) {
      const names = [p.name, p.label].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
      const pattern = new RegExp(`(^|[^\\w])(${names})(\\s*=\\s*)(-?\\d+(?:\\.\\d+)?(?:e[-+]?\\d+)?)`, "g");
      text = text.replace(pattern, (_, before, name, eq) => `${before}${name}${eq}${M.significant(c[p.name], 4)}`);
    }
    if (heading.textContent !== text) {
      heading.textContent = text;
      document.title = wording("title", {title: text});
    }
  }

  function say() {
    if (!last) return;
    const words = KEYS.map((key) =>
      last[key] === null ? wording("saidNone", {name: NAMES[key]}) : `${NAMES[key]} ${format(last[key].value)}`,
    );
    announce.textContent = words.join(", ");
  }

  let sayTimer = null;
  function sayLater() {
    clearTimeout(sayTimer);
    sayTimer = setTimeout(() => {
      update();
      say();
    }, 450);
  }

  // --- drawing ---------------------------------------------------------------------------
  function fit(canvas, height) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.parentElement.clientWidth;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    return {context, width, height};
  }

  function markerPath(shape, x, y, size) {
    const s = size;
    const polygon = (points) =>
      `M${points.map(([px, py]) => `${(x + px).toFixed(2)},${(y + py).toFixed(2)}`).join("L")}Z`;
    const ring = (count, radius, turn, inner) => {
      const points = [];
      for (let i = 0; i < count * (inner ? 2 : 1); i++) {
        const angle = turn + (Math.PI * i) / (inner ? count : count / 2);
        const r = inner && i % 2 ? inner : radius;
        points.push([r * Math.cos(angle), r * Math.sin(angle)]);
      }
      return points;
    };
    if (shape === "diamond") return polygon([[0, -s], [s, 0], [0, s], [-s, 0]]);
    if (shape === "square") return polygon([[-s * 0.8, -s * 0.8], [s * 0.8, -s * 0.8], [s * 0.8, s * 0.8], [-s * 0.8, s * 0.8]]);
    if (shape === "star") return polygon(ring(5, s, -Math.PI / 2, s * 0.45));
    if (shape === "hexagon") return polygon(ring(6, s * 0.95, 0));
    if (shape === "triangle") return polygon([[0, s * 0.9], [s, -s * 0.8], [-s, -s * 0.8]]);
    return polygon(ring(12, s * 0.7, 0));
  }

  function drawMarker(context, shape, x, y, size, colour) {
    context.fillStyle = colour;
    context.strokeStyle = P.background;
    context.lineWidth = 1.5;
    const path = new Path2D(markerPath(shape, x, y, size));
    context.fill(path);
    context.stroke(path);
  }

  const ROW_TOP = 16;
  function drawLine(found) {
    if (!dragging) layoutRows();
    const used = rows.reduce((m, r) => Math.max(m, r + 1), 1);
    const height = Math.max(312, Math.min(422, 212 + state.y.length * 6), LINE_Y_FROM_BOTTOM + ROW_TOP + 30 + used * TARGET);
    line.style.height = `${height}px`;
    const {context, width} = fit(lineCanvas, height);
    const axis = height - LINE_Y_FROM_BOTTOM;
    axisY = axis;
    const theta = found.scene.value;
    const c = found.c;
    // The band theta +- the threshold: the points inside it count whole.
    if (DATA.band) {
      const half = c[DATA.band];
      context.fillStyle = "rgba(146, 146, 146, 0.14)";
      const a = toX(theta - half);
      const b = toX(theta + half);
      context.fillRect(a, ROW_TOP - 6, b - a, axis - ROW_TOP + 6);
      context.setLineDash([5, 5]);
      context.strokeStyle = P.muted;
      context.lineWidth = 1;
      for (const x of [a, b]) {
        context.beginPath();
        context.moveTo(x, ROW_TOP - 6);
        context.lineTo(x, axis);
        context.stroke();
      }
      context.setLineDash([]);
    }
    // One arrow per observation, stacked by rank: its pull on theta, the cut part grey.
    const n = state.y.length;
    const order = Array.from(state.y.keys()).sort((i, j) => state.y[i] - state.y[j]);
    const row = (axis - ROW_TOP - 14) / Math.max(n, 1);
    const thick = Math.max(1, Math.min(5, row * 0.45));
    const head = Math.min(9, Math.max(3, row * 0.9));
    const unit = (toX(1) - toX(0));
    context.lineCap = "butt";
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const yy = ROW_TOP + row * (k + 0.5);
      const residual = state.y[i] - theta;
      const pull = SCENE.slope(residual, c);
      const x0 = toX(theta);
      const x1 = x0 + pull * unit;
      if (DATA.clips && Math.abs(residual) > Math.abs(pull) + 1e-12) {
        context.strokeStyle = P.clipped;
        context.lineWidth = Math.max(1, thick * 0.6);
        context.beginPath();
        context.moveTo(x1, yy);
        context.lineTo(toX(state.y[i]), yy);
        context.stroke();
      }
      if (n <= 40) {
        context.strokeStyle = "rgba(245, 253, 254, 0.25)";
        context.lineWidth = 1;
        context.beginPath();
        context.moveTo(toX(state.y[i]), axis);
        context.lineTo(toX(state.y[i]), yy);
        context.stroke();
      }
      context.strokeStyle = P.derivative;
      context.fillStyle = P.derivative;
      context.lineWidth = thick;
      const direction = Math.sign(x1 - x0);
      const tip = Math.abs(x1 - x0) > head ? x1 - direction * head : x0;
      context.beginPath();
      context.moveTo(x0, yy);
      context.lineTo(tip, yy);
      context.stroke();
      if (direction !== 0 && n <= 200) {
        context.beginPath();
        context.moveTo(x1, yy);
        context.lineTo(tip, yy - head * 0.55);
        context.lineTo(tip, yy + head * 0.55);
        context.closePath();
        context.fill();
      }
    }
    // The axis and its ticks (their numbers below the points' targets).
    context.strokeStyle = P.muted;
    context.fillStyle = P.muted;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(8, axis);
    context.lineTo(width - 8, axis);
    context.stroke();
    context.font = "13px system-ui, sans-serif";
    context.textAlign = "center";
    const step = niceStep((state.view[1] - state.view[0]) / Math.max(3, Math.floor(width / 90)));
    for (let v = Math.ceil(state.view[0] / step) * step; v <= state.view[1]; v += step) {
      const x = toX(v);
      context.beginPath();
      context.moveTo(x, axis - 4);
      context.lineTo(x, axis + 4);
      context.stroke();
      const text = local(M.significant(Math.abs(v) < step / 1e6 ? 0 : v, 4));
      const half = context.measureText(text).width / 2;
      context.fillText(text, Math.min(Math.max(x, half + 2), width - half - 2), axis + 39);
    }
    // The median's and Huber's intervals of minimisers, when they are ones: bars just under the
    // points.
    [found.median, found.huber].forEach((ref, k) => {
      if (ref.lo === ref.hi) return;
      context.fillStyle = P[k ? "estimate" : "median"];
      const a = toX(ref.lo);
      context.fillRect(a, axis + TARGET / 2 + 1 + 6 * k, Math.max(2, toX(ref.hi) - a), 4);
    });
    // Theta: a yellow line down to the axis, its triangle and its name.
    const tx = toX(theta);
    context.strokeStyle = P.theta;
    context.lineWidth = 2.5;
    context.beginPath();
    context.moveTo(tx, ROW_TOP - 8);
    context.lineTo(tx, axis);
    context.stroke();
    drawMarker(context, "triangle", tx, ROW_TOP - 4, 7, P.theta);
    context.font = "14px system-ui, sans-serif";
    context.fillStyle = TEXT.theta;
    const thetaLabel = `θ ${format(theta)}`;
    const labelWidth = context.measureText(thetaLabel).width;
    context.textAlign = "left";
    const right = tx + 12 + labelWidth < width - 4;
    const labelX = right ? tx + 12 : tx - 12 - labelWidth;
    context.fillText(thetaLabel, Math.max(4, labelX), ROW_TOP + 2);
    // The references under the axis, each with its marker and name, staggered where they meet,
    // and kept inside the stage.
    const refs = [
      ["mean", found.mean],
      ["median", found.median],
      ["huber", found.huber],
      ["trimmed", found.trimmed],
    ].filter(([, ref]) => ref !== null);
    context.font = "14px system-ui, sans-serif";
    const taken = [];
    for (const [key, ref] of refs) {
      const role = ROLE[key];
      const x = toX(ref.value);
      const label = `${NAMES[key]} ${format(ref.value)}`;
      const w = context.measureText(label).width + 26;
      const from = Math.min(Math.max(x - w / 2, 4), width - w - 4);
      let level = 0;
      while (taken.some(([a, b, l]) => l === level && !(from + w < a || from > b))) level++;
      taken.push([from, from + w, level]);
      const yy = axis + 60 + level * 20;
      context.strokeStyle = P[role];
      context.lineWidth = 1;
      context.beginPath();
      // From below the tick numbers (not over them) down to its label.
      context.moveTo(x, axis + 42);
      context.lineTo(Math.min(Math.max(x, from + 10), from + w - 10), yy - 10);
      context.stroke();
      drawMarker(context, DATA.markers[role] || "dot", from + 10, yy - 4, 6, P[role]);
      context.fillStyle = TEXT[role];
      context.textAlign = "left";
      context.fillText(label, from + 20, yy + 1);
    }
    for (let i = 0; i < n; i++) placeObservationFast(i, axis);
  }

  function placeObservationFast(index, axis) {
    const element = elements[index];
    if (!element) return;
    const x = toX(state.y[index]) - TARGET / 2;
    const top = axis - TARGET / 2 - (rows[index] || 0) * TARGET;
    const key = `${x.toFixed(2)},${top}`;
    if (element.dataset.at === key) return;
    element.dataset.at = key;
    element.style.transform = `translate(${x}px, ${top}px)`;
  }

  function niceStep(raw) {
    const power = 10 ** Math.floor(Math.log10(raw));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
    return 10 * power;
  }

  function strokeCurve(context, xs, ys, toPx, toPy, stroke, colour, alpha = 1) {
    context.globalAlpha = alpha;
    context.strokeStyle = colour;
    context.lineWidth = stroke.pattern === "dotted" ? 3.5 : 2.5;
    context.lineCap = stroke.pattern === "dotted" ? "round" : "butt";
    context.setLineDash(stroke.pattern === "dashed" ? [10, 6] : stroke.pattern === "dotted" ? [0.5, 7] : []);
    context.beginPath();
    let open = false;
    let previous = NaN;
    for (let i = 0; i < xs.length; i++) {
      const py = ys[i] === null ? NaN : toPy(ys[i]);
      if (!Number.isFinite(py)) {
        open = false;
        continue;
      }
      // A jump (L1's derivative at 0) is not drawn as a steep segment; rounding noise in a
      // flat stretch (1e-17) is not a jump: a jump is a step of pixels, not of ulps.
      if (open && Math.abs(py - previous) > JUMP_PIXELS && isJump(ys, i)) open = false;
      if (open) context.lineTo(toPx(xs[i]), py);
      else context.moveTo(toPx(xs[i]), py);
      open = true;
      previous = py;
    }
    context.stroke();
    context.setLineDash([]);
    context.globalAlpha = 1;
  }

  const JUMP_PIXELS = 4;
  function isJump(ys, i) {
    const step = Math.abs(ys[i] - ys[i - 1]);
    const before = i > 1 ? Math.abs(ys[i - 1] - ys[i - 2]) : 0;
    const after = i + 1 < ys.length ? Math.abs(ys[i + 1] - ys[i]) : 0;
    return step > 20 * Math.max(before || 0, after || 0);
  }

  /** Number labels down a vertical axis at `left`, right-aligned, none over another. */
  function yLabels(context, left, entries) {
    context.textAlign = "right";
    const placed = [];
    for (const [text, py] of entries) {
      if (placed.some((q) => Math.abs(q - py) < 15)) continue;
      placed.push(py);
      context.fillText(text, left - 5, py + 4);
    }
  }

  /** The left margin that fits these labels (13 px type), measured. */
  function margin(context, texts) {
    context.font = "13px system-ui, sans-serif";
    return Math.ceil(Math.max(20, ...texts.map((t) => context.measureText(t).width))) + 10;
  }

  const SYMBOLS = {loss: "ℓ(r)", density: "p(r)", derivative: "ℓ′(r)"};
  function drawCurves(c) {
    const shown = DATA.curves;
    const panel = 120;
    const {context, width, height} = fit(curvesCanvas, shown.length * panel + 28);
    const [lo, hi] = DATA.curveRange;
    const sampled = M.curves(SCENE.loss, SCENE.slope, c, lo, hi, 401);
    const limits = {};
    for (const name of shown) {
      const finite = Array.from(sampled[name]).filter(Number.isFinite);
      let a = Math.min(0, ...finite);
      let b = Math.max(0, ...finite);
      if (a === b) b = a + 1;
      limits[name] = [a, b];
    }
    const texts = shown.flatMap((name) => limits[name].map((v) => local(M.significant(v, 3))));
    const left = margin(context, texts);
    const right = width - 62;
    const toPx = (x) => left + ((x - lo) / (hi - lo)) * (right - left);
    context.font = "13px system-ui, sans-serif";
    shown.forEach((name, index) => {
      const top = 8 + index * panel;
      const bottom = top + panel - 16;
      const values = sampled[name];
      let [a, b] = limits[name];
      const low = a;
      const high = b;
      const air = 0.08 * (b - a);
      a -= air;
      b += air;
      const toPy = (v) => bottom - ((v - a) / (b - a)) * (bottom - top);
      context.strokeStyle = P.muted;
      context.lineWidth = 1;
      context.beginPath();
      context.moveTo(left, toPy(0));
      context.lineTo(right, toPy(0));
      context.moveTo(left, top);
      context.lineTo(left, bottom);
      context.stroke();
      context.fillStyle = P.muted;
      // Its limits and 0, each once, none over another (0 first: the others make way).
      const entries = [["0", toPy(0)]];
      if (high !== 0) entries.push([local(M.significant(high, 3)), toPy(high)]);
      if (low !== 0) entries.push([local(M.significant(low, 3)), toPy(low)]);
      yLabels(context, left, entries);
      if (DATA.band || DATA.params.some((p) => p.name === "delta" || p.name === "c" || p.name === "epsilon")) {
        const threshold = DATA.band || DATA.params.find((p) => ["delta", "c", "epsilon"].includes(p.name)).name;
        context.setLineDash([4, 5]);
        context.strokeStyle = P.muted;
        for (const x of [-c[threshold], c[threshold]]) {
          if (x < lo || x > hi) continue;
          context.beginPath();
          context.moveTo(toPx(x), top);
          context.lineTo(toPx(x), bottom);
          context.stroke();
        }
        context.setLineDash([]);
      }
      strokeCurve(context, sampled.x, values, toPx, toPy, DATA.strokes[name], P[name]);
      context.fillStyle = TEXT[name] || P[name];
      context.textAlign = "left";
      context.font = "16px system-ui, sans-serif";
      const end = values[values.length - 1];
      context.fillText(SYMBOLS[name], right + 8, Math.min(bottom, Math.max(top + 12, toPy(end) + 5)));
      context.font = "13px system-ui, sans-serif";
    });
    context.fillStyle = P.muted;
    xTicks(context, lo, hi, toPx, height - 6, width);
    context.textAlign = "center";
    context.fillText("r", right + 14, height - 6);
  }

  /** Numbers along a horizontal axis, centred on their ticks, none past the canvas's sides. */
  function xTicks(context, lo, hi, toPx, baseline, width) {
    context.textAlign = "center";
    const step = niceStep((hi - lo) / Math.max(2, Math.min(6, Math.floor(width / 80))));
    let last = -Infinity;
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      const text = local(M.significant(Math.abs(v) < step / 1e6 ? 0 : v, 4));
      const half = context.measureText(text).width / 2;
      const x = Math.min(Math.max(toPx(v), half + 2), width - half - 2);
      if (x - half < last + 6) continue;
      context.fillText(text, x, baseline);
      last = x + half;
    }
  }

  // --- the influence of the selected point: every estimate as it moves, others fixed -----------
  const INFLUENCE = ["scene", "mean", "median", "trimmed", "huber"]; // drawn in this order
  let influenceKey = null;
  let influence = null;
  function influenceInputs() {
    const others = state.y.filter((_, i) => i !== state.selected);
    const c = constants(state.y);
    return {others, key: JSON.stringify([others, c, state.view, DATA.params.map((p) => state.auto[p.name])])};
  }

  function computeInfluence(others) {
    const samples = others.length > 200 ? 41 : 121;
    const [lo, hi] = state.view;
    const result = {x: [], mean: [], median: [], huber: [], trimmed: [], scene: []};
    const y = others.concat([0]);
    for (let s = 0; s < samples; s++) {
      const x = lo + ((hi - lo) * s) / (samples - 1);
      y[y.length - 1] = x;
      const c = constants(y);
      const huber = M.huberLocation(y, huberDelta(c)).value;
      const theta = sceneEstimate(y, c);
      const trimmed = trimmedOf(y, c, huber, theta);
      result.x.push(x);
      result.mean.push(M.mean(y).value);
      result.median.push(M.median(y).value);
      result.huber.push(huber);
      result.trimmed.push(trimmed === null ? NaN : trimmed);
      result.scene.push(theta);
    }
    return result;
  }

  function drawInfluence() {
    if (!state.y.length) return;
    const {others, key} = influenceInputs();
    if (key !== influenceKey) {
      influenceKey = key;
      influence = computeInfluence(others);
    }
    const {context, width, height} = fit(influenceCanvas, 240);
    const all = INFLUENCE.flatMap((name) => influence[name].filter(Number.isFinite));
    let a = Math.min(...all);
    let b = Math.max(...all);
    if (!(b - a > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)))) {
      a -= 1;
      b += 1;
    }
    const air = 0.05 * (b - a);
    a -= air;
    b += air;
    const yStep = niceStep((b - a) / 4);
    const ticks = [];
    for (let v = Math.ceil(a / yStep) * yStep; v <= b; v += yStep) ticks.push(Math.abs(v) < yStep / 1e6 ? 0 : v);
    const texts = ticks.map((v) => local(M.significant(v, 4)));
    const left = margin(context, texts);
    context.font = "14px system-ui, sans-serif";
    const legend = Math.max(...INFLUENCE.map((name) => context.measureText(NAMES[name]).width));
    const right = width - Math.ceil(legend) - 12;
    const top = 10;
    const bottom = height - 44;
    const [lo, hi] = state.view;
    const toPx = (x) => left + ((x - lo) / (hi - lo)) * (right - left);
    const toPy = (v) => bottom - ((v - a) / (b - a)) * (bottom - top);
    context.strokeStyle = P.muted;
    context.lineWidth = 1;
    context.strokeRect(left, top, right - left, bottom - top);
    context.fillStyle = P.muted;
    context.font = "13px system-ui, sans-serif";
    yLabels(context, left, ticks.map((v, i) => [texts[i], toPy(v)]));
    context.beginPath();
    for (const v of ticks) {
      context.moveTo(left - 3, toPy(v));
      context.lineTo(left, toPy(v));
    }
    context.stroke();
    xTicks(context, lo, hi, toPx, bottom + 16, right + 20);
    context.textAlign = "center";
    context.fillText(wording("position", {number: state.selected + 1}), (left + right) / 2, height - 6);
    const styles = {
      mean: {pattern: "solid"},
      median: {pattern: "dashed"},
      huber: {pattern: "dotted"},
      trimmed: {pattern: "dashed"},
      scene: {pattern: "solid"},
    };
    // θ first and half see-through, so a reference it equals (Huber's dots on a Huber page)
    // shows on top of it.
    const ends = [];
    for (const name of INFLUENCE) {
      const values = influence[name];
      strokeCurve(context, influence.x, values, toPx, toPy, styles[name], P[ROLE[name]], name === "scene" ? 0.55 : 1);
      const finite = values.filter(Number.isFinite);
      if (finite.length) ends.push([name, toPy(finite[finite.length - 1])]);
    }
    // Direct labels at the right ends, pushed apart where they meet, all inside the canvas.
    ends.sort((p, q) => p[1] - q[1]);
    const gap = 16;
    const at = [];
    let floor = -Infinity;
    for (const [, py] of ends) {
      const y = Math.max(py + 5, floor + gap);
      at.push(y);
      floor = y;
    }
    const overflow = at.length ? at[at.length - 1] - (height - 4) : 0;
    for (let i = at.length - 1; i >= 0 && overflow > 0; i--) {
      at[i] = Math.min(at[i], (i + 1 < at.length ? at[i + 1] : height - 4 + gap) - gap);
    }
    context.textAlign = "left";
    context.font = "14px system-ui, sans-serif";
    ends.forEach(([name], i) => {
      context.fillStyle = TEXT[ROLE[name]];
      context.fillText(NAMES[name], right + 6, Math.max(14, at[i]));
    });
    const here = toPx(state.y[state.selected]);
    context.strokeStyle = P.observation;
    context.setLineDash([3, 4]);
    context.beginPath();
    context.moveTo(here, top);
    context.lineTo(here, bottom);
    context.stroke();
    context.setLineDash([]);
  }

  // --- input ---------------------------------------------------------------------------
  // A drag near or past the line's end widens the view as long as it is held there, faster the
  // further past, so a point can be taken as far out as wanted; the view fits the points again
  // when the drag ends.
  let dragging = null;
  const EDGE = 28; // px: the zone at each end that widens the view
  holder.addEventListener("pointerdown", (event) => {
    const element = event.target.closest("[data-observation]");
    if (!element) return;
    event.preventDefault();
    const index = Number(element.dataset.observation);
    select(index);
    element.focus();
    element.setPointerCapture(event.pointerId);
    const box = line.getBoundingClientRect();
    dragging = {index, offset: event.clientX - box.left - toX(state.y[index]), px: toX(state.y[index]), push: 0, timer: 0};
    schedule();
  });

  function dragValue() {
    const px = Math.min(Math.max(dragging.px, PAD), lineWidth() - PAD);
    state.y[dragging.index] = fromX(px);
    elements[dragging.index].setAttribute("aria-valuenow", String(state.y[dragging.index]));
    elements[dragging.index].setAttribute("aria-valuetext", format(state.y[dragging.index]));
  }

  function edgeStep() {
    if (!dragging || !dragging.push) {
      if (dragging) dragging.timer = 0;
      return;
    }
    const [lo, hi] = state.view;
    const grow = Math.min(Math.abs(dragging.push), 2) * 0.02 * (hi - lo);
    state.view = dragging.push > 0 ? [lo, hi + grow] : [lo - grow, hi];
    dragValue();
    for (let i = 0; i < elements.length; i++) placeObservation(i);
    schedule();
    dragging.timer = requestAnimationFrame(edgeStep);
  }

  holder.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    const box = line.getBoundingClientRect();
    const px = event.clientX - box.left - dragging.offset;
    const width = lineWidth();
    dragging.px = px;
    dragging.push =
      px > width - PAD - EDGE ? (px - (width - PAD - EDGE)) / EDGE : px < PAD + EDGE ? (px - (PAD + EDGE)) / EDGE : 0;
    dragValue();
    if (dragging.push && !dragging.timer) dragging.timer = requestAnimationFrame(edgeStep);
    schedule();
  });
  function endDrag() {
    if (!dragging) return;
    cancelAnimationFrame(dragging.timer);
    dragging = null;
    widenView();
    placeAll();
    influenceKey = null;
    schedule();
    sayLater();
  }
  holder.addEventListener("pointerup", endDrag);
  holder.addEventListener("pointercancel", endDrag);
  holder.addEventListener("lostpointercapture", endDrag);
  holder.addEventListener("focusin", (event) => {
    const element = event.target.closest("[data-observation]");
    if (element) {
      select(Number(element.dataset.observation));
      schedule();
    }
  });

  /** The point next to `index` along the line (by value): step -1, +1, or to an end (±Infinity). */
  function neighbour(index, step) {
    const order = Array.from(state.y.keys()).sort((i, j) => state.y[i] - state.y[j] || i - j);
    if (step === Infinity) return order[order.length - 1];
    if (step === -Infinity) return order[0];
    const k = order.indexOf(index) + step;
    return order[Math.min(Math.max(k, 0), order.length - 1)];
  }

  holder.addEventListener("keydown", (event) => {
    const element = event.target.closest("[data-observation]");
    if (!element) return;
    const index = Number(element.dataset.observation);
    const big = event.shiftKey ? 1 : 0.1;
    const moves = {ArrowRight: big, ArrowUp: big, ArrowLeft: -big, ArrowDown: -big, PageUp: 1, PageDown: -1};
    const jumps = {Home: -Infinity, End: Infinity, "[": -1, "]": 1};
    if (event.key in moves) {
      event.preventDefault();
      // Whole steps of 0.1 stay on the decimal grid (1.1 + 0.1 is 1.2, not 1.2000000000000002).
      state.y[index] = Number((state.y[index] + moves[event.key]).toFixed(12));
      moved(index);
    } else if (event.key in jumps) {
      // Within the group (one Tab stop): Home, End, [ and ] go to another point.
      event.preventDefault();
      const next = neighbour(index, jumps[event.key]);
      select(next);
      elements[next].focus();
      schedule();
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      remove(index);
    }
  });

  function moved(index) {
    widenView();
    placeAll();
    elements[index].setAttribute("aria-valuenow", String(state.y[index]));
    schedule();
    sayLater();
  }

  function add() {
    const at = last ? last.scene.value : M.mean(state.y).value;
    state.y.push(Number(at.toFixed(12)));
    buildObservations();
    select(state.y.length - 1);
    elements[state.selected].focus();
    schedule();
    sayLater();
  }

  function remove(index) {
    if (state.y.length <= 1) {
      announce.textContent = wording("lastStays");
      return;
    }
    state.y.splice(index, 1);
    state.selected = Math.min(index, state.y.length - 1);
    influenceKey = null;
    buildObservations();
    elements[state.selected].focus();
    schedule();
    sayLater();
  }

  document.getElementById("add-point").addEventListener("click", add);
  document.getElementById("remove-point").addEventListener("click", () => remove(state.selected));
  document.getElementById("reset").addEventListener("click", () => {
    state.y = DATA.observations.slice();
    for (const p of DATA.params) {
      state.params[p.name] = p.value;
      state.auto[p.name] = Boolean(p.auto);
      syncSlider(p);
    }
    state.view = DATA.line.slice();
    state.selected = 0;
    if (fragmentNote) fragmentNote.hidden = true;
    curvesDirty = true;
    buildObservations();
    schedule();
    sayLater();
  });
  document.addEventListener("keydown", (event) => {
    if (event.target.closest && event.target.closest("input, button, a")) return;
    if ((event.key === "a" || event.key === "A" || event.key === "+") && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      add();
    }
  });

  // --- the parameters' sliders --------------------------------------------------------------
  const sliders = document.getElementById("sliders");
  function syncSlider(p) {
    const slider = document.getElementById(`slider-${p.name}`);
    if (!slider) return;
    const value = state.params[p.name];
    if (value < Number(slider.min)) slider.min = String(value);
    if (value > Number(slider.max)) slider.max = String(value);
    slider.value = String(value);
    slider.disabled = state.auto[p.name];
    const box = document.getElementById(`auto-${p.name}`);
    if (box) box.checked = state.auto[p.name];
  }
  if (DATA.params.length) sliders.replaceChildren();
  for (const p of DATA.params) {
    const row = document.createElement("div");
    row.className = "slider";
    const label = document.createElement("label");
    label.htmlFor = `slider-${p.name}`;
    label.textContent = p.label;
    const slider = document.createElement("input");
    slider.type = "range";
    slider.id = `slider-${p.name}`;
    slider.min = String(p.min);
    slider.max = String(p.max);
    slider.step = String(p.step);
    slider.setAttribute("aria-describedby", `value-${p.name}`);
    const value = document.createElement("output");
    value.id = `value-${p.name}`;
    value.htmlFor = slider.id;
    row.append(label, slider, value);
    slider.addEventListener("input", () => {
      state.params[p.name] = Number(slider.value);
      curvesDirty = true;
      influenceKey = null;
      schedule();
    });
    slider.addEventListener("change", sayLater);
    if (p.auto) {
      const auto = document.createElement("label");
      auto.className = "auto";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `auto-${p.name}`;
      auto.append(box, ` ${wording("auto")}`);
      box.addEventListener("change", () => {
        state.auto[p.name] = box.checked;
        // Off: keep the value auto found (not the slider's nearest step).
        if (!box.checked && last) state.params[p.name] = last.c[p.name];
        if (!box.checked) syncSlider(p);
        slider.disabled = box.checked;
        curvesDirty = true;
        influenceKey = null;
        schedule();
        sayLater();
      });
      row.append(auto);
    }
    sliders.append(row);
    syncSlider(p);
  }

  window.addEventListener("resize", () => {
    curvesDirty = true;
    placeAll();
    schedule();
  });
  window.addEventListener("hashchange", () => {
    if (location.hash === fragment()) return;
    readFragment();
    for (const p of DATA.params) syncSlider(p);
    widenView();
    curvesDirty = true;
    buildObservations();
    schedule();
  });

  widenView();
  buildObservations();
  update();
  say();
  // For scripts and tests: the state, one synchronous update, and how long updates took.
  window.LossScenesExplorePage = {state, update, timings, estimates: () => last};
})();
