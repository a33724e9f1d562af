// The organisation tree (org/unit_list.html). Without JavaScript a deep branch opens on its
// own page (the link in ".tree-more"). With it, opening that branch loads just its units
// into the page (the same server-rendered list, "?root=<code>&partial=1") in place of the
// link, once; the link stays if the request fails.
document.addEventListener("DOMContentLoaded", () => {
  const tree = document.getElementById("org-tree");
  if (!tree) return;
  const load = (details) => {
    const more = details.querySelector(":scope > .tree-more[data-branch]");
    if (!more || more.dataset.loading) return;
    more.dataset.loading = "1";
    more.setAttribute("aria-busy", "true");
    fetch(more.dataset.branch, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const list = document.createElement("ul");
        list.innerHTML = html;
        more.replaceWith(list);
      })
      .catch(() => {
        delete more.dataset.loading;
        more.removeAttribute("aria-busy");
      });
  };
  // "toggle" does not bubble: listen in the capture phase for every <details> of the tree.
  tree.addEventListener(
    "toggle",
    (event) => {
      if (event.target.open) load(event.target);
    },
    true,
  );
});
