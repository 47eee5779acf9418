export function renderCount(el, count) {
  el.textContent = `${count} results`;
}
