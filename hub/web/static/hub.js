// GOV.UK Frontend's behaviours. A browser that runs this module is one GOV.UK Frontend
// supports (its own test is the same); every page works without it.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
