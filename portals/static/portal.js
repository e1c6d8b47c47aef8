// Progressive enhancement only: move focus to the error summary so screen readers hear it.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
