// The placement step: choosing a vacancy from the job menu fills the channel, employer,
// industry, work location and place from it; organised door-to-door transport (点对点) is
// hidden for a job within the county. The server does the same when the page is sent without
// this script (workflows.forms.PlacementForm.fill_from_vacancy).
(function () {
  "use strict";
  if (window.customElements.get("wf-placement-fill")) {
    return; // Turbo runs this file again on every visit
  }

  const TEXT_FIELDS = ["employer_name", "industry", "place"];
  const SELECT_FIELDS = ["channel", "location_class"];

  class PlacementFill extends HTMLElement {
    connectedCallback() {
      if (this.started) {
        return;
      }
      this.started = true;
      const data = this.querySelector("#wf-vacancy-defaults");
      this.defaults = data ? JSON.parse(data.dataset.defaults || "{}") : {};
      this.addEventListener("change", (event) => this.changed(event));
      // The Material fields render after this element is connected.
      window.setTimeout(() => this.showApplicable(this.current("location_class")), 0);
    }

    field(name) {
      return this.querySelector(`[name="${name}"]`);
    }

    current(name) {
      const input = this.querySelector(`input[name="${name}"], select[name="${name}"]`);
      return input ? input.value : "";
    }

    changed(event) {
      const name = event.target.getAttribute && event.target.getAttribute("name");
      const value = event.detail && event.detail.value !== undefined
        ? event.detail.value
        : event.target.value;
      if (name === "vacancy" && value && this.defaults[value]) {
        this.fill(this.defaults[value]);
      } else if (name === "location_class") {
        this.showApplicable(value || "");
      }
    }

    fill(values) {
      for (const name of TEXT_FIELDS) {
        const input = this.querySelector(`input[name="${name}"]`);
        if (input && values[name] !== undefined) {
          input.value = values[name];
          input.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
      for (const name of SELECT_FIELDS) {
        const item = this.querySelector(
          `vf-field-select[name="${name}"] li[data-value="${values[name]}"]`,
        );
        if (item) {
          item.click(); // as if the caseworker picked it
        }
      }
      this.showApplicable(values.location_class || "");
    }

    showApplicable(locationClass) {
      const transport = this.field("organised_transport");
      if (!transport) {
        return;
      }
      const cell = transport.closest(".mdc-layout-grid__cell") || transport;
      cell.hidden = locationClass === "county";
    }
  }

  window.customElements.define("wf-placement-fill", PlacementFill);
})();
