/* Scoring grid: the running total and the outcome it would give, recomputed on every change
   (the server recomputes on save: this is a preview). Evidence links open in a modal. */
(function () {
  "use strict";
  var ruleEl = document.getElementById("score-rule");
  if (!ruleEl) { return; }
  var rule = JSON.parse(ruleEl.textContent);

  function points(row) {
    var total = 0, graded = true, any = false;
    ["p", "e", "f"].forEach(function (part) {
      var max = parseFloat(row.dataset[part]) || 0;
      if (!max) { return; }
      var sel = row.querySelector("select[data-part='" + part + "']");
      var grade = sel ? sel.value : "";
      if (!grade) { graded = false; return; }
      any = true;
      total += max * rule.pcts[grade] / 100;
    });
    return { points: Math.round(total * 100) / 100, graded: graded && any };
  }

  function outcome(total, zeros) {
    if (zeros.length && rule.zeroFails) { return ["fail", rule.labels.fail]; }
    if (total >= rule.pass) { return ["pass", rule.labels.pass]; }
    if (rule.rectify !== null && total >= rule.rectify) { return ["rectify", rule.labels.rectify]; }
    return ["fail", rule.labels.fail];
  }

  function update() {
    var total = 0, count = 0, zeros = [];
    var rows = document.querySelectorAll("tr.score-row");
    rows.forEach(function (row) {
      var r = points(row);
      var cell = row.querySelector(".row-points");
      if (r.graded) {
        count += 1;
        total += r.points;
        if (r.points === 0) { zeros.push(row.dataset.number); }
        if (cell) { cell.textContent = r.points.toFixed(2); }
      } else if (cell) {
        cell.textContent = "";
      }
    });
    document.getElementById("running-total").textContent = total.toFixed(2);
    document.getElementById("graded-count").textContent = count;
    var out = document.getElementById("running-outcome");
    var zeroEl = document.getElementById("zero-items");
    zeroEl.textContent = zeros.length ? zeroEl.dataset.label + zeros.join("、") : "";
    var o = outcome(total, zeros);
    out.textContent = o[1] + (count < rows.length ? " " + out.dataset.incomplete.replace("%s", rows.length - count) : "");
    out.className = o[0] === "pass" ? "text-success" : (o[0] === "rectify" ? "text-warning" : "text-danger");
  }

  document.addEventListener("change", function (e) {
    if (e.target.matches("select.grade")) { update(); }
  });
  update();

  var modalEl = document.getElementById("evidence-modal");
  if (modalEl && window.bootstrap) {
    var modal = new bootstrap.Modal(modalEl);
    document.addEventListener("click", function (e) {
      var link = e.target.closest("a.evidence-link");
      if (!link || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
      e.preventDefault();
      var url = link.getAttribute("href");
      document.getElementById("evidence-modal-title").textContent = link.dataset.title || "";
      document.getElementById("evidence-modal-newtab").setAttribute("href", url);
      document.getElementById("evidence-modal-frame").setAttribute("src", url + (url.indexOf("/evidence/") >= 0 ? "?bare=1" : ""));
      modal.show();
    });
  }
})();
