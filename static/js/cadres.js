// The approval grid: announce how many rows changed since the page loaded (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("grid-form");
  const status = document.getElementById("grid-changed");
  if (!form || !status) return;
  const selects = Array.from(form.querySelectorAll("select.grid-rating"));
  const initial = new Map(selects.map((s) => [s, s.value]));
  const update = () => {
    const changed = selects.filter((s) => s.value !== initial.get(s)).length;
    status.textContent = changed ? `Đã thay đổi ${changed} dòng, chưa lưu.` : "";
  };
  selects.forEach((s) => s.addEventListener("change", update));
  const errors = document.getElementById("grid-errors");
  const firstInvalid = form.querySelector("select[aria-invalid='true']");
  if (errors && firstInvalid) firstInvalid.focus();
});
