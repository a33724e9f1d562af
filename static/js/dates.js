// Calendar picker for the kernel date inputs (input[data-datepicker], longbien.core.widgets).
// The input stays a dd/mm/yyyy text box: typing still works, the submitted value is what is
// shown, and without this file (or flatpickr) the page works as plain typed text.
(function () {
  "use strict";

  // The formats the server accepts (longbien.core.forms.DATE_INPUT_FORMATS), same order.
  const FORMATS = [
    [/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, "dmy"],
    [/^(\d{1,2})-(\d{1,2})-(\d{4})$/, "dmy"],
    [/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, "dmy"],
    [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, "ymd"],
    [/^(\d{2})(\d{2})(\d{4})$/, "dmy"],
  ];

  function parse(text) {
    const value = String(text || "").trim();
    for (const [regex, order] of FORMATS) {
      const match = regex.exec(value);
      if (!match) continue;
      const [a, b, c] = match.slice(1).map(Number);
      const [day, month, year] = order === "dmy" ? [a, b, c] : [c, b, a];
      const date = new Date(year, month - 1, day);
      if (date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day) {
        return date;
      }
      return undefined; // 31/02/2026: leave it to the server's message
    }
    return undefined;
  }

  function enhance(input, flatpickr) {
    let typed = input.value;
    input.addEventListener("input", () => {
      typed = input.value;
    });
    // flatpickr empties a box whose text it cannot read; put the text back so that the
    // server's message ("Nhập ngày theo dạng dd/mm/yyyy") tells the user what was wrong.
    const keepTyped = (selectedDates) => {
      if (!selectedDates.length && typed.trim() && !parse(typed)) input.value = typed;
    };
    const picker = flatpickr(input, {
      allowInput: true,
      clickOpens: false, // opened by a click (below), so tabbing through a form types only
      animate: !window.matchMedia("(prefers-reduced-motion: reduce)").matches,
      dateFormat: "d/m/Y",
      parseDate: parse,
      disableMobile: true, // the native mobile picker would bring the browser's format back
      locale: document.documentElement.lang.startsWith("vi") ? "vn" : { firstDayOfWeek: 1 },
      onChange: [
        (selectedDates) => {
          if (selectedDates.length) typed = input.value;
          keepTyped(selectedDates);
        },
      ],
      onClose: [keepTyped],
    });
    input.addEventListener("click", () => picker.open());
    input.addEventListener("keydown", (event) => {
      if (event.altKey && event.key === "ArrowDown") picker.open(); // as for a select
      else if (event.key === "Escape" && picker.isOpen) picker.close();
    });
    // Leaving the box with Tab (or any focus move outside the calendar) closes the calendar.
    document.addEventListener("focusin", (event) => {
      const target = event.target;
      if (picker.isOpen && target !== input && !picker.calendarContainer.contains(target)) {
        picker.close();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof window.flatpickr !== "function") return;
    document.querySelectorAll("input[data-datepicker]").forEach((input) => {
      enhance(input, window.flatpickr);
    });
  });
})();
