// The search box: results as you type, and the page's keyboard shortcuts (slash to come back to
// the box, Escape to leave a product).

import { $ } from './dom.js';
import { endCoalescing, navigate } from './navigation.js';
import { page, withChanges } from './state.js';

/** Typing pause after which the query is sent. */
const TYPING_DEBOUNCE_MS = 250;

const ui = {
  searchForm: $('search-form'),
  q: $('q'),
  productBack: $('product-back'),
};

let typingTimer = 0;

/** Drops a query typed but not sent yet (another kind of query replaces it). */
export function cancelTyping() {
  clearTimeout(typingTimer);
}

/** Puts the box in line with the state (after Back, or a link). */
export function sync(s) {
  if (ui.q.value.trim() !== s.q) ui.q.value = s.q;
}

export function focus() {
  ui.q.focus();
}

function isTypingTarget(target) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function init() {
  ui.q.addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => {
      const q = ui.q.value.trim();
      const state = page.state;
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
    const state = page.state;
    if (!q) {
      if (state.img) return; // the image query stays
      navigate(withChanges(state, { q: '', similar: '', page: 1, product: '' }));
      return;
    }
    navigate(withChanges(state, { q, img: '', similar: '', page: 1, product: '' }), {
      coalesce: 'typing',
    });
    endCoalescing(); // the next keystroke starts a new history entry
  });

  document.addEventListener('keydown', (event) => {
    if (event.key === '/' && !isTypingTarget(event.target)) {
      event.preventDefault();
      ui.q.focus();
      ui.q.select();
    } else if (event.key === 'Escape' && page.state.product && !isTypingTarget(event.target)) {
      ui.productBack.click();
    }
  });
}
