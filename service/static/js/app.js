// Loaded before the page is drawn: marks that scripts run, so app.css shows the
// KRDS mobile menu (which needs ui-script.js) instead of the plain narrow-screen list.
document.documentElement.classList.add("has-js");
