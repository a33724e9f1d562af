// The bulk forms of the cadres pages (approval grid, test scores, class completion): announce
// how many rows changed since the page loaded and focus the first row in error. The message
// comes translated from the page (data-template, "{n}" for the count): no inline script.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form.grid-form").forEach((form) => {
    const fields = Array.from(form.querySelectorAll(".grid-rating, .grid-score, .grid-check"));
    const valueOf = (field) => (field.type === "checkbox" ? String(field.checked) : field.value);
    const initial = new Map(fields.map((field) => [field, valueOf(field)]));
    const status = form.querySelector("[data-template]");
    if (status) {
      const update = () => {
        const changed = fields.filter((field) => valueOf(field) !== initial.get(field)).length;
        status.textContent = changed ? status.dataset.template.replace("{n}", changed) : "";
      };
      fields.forEach((field) => {
        field.addEventListener("change", update);
        field.addEventListener("input", update);
      });
    }
    const firstInvalid = form.querySelector("[aria-invalid='true']");
    if (firstInvalid) firstInvalid.focus();
  });
});
