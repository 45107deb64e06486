// The results of a text, image or "more like this" query: asking the server, the result grid and
// its cards, the empty and failure states, and paging.

import * as api from './api.js';
import { $, formatPrice, formatScore, h, quoted, srOnly } from './dom.js';
import { clearError, retryable, setLoading, showError } from './feedback.js';
import * as filters from './filters.js';
import { pageHref, rerender } from './navigation.js';
import * as queryImages from './query-images.js';
import * as refine from './refine.js';
import {
  apiParams,
  brandFacetKey,
  composedBody,
  composedParts,
  emptyState,
  hasFilters,
  isComposed,
  page,
  queryKind,
  toSearch,
  withChanges,
  withoutFilters,
} from './state.js';

/** Result pages kept for instant Back. */
const RESULT_CACHE_SIZE = 16;
/** Queries whose drill-sideways brand counts are kept. */
const BRAND_COUNTS_SIZE = 64;

const ui = {
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
};

let searchSeq = 0;
let searchAbort = null;
/** Rendered result pages by page URL, so that Back shows them without asking again. */
const resultCache = new Map();

function remember(map, key, value, limit) {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) map.delete(map.keys().next().value);
}

export function hide() {
  ui.resultsView.hidden = true;
}

/** Puts the keyboard on the card of product `id`, or on the results when it is not shown. */
export function focusCard(id) {
  const card = ui.grid.querySelector(`a.card-link[data-product="${CSS.escape(id)}"]`);
  (card || ui.main).focus();
}

/** A file as a `data:` URL, the form an image part of a composed query takes. */
function dataUrl(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function runQuery(s, file, params, signal) {
  if (isComposed(s)) {
    const image = queryKind(s) === 'image' ? await dataUrl(file) : null;
    return api.searchComposed(composedBody(composedParts(s, image), params), signal);
  }
  switch (queryKind(s)) {
    case 'text':
      return api.searchText(params, signal);
    case 'image':
      return api.searchImage(file, params, signal);
    default:
      return api.similar(s.similar, params, signal);
  }
}

/** Shows the results of `s`'s query (from the cache when this page was shown before). */
export async function show(s) {
  ui.resultsView.hidden = false;
  refine.sync(s);
  clearError();
  const kind = queryKind(s);
  filters.setVisible(Boolean(kind));
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
    const brandCounts = page.brandCounts;
    const needsSideways = s.brands.length > 0 && !brandCounts.has(brandFacetKey(s));
    const [result, sideways, subject] = await Promise.all([
      runQuery(s, file, apiParams(s), abort.signal),
      needsSideways
        ? runQuery(s, file, apiParams(s, { k: 1, offset: 0, withBrands: false }), abort.signal)
        : null,
      kind === 'similar' ? api.product(s.similar, abort.signal).catch(() => null) : null,
    ]);
    if (seq !== searchSeq) return;
    if (!s.brands.length) {
      remember(brandCounts, brandFacetKey(s), result.facets.brands, BRAND_COUNTS_SIZE);
    }
    if (sideways) {
      remember(brandCounts, brandFacetKey(s), sideways.facets.brands, BRAND_COUNTS_SIZE);
    }
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
  page.lastFacets = null;
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
  page.lastFacets = null;
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

function renderFailure(s, error) {
  page.lastFacets = null;
  showError(error, retryable(error) ? rerender : null);
  ui.resultsTitle.textContent = resultsTitleOf(s, null);
  ui.status.textContent = 'The search failed.';
  ui.similarBack.hidden = true;
  ui.grid.replaceChildren();
  ui.pager.hidden = true;
  ui.empty.hidden = true;
  filters.hideFacets();
}

function resultsTitleOf(s, subject) {
  const base = baseTitleOf(s, subject);
  return s.refine ? `${base}, but ${quoted(s.refine)}` : base;
}

function baseTitleOf(s, subject) {
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
  page.lastFacets = result.facets;
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

  filters.renderFacets(s, result.facets);
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
        href: pageHref(withoutFilters(s)),
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
export function card(s, hit, scoreType, { compact = false } = {}) {
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
