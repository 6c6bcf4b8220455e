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
