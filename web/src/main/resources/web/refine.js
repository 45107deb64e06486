// Refining a query: the "…but" box on image and "more like this" results, and the one under a
// product's "more like this" row. Both navigate to a state with `refine`, which results.js asks
// the server for as a composed query (POST /api/search).

import { $ } from './dom.js';
import { endCoalescing, navigate } from './navigation.js';
import { emptyState, page, queryKind, withChanges } from './state.js';

const ui = {
  form: $('refine-form'),
  input: $('refine'),
  productForm: $('similar-refine-form'),
  productInput: $('similar-refine'),
};

/** Shows the box for image and "more like this" results, holding the state's refinement. */
export function sync(s) {
  const kind = queryKind(s);
  ui.form.hidden = kind !== 'image' && kind !== 'similar';
  if (document.activeElement !== ui.input) ui.input.value = s.refine;
  ui.productInput.value = '';
}

export function init() {
  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    endCoalescing();
    navigate(withChanges(page.state, { refine: ui.input.value.trim(), page: 1 }), {
      focus: 'main',
    });
  });
  ui.productForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const refine = ui.productInput.value.trim();
    if (!page.state.product) return;
    endCoalescing();
    navigate(withChanges(emptyState(), { similar: page.state.product, refine }), {
      focus: 'main',
    });
  });
}
