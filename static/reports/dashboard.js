// Draws the report dashboard's charts from the data the server put in #report-charts, and follows a running
// recompute until it finishes. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  var GREEN = "#3c4a2a";
  var GOLD = "#c9a227";
  var GREY = "#8a8a80";
  var RED = "#a4161a";

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || !window.Chart) {
      return;
    }
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
    new window.Chart(canvas, config);
  }

  function charts(data) {
    var t = data.text;
    draw("chart-funnel", {
      type: "bar",
      data: { labels: data.funnel.labels, datasets: [{ label: t.reached, data: data.funnel.reached, backgroundColor: GREEN }] },
      options: { plugins: { legend: { display: false } } }
    });
    draw("chart-trend", {
      type: "line",
      data: {
        labels: data.trend.labels,
        datasets: [
          { label: t.applied, data: data.trend.applied, borderColor: GREEN, backgroundColor: GREEN, spanGaps: false },
          { label: t.appointed, data: data.trend.appointed, borderColor: GOLD, backgroundColor: GOLD, spanGaps: false }
        ]
      }
    });
    draw("chart-lead-times", {
      type: "bar",
      data: {
        labels: data.leadTimes.labels,
        datasets: [
          { label: t.median, data: data.leadTimes.median, backgroundColor: GREEN },
          { label: t.p80, data: data.leadTimes.p80, backgroundColor: GOLD },
          { label: t.p90, data: data.leadTimes.p90, backgroundColor: GREY }
        ]
      }
    });
    draw("chart-dropout", {
      type: "bar",
      data: { labels: data.dropout.labels, datasets: [{ label: t.count, data: data.dropout.counts, backgroundColor: RED }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } } }
    });
    draw("chart-plan", {
      type: "bar",
      data: {
        labels: data.plan.labels,
        datasets: [
          { label: t.realised, data: data.plan.realised, backgroundColor: GREEN },
          { label: t.plan, data: data.plan.plan, backgroundColor: GOLD }
        ]
      },
      options: { plugins: { title: { display: Boolean(data.plan.title), text: data.plan.title } } }
    });
  }

  function followRun() {
    var box = document.getElementById("run-status");
    if (!box || (box.dataset.status !== "queued" && box.dataset.status !== "running")) {
      return;
    }
    var bar = document.getElementById("run-progress");
    var stage = document.getElementById("run-stage");
    function poll() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (run) {
          if (run.status === "succeeded" || run.status === "failed") {
            window.location.reload();
            return;
          }
          if (bar) { bar.value = run.percent; }
          if (stage) { stage.textContent = run.stage; }
          window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1500);
  }

  var source = document.getElementById("report-charts");
  if (source) {
    charts(JSON.parse(source.textContent));
  }
  followRun();
})();
