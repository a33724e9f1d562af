// Type-to-search pickers for the kernel's select[data-picker] (longbien.core.widgets
// AutocompleteSelect / AutocompleteSelectMultiple), with the vendored Tom Select.
// The select holds only the chosen option(s); typing asks data-lookup-url?q=… (the
// /tra-cuu/<lookup>/ JSON, scoped on the server) and shows at most twenty hits. Without this
// file (or Tom Select) the select still posts what it holds.
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    })[c]);
  }

  function lookupUrl(base, query) {
    const url = new URL(base, window.location.href);
    url.searchParams.set("q", query);
    return url.toString();
  }

  function enhance(select, TomSelect) {
    const multiple = select.dataset.picker === "multiple";
    const base = select.dataset.lookupUrl;
    const texts = {
      noResults: select.dataset.noResults || "",
      loading: select.dataset.loading || "…",
      clear: select.dataset.clear || "×",
      remove: select.dataset.remove || "×",
    };
    let pending = null;
    const picker = new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      maxItems: multiple ? null : 1,
      maxOptions: 50,
      plugins: multiple
        ? { remove_button: { title: texts.remove } }
        : { clear_button: { title: texts.clear } },
      placeholder: select.dataset.placeholder || "",
      allowEmptyOption: false,
      hidePlaceholder: !multiple, // a single picker with a value shows only the value
      closeAfterSelect: !multiple,
      loadThrottle: 250,
      preload: false,
      // The server has searched (diacritics folded, codes and symbols): show its hits as sent.
      score: () => () => 1,
      shouldLoad: (query) => query.trim().length >= 1,
      load(query, callback) {
        if (pending) pending.abort();
        pending = new AbortController();
        this.clearOptions();
        fetch(lookupUrl(base, query), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: pending.signal,
        })
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((data) => callback(data.results || []))
          .catch(() => callback());
      },
      render: {
        option: (item) => `<div>${escapeHtml(item.text)}</div>`,
        item: (item) => `<div>${escapeHtml(item.text)}</div>`,
        no_results: () => `<div class="no-results">${escapeHtml(texts.noResults)}</div>`,
        loading: () => `<div class="spinner" aria-label="${escapeHtml(texts.loading)}"></div>`,
      },
    });
    // A field refused by the server keeps pointing at its error from the typed box too.
    ["aria-invalid", "aria-describedby"].forEach((name) => {
      if (select.hasAttribute(name)) picker.control_input.setAttribute(name, select.getAttribute(name));
    });
    return picker;
  }

  // "Tới ô lỗi đầu tiên" (includes/form_errors.html): a picker's select is hidden, so the
  // link focuses the box the user types into.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-focus-field]");
    const target = link && document.getElementById(link.dataset.focusField);
    if (!target || !target.tomselect) return;
    event.preventDefault();
    target.tomselect.wrapper.scrollIntoView({ block: "center" });
    target.tomselect.focus();
  });

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof window.TomSelect !== "function") return;
    document.querySelectorAll("select[data-picker][data-lookup-url]").forEach((select) => {
      enhance(select, window.TomSelect);
    });
  });
})();
