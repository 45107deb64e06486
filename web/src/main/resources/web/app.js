// The search page: reads its state from the URL, asks the server, renders. Every navigation goes
// through navigate() (history.pushState) and every Back/Forward through popstate, so the URL is
// always the whole state of the page.

import * as api from './api.js';
import { formatPrice, formatScore, h, quoted, srOnly } from './dom.js';
import * as queryImages from './query-images.js';
import {
  PAGE_SIZE,
  SIMILAR_ROW_SIZE,
  apiParams,
  brandFacetKey,
  categoryAncestors,
  categoryChildren,
  categoryLeaf,
  emptyState,
  hasFilters,
  parseState,
  queryKind,
  toSearch,
  withChanges,
} from './state.js';

/** Typing pause after which the query is sent. */
const TYPING_DEBOUNCE_MS = 250;
/** Slider pause after which the minimum score is applied. */
const SLIDER_DEBOUNCE_MS = 300;
/** Result pages kept for instant Back. */
const RESULT_CACHE_SIZE = 16;
/** Narrow screens start with the filters folded. */
const NARROW = window.matchMedia('(max-width: 760px)');
const SHOW_SCORES_KEY = 'clipsearch.showScores';

const $ = (id) => document.getElementById(id);

const ui = {
  searchForm: $('search-form'),
  q: $('q'),
  imageInput: $('image-input'),
  banner: $('model-banner'),
  queryImage: $('query-image'),
  queryImagePreview: $('query-image-preview'),
  queryImageMissing: $('query-image-missing'),
  queryImageName: $('query-image-name'),
  clearImage: $('clear-image'),
  whatisToggle: $('whatis-toggle'),
  whatis: $('whatis'),
  labels: $('labels'),
  template: $('template'),
  whatisResults: $('whatis-results'),
  error: $('error'),
  errorMessage: $('error-message'),
  errorDetail: $('error-detail'),
  errorRetry: $('error-retry'),
  filters: $('filters'),
  filterForm: $('filter-form'),
  categoryFacet: $('category-facet'),
  breadcrumb: $('breadcrumb'),
  categoryList: $('category-list'),
  brandFacet: $('brand-facet'),
  brandList: $('brand-list'),
  priceMin: $('price-min'),
  priceMax: $('price-max'),
  minScore: $('min-score'),
  minScoreValue: $('min-score-value'),
  showScores: $('show-scores'),
  clearFilters: $('clear-filters'),
  main: $('main'),
  resultsView: $('results-view'),
  resultsTitle: $('results-title'),
  status: $('status'),
  similarBack: $('similar-back'),
  empty: $('empty'),
  grid: $('grid'),
  pager: $('pager'),
  prevPage: $('prev-page'),
  nextPage: $('next-page'),
  pageLabel: $('page-label'),
  productView: $('product-view'),
  productGallery: $('product-gallery'),
  similarRow: $('similar-row'),
  productBack: $('product-back'),
  productImage: $('product-image'),
  productThumbs: $('product-thumbs'),
  productTitle: $('product-title'),
  productBrand: $('product-brand'),
  productPrice: $('product-price'),
  productCategory: $('product-category'),
  productDescription: $('product-description'),
  productTags: $('product-tags'),
  productAttributes: $('product-attributes'),
  productShopLink: $('product-shop-link'),
  similarAll: $('similar-all'),
  similarStatus: $('similar-status'),
  similarList: $('similar-list'),
  serverInfo: $('server-info'),
  dropOverlay: $('drop-overlay'),
};

let state = emptyState();
/** The kind of the last navigation; a navigation of the same kind replaces instead of pushing. */
let lastCoalesce = '';
let searchSeq = 0;
let searchAbort = null;
let productSeq = 0;
let productAbort = null;
let classifyAbort = null;
let typingTimer = 0;
let sliderTimer = 0;
let previewUrl = null;
/** Facet counts of the last rendered results, for the "What is this?" suggestions. */
let lastFacets = null;
/** Brand counts of a query without its brand filter (drill sideways), by brandFacetKey. */
const brandCounts = new Map();
/** Rendered result pages by page URL, so that Back shows them without asking again. */
const resultCache = new Map();

