// The studio's page: plain JavaScript over the JSON + PNG API of docs/studio.md.
"use strict";
const $ = (id) => document.getElementById(id);
const state = { run: null, info: null, nextSeed: 0, selected: [], lineage: [], breedSeed: 0, metricsTimer: null, repair: null };

function api(path) { return "/api/runs/" + encodeURIComponent(state.run) + path; }

async function failure(response) {
  try { const body = await response.json(); return body.error || response.statusText; } catch { return response.status + " " + response.statusText; }
}

function showError(element, message) { element.textContent = message || ""; element.hidden = !message; }

async function loadRuns() {
  const response = await fetch("/api/runs");
  const runs = await response.json();
  const select = $("run-select");
  for (const run of runs) { const option = document.createElement("option"); option.value = option.textContent = run.name; select.append(option); }
  select.addEventListener("change", () => openRun(select.value));
  if (runs.length > 0) await openRun(runs[0].name);
}

async function openRun(name) {
  state.run = name; state.selected = []; state.lineage = []; state.nextSeed = 0; state.breedSeed = 0;
  const response = await fetch(api(""));
  if (!response.ok) { showError($("error"), await failure(response)); return; }
  showError($("error"), "");
  const info = state.info = await response.json();
  $("run-model").textContent = info.model + " [" + info.eventShape.join(" x ") + "]";
  document.querySelector('[data-view="breed"]').disabled = !info.breeds;
  document.querySelector('[data-view="interpolate"]').disabled = !info.breeds;
  document.querySelector('[data-view="translate"]').disabled = !info.translates;
  document.querySelector('[data-view="repair"]').disabled = !info.completes;
  $("class-option").hidden = info.classes === 0;
  $("repair-class-option").hidden = info.classes === 0;
  for (const picker of [$("class-picker"), $("repair-class")]) {
    picker.querySelectorAll("option.class").forEach((o) => o.remove());
    for (let c = 0; c < info.classes; c++) { const o = document.createElement("option"); o.className = "class"; o.value = o.textContent = c; picker.append(o); }
  }
  $("steps-option").hidden = !info.diffusion;
  $("guidance-option").hidden = !(info.diffusion && info.classes > 0);
  $("temperature-option").hidden = !info.temperature;
  $("direction-option").hidden = info.model !== "cyclegan";
  $("export-genomes").href = api("/genomes.json");
  $("gallery-grid").innerHTML = ""; $("children-grid").innerHTML = ""; $("lineage").innerHTML = "";
  $("gallery-none").hidden = info.samples; $("more-button").hidden = !info.samples;
  renderParents();
  if (info.samples) drawMore();
  const active = document.querySelector("nav button.active");
  if (active.disabled) showView("gallery"); else showView(active.dataset.view);
}

function sampleOptions() {
  const params = new URLSearchParams();
  const label = $("class-picker").value, steps = $("steps-input").value, guidance = $("guidance-input").value, temperature = $("temperature-input").value;
  if (state.info.classes > 0 && label !== "") params.set("label", label);
  if (state.info.diffusion && steps !== "") params.set("steps", steps);
  if (state.info.diffusion && state.info.classes > 0 && guidance !== "") params.set("guidance", guidance);
  if (state.info.temperature && temperature !== "") params.set("temperature", temperature);
  return params;
}

function tile(seed, query, breedable) {
  const element = document.createElement("div");
  element.className = "tile"; element.dataset.seed = seed; element.dataset.breedable = breedable;
  const img = document.createElement("img");
  img.className = "pixel"; img.alt = "seed " + seed;
  const source = api("/sample.png?") + query.toString();
  let tries = 0;
  img.addEventListener("error", () => { if (tries++ < 5) setTimeout(() => { img.src = source + "&retry=" + tries; }, 500 * tries); });
  img.src = source;
  const label = document.createElement("span"); label.textContent = seed;
  element.append(img, label);
  if (breedable) element.addEventListener("click", () => toggleParent(seed));
  return element;
}

