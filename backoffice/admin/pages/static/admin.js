// The admin pages' little JavaScript: show the parts of the pack form that apply, add and
// remove content rows, select stores in bulk, reorder the execution order (and warn before
// leaving it unsaved), confirm deletes and bulk archives, and turn a multiple <select> into
// a searchable list of checkboxes.
// Every page also works without it (the server checks and applies every rule).
"use strict";

function packForm(form) {
  const chosen = (name) => (form.querySelector(`input[name="${name}"]:checked`) || {}).value;
  function refresh() {
    const type = chosen("type"), method = chosen("method"), first = chosen("first_same"), stock = chosen("inventory_mode");
    form.querySelectorAll("[data-show-for]").forEach((el) => {
      const wanted = el.dataset.showFor === type && (!el.hasAttribute("data-show-for-first") || (method === "recurring" && first === "different"));
      el.hidden = !wanted;
    });
    form.querySelectorAll("[data-show-for-method]").forEach((el) => { el.hidden = method !== el.dataset.showForMethod; });
    form.querySelectorAll("h2 [data-show-for-first]").forEach((el) => { el.hidden = !(type === "campaign" && method === "recurring" && first === "different"); });
    form.querySelectorAll("[data-show-for-inventory]").forEach((el) => { el.hidden = stock !== el.dataset.showForInventory; });
    form.querySelectorAll("[data-entry]").forEach((row) => {
      const effective = row.querySelector("[data-effective]");
      const delay = row.querySelector("[data-delay]");
      if (effective && delay) delay.hidden = effective.value === "immediate";
    });
  }
  form.addEventListener("change", refresh);
  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-entry]");
    if (add) {
      const box = add.closest("[data-entries]");
      const rows = box.querySelectorAll("[data-entry]");
      const copy = rows[rows.length - 1].cloneNode(true);
      const prefix = box.dataset.entries;
      copy.querySelectorAll("[name]").forEach((input) => {
        input.name = input.name.replace(/-(\d+)-/, `-${rows.length}-`);
        if (input.tagName === "SELECT") input.selectedIndex = input.name.endsWith("effective") ? 0 : 0;
        else input.value = input.name.endsWith("quantity") ? "1" : input.name.endsWith("validity_days") ? "30" : "";
        input.removeAttribute("aria-invalid");
      });
      copy.querySelectorAll(".field-error").forEach((e) => e.remove());
      add.before(copy);
      refresh();
      return;
    }
    const remove = event.target.closest("[data-remove-entry]");
    if (remove) {
      const box = remove.closest("[data-entries]");
      if (box.querySelectorAll("[data-entry]").length > 1) remove.closest("[data-entry]").remove();
      else remove.closest("[data-entry]").querySelectorAll("select").forEach((s) => { s.selectedIndex = 0; });
    }
  });
  form.querySelectorAll("[data-org-stores]").forEach((org) => {
    org.addEventListener("change", () => {
      const ids = org.dataset.orgStores.split(" ");
      form.querySelectorAll('input[name="stores"]').forEach((box) => { if (ids.includes(box.value)) box.checked = org.checked; });
    });
  });
  refresh();
}

function selectAll(root) {
  root.querySelectorAll("[data-select-all]").forEach((all) => {
    all.addEventListener("change", () => {
      root.querySelectorAll(`input[name="${all.dataset.selectAll}"]`).forEach((box) => { box.checked = all.checked; });
    });
  });
}

function searchableSelect(select) {
  const label = (select.labels && select.labels[0] ? select.labels[0].textContent : select.name).trim();
  const box = document.createElement("div");
  box.className = "picker";
  const search = document.createElement("input");
  search.type = "search";
  search.placeholder = "Type to find";
  search.setAttribute("aria-label", `Find in ${label}`);
  const list = document.createElement("div");
  list.className = "picker-options";
  list.setAttribute("role", "group");
  list.setAttribute("aria-label", label);
  const chosen = document.createElement("p");
  chosen.className = "picker-chosen";
  chosen.setAttribute("aria-live", "polite");
  const summary = () => {
    const names = Array.from(select.selectedOptions).map((o) => o.textContent.trim());
    chosen.textContent = names.length ? `Chosen: ${names.join(", ")}` : "None chosen";
  };
  Array.from(select.options).forEach((option) => {
    const row = document.createElement("label");
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.checked = option.selected;
    tick.dataset.value = option.value;
    tick.addEventListener("change", () => { option.selected = tick.checked; summary(); select.dispatchEvent(new Event("change", { bubbles: true })); });
    row.append(tick, document.createTextNode(option.textContent));
    list.append(row);
  });
  search.addEventListener("input", () => {
    const wanted = search.value.trim().toLowerCase();
    list.querySelectorAll("label").forEach((row) => { row.hidden = wanted !== "" && !row.textContent.toLowerCase().includes(wanted); });
  });
  select.hidden = true;
  select.after(box);
  box.append(search, list, chosen);
  summary();
}

function warnUnsaved(form) {
  let dirty = false;
  const mark = () => { dirty = true; };
  form.addEventListener("change", mark);
  form.addEventListener("click", (event) => { if (event.target.closest("[data-move]")) mark(); });
  form.addEventListener("dragend", mark);
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
}

function sortable(list) {
  const renumber = () => list.querySelectorAll(".order-row .seq").forEach((seq, i) => { seq.textContent = i + 1; });
  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move]");
    if (!button) return;
    const row = button.closest(".order-row");
    if (button.dataset.move === "up" && row.previousElementSibling) row.previousElementSibling.before(row);
    if (button.dataset.move === "down" && row.nextElementSibling) row.nextElementSibling.after(row);
    button.focus();
    renumber();
  });
  let dragged = null;
  list.addEventListener("dragstart", (event) => { dragged = event.target.closest(".order-row"); dragged.classList.add("dragging"); });
  list.addEventListener("dragend", () => { if (dragged) dragged.classList.remove("dragging"); dragged = null; renumber(); });
  list.addEventListener("dragover", (event) => {
    event.preventDefault();
    const over = event.target.closest(".order-row");
    if (!dragged || !over || over === dragged) return;
    const box = over.getBoundingClientRect();
    if (event.clientY > box.top + box.height / 2) over.after(dragged); else over.before(dragged);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("pack-form");
  if (form) packForm(form);
  selectAll(document);
  document.querySelectorAll("[data-sortable]").forEach(sortable);
  document.querySelectorAll("select[multiple]").forEach(searchableSelect);
  const order = document.getElementById("execution-order");
  if (order) warnUnsaved(order);
  document.querySelectorAll("[data-confirm-bulk]").forEach((button) => {
    button.addEventListener("click", (event) => { if (!window.confirm(button.dataset.confirmBulk)) event.preventDefault(); });
  });
  document.querySelectorAll("form[data-confirm]").forEach((f) => {
    f.addEventListener("submit", (event) => { if (!window.confirm(f.dataset.confirm)) event.preventDefault(); });
  });
});
