// The search page's entry point: wires the features together and renders a page state. The URL is
// the whole state of the page (navigation.js); each feature draws its own part of the page.

import { $ } from './dom.js';
import * as classify from './classify.js';
import * as filters from './filters.js';
import * as look from './look.js';
import * as navigation from './navigation.js';
import * as product from './product.js';
import * as refine from './refine.js';
import * as results from './results.js';
import * as searchBox from './search-box.js';
import * as serverInfo from './server-info.js';
import { page, parseState, queryKind, toSearch } from './state.js';
import * as uploads from './uploads.js';

const main = $('main');

/** Shows state `next`: the query image, then the product or the results, then moves the focus. */
async function render(next, { fromHistory = false, focus = null } = {}) {
  const previous = page.state;
  page.state = next;
  document.title = titleOf(next);
  searchBox.sync(next);
  filters.sync(next);
  await uploads.showQueryImage(next);
  if (page.state !== next) return; // a newer navigation took over while the image was read
  if (next.product) {
    results.hide();
    await product.show(next);
    markRendered(next);
    return;
  }
  product.hide();
  await results.show(next);
  if (page.state !== next) return;
  markRendered(next);
  if (focus === 'main') {
    main.focus();
  } else if (previous.product && !next.product) {
    // Back from a product: put the keyboard where it was, on that product's card.
    results.focusCard(previous.product);
  } else if (fromHistory && previous.page !== next.page) {
    main.focus();
  }
}

/** Records on the body which page state is on screen (for people debugging, and for tests). */
function markRendered(s) {
  if (page.state === s) document.body.dataset.rendered = toSearch(s);
}

function titleOf(s) {
  const kind = queryKind(s);
  if (kind === 'text') return `${s.q} \u2013 clipsearch`;
  if (kind === 'image') return 'Image search \u2013 clipsearch';
  if (kind === 'similar') return 'Similar products \u2013 clipsearch';
  return 'clipsearch';
}

navigation.init(render);
searchBox.init();
uploads.init();
classify.init();
refine.init();
look.init(uploads.searchWithImage);
filters.init();
serverInfo.load();
navigation.open(parseState(location.search));