function drawMore() {
  const options = sampleOptions();
  const breedable = state.info.breeds && [...options.keys()].length === 0;
  for (let i = 0; i < 8; i++) {
    const seed = state.nextSeed++;
    const query = new URLSearchParams(options); query.set("seed", seed);
    $("gallery-grid").append(tile(seed, query, breedable));
  }
}

function toggleParent(seed) {
  const at = state.selected.indexOf(seed);
  if (at >= 0) state.selected.splice(at, 1); else state.selected.push(seed);
  renderParents();
}

function renderParents() {
  document.querySelectorAll(".tile").forEach((t) => t.classList.toggle("selected", state.selected.includes(Number(t.dataset.seed))));
  $("parents").textContent = state.selected.length ? state.selected.join(", ") : "none yet; click images in the gallery or among the children";
  if (state.selected.length >= 2) { $("interp-a").value = state.selected[0]; $("interp-b").value = state.selected[1]; }
}

async function breed() {
  if (state.selected.length < 1) { showError($("error"), "Select at least one parent: click images in the gallery."); return; }
  const body = { parents: state.selected.slice(), children: Number($("children-count").value), mutation: Number($("mutation").value), seed: state.breedSeed++ };
  const response = await fetch(api("/breed"), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) { showError($("error"), await failure(response)); return; }
  showError($("error"), "");
  const answer = await response.json();
  $("breed-command").textContent = answer.command;
  const row = document.createElement("div"); row.className = "grid";
  for (const child of answer.children) $("children-grid").prepend(tile(child, new URLSearchParams({ seed: child }), true));
  state.lineage.push({ parents: body.parents, mutation: body.mutation, seed: body.seed, children: answer.children });
  const item = document.createElement("li");
  item.textContent = body.parents.join(" x ") + " (mutation " + body.mutation + ", seed " + body.seed + ") -> " + answer.children.join(", ");
  $("lineage").append(item);
}

function updateInterpolation() {
  const a = $("interp-a").value, b = $("interp-b").value, index = $("interp-slider").value, path = $("interp-path").value;
  $("interp-from").src = api("/sample.png?seed=" + a);
  $("interp-to").src = api("/sample.png?seed=" + b);
  $("interp-image").src = api("/interpolate.png?") + new URLSearchParams({ a, b, steps: 9, index, path });
  $("interp-position").textContent = index + " / 8";
}

async function translate(file) {
  if (!file) return;
  $("translate-input").src = URL.createObjectURL(file); $("translate-input").hidden = false;
  const form = new FormData(); form.append("image", file, file.name || "upload.png");
  const direction = $("direction-option").hidden ? "a2b" : $("translate-direction").value;
  const response = await fetch(api("/translate?direction=" + direction), { method: "POST", body: form });
  if (!response.ok) { showError($("translate-error"), await failure(response)); $("translate-output").hidden = true; return; }
  showError($("translate-error"), "");
  $("translate-output").src = URL.createObjectURL(await response.blob()); $("translate-output").hidden = false;
}

// Repair: the image and the mask at the model's size, shown enlarged; painting marks pixels missing.
function repairSize() { return { w: state.info.eventShape[2], h: state.info.eventShape[1] }; }

function newRepair(gray) {
  const { w, h } = repairSize();
  state.repair = { w, h, gray: gray || new Float32Array(w * h), mask: new Uint8Array(w * h) };
  const canvas = $("repair-canvas"); canvas.width = w * 16; canvas.height = h * 16;
  drawRepair();
}

function drawRepair() {
  const r = state.repair; if (!r) return;
  const context = $("repair-canvas").getContext("2d");
  const scale = $("repair-canvas").width / r.w;
  for (let y = 0; y < r.h; y++) for (let x = 0; x < r.w; x++) {
    const v = Math.round(r.gray[y * r.w + x] * 255);
    context.fillStyle = r.mask[y * r.w + x] ? "rgb(220,40,40)" : "rgb(" + v + "," + v + "," + v + ")";
    context.fillRect(x * scale, y * scale, scale, scale);
  }
}

