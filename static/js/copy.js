// "Copy the link" button: shown only when the browser can copy.
document.querySelectorAll("button.copy").forEach(function (button) {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var box = document.getElementById(button.dataset.copy);
    navigator.clipboard.writeText(box.value).then(function () {
      button.textContent = button.dataset.done;
    });
  });
});
// The page's own address without the one-time note (?renewed=1), so that a copy
// of the address bar, a bookmark or a reload is the plain link.
document.querySelectorAll("[data-clean-url]").forEach(function (element) {
  history.replaceState(null, "", element.dataset.cleanUrl);
});
