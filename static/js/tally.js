// The marshals' counter: every tap gets its own id and goes into a queue kept
// in localStorage, so taps made while the network is down are sent when it
// comes back (and a retried request never counts twice: the server ignores a
// tap id it has seen). Without JavaScript the buttons are plain forms.
(function () {
  var root = document.getElementById("tally");
  if (!root || !window.localStorage || !window.fetch) { return; }
  var url = root.dataset.tapsUrl;
  var occurrence = root.dataset.occurrence;
  var queueKey = "tally-queue-" + root.dataset.event;
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var sending = false;

  function randomId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function device() {
    var id = localStorage.getItem("tally-device");
    if (!id) { id = randomId(); localStorage.setItem("tally-device", id); }
    return id;
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(queueKey)) || []; } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(queueKey, JSON.stringify(queue)); }
  function show(name, value) {
    var element = root.querySelector("[data-total=" + name + "]");
    if (element) { element.textContent = value; }
  }
  function showPending() {
    var count = load().length;
    root.querySelector("[data-pending]").hidden = count === 0;
    root.querySelector("[data-pending-count]").textContent = count;
  }
  function bump(direction, delta) {
    var name = direction === "in" ? "entries" : "exits";
    var element = root.querySelector("[data-total=" + name + "]");
    element.textContent = parseInt(element.textContent, 10) + delta;
    var inside = root.querySelector("[data-total=inside]");
    inside.textContent = parseInt(inside.textContent, 10) + (direction === "in" ? delta : -delta);
  }

  function flush() {
    var queue = load();
    if (sending || queue.length === 0) { showPending(); return; }
    sending = true;
    var batch = queue.slice(0, 200);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ device: device(), occurrence: occurrence, taps: batch })
    }).then(function (response) {
      if (response.status >= 400 && response.status < 500) {
        // Refused for good (e.g. logged out): keep the taps, say so.
        throw new Error("refused " + response.status);
      }
      if (!response.ok) { throw new Error("server " + response.status); }
      return response.json();
    }).then(function (answer) {
      var sent = {};
      batch.forEach(function (tap) { sent[tap.id] = true; });
      var rest = load().filter(function (tap) { return !sent[tap.id]; });
      save(rest);
      show("entries", answer.entries + pending("in", rest));
      show("exits", answer.exits + pending("out", rest));
      show("inside", answer.inside + pending("in", rest) - pending("out", rest));
      sending = false;
      if (rest.length) { flush(); } else { showPending(); }
    }).catch(function () {
      sending = false;
      showPending();
    });
  }
  function pending(direction, queue) {
    return queue.reduce(function (sum, tap) { return sum + (tap.direction === direction ? tap.delta : 0); }, 0);
  }

  root.querySelectorAll("form.tap-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var direction = form.querySelector("input[name=direction]").value;
      var delta = parseInt(form.querySelector("input[name=delta]").value, 10);
      var queue = load();
      queue.push({ id: randomId(), direction: direction, delta: delta, at: new Date().toISOString() });
      save(queue);
      bump(direction, delta);
      showPending();
      flush();
    });
  });
  // Between its own taps a phone asks for the totals, so every marshal sees
  // the other gates' counts.
  function refresh() {
    if (sending || load().length) { flush(); return; }
    fetch(url + "?occurrence=" + encodeURIComponent(occurrence), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || sending || load().length) { return; }
        show("entries", answer.entries);
        show("exits", answer.exits);
        show("inside", answer.inside);
      }).catch(function () {});
  }
  window.addEventListener("online", flush);
  setInterval(refresh, 5000);
  // Taps left from before a reload are counted on the page until they are sent.
  var left = load();
  if (left.length) {
    left.forEach(function (tap) { bump(tap.direction, tap.delta); });
  }
  flush();
}());
