// Searching by picture: a file chosen, pasted, or dropped anywhere on the page becomes the query
// image, kept in this browser (query-images.js) under the key the page URL names, and shown in the
// query image panel.

import * as classify from './classify.js';
import { $ } from './dom.js';
import * as look from './look.js';
import { navigate } from './navigation.js';
import * as queryImages from './query-images.js';
import * as searchBox from './search-box.js';
import { page, withChanges } from './state.js';

const ui = {
  imageInput: $('image-input'),
  queryImage: $('query-image'),
  queryImagePreview: $('query-image-preview'),
  queryImageMissing: $('query-image-missing'),
  queryImageName: $('query-image-name'),
  clearImage: $('clear-image'),
  dropOverlay: $('drop-overlay'),
};

let previewUrl = null;
let dragDepth = 0;

/** Shows the state's query image in the panel, or hides the panel when there is none. */
export async function showQueryImage(s) {
  if (!s.img) {
    classify.close();
    look.close();
    ui.queryImage.hidden = true;
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
    ui.queryImage.dataset.key = '';
    return;
  }
  if (ui.queryImage.dataset.key === s.img) return;
  ui.queryImage.dataset.key = s.img;
  classify.forgetImage(); // labels for the previous image are moot
  look.close();
  const file = await queryImages.get(s.img);
  if (previewUrl) URL.revokeObjectURL(previewUrl);
  previewUrl = file ? URL.createObjectURL(file) : null;
  ui.queryImagePreview.hidden = !file;
  ui.queryImageMissing.hidden = Boolean(file);
  if (previewUrl) ui.queryImagePreview.src = previewUrl;
  else ui.queryImagePreview.removeAttribute('src');
  ui.queryImageName.textContent = file
    ? `${file.name || 'Pasted image'} (${Math.max(1, Math.round(file.size / 1024))} KB)`
    : 'This image is no longer stored in this browser.';
  classify.setAvailable(Boolean(file));
  look.setAvailable(Boolean(file));
  ui.queryImage.hidden = false;
  await look.showFound(s.img);
}

/** Stores `file` and searches with it; the filters stay. */
export async function searchWithImage(file) {
  if (!file) return;
  searchBox.cancelTyping();
  const key = await queryImages.put(file);
  ui.queryImage.dataset.key = '';
  navigate(withChanges(page.state, { q: '', img: key, similar: '', page: 1, product: '' }));
}

/** The first file of a drop or a paste, if any. */
function fileOf(dataTransfer) {
  if (!dataTransfer) return null;
  if (dataTransfer.files && dataTransfer.files.length) return dataTransfer.files[0];
  for (const item of dataTransfer.items || []) {
    if (item.kind === 'file') return item.getAsFile();
  }
  return null;
}

function hasFiles(event) {
  return event.dataTransfer && Array.from(event.dataTransfer.types || []).includes('Files');
}

export function init() {
  ui.queryImagePreview.addEventListener('error', () => {
    // Not an image the browser can show (the server will say what it thinks of it).
    ui.queryImagePreview.hidden = true;
    ui.queryImageMissing.hidden = false;
  });

  ui.imageInput.addEventListener('change', () => {
    const file = ui.imageInput.files && ui.imageInput.files[0];
    ui.imageInput.value = '';
    searchWithImage(file);
  });

  ui.clearImage.addEventListener('click', () => {
    navigate(withChanges(page.state, { img: '', page: 1, product: '' }));
    searchBox.focus();
  });

  document.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth += 1;
    ui.dropOverlay.hidden = false;
  });
  document.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  document.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) ui.dropOverlay.hidden = true;
  });
  document.addEventListener('drop', (event) => {
    dragDepth = 0;
    ui.dropOverlay.hidden = true;
    const file = fileOf(event.dataTransfer);
    if (!file) return;
    event.preventDefault();
    searchWithImage(file);
  });
  document.addEventListener('paste', (event) => {
    const file = fileOf(event.clipboardData);
    if (!file) return; // text goes where it was pasted
    event.preventDefault();
    searchWithImage(file);
  });
}