function grayFromImage(image) {
  const { w, h } = repairSize();
  const canvas = document.createElement("canvas"); canvas.width = w; canvas.height = h;
  const context = canvas.getContext("2d"); context.fillStyle = "#fff"; context.fillRect(0, 0, w, h);
  context.drawImage(image, 0, 0, w, h);
  const pixels = context.getImageData(0, 0, w, h).data, gray = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) gray[i] = (0.299 * pixels[4 * i] + 0.587 * pixels[4 * i + 1] + 0.114 * pixels[4 * i + 2]) / 255;
  return gray;
}

function loadImage(url) { return new Promise((resolve, reject) => { const i = new Image(); i.onload = () => resolve(i); i.onerror = reject; i.src = url; }); }

async function repairFromUrl(url) {
  try { newRepair(grayFromImage(await loadImage(url))); showError($("repair-error"), ""); }
  catch { showError($("repair-error"), "That image cannot be read (PNG or JPEG only)."); }
}

async function repairTestImage() {
  const response = await fetch(api("/test-image.png?index=" + $("repair-test-index").value));
  if (!response.ok) { showError($("repair-error"), await failure(response)); return; }
  await repairFromUrl(URL.createObjectURL(await response.blob()));
}

async function watermarkMask() {
  if (!state.repair) newRepair();
  const response = await fetch(api("/hole.png?shape=watermark"));
  if (!response.ok) { showError($("repair-error"), await failure(response)); return; }
  const mask = grayFromImage(await loadImage(URL.createObjectURL(await response.blob())));
  for (let i = 0; i < mask.length; i++) if (mask[i] >= 0.5) state.repair.mask[i] = 1;
  drawRepair();
}

function paint(event) {
  const r = state.repair; if (!r) return;
  const canvas = $("repair-canvas"), box = canvas.getBoundingClientRect();
  const x = Math.floor((event.clientX - box.left) / box.width * r.w), y = Math.floor((event.clientY - box.top) / box.height * r.h);
  const radius = Number($("repair-brush").value) - 1;
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) {
    const px = x + dx, py = y + dy;
    if (px >= 0 && py >= 0 && px < r.w && py < r.h) r.mask[py * r.w + px] = 1;
  }
  drawRepair();
}

