// Refresh the campaign roll-up every 15 seconds without reloading the page.
// Without JavaScript the page shows the figures as of its loading, and a
// "Refresh" link.
(function () {
  var root = document.getElementById("rollup");
  if (!root || !window.fetch) { return; }
  var updated = document.getElementById("rollup-updated");
  function refresh() {
    fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (answer) {
        root.innerHTML = answer.html;
        updated.textContent = updated.dataset.updatedLabel + " " + new Date(answer.updated).toLocaleTimeString();
      })
      .catch(function () { /* keep the last figures; try again later */ });
  }
  setInterval(refresh, 15000);
}());