// ------------------------------------------------------------------------------------------------
// Small helpers

function pageHref(next) {
  return location.pathname + toSearch(next);
}

function remember(map, key, value, limit) {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value);
}

function isTypingTarget(target) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

// ------------------------------------------------------------------------------------------------
// Navigation

/**
 * Shows `next` and records it in the history. Navigations with the same non-empty `coalesce`
 * kind in a row (keystrokes, slider steps) replace the current entry instead of adding one.
 */
function navigate(next, { coalesce = '', focus = null } = {}) {
  const search = toSearch(next);
  if (search !== location.search) {
    const replace = coalesce !== '' && coalesce === lastCoalesce;
    const entry = { from: replace ? history.state && history.state.from : location.search };
    history[replace ? 'replaceState' : 'pushState'](entry, '', pageHref(next) || '/');
  }
  lastCoalesce = coalesce;
  render(next, { focus });
}

window.addEventListener('popstate', () => {
  lastCoalesce = '';
  render(parseState(location.search), { fromHistory: true });
});

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nav]');
  if (
    !link ||
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  // "Back to results" right after opening a product is the browser's Back: no new entry.
  if (link === ui.productBack && history.state && history.state.from === url.search) {
    history.back();
    return;
  }
  navigate(parseState(url.search), { focus: link.dataset.focus || null });
});

async function render(next, { fromHistory = false, focus = null } = {}) {
  const previous = state;
  state = next;
  document.title = titleOf(next);
  syncControls(next);
  await showQueryImage(next);
  if (state !== next) return; // a newer navigation took over while the image was read
  if (next.product) {
    await showProduct(next);
    markRendered(next);
    return;
  }
  ui.productView.hidden = true;
  ui.resultsView.hidden = false;
  await showResults(next);
  if (state !== next) return;
  markRendered(next);
  if (focus === 'main') {
    ui.main.focus();
  } else if (previous.product && !next.product) {
    // Back from a product: put the keyboard where it was, on that product's card.
    const card = ui.grid.querySelector(`a.card-link[data-product="${CSS.escape(previous.product)}"]`);
    (card || ui.main).focus();
  } else if (fromHistory && previous.page !== next.page) {
    ui.main.focus();
  }
}

/** Records on the body which page state is on screen (for people debugging, and for tests). */
function markRendered(s) {
  if (state === s) document.body.dataset.rendered = toSearch(s);
}

function titleOf(s) {
  const kind = queryKind(s);
  if (kind === 'text') return `${s.q} \u2013 clipsearch`;
  if (kind === 'image') return 'Image search \u2013 clipsearch';
  if (kind === 'similar') return 'Similar products \u2013 clipsearch';
  return 'clipsearch';
}

/** Puts the controls in line with the state (after Back, or a link). */
function syncControls(s) {
  if (ui.q.value.trim() !== s.q) ui.q.value = s.q;
  if (document.activeElement !== ui.priceMin) ui.priceMin.value = s.priceMin ?? '';
  if (document.activeElement !== ui.priceMax) ui.priceMax.value = s.priceMax ?? '';
  ui.priceMin.removeAttribute('aria-invalid');
  ui.priceMax.removeAttribute('aria-invalid');
  ui.minScore.value = String(s.minScore);
  showMinScore(s.minScore);
  ui.clearFilters.hidden = !hasFilters(s);
}

function showMinScore(value) {
  ui.minScoreValue.textContent = value > 0 ? Number(value).toFixed(2) : 'off';
}

// ------------------------------------------------------------------------------------------------
// Errors and loading

