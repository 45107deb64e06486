// "What is this?": zero-shot labels for the query image, with the categories of the last results
// as the first guess at labels.

import * as api from './api.js';
import { $, h } from './dom.js';
import * as queryImages from './query-images.js';
import { categoryLeaf, page } from './state.js';

const ui = {
  whatisToggle: $('whatis-toggle'),
  whatis: $('whatis'),
  labels: $('labels'),
  template: $('template'),
  whatisResults: $('whatis-results'),
};

let classifyAbort = null;

/** Drops the labels of the previous query image, and any request for them. */
export function forgetImage() {
  if (classifyAbort) classifyAbort.abort();
  ui.whatisResults.replaceChildren();
}

/** Folds the form away: there is no query image any more. */
export function close() {
  forgetImage();
  ui.whatis.hidden = true;
  ui.whatisToggle.setAttribute('aria-expanded', 'false');
}

/** Whether labels can be asked for: the query image is in this browser. */
export function setAvailable(available) {
  ui.whatisToggle.disabled = !available;
}

/** The leaf categories of the current results: a sensible first guess at labels. */
export function suggestedLabels() {
  const lastFacets = page.lastFacets;
  if (!lastFacets) return [];
  const leaves = lastFacets.categories
    .filter((c) => !lastFacets.categories.some((d) => d.value.startsWith(c.value + ' > ')))
    .map((c) => categoryLeaf(c.value).toLowerCase());
  return [...new Set(leaves)].slice(0, 8);
}

/** How each score function's numbers read; unknown ones are shown as plain numbers. */
const SCORE_FUNCTIONS = {
  softmax: { list: 'Label probabilities', note: null },
  sigmoid: {
    list: 'Label probabilities, each on its own',
    note: 'Each label has its own probability (sigmoid): they need not add up to 100%.',
  },
  cosine: {
    list: 'Label similarities',
    note:
      'Cosine similarities, not probabilities: the model states no scale and bias for its ' +
      'sigmoid, so only the order of the labels is meaningful.',
  },
};

function renderLabels(result) {
  const fn = result.score_function || 'softmax';
  const kind = SCORE_FUNCTIONS[fn] || SCORE_FUNCTIONS.cosine;
  const probabilities = fn !== 'cosine' && fn in SCORE_FUNCTIONS;
  const scoreOf = (row) => (typeof row.score === 'number' ? row.score : row.probability);
  const rows = [...result.labels].sort((a, b) => scoreOf(b) - scoreOf(a));
  ui.whatisResults.replaceChildren(
    h('p', { class: 'whatis-best' }, 'Most likely: ', h('strong', { text: result.best })),
    kind.note ? h('p', { class: 'muted whatis-note', text: kind.note }) : null,
    h(
      'ol',
      { class: 'whatis-list', 'aria-label': kind.list, dataset: { scoreFunction: fn } },
      rows.map((row) => {
        const score = scoreOf(row);
        const shown = probabilities ? (score * 100).toFixed(1) + '%' : score.toFixed(3);
        return h(
          'li',
          { dataset: { label: row.label } },
          h('span', { class: 'whatis-label', text: row.label }),
          h('meter', {
            min: probabilities ? 0 : -1,
            max: 1,
            value: score,
            'aria-label': `${row.label}: ${shown}`,
          }),
          h('span', { class: 'whatis-percent', text: shown }),
        );
      }),
    ),
  );
}

export function init() {
  ui.whatisToggle.addEventListener('click', () => {
    const open = ui.whatis.hidden;
    ui.whatis.hidden = !open;
    ui.whatisToggle.setAttribute('aria-expanded', String(open));
    if (open) {
      if (!ui.labels.value.trim()) ui.labels.value = suggestedLabels().join(', ');
      ui.labels.focus();
    }
  });

  ui.whatis.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = await queryImages.get(page.state.img);
    if (!file) return;
    const labels = [
      ...new Set(
        ui.labels.value
          .split(/[,\n]/)
          .map((l) => l.trim())
          .filter(Boolean),
      ),
    ];
    if (classifyAbort) classifyAbort.abort();
    const abort = new AbortController();
    classifyAbort = abort;
    ui.whatisResults.replaceChildren(h('p', { class: 'muted', text: 'Classifying\u2026' }));
    try {
      renderLabels(await api.classify(file, labels, ui.template.value.trim(), abort.signal));
    } catch (error) {
      if (api.isAbort(error)) return;
      ui.whatisResults.replaceChildren(
        h(
          'div',
          { class: 'error inline', role: 'alert' },
          h('p', { class: 'error-message', text: error.message }),
        ),
      );
    }
  });
}
