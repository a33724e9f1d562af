// The "In" button of an official print page (templates/print/official.html).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