function showError(error, retry) {
  ui.errorMessage.textContent = error.message || String(error);
  const parts = [];
  if (error.code) parts.push(error.code.replaceAll('_', ' '));
  if (error.status) parts.push(`HTTP ${error.status}`);
  if (error.requestId) parts.push(`request ${error.requestId}`);
  ui.errorDetail.textContent = parts.join(' \u00b7 ');
  ui.errorDetail.hidden = parts.length === 0;
  ui.errorRetry.hidden = !retry;
  ui.errorRetry.onclick = retry || null;
  ui.error.hidden = false;
  const inputs = { price_min: ui.priceMin, price_max: ui.priceMax, q: ui.q };
  const input = error.parameter && inputs[error.parameter];
  if (input) input.setAttribute('aria-invalid', 'true');
}

function clearError() {
  ui.error.hidden = true;
  ui.errorMessage.textContent = '';
}

function setLoading(loading) {
  document.body.classList.toggle('is-loading', loading);
  ui.grid.setAttribute('aria-busy', String(loading));
}

// ------------------------------------------------------------------------------------------------
// The query image

async function showQueryImage(s) {
  if (!s.img) {
    if (classifyAbort) classifyAbort.abort();
    ui.queryImage.hidden = true;
    ui.whatis.hidden = true;
    ui.whatisToggle.setAttribute('aria-expanded', 'false');
    ui.whatisResults.replaceChildren();
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
    ui.queryImage.dataset.key = '';
    return;
  }
  if (ui.queryImage.dataset.key === s.img) return;
  ui.queryImage.dataset.key = s.img;
  if (classifyAbort) classifyAbort.abort(); // labels for the previous image are moot
  ui.whatisResults.replaceChildren();
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
  ui.whatisToggle.disabled = !file;
  ui.queryImage.hidden = false;
}

ui.queryImagePreview.addEventListener('error', () => {
  // Not an image the browser can show (the server will say what it thinks of it).
  ui.queryImagePreview.hidden = true;
  ui.queryImageMissing.hidden = false;
});

/** Stores `file` and searches with it; the filters stay. */
async function searchWithImage(file) {
  if (!file) return;
  clearTimeout(typingTimer);
  const key = await queryImages.put(file);
  ui.queryImage.dataset.key = '';
  navigate(withChanges(state, { q: '', img: key, similar: '', page: 1, product: '' }));
}

ui.imageInput.addEventListener('change', () => {
  const file = ui.imageInput.files && ui.imageInput.files[0];
  ui.imageInput.value = '';
  searchWithImage(file);
});

ui.clearImage.addEventListener('click', () => {
  navigate(withChanges(state, { img: '', page: 1, product: '' }));
  ui.q.focus();
});

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

let dragDepth = 0;
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

// "What is this?": zero-shot labels for the query image.

ui.whatisToggle.addEventListener('click', () => {
  const open = ui.whatis.hidden;
  ui.whatis.hidden = !open;
  ui.whatisToggle.setAttribute('aria-expanded', String(open));
  if (open) {
    if (!ui.labels.value.trim()) ui.labels.value = suggestedLabels().join(', ');
    ui.labels.focus();
  }
});

/** The leaf categories of the current results: a sensible first guess at labels. */
function suggestedLabels() {
  if (!lastFacets) return [];
  const leaves = lastFacets.categories
    .filter((c) => !lastFacets.categories.some((d) => d.value.startsWith(c.value + ' > ')))
    .map((c) => categoryLeaf(c.value).toLowerCase());
  return [...new Set(leaves)].slice(0, 8);
}

ui.whatis.addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = await queryImages.get(state.img);
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
    const result = await api.classify(file, labels, ui.template.value.trim(), abort.signal);
    const rows = [...result.labels].sort((a, b) => b.probability - a.probability);
    ui.whatisResults.replaceChildren(
      h('p', { class: 'whatis-best' }, 'Most likely: ', h('strong', { text: result.best })),
      h(
        'ol',
        { class: 'whatis-list', 'aria-label': 'Label probabilities' },
        rows.map((row) => {
          const percent = (row.probability * 100).toFixed(1) + '%';
          return h(
            'li',
            { dataset: { label: row.label } },
            h('span', { class: 'whatis-label', text: row.label }),
            h('meter', {
              min: 0,
              max: 1,
              value: row.probability,
              'aria-label': `${row.label}: ${percent}`,
            }),
            h('span', { class: 'whatis-percent', text: percent }),
          );
        }),
      ),
    );
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

