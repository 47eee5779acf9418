export function renderAuthor(el, comment) {
  const b = document.createElement('b');
  b.textContent = comment.author;
  el.replaceChildren(b);
}
