// Loaded before the page is drawn: marks that scripts run, so app.css shows the
// KRDS mobile menu (which needs ui-script.js) instead of the plain narrow-screen list.
document.documentElement.classList.add("has-js");

// A data table's cells carry their column's heading (data-label), which app.css shows
// before each value when a narrow screen stacks the rows as cards.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.tbl.data").forEach((table) => {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      [...row.children].forEach((cell, i) => {
        if (headings[i] && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headings[i]);
        }
      });
    });
  });
});