// ------------------------------------------------------------------------------------------------
// The search box

ui.q.addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    const q = ui.q.value.trim();
    if (q === state.q) return;
    if (!q && !state.q) return;
    navigate(withChanges(state, { q, img: '', similar: '', page: 1, product: '' }), {
      coalesce: 'typing',
    });
  }, TYPING_DEBOUNCE_MS);
});

ui.searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  const q = ui.q.value.trim();
  if (!q) {
    if (state.img) return; // the image query stays
    navigate(withChanges(state, { q: '', similar: '', page: 1, product: '' }));
    return;
  }
  navigate(withChanges(state, { q, img: '', similar: '', page: 1, product: '' }), {
    coalesce: 'typing',
  });
  lastCoalesce = ''; // the next keystroke starts a new history entry
});

document.addEventListener('keydown', (event) => {
  if (event.key === '/' && !isTypingTarget(event.target)) {
    event.preventDefault();
    ui.q.focus();
    ui.q.select();
  } else if (event.key === 'Escape' && state.product && !isTypingTarget(event.target)) {
    ui.productBack.click();
  }
});

// ------------------------------------------------------------------------------------------------
// Filters

ui.filterForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const priceMin = ui.priceMin.value === '' ? null : Number(ui.priceMin.value);
  const priceMax = ui.priceMax.value === '' ? null : Number(ui.priceMax.value);
  navigate(withChanges(state, { priceMin, priceMax, page: 1, product: '' }));
});

ui.minScore.addEventListener('input', () => {
  const value = Number(ui.minScore.value);
  showMinScore(value);
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(() => {
    navigate(withChanges(state, { minScore: value, page: 1, product: '' }), {
      coalesce: 'min-score',
    });
  }, SLIDER_DEBOUNCE_MS);
});

ui.clearFilters.addEventListener('click', () => {
  navigate(
    withChanges(state, {
      category: '',
      brands: [],
      priceMin: null,
      priceMax: null,
      minScore: 0,
      page: 1,
    }),
  );
});

function applyScoreVisibility(show) {
  document.body.classList.toggle('hide-scores', !show);
}

ui.showScores.addEventListener('change', () => {
  applyScoreVisibility(ui.showScores.checked);
  try {
    localStorage.setItem(SHOW_SCORES_KEY, ui.showScores.checked ? '1' : '0');
  } catch (e) {
    // Storage off: the choice lasts for this page.
  }
});

function renderCategories(s, facets) {
  const crumbs = [];
  if (s.category) {
    crumbs.push(
      h(
        'li',
        {},
        h('a', {
          href: pageHref(withChanges(s, { category: '', page: 1 })),
          'data-nav': true,
          text: 'All categories',
        }),
      ),
    );
    const levels = categoryAncestors(s.category);
    levels.forEach((path, i) => {
      const last = i === levels.length - 1;
      crumbs.push(
        h(
          'li',
          {},
          last
            ? h('span', { 'aria-current': 'true', text: categoryLeaf(path) })
            : h('a', {
                href: pageHref(withChanges(s, { category: path, page: 1 })),
                'data-nav': true,
                text: categoryLeaf(path),
              }),
        ),
      );
    });
  }
  ui.breadcrumb.replaceChildren(...crumbs);
  ui.breadcrumb.parentElement.hidden = crumbs.length === 0;
  const children = categoryChildren(facets.categories, s.category);
  ui.categoryList.replaceChildren(
    ...children.map((c) =>
      h(
        'li',
        { dataset: { value: c.value } },
        h(
          'a',
          {
            href: pageHref(withChanges(s, { category: c.value, page: 1 })),
            'data-nav': true,
            class: 'facet-link',
          },
          h('span', { class: 'facet-name', text: categoryLeaf(c.value) }),
          h('span', { class: 'count', text: String(c.count) }),
          srOnly(c.count === 1 ? ' product' : ' products'),
        ),
      ),
    ),
  );
  if (!children.length && !s.category) {
    ui.categoryList.replaceChildren(h('li', { class: 'muted', text: 'No categories' }));
  }
}

