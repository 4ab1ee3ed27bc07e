// Progress of a vendor import: poll the job's status and reload when it stops running.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector(".progress-bar");
  var holder = box.querySelector(".progress");
  var text = document.getElementById("import-progress-text");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.running) { window.location.reload(); return; }
        if (data.status === "checking" && data.total) {
          bar.style.width = data.percent + "%";
          holder.setAttribute("aria-valuenow", String(data.percent));
          if (text) { text.textContent = data.done + " / " + data.total; }
        } else {
          bar.style.width = "100%";
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