function pngOf(values, w, h) {
  const canvas = document.createElement("canvas"); canvas.width = w; canvas.height = h;
  const context = canvas.getContext("2d"), data = context.createImageData(w, h);
  for (let i = 0; i < w * h; i++) { const v = Math.round(values[i] * 255); data.data.set([v, v, v, 255], 4 * i); }
  context.putImageData(data, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

async function complete() {
  const r = state.repair;
  if (!r) { showError($("repair-error"), "Load an image first (a file or a test image)."); return; }
  const form = new FormData();
  form.append("image", await pngOf(r.gray, r.w, r.h), "image.png");
  form.append("mask", await pngOf(Float32Array.from(r.mask), r.w, r.h), "mask.png");
  const query = new URLSearchParams({ count: 4, seed: 0 });
  if (state.info.classes > 0) query.set("label", $("repair-class").value || 0);
  const response = await fetch(api("/complete?") + query, { method: "POST", body: form });
  if (!response.ok) { showError($("repair-error"), await failure(response)); return; }
  showError($("repair-error"), "");
  $("repair-output").src = URL.createObjectURL(await response.blob()); $("repair-output").hidden = false;
}

// Runs: metrics.jsonl as a chart, polled while the view is open.
async function refreshMetrics() {
  const response = await fetch(api("/metrics"));
  if (!response.ok) { $("runs-status").textContent = await failure(response); return; }
  const lines = (await response.json()).lines;
  const select = $("runs-metric"), keys = new Set();
  for (const line of lines) for (const [k, v] of Object.entries(line)) if (typeof v === "number" && k !== "step" && k !== "epoch") keys.add(k);
  const chosen = select.value || "loss";
  select.innerHTML = "";
  for (const k of keys) { const o = document.createElement("option"); o.value = o.textContent = k; select.append(o); }
  if (keys.has(chosen)) select.value = chosen;
  const points = lines.filter((l) => typeof l[select.value] === "number").map((l) => [l.step, l[select.value]]);
  drawChart(points, select.value);
  const last = [...lines].reverse().find((l) => Object.keys(l).some((k) => !["step", "epoch", "loss"].includes(k) && !k.startsWith("train_")));
  const table = $("runs-eval"); table.innerHTML = "";
  if (last) for (const [k, v] of Object.entries(last)) { const row = table.insertRow(); row.insertCell().textContent = k; row.insertCell().textContent = typeof v === "number" ? Number(v.toPrecision(5)) : v; }
  $("runs-status").textContent = lines.length + " lines, updated " + new Date().toLocaleTimeString();
}

function drawChart(points, name) {
  const canvas = $("runs-chart"), c = canvas.getContext("2d"), W = canvas.width, H = canvas.height, pad = 50;
  c.clearRect(0, 0, W, H); c.strokeStyle = "#999"; c.strokeRect(pad, 10, W - pad - 10, H - pad);
  c.fillStyle = "#222"; c.font = "12px sans-serif"; c.fillText(name + " by step", pad + 4, 24);
  if (points.length === 0) return;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs) || 1, y0 = Math.min(...ys), y1 = Math.max(...ys);
  const X = (x) => pad + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (W - pad - 10);
  const Y = (y) => 10 + (y1 === y0 ? 0.5 : 1 - (y - y0) / (y1 - y0)) * (H - pad);
  c.fillText(Number(y1.toPrecision(4)), 2, 16); c.fillText(Number(y0.toPrecision(4)), 2, H - pad + 10);
  c.fillText(x0, pad, H - pad + 24); c.fillText(x1, W - 50, H - pad + 24);
  c.strokeStyle = "#e08a2c"; c.lineWidth = 2; c.beginPath();
  points.forEach((p, i) => (i ? c.lineTo(X(p[0]), Y(p[1])) : c.moveTo(X(p[0]), Y(p[1]))));
  c.stroke();
  if (points.length < 30) { c.fillStyle = "#e08a2c"; for (const p of points) c.fillRect(X(p[0]) - 2, Y(p[1]) - 2, 4, 4); }
}

function showView(view) {
  document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.view === view));
  document.querySelectorAll(".view").forEach((s) => { s.hidden = s.id !== "view-" + view; });
  clearInterval(state.metricsTimer);
  if (view === "runs") { refreshMetrics(); state.metricsTimer = setInterval(refreshMetrics, 2000); }
  if (view === "interpolate") updateInterpolation();
  if (view === "repair" && !state.repair && state.info && state.info.completes) newRepair();
}

document.querySelectorAll("nav button").forEach((b) => b.addEventListener("click", () => showView(b.dataset.view)));
$("more-button").addEventListener("click", drawMore);
for (const id of ["class-picker", "steps-input", "guidance-input", "temperature-input"])
  $(id).addEventListener("change", () => { $("gallery-grid").innerHTML = ""; state.nextSeed = 0; drawMore(); });
$("mutation").addEventListener("input", () => { $("mutation-value").textContent = $("mutation").value; });
$("breed-button").addEventListener("click", breed);
for (const id of ["interp-a", "interp-b", "interp-path", "interp-slider"]) $(id).addEventListener("input", updateInterpolation);
$("translate-file").addEventListener("change", () => translate($("translate-file").files[0]));
const drop = $("translate-drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); translate(e.dataTransfer.files[0]); });
$("repair-file").addEventListener("change", () => { const f = $("repair-file").files[0]; if (f) repairFromUrl(URL.createObjectURL(f)); });
$("repair-test-button").addEventListener("click", repairTestImage);
$("repair-watermark-button").addEventListener("click", watermarkMask);
$("repair-clear").addEventListener("click", () => { if (state.repair) { state.repair.mask.fill(0); drawRepair(); } });
$("repair-button").addEventListener("click", complete);
let painting = false;
$("repair-canvas").addEventListener("mousedown", (e) => { painting = true; paint(e); });
$("repair-canvas").addEventListener("mousemove", (e) => { if (painting) paint(e); });
window.addEventListener("mouseup", () => { painting = false; });
$("runs-metric").addEventListener("change", refreshMetrics);
loadRuns();
