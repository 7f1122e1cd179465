// The only way this page builds DOM: elements with properties and children, text always through textContent.
// No innerHTML anywhere, so a device name or an error message from the server can never become markup.

/**
 * el('div', { className: 'x', dataset: { testid: 'y' }, attrs: { 'aria-label': 'z' }, on: { click: f } }, 'text', child)
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { dataset, attrs, on, text, ...rest } = props;
  for (const [key, value] of Object.entries(rest)) node[key] = value;
  if (dataset) for (const [key, value] of Object.entries(dataset)) node.dataset[key] = value;
  if (attrs) for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (on) for (const [key, value] of Object.entries(on)) node.addEventListener(key, value);
  if (text !== undefined) node.textContent = text;
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Sets text only when it changed (keeps screen readers and layout calm on frequent updates). */
export function setText(node, text) {
  const value = String(text ?? '');
  if (node.textContent !== value) node.textContent = value;
}

/** An inline SVG icon from the sprite in index.html (no markup strings). */
export function icon(name, className = 'icon') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(ns, 'use');
  use.setAttribute('href', `#i-${name}`);
  svg.append(use);
  return svg;
}

/**
 * A row of toggle buttons, one pressed (aria-pressed): options are [value, text, title]; current() says which value is
 * chosen, pick(value) chooses one. Buttons carry data-testid `${testid}-${value}`.
 */
export function segmented(label, options, current, pick, testid) {
  const group = el('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': label } });
  const buttons = options.map(([value, text, title]) => el('button', {
    type: 'button',
    className: 'seg',
    title,
    dataset: { testid: `${testid}-${value}`, value },
    attrs: { 'aria-pressed': String(current() === value), 'aria-label': title },
    text,
    on: { click: () => { pick(value); refresh(); } },
  }));
  const refresh = () => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.value === current())));
  group.append(...buttons);
  return group;
}

/** A CSS custom property of the page (colours follow light and dark mode), or a grey when it is not set. */
export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}
