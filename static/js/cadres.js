// The bulk forms of the cadres pages (approval grid, test scores, class completion): announce
// how many rows changed since the page loaded and focus the first row in error. The message
// comes translated from the page (data-template, "{n}" for the count): no inline script.
// Rows the grid may not approve (no self-assessment yet) have no select and are not counted.
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
    // A row that cannot be edited (not self-assessed) has no field: then the summary.
    const firstInvalid =
      form.querySelector("[aria-invalid='true']") || document.getElementById("grid-errors");
    if (firstInvalid) firstInvalid.focus();
  });
});
