// Moving between page states. Every navigation goes through navigate() (history.pushState) and
// every Back/Forward through popstate, so the URL is always the whole state of the page. What a
// state looks like on screen is the renderer's business, given by the entry point to init().

import { $ } from './dom.js';
import { page, parseState, toSearch } from './state.js';

const productBack = $('product-back');

/** The kind of the last navigation; a navigation of the same kind replaces instead of pushing. */
let lastCoalesce = '';
/** Shows a state: `(state, { fromHistory, focus }) => Promise`. */
let renderer = null;

/** The page URL (path and query) of state `next`. */
export function pageHref(next) {
  return location.pathname + toSearch(next);
}

/**
 * Shows `next` and records it in the history. Navigations with the same non-empty `coalesce`
 * kind in a row (keystrokes, slider steps) replace the current entry instead of adding one.
 */
export function navigate(next, { coalesce = '', focus = null } = {}) {
  const search = toSearch(next);
  if (search !== location.search) {
    const replace = coalesce !== '' && coalesce === lastCoalesce;
    const entry = { from: replace ? history.state && history.state.from : location.search };
    history[replace ? 'replaceState' : 'pushState'](entry, '', pageHref(next) || '/');
  }
  lastCoalesce = coalesce;
  renderer(next, { focus });
}

/** Makes the next navigation start a new history entry, whatever its kind. */
export function endCoalescing() {
  lastCoalesce = '';
}

/** Shows the current state again, asking the server again (a retry). */
export function rerender() {
  return renderer(page.state);
}

/** Shows `initial`, the state the page was opened with, under its canonical URL. */
export function open(initial) {
  if (toSearch(initial) !== location.search) {
    // A hand-edited or old link: show the state it means, under its canonical URL.
    history.replaceState(history.state, '', pageHref(initial) || '/');
  }
  return renderer(initial);
}

/** Takes over Back/Forward and the page's own links (`a[data-nav]`); `render` shows a state. */
export function init(render) {
  renderer = render;

  window.addEventListener('popstate', () => {
    lastCoalesce = '';
    renderer(parseState(location.search), { fromHistory: true });
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
    if (link === productBack && history.state && history.state.from === url.search) {
      history.back();
      return;
    }
    navigate(parseState(url.search), { focus: link.dataset.focus || null });
  });
}
