// The member rows of the registration page: 添加一行 adds a row here instead of asking the
// server, and each row gets a remove button in place of its remove box. Row fields are named
// "<prefix>-<index>-<field>"; after every change the rows are numbered again from 0, so the
// server sees the rows in page order, as if the page had been sent with exactly these rows.
(function () {
  "use strict";
  if (window.customElements.get("registry-member-rows")) {
    return; // Turbo runs this file again on every visit
  }

  class MemberRows extends HTMLElement {
    connectedCallback() {
      if (this.started) {
        return;
      }
      this.started = true;
      this.namePrefix = this.dataset.prefix;
      this.rows = this.querySelector("[data-rows]");
      this.template = this.querySelector("template[data-row-template]");
      this.total = this.querySelector(`input[name="${this.namePrefix}-TOTAL_FORMS"]`);
      this.max = this.querySelector(`input[name="${this.namePrefix}-MAX_NUM_FORMS"]`);
      this.addButton = this.querySelector("[data-add-row]");
      if (!this.rows || !this.template || !this.total || !this.addButton) {
        return;
      }
      // Only the page without this script needs the server's row, unchecked by the browser.
      delete this.addButton.dataset.novalidate;
      this.addButton.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        this.addRow();
      });
      this.rows.querySelectorAll("[data-row]").forEach((row) => this.enhance(row));
      this.renumber();
    }

    addRow() {
      if (this.full()) {
        return;
      }
      const row = this.template.content.firstElementChild.cloneNode(true);
      this.rows.appendChild(row);
      this.enhance(row);
      this.renumber();
      const first = row.querySelector("input[type=text], select");
      if (first) {
        first.focus();
      }
    }

    enhance(row) {
      const box = row.querySelector("[data-remove-box]");
      if (!box || box.querySelector("[data-remove-row]")) {
        return;
      }
      const checkbox = box.querySelector("input[type=checkbox]");
      if (checkbox && checkbox.checked) {
        row.remove(); // ticked before the page came back: it is not sent
        return;
      }
      box.replaceChildren();
      const button = document.createElement("button");
      button.type = "button";
      button.className = "mdc-button rg-row__remove";
      button.dataset.removeRow = "";
      const icon = document.createElement("i");
      icon.className = "material-icons";
      icon.setAttribute("aria-hidden", "true");
      icon.textContent = "delete";
      const label = document.createElement("span");
      label.textContent = this.dataset.removeLabel;
      button.append(icon, label);
      button.addEventListener("click", () => {
        row.remove();
        this.renumber();
      });
      box.appendChild(button);
    }

    renumber() {
      // "members-2-name", "id_members-2-name", or "__prefix__" in place of the number
      const pattern = new RegExp(`^(id_)?${this.namePrefix}-(\\d+|__prefix__)-`);
      const rows = this.rows.querySelectorAll("[data-row]");
      rows.forEach((row, index) => {
        const replacement = `$1${this.namePrefix}-${index}-`;
        row.querySelectorAll("[name], [id], label[for]").forEach((element) => {
          for (const attribute of ["name", "id", "for"]) {
            const value = element.getAttribute(attribute);
            if (value) {
              element.setAttribute(attribute, value.replace(pattern, replacement));
            }
          }
        });
        const title = row.querySelector("[data-row-title]");
        if (title) {
          title.textContent = this.dataset.rowTitle.replace("{n}", String(index + 1));
        }
      });
      this.total.value = String(rows.length);
      this.addButton.disabled = this.full();
    }

    full() {
      const max = this.max ? parseInt(this.max.value, 10) : NaN;
      return !Number.isNaN(max) && this.rows.querySelectorAll("[data-row]").length >= max;
    }
  }

  window.customElements.define("registry-member-rows", MemberRows);
})();
