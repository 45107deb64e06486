// The product page: a product's pictures and details, and its "more like this" row.

import * as api from './api.js';
import { $, formatPrice, h } from './dom.js';
import { clearError, retryable, setLoading, showError } from './feedback.js';
import * as filters from './filters.js';
import { pageHref, rerender } from './navigation.js';
import { card } from './results.js';
import {
  SIMILAR_ROW_SIZE,
  categoryAncestors,
  categoryLeaf,
  emptyState,
  queryKind,
  withChanges,
} from './state.js';

const ui = {
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
};

let productSeq = 0;
let productAbort = null;

export function hide() {
  ui.productView.hidden = true;
}

/** Shows the product `s.product` and the products most like it. */
export async function show(s) {
  clearError();
  filters.setVisible(false);
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
    renderProduct(product);
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
    showError(error, retryable(error) ? rerender : null);
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

function renderProduct(p) {
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