function renderBrands(s, facets) {
  const sideways = brandCounts.get(brandFacetKey(s));
  const counts = new Map((sideways || facets.brands).map((b) => [b.value, b.count]));
  for (const brand of s.brands) if (!counts.has(brand)) counts.set(brand, 0);
  ui.brandList.replaceChildren(
    ...[...counts].map(([brand, count]) => {
      const checked = s.brands.includes(brand);
      return h(
        'li',
        { dataset: { value: brand } },
        h(
          'label',
          { class: 'check facet-check' },
          h('input', {
            type: 'checkbox',
            value: brand,
            checked,
            onchange: (event) => {
              const brands = event.target.checked
                ? [...state.brands, brand]
                : state.brands.filter((b) => b !== brand);
              navigate(withChanges(state, { brands, page: 1, product: '' }));
            },
          }),
          h('span', { class: 'facet-name', text: brand }),
          h('span', { class: 'count', text: String(count) }),
          srOnly(count === 1 ? ' product' : ' products'),
        ),
      );
    }),
  );
  if (!counts.size) ui.brandList.replaceChildren(h('li', { class: 'muted', text: 'No brands' }));
}

// ------------------------------------------------------------------------------------------------
// Results

function runQuery(s, file, params, signal) {
  switch (queryKind(s)) {
    case 'text':
      return api.searchText(params, signal);
    case 'image':
      return api.searchImage(file, params, signal);
    default:
      return api.similar(s.similar, params, signal);
  }
}

async function showResults(s) {
  clearError();
  const kind = queryKind(s);
  ui.filters.hidden = !kind;
  if (!kind) {
    if (searchAbort) searchAbort.abort();
    searchSeq += 1;
    setLoading(false);
    renderStart();
    return;
  }
  const key = toSearch(s);
  const cached = resultCache.get(key);
  if (cached) {
    if (searchAbort) searchAbort.abort();
    searchSeq += 1;
    setLoading(false);
    renderResults(s, cached.result, cached.subject);
    return;
  }
  const seq = ++searchSeq;
  if (searchAbort) searchAbort.abort();
  const abort = new AbortController();
  searchAbort = abort;
  setLoading(true);
  ui.status.textContent = 'Searching\u2026';
  try {
    let file = null;
    if (kind === 'image') {
      file = await queryImages.get(s.img);
      if (seq !== searchSeq) return;
      if (!file) {
        renderMissingImage();
        return;
      }
    }
    const needsSideways = s.brands.length > 0 && !brandCounts.has(brandFacetKey(s));
    const [result, sideways, subject] = await Promise.all([
      runQuery(s, file, apiParams(s), abort.signal),
      needsSideways
        ? runQuery(s, file, apiParams(s, { k: 1, offset: 0, withBrands: false }), abort.signal)
        : null,
      kind === 'similar' ? api.product(s.similar, abort.signal).catch(() => null) : null,
    ]);
    if (seq !== searchSeq) return;
    if (!s.brands.length) remember(brandCounts, brandFacetKey(s), result.facets.brands, 64);
    if (sideways) remember(brandCounts, brandFacetKey(s), sideways.facets.brands, 64);
    remember(resultCache, key, { result, subject }, RESULT_CACHE_SIZE);
    renderResults(s, result, subject);
  } catch (error) {
    if (api.isAbort(error) || seq !== searchSeq) return;
    renderFailure(s, error);
  } finally {
    if (seq === searchSeq) setLoading(false);
  }
}

function renderStart() {
  lastFacets = null;
  ui.resultsTitle.textContent = 'Search the catalog';
  ui.status.textContent = '';
  ui.similarBack.hidden = true;
  ui.grid.replaceChildren();
  ui.pager.hidden = true;
  ui.empty.replaceChildren(
    h('p', { text: 'Type what you are looking for, or search with a picture:' }),
    h(
      'ul',
      {},
      h('li', { text: 'drop an image anywhere on this page,' }),
      h('li', { text: 'paste one (Ctrl+V or \u2318V),' }),
      h('li', {}, h('label', { for: 'image-input', class: 'inline-link', text: 'or choose a file' }), '.'),
    ),
  );
  ui.empty.hidden = false;
}

