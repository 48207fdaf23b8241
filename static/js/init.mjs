// Start GOV.UK Frontend's components, and again inside every fragment htmx swaps in, so that
// error summaries take focus and toggles work after a partial update.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.detail.elt });
});

// An out-of-band refresh (the criteria page's results, when an assessment lands) must not wipe
// what a person is typing, nor put back an older copy of a part they have just saved. Parts
// marked data-keep-while-editing (with an id) stay as they are in the page when they are being
// edited or were read after the refresh was.
function isBeingEdited(part) {
  if (part.contains(document.activeElement)) return true;
  return [...part.querySelectorAll("input, textarea, select")].some((field) => {
    if (field.type === "radio" || field.type === "checkbox") return field.checked !== field.defaultChecked;
    if (field.tagName === "SELECT") return [...field.options].some((o) => o.selected !== o.defaultSelected);
    return field.value !== field.defaultValue;
  });
}

document.body.addEventListener("htmx:oobBeforeSwap", (event) => {
  const { target, fragment } = event.detail;
  for (const live of target.querySelectorAll("[data-keep-while-editing][id]")) {
    const incoming = fragment.querySelector(`#${CSS.escape(live.id)}`);
    if (!incoming) continue;
    const newer = Number(live.dataset.readAt || 0) > Number(incoming.dataset.readAt || 0);
    if (newer || isBeingEdited(live)) incoming.replaceWith(live);
  }
});
