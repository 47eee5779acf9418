export function renderAuthor(el, comment) {
  el.innerHTML = '<b>' + comment.author + '</b>';
}
