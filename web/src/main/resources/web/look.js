// "Find products in this photo" (shop the look): zero-shot detection on the query image
// (POST /api/detect) draws a box per object found, with its label, over the photo; each box is a
// button, and choosing one searches by that part of the photo.
//
// The crop is cut here, with a canvas, from the file the browser already holds, and searched like
// any uploaded picture: it becomes a query image of its own (query-images.js), so the page URL,
// Back and reload work as for a dropped photo, and Back returns to the whole photo with its boxes
// (kept below by image key). The server needs no second route or box parameter for it.

import * as api from './api.js';
import { $, h } from './dom.js';
import { suggestedLabels } from './classify.js';
import * as queryImages from './query-images.js';
import { page } from './state.js';

/** Boxes drawn at most: more would hide the photo. */
const MAX_BOXES = 12;

/** Labels offered when the results have no categories to suggest. */
const FALLBACK_LABELS = ['a lamp', 'a chair', 'a bag', 'a shoe', 'a mug'];

/** The server's limit on labels per request. */
const MAX_LABELS = 16;

const ui = {
  toggle: $('look-toggle'),
  look: $('look'),
  labels: $('look-labels'),
  status: $('look-status'),
  stage: $('look-stage'),
  photo: $('look-photo'),
};

/** What was found, by query image key: Back to a photo shows its boxes again. */
const found = new Map();
/** Photos whose boxes are kept; older ones are dropped. */
const KEEP = 20;
let abort = null;
let photoUrl = null;
let searchWithImage = null;

/** Drops the boxes of the previous query image, and any request for them. */
export function forgetImage() {
  if (abort) abort.abort();
  ui.status.textContent = '';
  ui.stage.hidden = true;
  ui.stage.querySelectorAll('.look-box').forEach((b) => b.remove());
}

/** Folds the panel away: there is no query image any more. */
export function close() {
  forgetImage();
  ui.look.hidden = true;
  ui.toggle.setAttribute('aria-expanded', 'false');
}

/** Whether detection can be asked for: the query image is in this browser. */
export function setAvailable(available) {
  ui.toggle.disabled = !available;
}

/** Shows the boxes already found on the query image `key`, if any. */
export async function showFound(key) {
  const known = found.get(key);
  if (!known) return;
  const file = await queryImages.get(key);
  if (!file || page.state.img !== key) return;
  open(known.labels);
  render(file, known.result);
}

function open(labels) {
  ui.look.hidden = false;
  ui.toggle.setAttribute('aria-expanded', 'true');
  if (labels) ui.labels.value = labels.join(', ');
  else if (!ui.labels.value.trim()) {
    const suggested = suggestedLabels();
    ui.labels.value = (suggested.length ? suggested : FALLBACK_LABELS).join(', ');
  }
}

function percent(score) {
  return Math.round(score * 100) + '%';
}

/** Draws the photo and one button per detection, placed in percent of the photo's size. */
function render(file, result) {
  if (photoUrl) URL.revokeObjectURL(photoUrl);
  photoUrl = URL.createObjectURL(file);
  ui.photo.src = photoUrl;
  ui.stage.querySelectorAll('.look-box').forEach((b) => b.remove());
  const { width, height } = result.image;
  const detections = result.detections.slice(0, MAX_BOXES);
  const colours = new Map(); // one colour per label, in the order labels first appear
  detections.forEach((d) => {
    if (!colours.has(d.label)) colours.set(d.label, colours.size % 6);
    const [x0, y0, x1, y1] = clip(d.box, width, height);
    const name = `${d.label}, ${percent(d.score)}`;
    const box = h(
      'button',
      {
        type: 'button',
        class: `look-box look-color-${colours.get(d.label)}`,
        'aria-label': `${name}: search for products like this`,
        title: `Search for products like this ${d.label}`,
        dataset: { label: d.label, score: String(d.score) },
        onclick: () => chooseBox(file, d, result.image),
      },
      h('span', { class: 'look-tag', 'aria-hidden': 'true', text: name }),
    );
    box.style.left = (100 * x0) / width + '%';
    box.style.top = (100 * y0) / height + '%';
    box.style.width = (100 * (x1 - x0)) / width + '%';
    box.style.height = (100 * (y1 - y0)) / height + '%';
    ui.stage.append(box);
  });
  ui.stage.hidden = false;
  ui.status.textContent = detections.length
    ? `Found ${detections.length} ${detections.length === 1 ? 'object' : 'objects'}` +
      ` (by ${result.detector}). Choose one to search for products like it.`
    : 'Nothing found for these labels. Try other words, such as the kind of product.';
}

function clip([x0, y0, x1, y1], width, height) {
  const c = (v, max) => Math.min(Math.max(v, 0), max);
  return [c(x0, width), c(y0, height), c(x1, width), c(y1, height)];
}

/** The part of `file` under the detection's box, as a PNG file (EXIF orientation applied). */
async function crop(file, detection, size) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const sx = bitmap.width / size.width;
  const sy = bitmap.height / size.height;
  const [x0, y0, x1, y1] = clip(detection.box, size.width, size.height);
  const w = Math.max(1, Math.round((x1 - x0) * sx));
  const h2 = Math.max(1, Math.round((y1 - y0) * sy));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h2;
  canvas.getContext('2d').drawImage(bitmap, x0 * sx, y0 * sy, w, h2, 0, 0, w, h2);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  return new File([blob], `${detection.label}.png`, { type: 'image/png' });
}

async function chooseBox(file, detection, size) {
  ui.status.textContent = `Searching for products like this ${detection.label}\u2026`;
  try {
    await searchWithImage(await crop(file, detection, size));
  } catch (error) {
    ui.status.textContent = `This part of the photo could not be cut out (${error.message}).`;
  }
}

function labelsTyped() {
  return [
    ...new Set(
      ui.labels.value
        .split(/[,\n]/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
  ];
}

/** @param {function(File)} search searches by a picture, as a dropped one is */
export function init(search) {
  searchWithImage = search;
  ui.toggle.addEventListener('click', () => {
    if (ui.look.hidden) {
      open(null);
      ui.labels.focus();
    } else {
      close();
    }
  });

  ui.look.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = page.state.img;
    const file = await queryImages.get(key);
    if (!file) return;
    const labels = labelsTyped();
    if (!labels.length) {
      ui.status.textContent = 'Type at least one thing to look for, such as \u201ca lamp\u201d.';
      ui.labels.focus();
      return;
    }
    if (labels.length > MAX_LABELS) {
      ui.status.textContent = `At most ${MAX_LABELS} labels, please; you typed ${labels.length}.`;
      return;
    }
    if (abort) abort.abort();
    const request = new AbortController();
    abort = request;
    ui.status.textContent = 'Looking for objects\u2026';
    try {
      const result = await api.detect(file, labels, request.signal);
      if (page.state.img !== key) return;
      found.delete(key);
      found.set(key, { labels, result });
      if (found.size > KEEP) found.delete(found.keys().next().value);
      render(file, result);
    } catch (error) {
      if (api.isAbort(error)) return;
      ui.status.textContent = error.message;
    }
  });
}
