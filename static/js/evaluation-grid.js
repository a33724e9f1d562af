// The evaluation approval grid (cadres/evaluation_grid.html). The page works without it:
// the "select all rated" link reloads the grid with those rows ticked, and the submit opens
// a confirmation page that names the count. With it: the links tick and untick in place, the
// number of ticked rows is announced, a ticked row is highlighted, and submitting with
// nothing ticked asks for a selection instead of posting. The texts come translated from
// the page (data-template, "{n}" for the count): no inline script.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("grid-form");
  if (!form) {
    const errors = document.getElementById("grid-errors");
    if (errors) errors.focus();
    return;
  }
  const boxes = Array.from(form.querySelectorAll("input.grid-select"));
  const status = document.getElementById("grid-selected-count");
  const update = () => {
    const ticked = boxes.filter((box) => box.checked).length;
    boxes.forEach((box) => box.closest("tr").classList.toggle("selected", box.checked));
    if (status) status.textContent = status.dataset.template.replace("{n}", ticked);
  };
  boxes.forEach((box) => box.addEventListener("change", update));
  const setAll = (checked) => (event) => {
    event.preventDefault();
    boxes.forEach((box) => {
      box.checked = checked;
    });
    update();
  };
  const all = document.getElementById("grid-select-rated");
  const none = document.getElementById("grid-select-none");
  if (all) all.addEventListener("click", setAll(true));
  if (none) none.addEventListener("click", setAll(false));
  form.addEventListener("submit", (event) => {
    if (!boxes.some((box) => box.checked) && status) {
      event.preventDefault();
      status.textContent = status.dataset.empty;
      status.focus();
    }
  });
  update();
  const errors = document.getElementById("grid-errors");
  if (errors) errors.focus();
});
