// What the page says while a request runs and when one fails: the loading state and the error
// panel, shared by the results and the product view.

import { $ } from './dom.js';

const ui = {
  error: $('error'),
  errorMessage: $('error-message'),
  errorDetail: $('error-detail'),
  errorRetry: $('error-retry'),
  q: $('q'),
  priceMin: $('price-min'),
  priceMax: $('price-max'),
  grid: $('grid'),
};

/** Shows the error panel; `retry`, when given, is what its "Try again" button does. */
export function showError(error, retry) {
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

export function clearError() {
  ui.error.hidden = true;
  ui.errorMessage.textContent = '';
}

/** Whether asking again may help: the network, an overloaded or failing server. */
export function retryable(error) {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

export function setLoading(loading) {
  document.body.classList.toggle('is-loading', loading);
  ui.grid.setAttribute('aria-busy', String(loading));
}
