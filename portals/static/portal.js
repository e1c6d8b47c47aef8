// Progressive enhancement only: move focus to the error summary so screen readers hear it.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});

// The print button of a bulletin: shown only where a script can press it (the page prints without it too).
document.addEventListener("DOMContentLoaded", () => {
  const print = document.getElementById("print-button");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
});
