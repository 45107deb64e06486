// The page's state and its two encodings: the page URL (what links share and Back restores)
// and the API's query parameters: pure functions, no DOM. Also `page`, the one object the page's
// features share while it runs.

/** Hits per page; the API's default is the same. */
export const PAGE_SIZE = 24;

/** Products shown in a product's "more like this" row. */
export const SIMILAR_ROW_SIZE = 12;

/** Separator of category path levels, as the server writes them. */
export const CATEGORY_SEPARATOR = ' > ';

/**
 * The state of the page. Exactly one query source at most: a text query `q`, a stored query image
 * `img` (a key into the browser's query-image store), or `similar` (a product id). `refine` is
 * text that refines an image or "more like this" query ("…but red"); in it and in `q`, a word
 * written `-word` is left out (a negative part of a composed query).
 */
export function emptyState() {
  return {
    q: '',
    img: '',
    similar: '',
    refine: '',
    category: '',
    brands: [],
    /** Zero-shot attribute filters (`attr.color=red`): attribute name → values, any matches. */
    attrs: {},
    priceMin: null,
    priceMax: null,
    minScore: 0,
    page: 1,
    product: '',
  };
}

/** The query parameter of an attribute filter: `attr.` and a name of [a-z0-9_]. */
export const ATTRIBUTE_PARAM = /^attr\.([a-z0-9_]+)$/;

/** The attribute filters of a query string: name → distinct non-empty values. */
function parseAttributes(p) {
  const attrs = {};
  for (const key of new Set(p.keys())) {
    const match = ATTRIBUTE_PARAM.exec(key);
    if (!match) continue;
    const values = [...new Set(p.getAll(key).map((v) => v.trim()).filter(Boolean))];
    if (values.length) attrs[match[1]] = values;
  }
  return attrs;
}

/** Appends the attribute filters of `state` to `p`, in name order. */
function appendAttributes(p, state) {
  for (const name of Object.keys(state.attrs).sort()) {
    for (const value of state.attrs[name]) p.append('attr.' + name, value);
  }
}

/**
 * What the page's features share while it runs; the only mutable state more than one module sees.
 * Each feature keeps its own requests and timers to itself.
 */
export const page = {
  /** The state on screen, or being rendered: what the URL says. */
  state: emptyState(),
  /** Facet counts of the last rendered results, for the "What is this?" suggestions. */
  lastFacets: null,
  /** Brand counts of a query without its brand filter (drill sideways), by brandFacetKey. */
  brandCounts: new Map(),
};

