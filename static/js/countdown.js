// Live countdown to the moment the join link appears; reloads the page then.
// Without JavaScript the page still says when to come back.
document.querySelectorAll("[data-opens-at]").forEach(function (element) {
  var opensAt = new Date(element.dataset.opensAt).getTime();
  function pad(number) { return number < 10 ? "0" + number : String(number); }
  function tick() {
    var left = Math.round((opensAt - Date.now()) / 1000);
    if (left <= 0) { window.location.reload(); return; }
    var days = Math.floor(left / 86400), hours = Math.floor((left % 86400) / 3600);
    var minutes = Math.floor((left % 3600) / 60);
    element.textContent = element.dataset.label + " " + (days ? days + " " + element.dataset.days + " " : "") +
      hours + ":" + pad(minutes) + ":" + pad(left % 60);
    setTimeout(tick, 1000);
  }
  tick();
});
