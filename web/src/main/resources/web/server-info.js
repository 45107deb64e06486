// The server and its model, in the footer; a banner when the server is not ready or its model
// has random weights.

import * as api from './api.js';
import { $ } from './dom.js';

const ui = {
  serverInfo: $('server-info'),
  banner: $('model-banner'),
};

/**
 * Whether the server's model is a test model with random weights, whose rankings mean nothing:
 * an explicit flag when the server sends one, otherwise the generator's "random-" model names.
 */
function isRandomModel(ready) {
  if (ready.random_weights === true) return true;
  return /(^|[^a-z])random([^a-z]|$)/i.test(String(ready.model || ''));
}

export async function load() {
  try {
    const ready = await api.ready();
    ui.serverInfo.textContent =
      `Model ${ready.model} \u00b7 ${ready.products} products \u00b7 ${ready.images} images`;
    if (isRandomModel(ready)) {
      ui.banner.textContent =
        `This server runs a test model with random weights (${ready.model}): ` +
        'rankings, scores and labels are not meaningful.';
      ui.banner.classList.add('warning');
      ui.banner.hidden = false;
    }
  } catch (error) {
    ui.banner.textContent = `The search server is not ready: ${error.message}`;
    ui.banner.classList.add('warning');
    ui.banner.hidden = false;
  }
}