function number(value) {
  if (value === null || value === undefined || String(value).trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The state a page URL's query string describes; unknown or malformed values are dropped. */
export function parseState(search) {
  const p = new URLSearchParams(search);
  const s = emptyState();
  s.q = (p.get('q') || '').trim();
  s.img = s.q ? '' : (p.get('img') || '').trim();
  s.similar = s.q || s.img ? '' : (p.get('similar') || '').trim();
  s.refine = s.img || s.similar ? (p.get('refine') || '').trim() : '';
  s.category = (p.get('category') || '').trim();
  s.brands = [...new Set(p.getAll('brand').map((b) => b.trim()).filter(Boolean))];
  s.attrs = parseAttributes(p);
  s.priceMin = number(p.get('price_min'));
  s.priceMax = number(p.get('price_max'));
  const minScore = number(p.get('min_score'));
  s.minScore = minScore !== null && minScore > 0 ? minScore : 0;
  const page = Math.floor(number(p.get('page')) || 1);
  s.page = page >= 1 ? page : 1;
  s.product = (p.get('product') || '').trim();
  return s;
}

/** The query string (with its `?`, or empty) of a page URL for `state`, in a stable order. */
export function toSearch(state) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  else if (state.img) p.set('img', state.img);
  else if (state.similar) p.set('similar', state.similar);
  if (state.refine && (state.img || state.similar)) p.set('refine', state.refine);
  if (state.category) p.set('category', state.category);
  for (const b of state.brands) p.append('brand', b);
  appendAttributes(p, state);
  if (state.priceMin !== null) p.set('price_min', String(state.priceMin));
  if (state.priceMax !== null) p.set('price_max', String(state.priceMax));
  if (state.minScore > 0) p.set('min_score', String(state.minScore));
  if (state.page > 1) p.set('page', String(state.page));
  if (state.product) p.set('product', state.product);
  const text = p.toString();
  return text ? '?' + text : '';
}

/** A copy of `state` with `changes` applied. */
export function withChanges(state, changes) {
  return { ...state, brands: [...state.brands], attrs: { ...state.attrs }, ...changes };
}

/** Which kind of query the state holds: 'text', 'image', 'similar', or '' for none. */
export function queryKind(state) {
  if (state.q) return 'text';
  if (state.img) return 'image';
  if (state.similar) return 'similar';
  return '';
}

/** `state` with every filter (category, brand, attributes, price, minimum score) cleared, on page 1. */
export function withoutFilters(state) {
  return withChanges(state, {
    category: '',
    brands: [],
    attrs: {},
    priceMin: null,
    priceMax: null,
    minScore: 0,
    page: 1,
  });
}

/** Whether any filter (category, brand, attributes, price, minimum score) is set. */
export function hasFilters(state) {
  return Boolean(
    state.category ||
      state.brands.length ||
      Object.keys(state.attrs).length ||
      state.priceMin !== null ||
      state.priceMax !== null ||
      state.minScore > 0,
  );
}

/**
 * The API's query parameters for a page of `state`'s query: paging, filters and minimum score
 * (the text itself is added by the caller for text queries).
 *
 * @param {object} options `k` (page size), `offset`, `withBrands` (false for drill-sideways counts)
 */
export function apiParams(state, { k = PAGE_SIZE, offset, withBrands = true } = {}) {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  p.set('k', String(k));
  p.set('offset', String(offset ?? (state.page - 1) * k));
  if (state.category) p.set('category', state.category);
  if (withBrands) for (const b of state.brands) p.append('brand', b);
  appendAttributes(p, state);
  if (state.priceMin !== null) p.set('price_min', String(state.priceMin));
  if (state.priceMax !== null) p.set('price_max', String(state.priceMax));
  if (state.minScore > 0) p.set('min_score', String(state.minScore));
  return p;
}

/** A key naming a query and its filters except brands: responses with equal keys share brand counts. */
export function brandFacetKey(state) {
  return JSON.stringify([
    queryKind(state),
    state.q,
    state.img,
    state.similar,
    state.refine,
    state.category,
    toSearch({ ...emptyState(), attrs: state.attrs }),
    state.priceMin,
    state.priceMax,
    state.minScore,
  ]);
}

/** The levels of a category path: 'A > B > C' gives ['A', 'A > B', 'A > B > C']. */
export function categoryAncestors(path) {
  if (!path) return [];
  const levels = path.split(CATEGORY_SEPARATOR);
  return levels.map((_, i) => levels.slice(0, i + 1).join(CATEGORY_SEPARATOR));
}

/** The last level of a category path. */
export function categoryLeaf(path) {
  const levels = path.split(CATEGORY_SEPARATOR);
  return levels[levels.length - 1];
}

/**
 * The categories one level below `parent` ('' for the top level) among facet counts that list
 * every level of each path, most frequent first as the server sorted them.
 */
export function categoryChildren(facets, parent) {
  const depth = parent ? parent.split(CATEGORY_SEPARATOR).length + 1 : 1;
  const prefix = parent ? parent + CATEGORY_SEPARATOR : '';
  return facets.filter(
    (f) => f.value.startsWith(prefix) && f.value.split(CATEGORY_SEPARATOR).length === depth,
  );
}

/** Weight of a left-out word in a composed query (the API accepts -1 to 1). */
export const EXCLUDE_WEIGHT = -0.5;

/** Most parts the API takes in one composed query. */
export const MAX_PARTS = 8;

/** A query text split into what to look for and the words written `-word` to leave out. */
export function splitExclusions(text) {
  const include = [];
  const exclude = [];
  for (const word of (text || '').split(/\s+/).filter(Boolean)) {
    if (word.length > 1 && word.startsWith('-')) exclude.push(word.slice(1));
    else include.push(word);
  }
  return { include: include.join(' '), exclude };
}

/**
 * Whether `state`'s query needs POST /api/search (weighted parts): an image or "more like this"
 * with a refining text, or a text query that leaves words out (and still has words to look for).
 */
export function isComposed(state) {
  if (state.q) {
    const { include, exclude } = splitExclusions(state.q);
    return Boolean(include && exclude.length);
  }
  return Boolean(state.refine && (state.img || state.similar));
}

/**
 * The parts of `state`'s composed query: the product or image (`imageDataUrl`) at weight 1, the
 * words to look for at weight 1, each left-out word at EXCLUDE_WEIGHT; at most MAX_PARTS.
 */
export function composedParts(state, imageDataUrl = null) {
  const parts = [];
  let text = state.q;
  if (!state.q) {
    if (state.similar) parts.push({ product: state.similar, weight: 1 });
    else parts.push({ image_base64: imageDataUrl, weight: 1 });
    text = state.refine;
  }
  const { include, exclude } = splitExclusions(text);
  if (include) parts.push({ text: include, weight: 1 });
  for (const word of exclude) parts.push({ text: word, weight: EXCLUDE_WEIGHT });
  return parts.slice(0, MAX_PARTS);
}

/** The JSON body of POST /api/search: `parts` plus the paging and filters of `params`. */
export function composedBody(parts, params) {
  const body = { parts };
  for (const [name, value] of params) {
    if (name === 'q') continue;
    if (name === 'brand') (body.brand = body.brand || []).push(value);
    else if (name === 'category') body.category = value;
    else if (ATTRIBUTE_PARAM.test(name)) (body[name] = body[name] || []).push(value);
    else body[name] = Number(value);
  }
  return body;
}
