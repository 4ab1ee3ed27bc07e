// Report versions still being made: poll their status (reports:status, JSON) and move the
// progress bar; when one is done, show its download button. No inline script (CSP).
(function () {
  "use strict";
  var POLL_MS = 1000;

  function update(box, data) {
    var row = box.closest("tr");
    var bar = box.querySelector(".progress-bar");
    var meter = box.querySelector(".progress");
    var percent = data.finished ? 100 : data.progress;
    bar.style.width = percent + "%";
    meter.setAttribute("aria-valuenow", String(percent));
    box.querySelector(".report-status-label").textContent = data.status_label;
    box.querySelector(".report-stage").textContent = data.stage_label ? "· " + data.stage_label : "";
    var error = box.querySelector(".report-error");
    error.textContent = data.error || "";
    error.hidden = !data.error;
    if (row) {
      row.setAttribute("data-status", data.status);
    }
    if (data.status === "done") {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      bar.classList.add("bg-success");
      var link = row && row.querySelector(".report-download");
      if (link && data.download_url) {
        link.setAttribute("href", data.download_url);
        link.classList.remove("d-none");
      }
    } else if (data.status === "failed") {
      bar.classList.remove("progress-bar-striped", "progress-bar-animated");
      bar.classList.add("bg-danger");
    }
    return data.finished;
  }

  function poll(box) {
    var url = box.getAttribute("data-report-status-url");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (!update(box, data)) {
          window.setTimeout(function () { poll(box); }, POLL_MS);
        }
      })
      .catch(function () {
        window.setTimeout(function () { poll(box); }, POLL_MS * 5);
      });
  }

  document.querySelectorAll("[data-report-status-url]").forEach(poll);
})();
