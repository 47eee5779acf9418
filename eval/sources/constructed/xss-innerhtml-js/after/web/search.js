export function renderCount(el, count) {
  el.textContent = `${count} results`;
}

export function renderHeading(el) {
  const query = new URLSearchParams(location.search).get('q') ?? '';
  el.innerHTML = `<h2>Results for <mark>${query}</mark></h2>`;
}
