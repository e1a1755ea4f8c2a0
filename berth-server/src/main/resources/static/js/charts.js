// Draws every chart figure of a chart panel with uPlot from /charts/data. A chart whose metric
// source is down says "unavailable" in its place; nothing else on the page is affected. Redraws
// every 30 s and when another time range is chosen.
(function () {
  var COLORS = ['#3b7dd8', '#2e8b57', '#8e44ad', '#d35400', '#16a085', '#7f8c8d', '#c0392b', '#2c3e50'];
  var MARK = '#c0392b';

  function format(unit, v) {
    if (v == null) { return '–'; }
    if (unit === 'bytes') {
      var mib = v / 1048576;
      if (mib >= 1024) { return (mib / 1024).toFixed(1) + ' GiB'; }
      return (mib >= 10 || mib === 0 ? mib.toFixed(0) : mib.toFixed(1)) + ' MiB';
    }
    if (unit === '%') { return v.toFixed(1) + ' %'; }
    // Below one core, millicores (as Kubernetes writes them): 0.012 cores is "12 m".
    if (unit === 'cores') { return Math.abs(v) >= 1 || v === 0 ? v.toFixed(2) : Number((v * 1000).toPrecision(2)) + ' m'; }
    return String(Math.round(v * 100) / 100);
  }

  function say(area, text, cls) {
    area.innerHTML = '';
    area.className = 'chart-area ' + cls;
    area.textContent = text;
  }

  function draw(fig, range) {
    var area = fig.querySelector('.chart-area');
    var unit = fig.getAttribute('data-unit');
    fetch(fig.getAttribute('data-url') + '&window=' + range, {
      credentials: 'same-origin', headers: { Accept: 'application/json' }
    }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    }).then(function (c) {
      if (c.unavailable) { say(area, 'Metrics ' + c.unavailable, 'unavailable'); return; }
      if (!c.x.length) { say(area, 'No samples yet', 'no-data'); return; }
      area.innerHTML = '';
      area.className = 'chart-area';
      var series = [{}];
      var data = [c.x];
      c.series.forEach(function (s, i) {
        var marks = s.kind === 'marks';
        series.push(marks ? {
          label: s.label, stroke: MARK, fill: MARK, paths: function () { return null; },
          points: { show: true, size: 10, stroke: MARK, fill: MARK },
          value: function (u, v) { return format(unit, v); }
        } : {
          label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
          value: function (u, v) { return format(unit, v); }
        });
        data.push(s.values);
      });
      new uPlot({
        width: Math.max(300, area.clientWidth), height: 200, series: series,
        axes: [{}, { size: 70, values: function (u, vals) { return vals.map(function (v) { return format(unit, v); }); } }],
        scales: unit === '%' ? { y: { range: [0, 100] } } : {}
      }, data, area);
      fig.setAttribute('data-points', String(c.x.length));
    }).catch(function (e) { say(area, 'Metrics unavailable: ' + e.message, 'unavailable'); });
  }

  document.querySelectorAll('section.charts').forEach(function (panel) {
    var range = '1h';
    var all = function () { panel.querySelectorAll('figure.chart').forEach(function (f) { draw(f, range); }); };
    panel.querySelectorAll('[data-window]').forEach(function (b) {
      b.addEventListener('click', function () {
        range = b.getAttribute('data-window');
        panel.querySelectorAll('[data-window]').forEach(function (x) { x.classList.toggle('active', x === b); });
        all();
      });
    });
    all();
    setInterval(all, 30000);
  });
})();
