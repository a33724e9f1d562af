// A register's table (templates/includes/table.html): the header checkbox selects every row.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || box.dataset.selectAll === undefined) return;
  const table = box.closest("table");
  if (!table) return;
  for (const row of table.querySelectorAll('tbody input[type="checkbox"][name="select"]')) {
    row.checked = box.checked;
  }
});
