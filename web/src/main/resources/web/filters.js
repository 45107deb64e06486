// The filters beside the results: category, brand and zero-shot attribute (attr.*) facets with
// their counts, price range, minimum score, and whether scores are shown.

import { $, h, srOnly } from './dom.js';
import { navigate, pageHref } from './navigation.js';
import {
  brandFacetKey,
  categoryAncestors,
  categoryChildren,
  categoryLeaf,
  hasFilters,
  page,
  withChanges,
  withoutFilters,
} from './state.js';

/** Slider pause after which the minimum score is applied. */
const SLIDER_DEBOUNCE_MS = 300;
/** Narrow screens start with the filters folded. */
const NARROW = window.matchMedia('(max-width: 760px)');
const SHOW_SCORES_KEY = 'clipsearch.showScores';

const ui = {
  filters: $('filters'),
  filterForm: $('filter-form'),
  categoryFacet: $('category-facet'),
  breadcrumb: $('breadcrumb'),
  categoryList: $('category-list'),
  brandFacet: $('brand-facet'),
  brandList: $('brand-list'),
  attributeFacets: $('attribute-facets'),
  priceMin: $('price-min'),
  priceMax: $('price-max'),
  minScore: $('min-score'),
  minScoreValue: $('min-score-value'),
  showScores: $('show-scores'),
  clearFilters: $('clear-filters'),
};

let sliderTimer = 0;

/** Puts the controls in line with the state (after Back, or a link). */
export function sync(s) {
  if (document.activeElement !== ui.priceMin) ui.priceMin.value = s.priceMin ?? '';
  if (document.activeElement !== ui.priceMax) ui.priceMax.value = s.priceMax ?? '';
  ui.priceMin.removeAttribute('aria-invalid');
  ui.priceMax.removeAttribute('aria-invalid');
  ui.minScore.value = String(s.minScore);
  showMinScore(s.minScore);
  ui.clearFilters.hidden = !hasFilters(s);
}

/** Shows or hides the whole filter panel (there is nothing to filter without a query). */
export function setVisible(visible) {
  ui.filters.hidden = !visible;
}

/** Hides the facets, whose counts are unknown (the search failed). */
export function hideFacets() {
  ui.categoryFacet.hidden = true;
  ui.brandFacet.hidden = true;
  ui.attributeFacets.hidden = true;
}

/** Shows the category, brand and attribute facets of a result. */
export function renderFacets(s, facets) {
  ui.categoryFacet.hidden = false;
  ui.brandFacet.hidden = false;
  ui.attributeFacets.hidden = false;
  renderCategories(s, facets);
  renderBrands(s, facets);
  renderAttributes(s, facets);
}

function showMinScore(value) {
  ui.minScoreValue.textContent = value > 0 ? Number(value).toFixed(2) : 'off';
}

function applyScoreVisibility(show) {
  document.body.classList.toggle('hide-scores', !show);
}

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
  const sideways = page.brandCounts.get(brandFacetKey(s));
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
              const state = page.state;
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

/**
 * One fieldset per zero-shot attribute (`attr.color`…) the index holds, checkboxes like brands:
 * values of one attribute are alternatives, attributes combine.
 */
function renderAttributes(s, facets) {
  const byName = new Map();
  for (const [facet, values] of Object.entries(facets.attributes || {})) {
    byName.set(facet.slice('attr.'.length), new Map(values.map((v) => [v.value, v.count])));
  }
  for (const [name, selected] of Object.entries(s.attrs)) {
    const counts = byName.get(name) || new Map();
    for (const value of selected) if (!counts.has(value)) counts.set(value, 0);
    byName.set(name, counts);
  }
  const names = [...byName.keys()].sort();
  ui.attributeFacets.replaceChildren(
    ...names.map((name) =>
      h(
        'fieldset',
        { class: 'facet', dataset: { attribute: name } },
        h('legend', { text: name.replace(/_/g, ' ') }),
        h(
          'ul',
          { class: 'facet-list' },
          ...[...byName.get(name)].map(([value, count]) => {
            const chosen = s.attrs[name] || [];
            return h(
              'li',
              { dataset: { value } },
              h(
                'label',
                { class: 'check facet-check' },
                h('input', {
                  type: 'checkbox',
                  value,
                  checked: chosen.includes(value),
                  onchange: (event) => {
                    const state = page.state;
                    const current = state.attrs[name] || [];
                    const next = event.target.checked
                      ? [...current, value]
                      : current.filter((v) => v !== value);
                    const attrs = { ...state.attrs, [name]: next };
                    if (!next.length) delete attrs[name];
                    navigate(withChanges(state, { attrs, page: 1, product: '' }));
                  },
                }),
                h('span', { class: 'facet-name', text: value }),
                h('span', { class: 'count', text: String(count) }),
                srOnly(count === 1 ? ' product' : ' products'),
              ),
            );
          }),
        ),
      ),
    ),
  );
}

/** Wires the controls; restores the "Show scores" choice and folds the panel on narrow screens. */
export function init() {
  ui.filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const priceMin = ui.priceMin.value === '' ? null : Number(ui.priceMin.value);
    const priceMax = ui.priceMax.value === '' ? null : Number(ui.priceMax.value);
    navigate(withChanges(page.state, { priceMin, priceMax, page: 1, product: '' }));
  });

  ui.minScore.addEventListener('input', () => {
    const value = Number(ui.minScore.value);
    showMinScore(value);
    clearTimeout(sliderTimer);
    sliderTimer = setTimeout(() => {
      navigate(withChanges(page.state, { minScore: value, page: 1, product: '' }), {
        coalesce: 'min-score',
      });
    }, SLIDER_DEBOUNCE_MS);
  });

  ui.clearFilters.addEventListener('click', () => {
    navigate(withoutFilters(page.state));
  });

  ui.showScores.addEventListener('change', () => {
    applyScoreVisibility(ui.showScores.checked);
    try {
      localStorage.setItem(SHOW_SCORES_KEY, ui.showScores.checked ? '1' : '0');
    } catch (e) {
      // Storage off: the choice lasts for this page.
    }
  });

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
}
