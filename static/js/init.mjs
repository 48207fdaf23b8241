// Start GOV.UK Frontend's components, and again inside every fragment htmx swaps in, so that
// error summaries take focus and toggles work after a partial update.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.detail.elt });
});
