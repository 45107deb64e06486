// Building DOM nodes and formatting values for people. Pure helpers, no page state.

/** The page's element with this id. */
export const $ = (id) => document.getElementById(id);

/** Creates an element: attributes (class, text, on*, dataset, boolean and string attributes). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Text for screen readers only. */
export function srOnly(text) {
  return h('span', { class: 'sr-only', text });
}

/** A price in the shopper's locale; with its currency when the catalog gives one. */
export function formatPrice(price, currency) {
  if (price === null || price === undefined) return '';
  if (currency) {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(price);
    } catch (e) {
      // Not an ISO 4217 code: the number and the code as given.
      return `${price.toFixed(2)} ${currency}`;
    }
  }
  return price.toFixed(2);
}

/** A similarity score, three decimals. */
export function formatScore(score) {
  return Number.isFinite(score) ? score.toFixed(3) : '';
}

/** Text in typographic quotes. */
export function quoted(text) {
  return `\u201c${text}\u201d`;
}