function renderMissingImage() {
  lastFacets = null;
  ui.resultsTitle.textContent = 'Search by image';
  ui.status.textContent = 'The query image is not available.';
  ui.grid.replaceChildren();
  ui.pager.hidden = true;
  ui.empty.replaceChildren(
    h('p', {
      text:
        'This link searched with an image that is not stored in this browser. ' +
        'Choose, paste or drop the image again to repeat the search.',
    }),
  );
  ui.empty.hidden = false;
}

/** Whether asking again may help: the network, an overloaded or failing server. */
function retryable(error) {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

function renderFailure(s, error) {
  lastFacets = null;
  showError(error, retryable(error) ? () => render(state) : null);
  ui.resultsTitle.textContent = resultsTitleOf(s, null);
  ui.status.textContent = 'The search failed.';
  ui.similarBack.hidden = true;
  ui.grid.replaceChildren();
  ui.pager.hidden = true;
  ui.empty.hidden = true;
  ui.categoryFacet.hidden = true;
  ui.brandFacet.hidden = true;
}

function resultsTitleOf(s, subject) {
  switch (queryKind(s)) {
    case 'text':
      return `Results for ${quoted(s.q)}`;
    case 'image':
      return 'Products like your image';
    default:
      return subject && subject.title
        ? `Similar to ${quoted(subject.title)}`
        : `Similar to product ${s.similar}`;
  }
}

function renderResults(s, result, subject) {
  lastFacets = result.facets;
  ui.resultsTitle.textContent = resultsTitleOf(s, subject);
  const hits = result.hits;
  const from = result.paging.offset + 1;
  const to = result.paging.offset + hits.length;
  let status;
  if (!hits.length) {
    status = s.page > 1 ? 'No more results.' : 'No results.';
  } else {
    status = `Showing results ${from}\u2013${to}${result.paging.has_more ? ', more on the next page' : ''}.`;
  }
  if (result.query && result.query.truncated) {
    status += ' Your query was shortened to what the model reads.';
  }
  ui.status.textContent = status;
  ui.status.dataset.count = String(hits.length);
  ui.status.title = `Server time ${Math.round(result.timings.total_ms)} ms`;

  if (queryKind(s) === 'similar') {
    ui.similarBack.replaceChildren(
      h('a', {
        href: pageHref(withChanges(emptyState(), { product: s.similar })),
        'data-nav': true,
        text: subject && subject.title ? `Open ${subject.title}` : 'Open the product',
      }),
    );
    ui.similarBack.hidden = false;
  } else {
    ui.similarBack.hidden = true;
  }

  ui.grid.replaceChildren(...hits.map((hit) => card(s, hit, result.score_type)));
  ui.empty.hidden = hits.length > 0;
  if (!hits.length) renderNoHits(s);

  ui.pager.hidden = s.page === 1 && !result.paging.has_more;
  ui.prevPage.hidden = s.page === 1;
  ui.prevPage.href = pageHref(withChanges(s, { page: s.page - 1 }));
  ui.prevPage.dataset.focus = 'main';
  ui.nextPage.hidden = !result.paging.has_more;
  ui.nextPage.href = pageHref(withChanges(s, { page: s.page + 1 }));
  ui.nextPage.dataset.focus = 'main';
  ui.pageLabel.textContent = `Page ${s.page}`;

  ui.categoryFacet.hidden = false;
  ui.brandFacet.hidden = false;
  renderCategories(s, result.facets);
  renderBrands(s, result.facets);
}

function renderNoHits(s) {
  const actions = [];
  if (s.minScore > 0) {
    actions.push(
      h('a', {
        href: pageHref(withChanges(s, { minScore: 0, page: 1 })),
        'data-nav': true,
        text: 'Show less similar results too',
      }),
    );
  }
  if (hasFilters(s)) {
    actions.push(
      h('a', {
        href: pageHref(
          withChanges(s, {
            category: '',
            brands: [],
            priceMin: null,
            priceMax: null,
            minScore: 0,
            page: 1,
          }),
        ),
        'data-nav': true,
        text: 'Clear all filters',
      }),
    );
  }
  if (s.page > 1) {
    actions.push(
      h('a', { href: pageHref(withChanges(s, { page: 1 })), 'data-nav': true, text: 'First page' }),
    );
  }
  ui.empty.replaceChildren(
    h('p', {
      text: hasFilters(s)
        ? 'No products match this search with these filters.'
        : 'No products match this search.',
    }),
    actions.length ? h('ul', { class: 'actions' }, actions.map((a) => h('li', {}, a))) : null,
  );
}

/** One result: image, title, brand, price, score, and its own "more like this" link. */
function card(s, hit, scoreType, { compact = false } = {}) {
  const productHref = pageHref(withChanges(s, { product: hit.id }));
  const similarHref = pageHref(withChanges(emptyState(), { similar: hit.id }));
  const title = hit.title || hit.id;
  return h(
    'li',
    { class: compact ? 'card compact' : 'card', dataset: { id: hit.id } },
    h(
      'a',
      { class: 'card-link', href: productHref, 'data-nav': true, dataset: { product: hit.id } },
      h(
        'span',
        { class: 'card-image' },
        h('img', {
          src: hit.thumbnail_url,
          alt: title,
          loading: 'lazy',
          decoding: 'async',
          width: 160,
          height: 160,
        }),
      ),
      h(compact ? 'h3' : 'h2', { class: 'card-title', text: title }),
    ),
    hit.brand ? h('p', { class: 'card-brand', text: hit.brand }) : null,
    h(
      'p',
      { class: 'card-meta' },
      h('span', { class: 'card-price', text: formatPrice(hit.price, hit.currency) }),
      h(
        'span',
        {
          class: 'card-score score',
          title: scoreType === 'bm25' ? 'BM25 text score' : 'Cosine similarity to the query',
        },
        srOnly('Score '),
        formatScore(hit.score),
      ),
    ),
    h(
      'a',
      { class: 'card-similar', href: similarHref, 'data-nav': true, 'data-focus': 'main' },
      'More like this',
      srOnly(`: ${title}`),
    ),
  );
}

// ------------------------------------------------------------------------------------------------
// The product view

async function showProduct(s) {
  clearError();
  ui.resultsView.hidden = true;
  ui.filters.hidden = true;
  ui.productView.hidden = false;
  const back = withChanges(s, { product: '' });
  ui.productBack.href = pageHref(back) || '/';
  ui.productBack.textContent = queryKind(back) ? 'Back to results' : 'Back to search';
  ui.similarAll.href = pageHref(withChanges(emptyState(), { similar: s.product }));
  ui.similarAll.dataset.focus = 'main';

  const seq = ++productSeq;
  if (productAbort) productAbort.abort();
  const abort = new AbortController();
  productAbort = abort;
  setLoading(true);
  ui.productTitle.textContent = 'Loading\u2026';
  ui.similarStatus.textContent = '';
  ui.similarList.replaceChildren();
  try {
    const similarParams = new URLSearchParams({ k: String(SIMILAR_ROW_SIZE), offset: '0' });
    const [product, similar] = await Promise.all([
      api.product(s.product, abort.signal),
      api.similar(s.product, similarParams, abort.signal).catch((e) => e),
    ]);
    if (seq !== productSeq) return;
    ui.productGallery.hidden = false;
    ui.similarRow.hidden = false;
    renderProduct(s, product);
    if (similar instanceof Error) {
      if (api.isAbort(similar)) return;
      ui.similarStatus.textContent = `Similar products could not be loaded: ${similar.message}`;
    } else {
      ui.similarStatus.textContent = similar.hits.length
        ? `${similar.hits.length} similar products.`
        : 'No similar products.';
      ui.similarList.replaceChildren(
        ...similar.hits.map((hit) => card(s, hit, similar.score_type, { compact: true })),
      );
    }
    document.title = `${product.title || product.id} \u2013 clipsearch`;
    ui.productTitle.focus();
  } catch (error) {
    if (api.isAbort(error) || seq !== productSeq) return;
    ui.productTitle.textContent = 'Product not available';
    clearProductDetails();
    ui.productGallery.hidden = true;
    ui.similarRow.hidden = true;
    showError(error, retryable(error) ? () => render(state) : null);
  } finally {
    if (seq === productSeq) setLoading(false);
  }
}

function clearProductDetails() {
  ui.productImage.removeAttribute('src');
  ui.productImage.alt = '';
  for (const node of [
    ui.productThumbs,
    ui.productCategory,
    ui.productTags,
    ui.productAttributes,
  ]) {
    node.replaceChildren();
  }
  ui.productBrand.textContent = '';
  ui.productPrice.textContent = '';
  ui.productDescription.textContent = '';
  ui.productShopLink.hidden = true;
}

function renderProduct(s, p) {
  clearProductDetails();
  const title = p.title || p.id;
  ui.productTitle.textContent = title;
  ui.productBrand.textContent = p.brand || '';
  ui.productPrice.textContent = formatPrice(p.price, p.currency);
  ui.productDescription.textContent = p.description || '';

  const images = p.images || [];
  const show = (i) => {
    const image = images[i];
    ui.productImage.src = image.original_url || image.thumbnail_url;
    ui.productImage.alt = images.length > 1 ? `${title}, picture ${i + 1} of ${images.length}` : title;
    for (const button of ui.productThumbs.querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(Number(button.dataset.index) === i));
    }
  };
  if (images.length > 1) {
    ui.productThumbs.replaceChildren(
      ...images.map((image, i) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', dataset: { index: i }, onclick: () => show(i) },
            h('img', {
              src: image.thumbnail_url,
              alt: `Show picture ${i + 1} of ${images.length}`,
              loading: 'lazy',
              width: 64,
              height: 64,
            }),
          ),
        ),
      ),
    );
  }
  if (images.length) show(0);

  if (p.category) {
    ui.productCategory.replaceChildren(
      ...categoryAncestors(p.category).map((path) => h('li', { text: categoryLeaf(path) })),
    );
  }
  ui.productTags.replaceChildren(...(p.tags || []).map((tag) => h('li', { text: tag })));
  const attributes = Object.entries(p.attributes || {}).filter(
    ([, v]) => v !== null && typeof v !== 'object',
  );
  ui.productAttributes.replaceChildren(
    ...attributes.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: String(v) })]),
  );
  if (p.url && /^https?:\/\//i.test(p.url)) {
    ui.productShopLink.href = p.url;
    ui.productShopLink.hidden = false;
  }
}

// ------------------------------------------------------------------------------------------------
// The server and its model

/**
 * Whether the server's model is a test model with random weights, whose rankings mean nothing:
 * an explicit flag when the server sends one, otherwise the generator's "random-" model names.
 */
function isRandomModel(ready) {
  if (ready.random_weights === true) return true;
  return /(^|[^a-z])random([^a-z]|$)/i.test(String(ready.model || ''));
}

async function loadServerInfo() {
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

// ------------------------------------------------------------------------------------------------
// Start

function start() {
  let show = true;
  try {
    show = localStorage.getItem(SHOW_SCORES_KEY) !== '0';
  } catch (e) {
    // Storage off: scores shown.
  }
  ui.showScores.checked = show;
  applyScoreVisibility(show);
  const fold = () => {
    ui.filters.open = !NARROW.matches;
  };
  fold();
  NARROW.addEventListener('change', fold);
  loadServerInfo();
  const initial = parseState(location.search);
  if (toSearch(initial) !== location.search) {
    // A hand-edited or old link: show the state it means, under its canonical URL.
    history.replaceState(history.state, '', pageHref(initial) || '/');
  }
  render(initial);
}

start();
