// The month-end dashboard's charts: each <wf-chart data-option="ID"> draws the Apache ECharts
// option in the JSON script element ID (made by casework.reports.monthly.charts), as SVG so that
// Turbo's cached copy of the page still shows it. A point that carries a "url" opens it when
// clicked. The tables beside every chart hold the same numbers, so nothing is lost without it.
(function () {
  "use strict";
  if (window.customElements.get("wf-chart")) {
    return; // Turbo runs this file again on every visit
  }

  function whenLoaded(run, tries) {
    if (window.echarts) {
      run(window.echarts);
    } else if (tries > 0) {
      window.setTimeout(() => whenLoaded(run, tries - 1), 50);
    }
  }

  class Chart extends HTMLElement {
    connectedCallback() {
      if (this.chart || this.querySelector("svg")) {
        return;
      }
      const source = document.getElementById(this.dataset.option);
      if (!source) {
        return;
      }
      const option = JSON.parse(source.textContent);
      whenLoaded((echarts) => this.draw(echarts, option), 100);
    }

    draw(echarts, option) {
      // A bar chart of many rows grows to give each row room for its label.
      const rows = option.yAxis && option.yAxis.data ? option.yAxis.data.length : 0;
      if (rows > 6) {
        this.style.height = `${rows * 28 + 40}px`;
      }
      this.chart = echarts.init(this, null, { renderer: "svg" });
      this.chart.setOption(option);
      this.chart.on("click", (params) => {
        const url = params.data && params.data.url;
        if (!url) {
          return;
        }
        if (window.Turbo) {
          window.Turbo.visit(url);
        } else {
          window.location.assign(url);
        }
      });
      this.resizer = new ResizeObserver(() => this.chart && this.chart.resize());
      this.resizer.observe(this);
    }

    disconnectedCallback() {
      if (this.resizer) {
        this.resizer.disconnect();
      }
      if (this.chart) {
        this.chart.dispose();
        this.chart = null;
      }
    }
  }

  window.customElements.define("wf-chart", Chart);
})();
